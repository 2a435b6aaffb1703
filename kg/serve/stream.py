"""Run a checked query and read no more of its answer than the row cap needs.

Both embedded engines produce solutions lazily; reading ``max_rows + 1`` of them and no
more keeps a query over a large store from materialising every row (and every triple of
a CONSTRUCT) before the cap is applied. One row past the cap says that there were more.
Other backends (a remote endpoint) answer through ``KnowledgeGraph.query``.
"""

from __future__ import annotations

from itertools import islice
from typing import Any

from kg.results import QueryResult

__all__ = ["capped_query"]


def capped_query(graph: Any, text: str, max_rows: int, prepared: Any = None) -> QueryResult:
    """Run ``text`` on ``graph`` and keep at most ``max_rows + 1`` rows or triples.

    Parameters
    ----------
    graph:
        A ``KnowledgeGraph`` (or a backend).
    text:
        The canonical query text (see :mod:`kg.serve.canonical`).
    max_rows:
        The row cap.
    prepared:
        rdflib's parse of ``text`` (the guard's), so the memory backend does not parse again.

    Returns
    -------
    QueryResult

    Example
    -------
    >>> from kg.backends.oxigraph import OxigraphBackend
    >>> b = OxigraphBackend()
    >>> b.update("INSERT DATA { <http://a> <http://p> 1, 2, 3, 4 }")
    >>> len(capped_query(b, "SELECT ?o { ?s ?p ?o }", 2).rows)
    3
    """
    backend = getattr(graph, "backend", graph)
    kind = getattr(backend, "kind", "")
    if kind == "oxigraph" and getattr(backend, "store", None) is not None:
        return _oxigraph(backend.store, text, max_rows)
    if kind == "memory" and hasattr(backend, "graph"):
        return _rdflib(backend.graph, text if prepared is None else prepared, max_rows)
    return graph.query(text)


def _oxigraph(store: Any, text: str, max_rows: int) -> QueryResult:
    import pyoxigraph as ox

    from kg.backends.oxconvert import OxQueryResult, triples_to_graph
    from kg.backends.oxigraph import sparql_error

    try:
        answer = store.query(text)
    except SyntaxError as exc:
        raise sparql_error(exc) from None
    if isinstance(answer, ox.QueryBoolean):
        return QueryResult("ASK", boolean=bool(answer))
    if isinstance(answer, ox.QuerySolutions):
        names = [v.value for v in answer.variables]
        return OxQueryResult(names, [tuple(s) for s in islice(answer, max_rows + 1)])
    return QueryResult("CONSTRUCT", graph=triples_to_graph(islice(answer, max_rows + 1)))


def _rdflib(rdf: Any, query: Any, max_rows: int) -> QueryResult:
    from rdflib import Graph
    from rdflib.plugins.sparql.sparql import SPARQLError

    from kg.errors import KgError

    try:
        result = rdf.query(query)
        if result.type == "ASK":
            return QueryResult("ASK", boolean=bool(result.askAnswer))
        if result.type in ("CONSTRUCT", "DESCRIBE"):
            graph = Graph()
            for triple in islice(result.graph, max_rows + 1):
                graph.add(triple)
            return QueryResult("CONSTRUCT", graph=graph)
        names = [str(v) for v in result.vars]
        rows = [tuple(row) for row in islice(result, max_rows + 1)]
        return QueryResult("SELECT", names, rows)
    except SPARQLError as exc:
        raise KgError(f"SPARQL evaluation error: {exc}") from None
