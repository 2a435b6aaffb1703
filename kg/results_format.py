"""The formats a query result is printed in: a text table, CSV, JSON, SPARQL JSON, RDF.

The formatters are plain functions of a :class:`kg.results.QueryResult`; :func:`format_result`
picks one by name (the ``--format`` option of ``kg query``).
"""

from __future__ import annotations

import csv
import datetime
import decimal
import io
import json
from collections.abc import Callable
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef  # noqa: F401 - Literal: the examples use it
from rdflib.term import Node

from kg.errors import BadOptionError
from kg.namespaces import bind_prefixes, shorten
from kg.results import QueryResult

__all__ = [
    "display",
    "format_csv",
    "format_graph",
    "format_json",
    "format_result",
    "format_sparql_json",
    "format_table",
]


def display(term: Node | None, width: int | None = None) -> str:
    """Write a term for a person: prefixed names for IRIs, bare text for literals.

    Parameters
    ----------
    term:
        The term, or ``None`` (an empty cell).
    width:
        Cut the text to this many characters, ending with an ellipsis.

    Returns
    -------
    str

    Example
    -------
    >>> display(URIRef("https://w3id.org/kg-ir/resource/Armenia"))
    'kgr:Armenia'
    >>> display(Literal("a rather long quotation"), width=10)
    'a rather …'
    """
    if term is None:
        text = ""
    elif isinstance(term, URIRef):
        text = shorten(term)
    elif isinstance(term, BNode):
        text = f"_:{term}"
    else:
        text = " ".join(str(term).split())
    if width is not None and len(text) > width:
        text = text[: max(width - 1, 0)] + "…"
    return text


def format_table(result: QueryResult, max_width: int = 60) -> str:
    """Format a result as an aligned text table.

    Parameters
    ----------
    result:
        Any result; an ASK answer prints as ``yes``/``no``; a CONSTRUCT graph as Turtle.
    max_width:
        Cells longer than this are cut with an ellipsis.

    Returns
    -------
    str
        The table, ending with a line giving the row count.

    Example
    -------
    >>> r = QueryResult("SELECT", ["state", "n"],
    ...     [(URIRef("https://w3id.org/kg-ir/resource/Armenia"), Literal(3))])
    >>> print(format_table(r))
    state        n
    -----------  -
    kgr:Armenia  3
    (1 row)
    """
    if result.kind == "ASK":
        return "yes" if result.boolean else "no"
    if result.kind == "CONSTRUCT":
        return format_graph(result, "turtle")
    names, rows = result.tabular()
    cells = [[display(t, max_width) for t in row] for row in rows]
    widths = [max([len(n)] + [len(r[i]) for r in cells]) for i, n in enumerate(names)]

    def line(values: list[str]) -> str:
        return "  ".join(v.ljust(w) for v, w in zip(values, widths, strict=True)).rstrip()

    out = [line(names), line(["-" * w for w in widths])]
    out += [line(r) for r in cells]
    out.append(f"({len(rows)} row{'' if len(rows) == 1 else 's'})")
    return "\n".join(out)


def format_csv(result: QueryResult) -> str:
    """Format a result as CSV (full IRIs, literal text), as in SPARQL 1.1 CSV results.

    Parameters
    ----------
    result:
        Any result; CONSTRUCT graphs give subject,predicate,object rows.

    Returns
    -------
    str

    Example
    -------
    >>> print(format_csv(QueryResult("SELECT", ["s", "x"], [(URIRef("http://a"), None)])), end="")
    s,x
    http://a,
    """
    names, rows = result.tabular()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(names)
    for row in rows:
        writer.writerow(
            ["" if t is None else f"_:{t}" if isinstance(t, BNode) else str(t) for t in row]
        )
    return buffer.getvalue()


def format_json(result: QueryResult) -> str:
    """Format a result as a JSON list of objects with plain values (see ``to_dicts``).

    Parameters
    ----------
    result:
        Any result; an ASK answer prints as ``true``/``false``.

    Returns
    -------
    str

    Example
    -------
    >>> print(format_json(QueryResult("SELECT", ["n"], [(Literal(2),)])))
    [
      {
        "n": 2
      }
    ]
    """
    if result.kind == "ASK":
        return json.dumps(bool(result.boolean))
    return json.dumps(result.to_dicts(), indent=2, ensure_ascii=False, default=_json_default)


