"""A query's rows written out as they arrive, not built in memory first.

``kg query NAME --format csv`` goes through :func:`write_csv`: rows come from
:func:`kg.backends.streaming.select_rows` (parsed while the endpoint sends them, or as
Oxigraph finds them), are normalised one by one as named queries are everywhere
(:mod:`kg.canonical`) and written at once, so the first lines of a large answer appear
before the last ones are computed, and memory does not grow with the answer. The lines
are those :func:`kg.results_format.format_csv` writes for the whole result.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from typing import Any, TextIO

from rdflib import BNode

__all__ = ["write_csv"]


def write_csv(graph: Any, query: Any, bindings: Mapping[str, Any], out: TextIO) -> int:
    """Run a SELECT named query and write its answer to ``out`` as CSV, row by row.

    Parameters
    ----------
    graph:
        A :class:`kg.graph.KnowledgeGraph`.
    query:
        A :class:`kg.queries.NamedQuery` holding a SELECT.
    bindings:
        Its parameters, checked and completed as :meth:`KnowledgeGraph.run_query` does.
    out:
        A text stream.

    Returns
    -------
    int
        The number of rows written.

    Example
    -------
    >>> import io, kg
    >>> from kg.queries import get_query
    >>> out = io.StringIO()
    >>> graph = kg.load()
    >>> write_csv(graph, get_query("alliance_memberships"), {}, out) > 5
    True
    >>> out.getvalue().splitlines()[0].split(",")[:2]
    ['state', 'stateLabel']
    """
    from kg.backends.oxconvert import to_rdflib
    from kg.backends.streaming import select_rows
    from kg.canonical import canonical_rows
    from kg.errors import KgError

    terms = graph.query_bindings(query, dict(bindings))
    writer = csv.writer(out, lineterminator="\n")
    count = 0
    memo: dict = {}
    try:
        with select_rows(graph.backend, query.text, terms) as (names, rows):
            writer.writerow(names)
            converted = (tuple(_rdflib(t, memo, to_rdflib) for t in row) for row in rows)
            for row in canonical_rows(names, converted, query.text):
                writer.writerow([_cell(t) for t in row])
                count += 1
                if count % 1000 == 0:
                    out.flush()
    except KgError as exc:
        raise (exc.at(query.path) if exc.path is None else exc) from None
    return count


def _rdflib(term: Any, memo: dict, convert: Any) -> Any:
    """An rdflib term from a pyoxigraph one (rdflib terms pass through)."""
    if term is None or not type(term).__module__.startswith("pyoxigraph"):
        return term
    return convert(term, memo)


def _cell(term: Any) -> str:
    if term is None:
        return ""
    return f"_:{term}" if isinstance(term, BNode) else str(term)
