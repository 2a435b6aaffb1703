"""``kg import KIND FILE...``, ``kg conflicts`` and ``kg datasets``: datasets into the graph.

Thin layers over :mod:`kg.importers`. An import goes into the global ``--store`` (an on-disk
Oxigraph store, in one transaction) and/or, with ``-o FILE``, into an N-Triples file to load
beside the data with ``kg --add FILE``.
"""

from __future__ import annotations

import datetime as _dt
import json
import sys
from collections.abc import Callable, Sequence
from typing import Any

import click

from kg.cli.session import Session, pass_session

__all__ = ["import_group", "conflicts", "datasets", "register"]

_COMMON = [
    click.option(
        "--output",
        "-o",
        type=click.Path(dir_okay=False),
        help="Also write the imported triples to this .nt file (atomically).",
    ),
    click.option(
        "--skip-bad",
        is_flag=True,
        help="Import the good rows, write the bad ones to --report "
        "(default: any bad row fails the import).",
    ),
    click.option(
        "--report",
        type=click.Path(dir_okay=False),
        help="Where --skip-bad writes the bad rows [default: KIND-import-report.tsv].",
    ),
    click.option(
        "--accessed",
        metavar="DATE",
        help="When you downloaded the data (YYYY-MM-DD), recorded with it [default: today].",
    ),
]


def _common(command: Callable[..., Any]) -> Callable[..., Any]:
    for option in reversed(_COMMON):
        command = option(command)
    return command


def _run(
    session: Session,
    function: Callable[..., Any],
    files: Sequence[str],
    output: str | None,
    skip_bad: bool,
    report: str | None,
    accessed: str | None,
    **options: Any,
) -> None:
    from kg.errors import BadOptionError

    if not session.store and session.backend == "memory" and not output:
        raise BadOptionError("nothing to import into: give -o FILE.nt, or the global --store PATH")
    try:
        day = _dt.date.fromisoformat(accessed) if accessed else None
    except ValueError:
        raise BadOptionError(f"--accessed: not a date (YYYY-MM-DD): {accessed!r}") from None
    graph = session.graph()
    into_store = session.store or session.backend != "memory"
    result = function(
        list(files),
        graph=graph if into_store else _resolver(graph),
        output=output,
        skip_bad=skip_bad,
        report=report,
        accessed=day,
        command=" ".join(["kg", *sys.argv[1:]]),
        **options,
    )
    click.echo(result.summary())
    if result.output:
        click.echo(f"wrote {result.output}")
    if into_store and result.store_triples is not None:
        click.echo(
            f"{session.store or session.backend}: the store holds {result.store_triples:,} triples",
            err=True,
        )


class _ReadOnly:
    """The session's graph for resolving codes only: the import goes to -o, not into memory."""

    def __init__(self, graph: Any) -> None:
        self._graph = graph
        self.backend = _NoLoad()

    def query(self, *args: Any, **kwargs: Any) -> Any:
        return self._graph.query(*args, **kwargs)


class _NoLoad:
    """A backend that loads nothing: the import only writes its ``-o`` file."""

    loads = False  # kg.importers.batches.Sink writes no batches for it

    def load(self, paths: Sequence[str]) -> None:
        return None


def _resolver(graph: Any) -> _ReadOnly:
    return _ReadOnly(graph)


@click.group("import", short_help="Bring a dataset into the graph (GDELT, Wikidata, ATOP, ACLED).")
def import_group() -> None:
    """Import a dataset, with its provenance and terms of use.

    The import streams the files (a 2 GB file needs no more memory than a small one) into
    the global --store (one transaction) and/or an N-Triples file (-o). A bad row (wrong
    column count, bad date, unknown code, bad encoding) fails the whole import with its
    file:row:column, and nothing is stored, unless --skip-bad.

    \b
    Example:
        kg import gdelt 20230919.export.CSV.zip -o out/gdelt.nt --since 2023-09-19
        kg --add out/gdelt.nt view event
        kg --store stores/world import acled acled-export.csv
    """


@import_group.command("gdelt")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, exists=True))
@click.option(
    "--mentions",
    multiple=True,
    type=click.Path(dir_okay=False, exists=True),
    help="A GDELT 2.0 mentions file (repeatable).",
)
@click.option("--since", metavar="DATE", help="Only events on or after this day (YYYY-MM-DD).")
@click.option("--until", metavar="DATE", help="Only events on or before this day (YYYY-MM-DD).")
@click.option(
    "--country",
    "countries",
    multiple=True,
    metavar="CODE",
    help="Only events with an actor of this country (CAMEO/ISO alpha-3 code, repeatable).",
)
@click.option("--root-only", is_flag=True, help="Only root events (IsRootEvent = 1).")
@_common
@pass_session
def gdelt(  # noqa: D417 - click help
    session: Session,
    files: tuple[str, ...],
    mentions: tuple[str, ...],
    since: str | None,
    until: str | None,
    countries: tuple[str, ...],
    root_only: bool,
    **common: Any,
) -> None:
    """GDELT event files: 2.0 (61 columns) or 1.0 (57/58), tab-separated, .zip accepted.

    \b
    Example:
        kg import gdelt 20230919.export.CSV -o out/gdelt.nt --country ARM --root-only
        kg import gdelt 20230919.export.CSV.zip --mentions 20230919.mentions.CSV -o out/g.nt
    """
    from kg.importers import import_gdelt

    for name, value in (("--since", since), ("--until", until)):
        _check_date(name, value)
    _run(
        session,
        import_gdelt,
        files,
        mentions=mentions,
        since=since,
        until=until,
        countries=countries,
        root_only=root_only,
        **common,
    )


