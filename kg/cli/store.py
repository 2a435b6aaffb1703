"""``kg load``: bulk load RDF files into an on-disk Oxigraph store, all or nothing."""

from __future__ import annotations

import click

from kg.cli.session import Session, pass_session


@click.command(short_help="Bulk load RDF files into an on-disk store.")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option(
    "--store",
    "store_path",
    metavar="PATH",
    help="The store folder (created if missing) [default: the global --store].",
)
@click.option(
    "--schema/--no-schema",
    default=True,
    show_default=True,
    help="Also load the ontology and vocabularies, so the store answers kg's queries.",
)
@click.option(
    "--progress/--no-progress",
    default=None,
    help="Show a progress bar [default: when stderr is a terminal].",
)
@pass_session
def load(
    session: Session, files: tuple[str, ...], store_path: str | None, schema: bool, progress
) -> None:
    """Load FILES into the Oxigraph store at PATH, all or nothing.

    Every file is parsed before the store changes: a file that fails to parse leaves the
    store as it was, and the error names the file and line. Files the store already holds
    (same bytes) are skipped, so loading again is harmless. Query the store afterwards with
    the global --store option.

    \b
    Example:
        kg load data/big.nt data/more.ttl --store stores/world
        kg --backend oxigraph --store stores/world --data data/big.nt stats
    """
    from kg.errors import BadOptionError
    from kg.store import load_files

    target = store_path or session.store
    if not target:
        raise BadOptionError("kg load needs --store PATH, the folder of the store to load into")
    if progress is None:
        progress = click.get_text_stream("stderr").isatty()
    paths = [*session.paths.schema_files] if schema else []
    report = load_files(target, [*paths, *files], progress=progress)
    click.echo(f"{target}: {report.summary()}")


def register(group: click.Group) -> None:
    """Add ``kg load`` to the ``kg`` group."""
    group.add_command(load)
