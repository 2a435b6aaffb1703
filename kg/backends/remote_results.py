"""Reading a remote endpoint's SELECT answer as it arrives, and refusing a cut one.

The answer's format is what the endpoint says it sent (W3C TSV, SPARQL XML with any blank
node label accepted, or JSON), parsed by pyoxigraph while the bytes arrive. Virtuoso cuts
every answer at its ``ResultSetMaxRows`` (10,000 by default) without an error: it only adds
an ``X-SPARQL-MaxRows: N`` header, and does so whenever the answer has N rows, complete or
not. :func:`check_row_cap` tells the two apart (the query's own ``LIMIT``, else one count of
the full answer) and refuses a cut answer in one line rather than hand out part of it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pyoxigraph as ox

from kg.backends.endpoint_http import EndpointError
from kg.backends.result_formats import (
    BnodeLabelFilter,
    ChunkReader,
    accept_for,
    graph_format_of,
    media_type,
    results_format,
    tsv_is_standard,
)
from kg.backends.sparql_text import count_query, top_limit

__all__ = ["check_row_cap", "fetch_graph", "read_solutions", "row_cap"]


def row_cap(headers: httpx.Headers) -> int | None:
    """The row cap an answer says it reached (Virtuoso's ``X-SPARQL-MaxRows``), if any.

    Example
    -------
    >>> row_cap(httpx.Headers({"X-SPARQL-MaxRows": "10000"}))
    10000
    >>> row_cap(httpx.Headers({})) is None
    True
    """
    value = headers.get("x-sparql-maxrows", "").strip()
    return int(value) if value.isdigit() else None


def check_row_cap(
    headers: httpx.Headers, text: str, count: Callable[[str], int], endpoint: str
) -> None:
    """Raise when the endpoint cut this SELECT's answer at its row cap.

    Parameters
    ----------
    headers:
        The answer's headers.
    text:
        The query sent.
    count:
        Runs a counting query, returns the count (asked only when the answer hit the cap).
    endpoint:
        For the message.

    Raises
    ------
    EndpointError
        ``the endpoint cut the answer at N of M rows ...``.

    Example
    -------
    >>> h = httpx.Headers({"X-SPARQL-MaxRows": "5"})
    >>> check_row_cap(h, "SELECT ?s { ?s ?p ?o } LIMIT 5", None, "http://h/sparql")
    >>> check_row_cap(h, "SELECT ?s { ?s ?p ?o }", lambda q: 5, "http://h/sparql")
    >>> check_row_cap(h, "SELECT ?s { ?s ?p ?o }", lambda q: 12, "http://h/sparql")
    Traceback (most recent call last):
    ...
    kg.backends.endpoint_http.EndpointError: http://h/sparql: the endpoint cut the answer at 5 \
of 12 rows (Virtuoso's ResultSetMaxRows): raise ResultSetMaxRows in the [SPARQL] section of \
virtuoso.ini, or ask for fewer rows (LIMIT)
    """
    cap = row_cap(headers)
    if cap is None:
        return
    limit = top_limit(text)
    if limit is not None and limit <= cap:
        return  # the query's own LIMIT ended the answer
    total = count(count_query(text))
    if total > cap:
        raise EndpointError(
            f"the endpoint cut the answer at {cap:,} of {total:,} rows (Virtuoso's "
            "ResultSetMaxRows): raise ResultSetMaxRows in the [SPARQL] section of "
            "virtuoso.ini, or ask for fewer rows (LIMIT)",
            path=endpoint,
        )


def read_solutions(
    response: httpx.Response, endpoint: str, tsv_known: dict[str, bool]
) -> tuple[list[str], Iterator[tuple]]:
    """The variable names and the rows (pyoxigraph terms) of a SELECT answer, as it arrives.

    Parameters
    ----------
    response:
        The streamed answer.
    endpoint:
        For messages, and the key of ``tsv_known``.
    tsv_known:
        Endpoint -> whether its TSV is the W3C format; set to False when it is not.

    Returns
    -------
    tuple of (list[str], Iterator[tuple])

    Raises
    ------
    EndpointError
        An answer in another format, or one that cannot be read (also while rows are read).
    """
    content_type = response.headers.get("content-type", "")
    fmt = results_format(content_type)
    if fmt is None:
        raise EndpointError(
            f"the endpoint answered SELECT results as {media_type(content_type)!r}",
            path=endpoint,
        )
    xml = fmt == ox.QueryResultsFormat.XML
    reader = ChunkReader(response.iter_bytes(), BnodeLabelFilter() if xml else None)
    if fmt == ox.QueryResultsFormat.TSV and not tsv_is_standard(reader.peek_line()):
        tsv_known[endpoint] = False
        raise EndpointError("the endpoint's TSV is not the W3C format", path=endpoint)
    try:
        solutions: Any = ox.parse_query_results(reader, fmt)  # type: ignore[arg-type]
    except SyntaxError as exc:
        raise EndpointError(f"unreadable {fmt.name}: {exc}", path=endpoint) from None
    return [v.value for v in solutions.variables], _rows(solutions, fmt, endpoint)


def _rows(solutions: Any, fmt: Any, endpoint: str) -> Iterator[tuple]:
    try:
        for solution in solutions:
            yield tuple(solution)
    except SyntaxError as exc:
        raise EndpointError(f"unreadable {fmt.name}: {exc}", path=endpoint) from None


def fetch_graph(backend: Any) -> ox.Store:
    """Copy the endpoint's default graph (or ``backend.graph``) into an in-memory store.

    Parameters
    ----------
    backend:
        A :class:`kg.backends.remote.RemoteBackend`.

    Returns
    -------
    pyoxigraph.Store

    Raises
    ------
    EndpointError
        Also when the endpoint cut the graph at its row cap.
    """
    text = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {backend._pattern()} }}"
    headers = {"Accept": accept_for("CONSTRUCT")}
    answer = backend._post(backend.endpoint, data=backend._form(text), headers=headers)
    store = ox.Store()
    store.load(answer.content, graph_format_of(answer.headers.get("content-type", "")))
    # Virtuoso cuts a CONSTRUCT at its row cap too, there without the header (its cap + 1
    # triples): the graph's own count tells; without a graph only the header does (the
    # union of all graphs may hold a triple twice)
    capped = row_cap(answer.headers) is not None
    if (capped or backend.graph is not None) and len(store) < (total := len(backend)):
        cut = f"the endpoint cut the graph at {len(store):,} of {total:,} triples"
        raise EndpointError(f"{cut} (Virtuoso's ResultSetMaxRows?)", path=backend.endpoint)
    return store
