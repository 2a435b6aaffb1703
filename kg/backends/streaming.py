"""SELECT rows as they come, from any backend: what a first page needs, without the rest.

A remote endpoint's answer is parsed while it arrives (:meth:`RemoteBackend.select`);
Oxigraph's solutions are an iterator that its engine fills as the query runs; rdflib
answers all at once. :func:`select_rows` hands out the rows of each the same way, so a
caller that shows the first 100 rows (a query page, ``head``) waits only for those.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

__all__ = ["select_rows"]


@contextmanager
def select_rows(
    backend: Any, sparql: str, bindings: Mapping[str, Any] | None = None
) -> Iterator[tuple[list[str], Iterator[tuple]]]:
    """Run a SELECT on ``backend`` and hand out its variables and rows, rows as they come.

    Parameters
    ----------
    backend:
        A :class:`~kg.backends.base.Backend` (remote and Oxigraph stream, others do not).
    sparql:
        The SELECT text.
    bindings:
        Variable name -> value, bound as everywhere in kg.

    Returns
    -------
    context manager of (list[str], Iterator[tuple])
        Rows hold the backend's own terms (pyoxigraph terms, or rdflib terms in memory).

    Raises
    ------
    SparqlSyntaxError, EndpointError
        As the backend's ``query``.

    Example
    -------
    >>> from kg.backends.oxigraph import OxigraphBackend
    >>> from kg.parsing import parse_text
    >>> b = OxigraphBackend()
    >>> _ = b.add_graph(parse_text('<http://a> <http://b> "x" , "y" .'))
    >>> with select_rows(b, "SELECT ?o WHERE { ?s ?p ?o } ORDER BY ?o") as (names, rows):
    ...     names, next(rows)[0].value
    (['o'], 'x')
    """
    if hasattr(backend, "select"):
        with backend.select(sparql, bindings) as answer:
            yield answer
        return
    if getattr(backend, "kind", "") == "oxigraph":
        from kg.backends.oxigraph import sparql_error
        from kg.backends.sparql_text import bind_variables

        try:
            solutions = backend.store.query(bind_variables(sparql, bindings))
        except SyntaxError as exc:
            raise sparql_error(exc) from None
        yield [v.value for v in solutions.variables], (tuple(s) for s in solutions)
        return
    result = backend.query(sparql, bindings)
    yield list(result.vars), iter(result.raw_rows())
