"""``kg query`` (run a named query, a query file or standard input) and ``kg queries``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kg.cli.session import Session, pass_session

__all__ = ["queries", "query", "register"]

#: The --format choices (kept here, not imported from kg.results, so --help stays fast).
FORMATS = ["table", "csv", "json", "sparql-json", "turtle", "nt"]


@click.command(short_help="Run a named query, a .rq file or SPARQL from stdin.")
@click.argument("source", metavar="NAME|FILE|-")
@click.option(
    "--param",
    "-p",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="Bind ?NAME to VALUE (repeatable), checked against the type the query declares "
    "(see kg queries). Untyped: <http://...> or kgr:X is an IRI; numbers and YYYY-MM-DD "
    "dates are typed; anything else is a string.",
)
@click.option(
    "--format",
    "-f",
    "fmt",
    type=click.Choice(FORMATS),
    default="table",
    show_default=True,
    help="Output format; turtle and nt are for CONSTRUCT queries.",
)
@click.option(
    "--limit",
    type=click.IntRange(min=1),
    metavar="N",
    help="Print the first N rows only (a named query with its defaults: read from the first "
    "page kg load kept, while the store is unchanged).",
)
@pass_session
def query(
    session: Session, source: str, params: tuple[str, ...], fmt: str, limit: int | None
) -> None:
    """Run a named query (see `kg queries`), a .rq file, or SPARQL from standard input.

    Values given with --param are bound as SPARQL values, never pasted into the query.

    \b
    Example:
        kg query alliance_memberships
        kg query statements --param speaker=kgr:MariaZakharova --format csv
        kg query my_question.rq -p since=2020-09-27
        kg --store stores/world query in_force_as_of --limit 100
        echo 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }' | kg query -
    """
    from kg.backends.sparql_text import query_form
    from kg.cli.params import parse_params
    from kg.queries import NamedQuery, find_query
    from kg.results_format import format_result

    bindings = parse_params(params)
    if source == "-":
        named = NamedQuery("stdin", Path("<stdin>"), sys.stdin.read())
    else:
        named = find_query(source, session.project.queries)
    named.check_bindings(bindings)  # a value not of its declared type fails before loading
    if fmt == "csv" and limit is None and query_form(named.text) == "SELECT":
        from kg.results_stream import write_csv  # rows written as they arrive

        write_csv(session.graph(), named, bindings, sys.stdout)
        return
    result = session.graph().first_rows(named, limit, **bindings)
    click.echo(format_result(result, fmt).rstrip("\n"))


@click.command(short_help="List the named queries and their questions.")
@pass_session
def queries(session: Session) -> None:
    """List the named queries (ontology/queries/*.rq) with the question each answers.

    \b
    Example:
        kg queries
        kg query NAME          # run one of them
    """
    from kg.errors import MissingFileError
    from kg.queries import list_queries, where

    found = list_queries(session.paths.queries)
    if not found:
        raise MissingFileError(
            f"no named queries in {where(session.paths.queries)} ({session.project.describe()}); "
            "add .rq files to the project's ontology/queries/, or point --root/KG_ROOT elsewhere"
        )
    width = max(len(q.name) for q in found)
    for q in found:
        click.echo(f"{q.name.ljust(width)}  {q.question or '(no question given)'}")
        for name, description in q.params:
            value = (q.param_type(name) or "value").upper()
            click.echo(f"{'':{width}}    --param {name}={value}  {description}".rstrip())


def register(group: click.Group) -> None:
    """Add ``query`` and ``queries`` to the ``kg`` group.

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
    ['queries', 'query']
    """
    group.add_command(query)
    group.add_command(queries)
