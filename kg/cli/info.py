"""``kg stats``: what the graph holds."""

from __future__ import annotations

import json

import click

from kg.cli.session import Session, pass_session

__all__ = ["format_stats", "register", "stats"]


@click.command(short_help="Count what the graph holds.")
@click.option("--json", "as_json", is_flag=True, help="Print the counts as a JSON object.")
@pass_session
def stats(session: Session, as_json: bool) -> None:
    """Count triples, entities, events, statements, quotes and entities per class.

    \b
    Example:
        kg stats
        kg --data data/triples.ttl stats --json
    """
    counts = _kept_counts(session) or session.graph().stats()
    if as_json:
        click.echo(json.dumps(counts, indent=2))
        return
    click.echo(format_stats(counts))


def _kept_counts(session: Session) -> dict | None:
    """The counts ``kg load`` kept in the store the options name, read without loading the
    graph or rdflib (most of the command's time); None: ask the graph."""
    if session.data or session.add:
        return None
    session.check_remote_options()
    store = session.store if session.backend == "oxigraph" else None
    if not store:
        return None
    from kg.backends.void_stats import kept_store_stats

    return kept_store_stats(store)


def format_stats(counts: dict) -> str:
    """Write the result of ``KnowledgeGraph.stats()`` as aligned text.

    Parameters
    ----------
    counts:
        The stats dict: numbers, and ``classes`` (class name -> count).

    Returns
    -------
    str

    Example
    -------
    >>> print(format_stats({"triples": 1200, "events": 4, "classes": {"kg:State": 3}}))
    triples  1200
    events      4
    <BLANKLINE>
    entities per class:
      kg:State  3
    """
    numbers = {k: v for k, v in counts.items() if not isinstance(v, dict)}
    key_width = max((len(k) for k in numbers), default=0)
    value_width = max((len(str(v)) for v in numbers.values()), default=0)
    lines = [f"{k.ljust(key_width)}  {str(v).rjust(value_width)}" for k, v in numbers.items()]
    classes = counts.get("classes") or {}
    if classes:
        width = max(len(c) for c in classes)
        count_width = max(len(str(n)) for n in classes.values())
        lines += ["", "entities per class:"]
        lines += [f"  {c.ljust(width)}  {str(n).rjust(count_width)}" for c, n in classes.items()]
    return "\n".join(lines)


def register(group: click.Group) -> None:
    """Add ``stats`` to the ``kg`` group.

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
    ['stats']
    """
    group.add_command(stats)
