"""``kg load``: bulk load RDF files into an on-disk Oxigraph store, or into a graph of a
remote store through the SPARQL 1.1 Graph Store Protocol, all or nothing."""

from __future__ import annotations

import sys

import click

from kg.cli.session import Session, pass_session

__all__ = ["load", "register"]


@click.command(short_help="Bulk load RDF files into an on-disk store or a remote graph.")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option(
    "--store",
    "store_path",
    metavar="PATH",
    help="The store folder (created if missing) [default: the global --store].",
)
@click.option(
    "--endpoint",
    "graph_store",
    metavar="URL",
    help="Load into a remote store instead: its Graph Store Protocol URL (Oxigraph "
    "http://HOST:7878/store, Fuseki .../DATASET/data, Virtuoso .../sparql-graph-crud-auth).",
)
@click.option(
    "--graph",
    "named_graph",
    metavar="IRI",
    help="The named graph to load into, with --endpoint [default: the global --graph].",
)
@click.option(
    "--replace", is_flag=True, help="With --endpoint: replace the graph's content (HTTP PUT)."
)
@click.option(
    "--schema/--no-schema",
    default=True,
    show_default=True,
    help="Also load the ontology and vocabularies, so the store answers kg's queries.",
)
@click.option(
    "--allow-remote-context",
    is_flag=True,
    help="Let JSON-LD files name remote @context URLs (kg fetches them, bounded); "
    "refused by default: parsing fetches nothing.",
)
@click.option(
    "--first-pages/--no-first-pages",
    default=True,
    show_default=True,
    help="Keep each named query's first 100 rows (default parameters) beside the counts, "
    "for kg query NAME --limit; this asks every named query once after the load, which on "
    "millions of triples can take longer than the load itself.",
)
@click.option(
    "--progress/--no-progress",
    default=None,
    help="Show a progress bar [default: when stderr is a terminal].",
)
@pass_session
def load(
    session: Session,
    files: tuple[str, ...],
    store_path: str | None,
    graph_store: str | None,
    named_graph: str | None,
    replace: bool,
    schema: bool,
    allow_remote_context: bool,
    first_pages: bool,
    progress,
) -> None:
    """Load FILES into the Oxigraph store at PATH, all or nothing.

    Every file is parsed before the store changes: a file that fails to parse leaves the
    store as it was, and the error names the file and line. Files the store already holds
    (same bytes) are skipped, so loading again is harmless. Query the store afterwards with
    the global --store option.

    With --endpoint URL (a Graph Store Protocol URL) and --graph IRI, the files are parsed
    here, then sent to that graph in one request (user: --user, password:
    KG_ENDPOINT_PASSWORD). For files of many millions of triples use the server's own bulk
    loader (see the README, "Scale out").

    \b
    Example:
        kg load data/big.nt data/more.ttl --store stores/world
        kg load data/huge.nt --store stores/world --no-first-pages
        kg --backend oxigraph --store stores/world --data data/big.nt stats
        kg --user dba load data/triples.ttl --graph https://w3id.org/kg-ir/graph/article \\
            --endpoint http://127.0.0.1:8890/sparql-graph-crud-auth
        kg --endpoint http://127.0.0.1:8890/sparql --graph https://w3id.org/kg-ir/graph/article \\
            stats
    """
    from kg.parse_safety import remote_contexts_allowed

    with remote_contexts_allowed(allow_remote_context):
        pages = _page_queries(session) if first_pages else []
        _load(
            session, files, store_path, graph_store, named_graph, replace, schema, pages, progress
        )


def _load(
    session: Session,
    files: tuple[str, ...],
    store_path: str | None,
    graph_store: str | None,
    named_graph: str | None,
    replace: bool,
    schema: bool,
    pages: list[tuple[str, str, dict]],
    progress: bool | None,
) -> None:
    """``kg load`` itself (see :func:`load`); ``pages``: the named queries whose first
    pages to keep."""
    from kg.backends.oxigraph_load import load_files
    from kg.errors import BadOptionError

    if graph_store is not None:
        from kg.backends.graph_store import load_into_graph_store

        schema_files = [*session.paths.schema_files] if schema else []
        named_graph = named_graph or session.named_graph
        report = load_into_graph_store(
            graph_store,
            [*schema_files, *files],
            named_graph,
            replace=replace,
            user=session.user,
            query_endpoint=session.endpoint,  # given: counts kept for kg stats (VoID)
            first_pages=pages,  # and the named queries' first pages
        )
        click.echo(f"{graph_store}: {report.summary()}")
        return

    target = store_path or session.store
    if not target:
        raise BadOptionError("kg load needs --store PATH, the folder of the store to load into")
    if progress is None:
        progress = sys.stderr.isatty()
    paths = [*session.paths.schema_files] if schema else []
    loaded = load_files(target, [*paths, *files], progress=progress)
    if pages:
        from kg.backends.first_pages import keep_pages_in_store

        keep_pages_in_store(target, pages)  # first pages, beside the counts
    click.echo(f"{target}: {loaded.summary()}")


def _page_queries(session: Session) -> list[tuple[str, str, dict]]:
    """``(name, text, default bindings)`` of the project's named queries."""
    from kg.queries import default_term, list_queries

    return [
        (q.name, q.text, {name: default_term(n3, q) for name, n3 in q.defaults})
        for q in list_queries(session.paths.queries)
    ]


def register(group: click.Group) -> None:
    """Add ``kg load`` to the ``kg`` group."""
    group.add_command(load)