def _file_command(name: str, importer: str, help_text: str) -> click.Command:
    """``kg import NAME FILE...`` for a dataset whose import takes files and nothing else."""

    @import_group.command(name, help=help_text)
    @click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, exists=True))
    @_common
    @pass_session
    def command(session: Session, files: tuple[str, ...], **common: Any) -> None:
        import kg.importers

        _run(session, getattr(kg.importers, importer), files, **common)

    return command


acled = _file_command(
    "acled",
    "import_acled",
    """ACLED CSV exports. ACLED's terms forbid redistribution: kg export and kg serve
    refuse the result unless --include-restricted.

    \b
    Example:
        kg import acled acled-2023-09.csv -o out/acled.nt --accessed 2026-11-30
    """,
)
atop = _file_command(
    "atop",
    "import_atop",
    """ATOP alliance-level and member-level CSVs (COW country codes).

    \b
    Example:
        kg import atop atop5_1a.csv atop5_1m.csv -o out/atop.nt
    """,
)


@import_group.command("wikidata")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, exists=True))
@click.option(
    "--sparql",
    metavar="URL",
    help="Ask this Wikidata-shaped SPARQL endpoint (e.g. https://query.wikidata.org/sparql).",
)
@click.option(
    "--item",
    "items",
    multiple=True,
    metavar="QID",
    help="An item to ask for (repeatable) [default: every Q-id the graph links].",
)
@click.option(
    "--rate",
    default=1.0,
    show_default=True,
    type=float,
    help="Seconds between requests to one host.",
)
@click.option(
    "--retries", default=3, show_default=True, type=int, help="Retries after 429/5xx/timeouts."
)
@_common
@pass_session
def wikidata(
    session: Session,
    files: tuple[str, ...],
    sparql: str | None,
    items: tuple[str, ...],
    rate: float,
    retries: int,
    **common: Any,
) -> None:
    """Wikidata: states, organizations, alliances, memberships with dates, treaties, heads
    of state and government, from entity JSON FILES or a SPARQL endpoint.

    \b
    Example:
        kg import wikidata Q399.json -o out/wd.nt
        kg import wikidata --sparql https://query.wikidata.org/sparql --item Q399 -o out/wd.nt
    """
    from kg.errors import BadOptionError
    from kg.importers import import_wikidata
    from kg.linking.http_client import HttpClient

    if bool(files) == bool(sparql):
        raise BadOptionError("give entity JSON FILES or --sparql URL (one of them)")
    client = HttpClient(min_interval=rate, retries=retries) if sparql else None
    _run(session, import_wikidata, files, sparql=sparql, items=items, client=client, **common)


@click.command(short_help="Facts that two sources give differently (both kept).")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@pass_session
def conflicts(session: Session, as_json: bool) -> None:
    """Facts that sources give differently, each with its source: a membership Wikidata
    dates otherwise than the article, an agreement's date ...

    \b
    Example:
        kg --add out/wd.nt conflicts
    """
    from kg.importers.conflicts import conflicts as find
    from kg.namespaces import local_name, shorten

    found = find(session.graph())
    if as_json:
        click.echo(json.dumps(found, indent=2, ensure_ascii=False))
        return
    if not found:
        click.echo("no conflicts")
    for c in found:
        click.echo(f"{c['label']} ({local_name(c['property'])}):")
        for side in ("a", "b"):
            click.echo(
                f"  {c['value_' + side]}  {shorten(c[side])}  "
                f"[source {shorten(c['source_' + side] or '-')}]"
            )


@click.command(short_help="The imported datasets: licence, terms, access date, filters.")
@pass_session
def datasets(session: Session) -> None:
    """The datasets imported into the graph, with licence, attribution and each import run.

    \b
    Example:
        kg --add out/acled.nt datasets
    """
    from kg.importers import attributions
    from kg.namespaces import shorten

    found = attributions(session.graph())
    if not found:
        click.echo("no imported datasets")
    for d in found:
        flag = "  REDISTRIBUTION RESTRICTED" if d["restricted"] else ""
        click.echo(f"{d['label']} <{shorten(d['dataset'])}>{flag}")
        click.echo(f"  licence: {d['licence']}")
        click.echo(f"  attribution: {d['attribution']}")
        for r in d["runs"]:
            click.echo(
                f"  imported {r['started']} (accessed {r['accessed']}; filters: {r['filters']})"
            )


def _check_date(name: str, value: str | None) -> None:
    from kg.errors import BadOptionError

    if value is None:
        return
    try:
        _dt.date.fromisoformat(value)
    except ValueError:
        raise BadOptionError(f"{name}: not a date (YYYY-MM-DD): {value!r}") from None


def register(group: click.Group) -> None:
    """Add ``kg import``, ``kg conflicts`` and ``kg datasets`` to the ``kg`` group.

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
    ['conflicts', 'datasets', 'import']
    """
    group.add_command(import_group)
    group.add_command(conflicts)
    group.add_command(datasets)