def _json_default(value: Any) -> Any:
    """Write the Python values of literals that ``json`` does not know."""
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return str(value)


def format_sparql_json(result: QueryResult) -> str:
    """Format a result as W3C SPARQL 1.1 Query Results JSON.

    Parameters
    ----------
    result:
        Any result; CONSTRUCT graphs give subject/predicate/object bindings.

    Returns
    -------
    str

    Example
    -------
    >>> print(format_sparql_json(QueryResult("ASK", boolean=True)))
    {"head": {}, "boolean": true}
    >>> r = QueryResult("SELECT", ["x"], [(Literal("hi", lang="en"),)])
    >>> json.loads(format_sparql_json(r))["results"]["bindings"]
    [{'x': {'type': 'literal', 'value': 'hi', 'xml:lang': 'en'}}]
    """
    if result.kind == "ASK":
        return json.dumps({"head": {}, "boolean": bool(result.boolean)})
    names, rows = result.tabular()
    bindings = [
        {name: _sparql_json_term(t) for name, t in zip(names, row, strict=True) if t is not None}
        for row in rows
    ]
    document = {"head": {"vars": names}, "results": {"bindings": bindings}}
    return json.dumps(document, indent=2, ensure_ascii=False)


def _sparql_json_term(term: Node) -> dict[str, str]:
    """One RDF term in SPARQL JSON results form."""
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    out = {"type": "literal", "value": str(term)}
    assert isinstance(term, Literal)  # the only term left
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype:
        out["datatype"] = str(term.datatype)
    return out


def format_graph(result: QueryResult, fmt: str = "turtle") -> str:
    """Serialize the graph of a CONSTRUCT result (``turtle`` or ``nt``), with our prefixes.

    Parameters
    ----------
    result:
        A CONSTRUCT result.
    fmt:
        ``"turtle"``/``"ttl"`` or ``"nt"``.

    Returns
    -------
    str

    Example
    -------
    >>> g = Graph(); _ = g.add((URIRef("http://a"), URIRef("http://b"), Literal(1)))
    >>> print(format_graph(QueryResult("CONSTRUCT", graph=g), "nt").strip())
    <http://a> <http://b> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .
    """
    if result.kind != "CONSTRUCT":
        raise BadOptionError(f"format {fmt} is for CONSTRUCT queries; this is a {result.kind}")
    graph = bind_prefixes(Graph())
    graph += result.graph or Graph()
    return graph.serialize(format="turtle" if fmt in ("turtle", "ttl") else "nt")


#: format name -> formatter, for ``kg query --format``.
FORMATTERS: dict[str, Callable[[QueryResult], str]] = {
    "table": format_table,
    "csv": format_csv,
    "json": format_json,
    "sparql-json": format_sparql_json,
    "turtle": lambda r: format_graph(r, "turtle"),
    "nt": lambda r: format_graph(r, "nt"),
}


def format_result(result: QueryResult, fmt: str = "table") -> str:
    """Format ``result`` in the format named ``fmt`` (a key of :data:`FORMATTERS`).

    Parameters
    ----------
    result:
        The result to print.
    fmt:
        ``table``, ``csv``, ``json``, ``sparql-json``; ``turtle`` or ``nt`` for CONSTRUCT.

    Returns
    -------
    str

    Example
    -------
    >>> format_result(QueryResult("ASK", boolean=False), "json")
    'false'
    >>> format_result(QueryResult("ASK", boolean=False), "yaml")
    Traceback (most recent call last):
    ...
    kg.errors.BadOptionError: unknown format 'yaml' (known: table, csv, json, sparql-json, ...)
    """
    try:
        formatter = FORMATTERS[fmt]
    except KeyError:
        known = ", ".join(FORMATTERS)
        raise BadOptionError(f"unknown format {fmt!r} (known: {known})") from None
    return formatter(result)
