"""Write query results in the formats of the SPARQL 1.1 Protocol, cut at the row cap.

SELECT and ASK answers are handed to rdflib's result serializers (SPARQL JSON, XML, CSV,
TSV) and graphs to its RDF serializers (Turtle, N-Triples, JSON-LD, RDF/XML), so the
output follows the W3C formats exactly, whatever backend produced the
:class:`~kg.results.QueryResult`.
"""

from __future__ import annotations

from dataclasses import dataclass

from kg.results import QueryResult

__all__ = [
    "Encoded",
    "encode_result",
]


@dataclass(frozen=True)
class Encoded:
    """A serialized answer.

    Parameters
    ----------
    body:
        The bytes to send.
    media_type:
        Their media type (with ``charset`` for text types).
    truncated:
        Whether rows (or triples) were cut at the row cap.

    Returns
    -------
    Encoded

    Example
    -------
    >>> Encoded(b"{}", "application/json").truncated
    False
    """

    body: bytes
    media_type: str
    truncated: bool = False


def encode_result(result: QueryResult, media_type: str, fmt: str, max_rows: int) -> Encoded:
    """Serialize ``result`` as ``fmt``, keeping at most ``max_rows`` rows or triples.

    Parameters
    ----------
    result:
        The query's answer.
    media_type:
        The negotiated media type (see :func:`kg.serve.protocol.negotiate`).
    fmt:
        Its format name: ``json xml csv tsv`` for results, ``turtle nt json-ld xml`` for graphs.
    max_rows:
        The row cap.

    Returns
    -------
    Encoded

    Example
    -------
    >>> from rdflib import Literal, URIRef
    >>> r = QueryResult("SELECT", ["n"], [(Literal(1),), (Literal(2),), (Literal(3),)])
    >>> out = encode_result(r, "text/csv", "csv", max_rows=2)
    >>> out.body, out.truncated
    (b'n\\r\\n1\\r\\n2\\r\\n', True)
    >>> rows = [(URIRef("http://a"), Literal("a\\tb")), (None, None)]
    >>> tab = QueryResult("SELECT", ["s", "x"], rows)
    >>> encode_result(tab, "text/tab-separated-values", "tsv", 10).body.decode()
    '?s\\t?x\\n<http://a>\\t"a\\\\tb"\\n\\t\\n'
    >>> encode_result(QueryResult("ASK", boolean=True), "application/sparql-results+json",
    ...               "json", 10).body
    b'{"head": {}, "boolean": true}'
    """
    if result.kind == "CONSTRUCT":
        return _encode_graph(result, media_type, fmt, max_rows)
    from rdflib import Variable
    from rdflib.query import Result

    answer = Result(result.kind)
    truncated = False
    if result.kind == "ASK" and fmt in ("csv", "tsv"):
        # The W3C CSV/TSV formats define no boolean; this is Apache Jena's convention.
        value = "true" if result.boolean else "false"
        text = f"_askResult\r\n{value}\r\n" if fmt == "csv" else f"?_askResult\n{value}\n"
        return Encoded(text.encode(), _with_charset(media_type))
    if result.kind == "ASK":
        answer.askAnswer = bool(result.boolean)
    else:
        rows = result.rows
        truncated = len(rows) > max_rows
        variables = [Variable(name) for name in result.vars]
        answer.vars = variables
        answer.bindings = [
            {v: t for v, t in zip(variables, row, strict=True) if t is not None}  # type: ignore[misc]
            for row in rows[:max_rows]
        ]
    if fmt == "tsv":  # rdflib has a TSV result parser but no serializer
        body = _tsv(result.vars, result.rows[:max_rows]).encode("utf-8")
    else:
        body = answer.serialize(format=fmt, encoding="utf-8") or b""
    return Encoded(body, _with_charset(media_type), truncated)


def _tsv(names: list[str], rows: list) -> str:
    """SPARQL 1.1 TSV: ``?var`` headers, terms in Turtle syntax, empty when unbound."""
    lines = ["\t".join(f"?{name}" for name in names)]
    for row in rows:
        cells = ["" if t is None else t.n3().replace("\t", "\\t") for t in row]
        lines.append("\t".join(cells))
    return "\n".join(lines) + "\n"


def _encode_graph(result: QueryResult, media_type: str, fmt: str, max_rows: int) -> Encoded:
    """Serialize a CONSTRUCT/DESCRIBE graph, keeping at most ``max_rows`` triples."""
    from rdflib import Graph

    from kg.namespaces import bind_prefixes

    source = result.graph if result.graph is not None else Graph()
    graph = bind_prefixes(Graph())
    truncated = len(source) > max_rows
    if truncated:
        for index, triple in enumerate(sorted(source)):
            if index >= max_rows:
                break
            graph.add(triple)
    else:
        graph += source
    body = graph.serialize(format=fmt, encoding="utf-8")
    return Encoded(body, _with_charset(media_type), truncated)


def _with_charset(media_type: str) -> str:
    """Add ``charset=utf-8`` to text types, as CSV/TSV/Turtle readers expect it spelled out."""
    if media_type.startswith("text/"):
        return f"{media_type}; charset=utf-8"
    return media_type
