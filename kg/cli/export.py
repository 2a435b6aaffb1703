"""``kg export``: write the whole graph in an RDF format."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kg.cli.session import Session, pass_session

__all__ = ["export", "register"]

#: Export formats (kg.backends.base.EXPORT_FORMATS; listed here so --help stays fast).
FORMATS = ["ttl", "nt", "nq", "trig", "jsonld", "xml"]
_BY_EXTENSION = {".ttl": "ttl", ".nt": "nt", ".nq": "nq", ".trig": "trig", ".jsonld": "jsonld"}
_BY_EXTENSION |= {".rdf": "xml", ".xml": "xml", ".owl": "xml"}


@click.command(short_help="Write the whole graph in an RDF format.")
@click.option(
    "--format",
    "-f",
    "fmt",
    type=click.Choice(FORMATS),
    help="RDF format [default: from the -o extension, else ttl].",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False),
    help="Write to this file (atomically: a temporary file, then renamed) instead of stdout.",
)
@click.option(
    "--include-restricted",
    is_flag=True,
    help="Export data whose terms forbid redistribution (e.g. ACLED) too; refused without it.",
)
@pass_session
def export(
    session: Session, fmt: str | None, output: str | None, include_restricted: bool = False
) -> None:
    """Write the ontology, vocabularies and data as one RDF document.

    \b
    Example:
        kg export --format nt -o out/graph.nt
        kg export -o out/graph.jsonld
        kg --add extra.ttl export > all.ttl
    """
    if fmt is None:
        fmt = _BY_EXTENSION.get(Path(output).suffix.lower(), "ttl") if output else "ttl"
    from kg.importers.provenance import refuse_restricted

    refuse_restricted(session.graph(), "kg export", include_restricted=include_restricted)
    payload = session.graph().serialize(fmt)
    if output is None:
        sys.stdout.buffer.write(payload)
        sys.stdout.buffer.flush()
        return
    from kg.files import write_bytes_atomically

    write_bytes_atomically(output, payload)
    click.echo(f"wrote {output} ({len(payload)} bytes, {fmt})", err=True)


def register(group: click.Group) -> None:
    """Add ``export`` to the ``kg`` group.

    Parameters
    ----------
    group:
        The click group.

    Returns
    -------
    None

    Example
    -------
    >>> g = click.Group("kg"); register(g); sorted(g.commands)
    ['export']
    """
    group.add_command(export)
