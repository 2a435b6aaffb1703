"""kg at scale: a large generated graph in an Oxigraph store and in a real Virtuoso.

Loads one N-Triples file (``scripts/generate.py``) and the schema into an on-disk Oxigraph
store (``kg.backends.oxigraph_load.load_files``) and into a ``virtuoso-t`` started for the run
on loopback ports (Virtuoso's bulk loader, ``ld_dir`` + ``rdf_loader_run()``, into one named graph).
As ``kg load`` does, the first page of every named query is then kept in the store
(:mod:`kg.backends.first_pages`; the time each took is the load-time cost, printed).
Then, per named query, with the rows read as they arrive (``kg.backends.streaming``): the
time to the engine's first page (``LIMIT 100``: first time, again), to the kept first page
(``KnowledgeGraph.first_rows``, checked equal to the engine's), and to all rows; and
``KnowledgeGraph.stats()``, and the ``kg stats`` command's wall time. The baseline of each
query is its time to all rows on Oxigraph in the same run; each backend runs in its own
worker process, stopped when a query passes ``--limit`` seconds.

Example:
    .venv/bin/python scripts/generate.py --triples 10M --seed 1 --profile realistic \
        -o /tmp/kgscale/world.nt
    .venv/bin/python scripts/bench_scale.py --input /tmp/kgscale/world.nt
    # again on the same loads: --oxigraph-store FOLDER, --virtuoso-url http://127.0.0.1:PORT/sparql
    # keep the first pages in a store loaded without them: --oxigraph-store FOLDER --keep-pages
    # the query page's first pages through kg serve (scripts/scale_serve.py):
    #     --serve --oxigraph-store FOLDER --limit 300
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import click

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "scripts"))

GRAPH = "https://w3id.org/kg-ir/graph/scale"
PAGE = 100
STATS_RUNS = ("stats (first)", "stats (again)")


def _rows(backend, text: str, bindings: dict) -> tuple[int, float | None, float]:
    """Rows, seconds to the PAGE-th row (None: fewer rows) and to the last one."""
    from kg.backends.streaming import select_rows

    start = time.perf_counter()
    first = None
    count = 0
    with select_rows(backend, text, bindings) as (_, rows):
        for _ in rows:
            count += 1
            if count == PAGE:
                first = time.perf_counter() - start
    return count, first, time.perf_counter() - start


def _kept(backend, query) -> tuple[dict, list]:
    """The first page through ``KnowledgeGraph.first_rows`` (the kept page when current),
    whether it was the kept one, and its rows."""
    from kg.backends.first_pages import read_page
    from kg.graph import KnowledgeGraph

    graph = KnowledgeGraph(backend)
    start = time.perf_counter()
    answer = graph.first_rows(query, PAGE)
    seconds = time.perf_counter() - start
    hit = read_page(backend, query.name, query.text, PAGE) is not None
    return {"kept": seconds, "hit": hit}, list(answer.rows)


def _time_query(backend, query, warm: bool) -> dict:
    """The kept first page, then the engine's first page as a query page asks for it
    (LIMIT pushed into the query; with ``warm``, a second time: Virtuoso keeps a compiled
    query), checked equal to the kept one, then all rows as they arrive. A line is printed
    after each step, so a query stopped on its all rows keeps its page figures."""
    from kg.backends.sparql_text import with_limit
    from kg.canonical import canonical_result
    from kg.queries import default_term

    bindings = {name: default_term(n3, query) for name, n3 in query.defaults}
    kept, kept_rows = _kept(backend, query)
    print(json.dumps({"query": query.name, "partial": True, **kept}), flush=True)
    page = with_limit(query.text, PAGE)
    cold = None
    if warm:
        _, _, cold = _rows(backend, page, bindings)
    start = time.perf_counter()
    engine = canonical_result(backend.query(page, bindings), query.text)
    seconds = time.perf_counter() - start
    figures = {**kept, "page_cold": cold, "page": seconds, "same": list(engine.rows) == kept_rows}
    print(json.dumps({"query": query.name, "partial": True, **figures}), flush=True)
    count, first, total = _rows(backend, query.text, bindings)
    return {
        "rows": count,
        **figures,
        "first": first if first is not None else total,
        "all": total,
    }


def worker(kind: str, location: str, skip: tuple[str, ...] = ()) -> None:
    """Print one JSON line per named query (but those in ``skip``), then two for stats."""
    from kg.graph import KnowledgeGraph
    from kg.queries import list_queries

    if kind == "oxigraph":
        from kg.backends.oxigraph import OxigraphBackend

        backend = OxigraphBackend(location)
    else:
        from kg.backends.remote import RemoteBackend

        backend = RemoteBackend(location, graph=GRAPH, timeout=1200)
    for query in list_queries():
        if query.name in skip:
            continue
        try:
            line = {"query": query.name, **_time_query(backend, query, kind != "oxigraph")}
        except Exception as exc:  # reported in the table, the run goes on
            line = {"query": query.name, "error": " ".join(str(exc).split())[:120]}
        print(json.dumps(line), flush=True)
    for run in STATS_RUNS:
        if run in skip:
            continue
        start = time.perf_counter()
        stats = KnowledgeGraph(backend).stats()
        seconds = time.perf_counter() - start
        line = {"query": run, "rows": stats["triples"], "first": seconds, "all": seconds}
        line.update(page_cold=seconds, page=seconds)
        print(json.dumps(line), flush=True)


def run_worker(kind: str, location: str, limit: float, log: Path | None = None) -> dict:
    """Run a worker; a query passing ``limit`` seconds is recorded as stopped, and a new
    worker goes on with the next one. Each answer is appended to ``log`` as it comes."""
    import selectors

    results: dict[str, dict] = {}
    partial: dict[str, dict] = {}
    while True:
        command = [sys.executable, __file__, "--worker", kind, "--location", location]
        for name in results:
            command += ["--skip", name]
        process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
        selector = selectors.DefaultSelector()
        selector.register(process.stdout, selectors.EVENT_READ)
        stopped = False
        while True:
            if not selector.select(timeout=limit):
                process.kill()
                stopped = True
                break
            line = process.stdout.readline()
            if not line:
                break
            answer = json.loads(line)
            if answer.pop("partial", False):  # the pages of a query whose all rows are pending
                partial[answer["query"]] = answer
                continue
            results[answer["query"]] = answer
            if log is not None:
                with open(log, "a") as out:
                    out.write(json.dumps({"backend": kind, **answer}) + "\n")
        process.wait()
        if not stopped:
            return results
        from kg.queries import list_queries

        names = [q.name for q in list_queries()] + list(STATS_RUNS)
        pending = [name for name in names if name not in results]
        if not pending:
            return results
        step = "all rows" if "page" in partial.get(pending[0], {}) else "engine page"
        stopped_at = {"error": f"{step} stopped after {limit:g} s"}
        results[pending[0]] = {"query": pending[0], **partial.get(pending[0], {}), **stopped_at}
        if log is not None:
            with open(log, "a") as out:
                out.write(json.dumps({"backend": kind, **results[pending[0]]}) + "\n")


def load_oxigraph(source: Path, folder: Path) -> tuple[str, float]:
    from kg.backends.oxigraph_load import load_files
    from kg.project import open_project

    start = time.perf_counter()
    report = load_files(folder / "oxigraph", [*open_project().schema_files, source])
    return f"{report.triples:,} triples", time.perf_counter() - start


def load_virtuoso(source: Path, buffers: int):
    from virtuoso_server import DBA_PASSWORD, DBA_USER, VirtuosoServer

    from kg.backends.graph_store import load_into_graph_store
    from kg.project import open_project

    server = VirtuosoServer(buffers=buffers, data_dirs=(str(source.parent),), timeout=1200)
    start = time.perf_counter()
    try:
        load_into_graph_store(
            server.graph_store_url,
            open_project().schema_files,
            GRAPH,
            user=DBA_USER,
            password=DBA_PASSWORD,
        )
        server.bulk_load(source.parent, source.name, GRAPH)
        # the counts kg stats reads (VoID), as `kg load --endpoint` keeps them
        load_into_graph_store(
            server.graph_store_url,
            open_project().schema_files,
            GRAPH,
            user=DBA_USER,
            password=DBA_PASSWORD,
            query_endpoint=server.query_url,
            timeout=1200,
        )
    except BaseException:
        server.stop()
        raise
    return server, time.perf_counter() - start


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value * 1000:,.0f}"


def table(results: dict[str, dict[str, dict]]) -> None:
    """Per query and backend: the engine's first page asked with LIMIT 100 (first time:
    Virtuoso only; again), the first page through ``first_rows`` (kept: read from the page
    kept at load; same: equal to the engine's page), the 100th row of the whole answer as
    it streams, all rows, and all rows vs Oxigraph's."""
    names = list(results.get("oxigraph", {}))
    for name in results.get("virtuoso", {}):
        if name not in names:
            names.append(name)
    head = f"{'query':<28} {'rows':>9}  {'backend':<9} {'page 1st ms':>11} {'page ms':>9}"
    head += f" {'kept ms':>8} {'kept?':>5} {'same':>4}"
    head += f" {'100th row ms':>12} {'all rows ms':>12} {'vs baseline':>11}"
    print(head)
    print("-" * len(head))
    for name in names:
        base = results.get("oxigraph", {}).get(name, {}).get("all")
        for kind, answers in results.items():
            row = answers.get(name, {})
            if not row:
                continue
            line = f"{name:<28} {row.get('rows', 0):>9,}  {kind:<9}"
            line += f" {_ms(row.get('page_cold')):>11} {_ms(row.get('page')):>9}"
            if "kept" in row:
                line += f" {_ms(row['kept']):>8} {'yes' if row['hit'] else 'no':>5}"
                same = {True: "yes", False: "NO"}.get(row.get("same"), "-")
                line += f" {same:>4}"
            else:
                line += f" {'-':>8} {'-':>5} {'-':>4}"
            if "error" in row:
                error = row["error"]
                if "page" not in row:  # (logs of runs before the step was named)
                    error = error.replace("all rows stopped", "engine page stopped")
                print(f"{line} {error}")
                continue
            ratio = f"{row['all'] / base:.2f}x" if base else "-"
            print(f"{line} {_ms(row['first']):>12} {_ms(row['all']):>12} {ratio:>11}")


def keep_pages(store: Path, log: Path | None) -> None:
    """Keep the first pages in ``store`` as ``kg load`` does; print what each took."""
    from kg.backends.first_pages import keep_pages_in_store
    from kg.queries import default_term, list_queries

    queries = [
        (q.name, q.text, {n: default_term(n3, q) for n, n3 in q.defaults}) for q in list_queries()
    ]
    start = time.perf_counter()
    pages = keep_pages_in_store(store, queries)
    total = time.perf_counter() - start
    for page in pages:
        print(
            f"kept page {page.name:<28} {len(page.rows):>4} rows {page.seconds:>9.1f} s", flush=True
        )
    print(f"first pages kept: {len(pages)} in {total:.1f} s", flush=True)
    if log is not None:
        with open(log, "a") as out:
            for page in pages:
                line = {"backend": "oxigraph", "keep": page.name, "seconds": page.seconds}
                out.write(json.dumps(line) + "\n")
            out.write(json.dumps({"backend": "oxigraph", "keep": "(all)", "seconds": total}) + "\n")


def stats_command(store: Path, runs: int = 3) -> list[tuple[float, float]]:
    """Wall and CPU (user + system) seconds of ``kg --store STORE stats``, ``runs`` times:
    on a machine shared by other jobs the wall time is mostly waiting for a core."""
    import resource

    seconds = []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run(
            [str(Path(sys.executable).parent / "kg"), "--store", str(store), "stats"],
            capture_output=True,
            text=True,
        )
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
        seconds.append((wall, cpu))
        if done.returncode != 0:
            raise click.ClickException(f"kg stats failed: {done.stderr.strip()}")
    return seconds


@click.command()
@click.option("--input", "source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--backends", default="oxigraph,virtuoso", show_default=True, help="Which to measure."
)
@click.option(
    "--oxigraph-store",
    type=click.Path(file_okay=False, path_type=Path),
    help="Reuse this store (already loaded with --input) instead of loading a new one.",
)
@click.option(
    "--virtuoso-url",
    metavar="URL",
    help="Reuse this Virtuoso's query URL (already loaded with --input into the graph).",
)
@click.option("--buffers", default=100_000, show_default=True, help="Virtuoso NumberOfBuffers.")
@click.option("--limit", default=600.0, show_default=True, help="Seconds one query may take.")
@click.option(
    "--log", type=click.Path(dir_okay=False, path_type=Path), help="JSON lines, as they come."
)
@click.option(
    "--table",
    "tables",
    multiple=True,
    type=click.Path(exists=True, path_type=Path),
    help="Print the table of these logs and stop.",
)
@click.option(
    "--keep-pages",
    "keep_first",
    is_flag=True,
    help="With --oxigraph-store: keep the first pages in it first (as kg load does).",
)
@click.option(
    "--serve",
    is_flag=True,
    help="With --oxigraph-store: the query page's first pages through kg serve instead.",
)
@click.option(
    "--serve-url",
    metavar="URL",
    help="With --serve: a kg serve already started on --oxigraph-store, not asked yet.",
)
@click.option("--worker", type=click.Choice(["oxigraph", "remote"]), hidden=True)
@click.option("--location", hidden=True)
@click.option("--skip", multiple=True, hidden=True)
def main(  # noqa: PLR0913 - one parameter per option
    source,
    backends,
    oxigraph_store,
    virtuoso_url,
    buffers,
    limit,
    log,
    tables,
    keep_first,
    serve,
    serve_url,
    worker,
    location,
    skip,
):
    """Load a large generated graph into Oxigraph and Virtuoso; time the named queries."""
    if worker:
        return globals()["worker"](worker, location, skip)
    if tables:
        results: dict[str, dict] = {}
        for path in tables:
            for line in path.read_text().splitlines():
                answer = json.loads(line)
                if "keep" in answer:
                    continue
                kind = "virtuoso" if answer["backend"] == "remote" else answer["backend"]
                results.setdefault(kind, {})[answer["query"]] = answer
        return table(results)
    if serve:
        from scale_serve import serve_table

        if oxigraph_store is None:
            raise click.UsageError("--serve needs --oxigraph-store (a store kg load wrote)")
        return serve_table(oxigraph_store, limit, serve_url)
    if source is None and not oxigraph_store and not (virtuoso_url and backends == "virtuoso"):
        raise click.UsageError("give --input FILE.nt (made by scripts/generate.py)")
    kinds = backends.split(",")
    folder = Path(tempfile.mkdtemp(prefix="kg-scale-", dir=source.parent if source else None))
    server = None
    try:
        results = {}
        if "oxigraph" in kinds:
            store = oxigraph_store
            if store is None:
                held, seconds = load_oxigraph(source, folder)
                store = folder / "oxigraph"
                print(f"oxigraph load: {held} in {seconds:.1f} s", flush=True)
            if oxigraph_store is None or keep_first:
                keep_pages(store, log)
            runs = ", ".join(f"{w:.2f} ({c:.2f})" for w, c in stats_command(store))
            print(f"kg --store STORE stats: {runs} s wall (CPU), 3 runs", flush=True)
            results["oxigraph"] = run_worker("oxigraph", str(store), limit, log)
        if "virtuoso" in kinds and virtuoso_url:
            results["virtuoso"] = run_worker("remote", virtuoso_url, limit, log)
        elif "virtuoso" in kinds:
            server, seconds = load_virtuoso(source, buffers)
            print(f"virtuoso bulk load: {seconds:.1f} s (NumberOfBuffers {buffers:,})", flush=True)
            results["virtuoso"] = run_worker("remote", server.query_url, limit, log)
        table(results)
    finally:
        if server is not None:
            server.stop()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
