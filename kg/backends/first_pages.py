"""The first page of every named query, kept at load time beside the counts.

Some named queries sort hundreds of thousands of rows by a label or a date's text before the
first row can be given, which no engine reads from an index. What a person (or the query
page) sees first is the first :data:`PAGE` rows with the query's default parameters, and
those cannot change while the store does not. So ``kg load`` asks each named query once
with its defaults and ``LIMIT 101`` and keeps the answer in the store, in the graph that
holds its VoID counts (:mod:`kg.backends.oxigraph_stats`, :mod:`kg.backends.void_stats`):

    <urn:x-kg:void#page-statements> kgs:pageOf "statements" ;
        kgs:query "<sha256 of the query text>" ; kgs:loads "<digest of the load records>" ;
        kgs:complete "partial" ; kgs:rows "{json of the rows}" .

A page is read (:func:`read_page`) only while the load records are those it was computed
for and the query's text is the same; every write kg makes drops that graph (counts and
pages alike), and a load computes the pages again. ``kgs:complete`` says whether the page is
the whole answer (fewer than 101 rows), which then serves any limit. Pages holding blank
nodes are not kept (their labels are not stable over the protocol). The rows are kept as
:mod:`kg.backends.result_codec` writes them (text, never code).
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from kg.backends.load_records import VOID_GRAPH, loaded_digests
from kg.backends.void_stats import KGS, loads_digest, stats_graph
from kg.results import QueryResult

__all__ = ["PAGE", "Page", "compute_pages", "keep_pages_in_store", "pages_ntriples", "read_page"]

#: The rows a first page holds.
PAGE = 100


@dataclass
class Page:
    """One named query's kept first page.

    Parameters
    ----------
    name:
        The query's name.
    query:
        The SHA-256 of its text.
    vars, rows:
        The answer's variables and first rows (:func:`kg.backends.result_codec.encode_result`).
    complete:
        Whether the rows are the whole answer.
    seconds:
        How long the engine took to give them.

    Returns
    -------
    Page

    Example
    -------
    >>> Page("q", "d", ["s"], [["<http://a"]], True).result(None).to_dicts()
    [{'s': 'http://a'}]
    """

    name: str
    query: str
    vars: list[str]
    rows: list[list]
    complete: bool
    seconds: float = 0.0

    def serves(self, limit: int | None) -> bool:
        """Whether the page holds the first ``limit`` rows (None: all of them)."""
        return self.complete or (limit is not None and limit <= len(self.rows))

    def result(self, limit: int | None) -> QueryResult:
        """The first ``limit`` rows (None: all the page holds) as a query result."""
        from kg.backends.result_codec import CachedResult

        rows = self.rows if limit is None else self.rows[:limit]
        return CachedResult(self.vars, rows)


def text_digest(text: str) -> str:
    """The SHA-256 of a query's text, naming the query a page answers.

    Example
    -------
    >>> text_digest("ASK {}")[:12]
    '819ea91ed5f1'
    """
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def page_iri(graph: str | None, name: str) -> str:
    """The node describing the page of query ``name`` (in the stats graph of ``graph``).

    Example
    -------
    >>> page_iri(None, "in_force_as_of")
    'urn:x-kg:void#page-in_force_as_of'
    """
    return f"{stats_graph(graph)}#page-{quote(name, safe='')}"


def compute_pages(
    backend: Any, queries: Iterable[tuple[str, str, dict[str, Any]]], size: int = PAGE
) -> list[Page]:
    """Ask each SELECT query for its first ``size`` rows (and one more, to know if there are).

    Parameters
    ----------
    backend:
        The backend to ask.
    queries:
        ``(name, text, default bindings)`` per named query.
    size:
        The page size.

    Returns
    -------
    list[Page]
        One per SELECT query the engine answered without blank nodes (a query the engine
        fails on keeps no page: asking it later gives the engine's error).

    Example
    -------
    >>> from kg.backends.memory import MemoryBackend
    >>> [p.complete for p in compute_pages(MemoryBackend(), [("q", "SELECT * {}", {})])]
    [True]
    """
    from kg.backends.result_codec import encode_result, has_blank_nodes
    from kg.backends.sparql_text import query_form, with_limit
    from kg.canonical import canonical_result
    from kg.errors import KgError

    pages = []
    for name, text, bindings in queries:
        if query_form(text) != "SELECT":
            continue
        start = time.perf_counter()
        try:
            answer = canonical_result(backend.query(with_limit(text, size + 1), bindings), text)
        except (KgError, RuntimeError, OSError, ValueError):
            # the data is loaded by now: a query the engine fails on keeps no page (asked
            # later, it gives the engine's error), and the load stands
            continue
        encoded = encode_result(answer)
        seconds = time.perf_counter() - start
        if has_blank_nodes(encoded):
            continue
        rows = encoded["rows"]
        page = Page(name, text_digest(text), encoded["vars"], rows[:size], len(rows) <= size)
        page.seconds = seconds
        pages.append(page)
    return pages


def _literal(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def pages_ntriples(pages: Iterable[Page], graph: str | None, loads: str) -> str:
    """The N-Triples keeping ``pages`` for the loads ``loads`` (:func:`loads_digest`).

    Example
    -------
    >>> text = pages_ntriples([Page("q", "d", ["s"], [], True)], None, "l")
    >>> text.count("\\n"), '"complete"' in text
    (5, True)
    """
    lines = []
    for page in pages:
        node = f"<{page_iri(graph, page.name)}>"
        rows = json.dumps({"vars": page.vars, "rows": page.rows}, ensure_ascii=True)
        lines += [
            f"{node} <{KGS}pageOf> {_literal(page.name)} .",
            f"{node} <{KGS}query> {_literal(page.query)} .",
            f"{node} <{KGS}loads> {_literal(loads)} .",
            f"{node} <{KGS}complete> {_literal('complete' if page.complete else 'partial')} .",
            f"{node} <{KGS}rows> {_literal(rows)} .",
        ]
    return "".join(line + "\n" for line in lines)


def _page_from(values: dict[str, str], name: str, text: str, loads: str) -> Page | None:
    """The page described by ``values`` (predicate -> object), if current."""
    if values.get(f"{KGS}query") != text_digest(text) or values.get(f"{KGS}loads") != loads:
        return None
    try:
        rows = json.loads(values[f"{KGS}rows"])
        complete = values[f"{KGS}complete"] == "complete"
        return Page(name, values[f"{KGS}query"], rows["vars"], rows["rows"], complete)
    except (KeyError, TypeError, ValueError):  # not what pages_ntriples wrote: not a page
        return None


def _oxigraph_values(store: Any, name: str) -> tuple[dict[str, str], str]:
    import pyoxigraph as ox

    node, graph = ox.NamedNode(page_iri(None, name)), ox.NamedNode(VOID_GRAPH)
    values = {
        q.predicate.value: q.object.value for q in store.quads_for_pattern(node, None, None, graph)
    }
    return values, loads_digest(loaded_digests(store)) if values else ""


def _remote_values(backend: Any, name: str) -> tuple[dict[str, str], str]:
    from kg.backends.remote_writes import held_digests

    node = f"<{page_iri(backend.graph, name)}>"
    query = f"SELECT ?p ?o WHERE {{ GRAPH <{stats_graph(backend.graph)}> {{ {node} ?p ?o }} }}"
    values = {p.value: o.value for p, o in backend._select_values(query, False)}
    return values, loads_digest(held_digests(backend)) if values else ""


def read_page(backend: Any, name: str, text: str, limit: int | None) -> QueryResult | None:
    """The kept first ``limit`` rows of query ``name`` (asked with its defaults), if current.

    Parameters
    ----------
    backend:
        An on-disk Oxigraph store or a remote endpoint (others keep no pages).
    name, text:
        The named query; a page kept for another text is not read.
    limit:
        The rows wanted (None: all; served only when the page is the whole answer).

    Returns
    -------
    QueryResult or None
        None when no current page holds the rows asked for: ask the engine.

    Example
    -------
    >>> from kg.backends.memory import MemoryBackend
    >>> read_page(MemoryBackend(), "statements", "SELECT * {}", 10) is None
    True
    """
    kind = getattr(backend, "kind", None)
    if kind == "oxigraph" and getattr(backend, "path", None) and backend.store is not None:
        values, loads = _oxigraph_values(backend.store, name)
    elif kind == "remote":
        values, loads = _remote_values(backend, name)
    else:
        return None
    page = _page_from(values, name, text, loads) if values else None
    if page is None or not page.serves(limit):
        return None
    return page.result(limit)


def keep_pages_in_store(
    folder: Any, queries: list[tuple[str, str, dict[str, Any]]], size: int = PAGE
) -> list[Page]:
    """Compute and keep the first pages in the on-disk Oxigraph store at ``folder``.

    Only a store whose counts ``kg load`` kept (and that are current) keeps pages, in the
    same graph, so any write drops both; pages already current are not asked again.

    Parameters
    ----------
    folder:
        The store folder (no other handle may be open on it).
    queries:
        ``(name, text, default bindings)`` per named query.
    size:
        The page size.

    Returns
    -------
    list[Page]
        The pages computed now (with the seconds each took).

    Example
    -------
    >>> import tempfile
    >>> keep_pages_in_store(tempfile.mkdtemp(), [("q", "SELECT * {}", {})])  # no counts
    []
    """
    import pyoxigraph as ox

    from kg.backends.oxigraph import OxigraphBackend
    from kg.backends.oxigraph_stats import stored_counts

    backend = OxigraphBackend(folder)
    try:
        store = backend.store
        if stored_counts(store) is None:
            return []
        loads = loads_digest(loaded_digests(store))
        todo = [
            (name, text, bindings)
            for name, text, bindings in queries
            if _page_from(_oxigraph_values(store, name)[0], name, text, loads) is None
        ]
        pages = compute_pages(backend, todo, size)
        for quad in [q for name, _, _ in todo for q in _quads_of(store, name)]:
            store.remove(quad)  # a stale page goes, whether or not a new one is kept
        text = pages_ntriples(pages, None, loads)
        store.load(text, ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(VOID_GRAPH))
        return pages
    finally:
        backend.close()


def _quads_of(store: Any, name: str) -> list[Any]:
    import pyoxigraph as ox

    node, graph = ox.NamedNode(page_iri(None, name)), ox.NamedNode(VOID_GRAPH)
    return list(store.quads_for_pattern(node, None, None, graph))
