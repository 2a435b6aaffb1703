"""The engines that scripts/bench.py compares, and the timing loops run in its workers.

Each engine runs in its own worker process (``bench.py --worker NAME``) so that its peak
memory can be read; ``run_pair`` runs two engines in one process, alternating their runs,
for the ratios the goals are judged on.
"""

from __future__ import annotations

import gc
import resource
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PREFIXES = """PREFIX kg: <https://w3id.org/kg-ir/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""
# statement -> speaker -> membership -> alliance: about 64k rows at 1M triples
JOIN = (
    PREFIXES
    + """SELECT ?statement ?speaker ?alliance WHERE {
  ?statement kg:speaker ?speaker . ?membership kg:member ?speaker ; kg:organization ?alliance }"""
)
AGGREGATION = (
    PREFIXES
    + """SELECT ?speaker (COUNT(?statement) AS ?n) WHERE {
  ?statement kg:speaker ?speaker } GROUP BY ?speaker ORDER BY DESC(?n)"""
)

LOCAL = ["rdflib", "kg-memory", "kg-oxigraph", "kg-oxigraph.rows", "pyoxigraph"]
REMOTE = ["http-tsv", "kg-remote"]


def view_cases() -> dict[str, Callable]:
    """Hook for view building: name -> function(engine) that builds a view and returns it.

    ``engine.kg`` is the KnowledgeGraph of the kg engines, ``engine.graph`` the rdflib
    Graph of the rdflib engine (for ``rdflib_to_networkx_multidigraph``); a function may
    return ``NotImplemented`` for an engine it does not apply to. Empty until the views
    module provides its cases.
    """
    return {}


# -- engines (run inside a worker process) ------------------------------------------------


class Engine:
    """One way of loading the files and running SELECT queries, materializing every row."""

    def load(self, files: list[Path]) -> int:
        raise NotImplementedError

    def select(self, sparql: str) -> int:
        raise NotImplementedError


class RdflibEngine(Engine):
    def load(self, files):
        from rdflib import Graph

        from kg.backends.rdflib_fixes import apply_rdflib_fixes
        from kg.parsing import guess_format

        apply_rdflib_fixes()  # the same rdflib as kg's memory backend runs (GROUP_CONCAT fix)

        self.graph = Graph()
        for file in files:
            self.graph.parse(file, format=guess_format(file))
        return len(self.graph)

    def select(self, sparql):
        return len(list(self.graph.query(sparql)))


class KgEngine(Engine):
    def __init__(self, kind: str, rows: bool = False, **options):
        self.kind, self.rows, self.options = kind, rows, options

    def load(self, files):
        from kg.backends import open_backend
        from kg.graph import KnowledgeGraph

        backend = open_backend(self.kind, **self.options)
        if self.kind != "remote":
            backend.load(files)
        self.kg = KnowledgeGraph(backend)
        return len(backend)

    def select(self, sparql):
        result = self.kg.query(sparql)
        if self.rows or not hasattr(result, "raw_rows"):
            return len(result.rows)
        return len(result.raw_rows())


class PyoxigraphEngine(Engine):
    def load(self, files):
        import pyoxigraph as ox

        from kg.backends.oxigraph_load import rdf_format

        self.store = ox.Store()
        for file in files:
            self.store.bulk_load(path=str(file), format=rdf_format(file))
        return len(self.store)

    def select(self, sparql):
        return len([tuple(solution) for solution in self.store.query(sparql)])

    def same_data(self) -> int:
        """Add the superclass types kg's load adds (one pyoxigraph update, not timed), so that
        a paired query run reads the same triples on both engines; returns the triple count.

        kg's Oxigraph backend answers ``?x a kg:Actor`` without a reasoner because its load
        closes the class tree (:func:`kg.inference.close_oxigraph_store`); the store
        ``bulk_load`` makes holds fewer triples, and some queries' times differ with the data
        (curator_inferences at 1M: 1.8 ms on the raw files, 10 ms with the closure) whatever
        runs the query."""
        from kg.inference import close_oxigraph_store

        close_oxigraph_store(self.store)
        return len(self.store)


class HttpTsvEngine(Engine):
    """The floor for any client of an endpoint: POST, read TSV, split lines and tabs."""

    def __init__(self, endpoint: str):
        import httpx

        self.endpoint, self.client = endpoint, httpx.Client(timeout=600)

    def load(self, files):
        return -1

    def select(self, sparql):
        answer = self.client.post(
            self.endpoint,
            data={"query": sparql},
            headers={"Accept": "text/tab-separated-values"},
        )
        answer.raise_for_status()
        lines = answer.text.split("\n")
        return len([line.split("\t") for line in lines[1:] if line])


def make_engine(name: str, endpoint: str | None) -> Engine:
    return {
        "rdflib": lambda: RdflibEngine(),
        "kg-memory": lambda: KgEngine("memory"),
        "kg-oxigraph": lambda: KgEngine("oxigraph"),
        "kg-oxigraph.rows": lambda: KgEngine("oxigraph", rows=True),
        "pyoxigraph": lambda: PyoxigraphEngine(),
        "http-tsv": lambda: HttpTsvEngine(endpoint),
        "kg-remote": lambda: KgEngine("remote", endpoint=endpoint),
    }[name]()


def timed(function: Callable, *args) -> tuple[float, object]:
    started = time.perf_counter()
    value = function(*args)
    return time.perf_counter() - started, value


def warm_imports() -> None:
    """Import what the engines use before any timing: load times measure loading."""
    import httpx  # noqa: F401
    import pyoxigraph  # noqa: F401
    import rdflib  # noqa: F401

    import kg.backends.memory  # noqa: F401
    import kg.backends.oxigraph  # noqa: F401
    import kg.backends.oxigraph_load  # noqa: F401
    import kg.backends.remote  # noqa: F401
    import kg.graph  # noqa: F401


def run_worker(
    name: str, files: list[Path], repeat: int, load_repeat: int, endpoint, skip_cq: bool = False
) -> dict:
    """Load and query with one engine; return timings, row counts and peak memory.

    A case whose warm-up run takes over 2 s is timed once more, not ``repeat`` times; a
    quick one up to 31 times (about a second in all)."""
    from kg.queries import list_queries

    warm_imports()
    out: dict = {"engine": name, "load": [], "cases": {}, "rows": {}}
    engine = None
    loads = load_repeat if name not in REMOTE else 1
    for _ in range(loads):
        engine = None
        gc.collect()
        engine = make_engine(name, endpoint)
        seconds, triples = timed(engine.load, files)
        out["load"].append(seconds)
        out["triples"] = triples
    if name in REMOTE:
        out["load"] = []
    cases: dict[str, Callable[[], int]] = {
        "2-hop join": lambda: engine.select(JOIN),
        "aggregation": lambda: engine.select(AGGREGATION),
    }
    queries = [] if skip_cq else list_queries(ROOT / "ontology" / "queries")
    for query in queries:
        cases[f"cq {query.name}"] = lambda text=query.text: engine.select(text)
    for case, build in view_cases().items():
        cases[f"view {case}"] = lambda build=build: build(engine)
    for case, run in cases.items():
        warm_up, _ = timed(run)  # the first run parses, plans and fills caches
        times, rows = [], None
        # quick cases get more runs (up to 31, about 1 s), as the machine is shared
        runs = 1 if warm_up >= 2 else max(repeat, min(31, int(1.0 / max(warm_up, 1e-3))))
        for _ in range(runs):
            seconds, rows = timed(run)
            times.append(seconds)
        if rows is NotImplemented:
            continue
        out["cases"][case] = times
        out["rows"][case] = rows
    out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


PAIRS = [("kg-oxigraph", "pyoxigraph"), ("kg-remote", "http-tsv")]


def run_pair(names: list[str], files: list[Path], repeat: int, load_repeat: int, endpoint) -> dict:
    """Time two engines in one process, alternating their runs, so that both meet the same
    load of a shared machine; the goals' ratios are taken from these paired runs.

    Fair pairing: the loads are timed as each engine loads the files; then raw pyoxigraph's
    store gets the superclass types kg's load adds (:meth:`PyoxigraphEngine.same_data`,
    untimed), so both answer the same query text over the same triples. Each round runs
    the engines in turn, the first of a round alternating (ABBA), as the one run first meets
    the other's freed memory; every case runs at least 3 times (a slow one no more), and the
    row counts of the two engines must agree."""
    from kg.queries import list_queries

    warm_imports()
    remote = any(name in REMOTE for name in names)
    engines: dict[str, Engine] = {}
    loads: dict[str, list[float]] = {name: [] for name in names}
    for _ in range(1 if remote else load_repeat):
        for name in names:
            engines[name] = None
            gc.collect()
            engines[name] = make_engine(name, endpoint)
            seconds, _ = timed(engines[name].load, files)
            loads[name].append(seconds)
    triples = {}
    for name, engine in engines.items():
        if isinstance(engine, PyoxigraphEngine):
            triples[name] = engine.same_data()
        elif isinstance(engine, KgEngine) and engine.kind == "oxigraph":
            triples[name] = len(engine.kg.backend)
    texts = {"2-hop join": JOIN, "aggregation": AGGREGATION}
    for query in list_queries(ROOT / "ontology" / "queries"):
        texts[f"cq {query.name}"] = query.text
    out: dict = {
        "load": {} if remote else loads,
        "cases": {name: {} for name in names},
        "rows": {name: {} for name in names},
        "triples": triples,
    }
    for case, text in texts.items():
        warm_up = 0.0
        for name in names:
            seconds, rows = timed(engines[name].select, text)
            warm_up = max(warm_up, seconds)
            out["rows"][name][case] = rows
        runs = 3 if warm_up >= 2 else max(repeat, min(31, int(1.0 / max(warm_up, 1e-3))))
        for name in names:
            out["cases"][name][case] = []
        for run in range(runs):
            for name in names if run % 2 == 0 else names[::-1]:
                out["cases"][name][case].append(timed(engines[name].select, text)[0])
    return out
