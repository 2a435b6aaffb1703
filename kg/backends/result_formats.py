"""SPARQL results as endpoints really send them: which format to ask for, and how to read it.

W3C TSV is the quickest results format to produce and to parse (on ``oxigraph serve``,
60k rows: TSV 0.51 s, JSON 0.62 s), but not every server writing
``text/tab-separated-values`` writes the W3C format: Virtuoso's header is ``"s"\\t"o"``
instead of ``?s\\t?o`` and its values are plain quoted strings. So the format is detected
per endpoint from one tiny probe (:func:`tsv_is_standard` on its header line), never
guessed from a server's name; where TSV is not standard, results are read as SPARQL XML.

Blank node labels are whatever the server chose (Virtuoso: ``nodeID://b10021``), which a
strict parser refuses; :class:`BnodeLabelFilter` rewrites every label of an XML answer
into a valid one, the same label always to the same one, while the bytes stream through.
Answers are parsed as they arrive (:class:`ChunkReader` feeds pyoxigraph's parsers).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

if TYPE_CHECKING:
    from kg.results import QueryResult

__all__ = [
    "ACCEPT_GRAPH",
    "SPARQL_JSON",
    "SPARQL_XML",
    "TSV",
    "BnodeLabelFilter",
    "ChunkReader",
    "accept_for",
    "graph_format",
    "graph_format_of",
    "media_type",
    "parse_response",
    "results_format",
    "safe_bnode_label",
    "tsv_is_standard",
]

TSV = "text/tab-separated-values"
SPARQL_JSON = "application/sparql-results+json"
SPARQL_XML = "application/sparql-results+xml"
ACCEPT_GRAPH = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.8"

_RESULT_FORMATS = {
    TSV: ox.QueryResultsFormat.TSV,
    SPARQL_JSON: ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    SPARQL_XML: ox.QueryResultsFormat.XML,
    "application/xml": ox.QueryResultsFormat.XML,
}
_GRAPH_FORMATS = {
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/x-turtle": ox.RdfFormat.TURTLE,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/n-quads": ox.RdfFormat.N_QUADS,
}
_PLAIN_LABEL = re.compile(r"[A-Za-z0-9]+")
_BNODE_XML = re.compile(rb"<bnode>([^<]*)</bnode>")


def media_type(content_type: str) -> str:
    """The media type of a ``Content-Type`` header, without parameters, in lower case.

    Example
    -------
    >>> media_type("Application/SPARQL-Results+XML; charset=UTF-8")
    'application/sparql-results+xml'
    """
    return content_type.split(";", 1)[0].strip().lower()


def accept_for(form: str, tsv: bool = True) -> str:
    """The ``Accept`` header for a query form, given whether the endpoint's TSV is standard.

    Parameters
    ----------
    form:
        ``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``.
    tsv:
        Ask for TSV first (only for an endpoint whose TSV is the W3C format).

    Returns
    -------
    str

    Example
    -------
    >>> accept_for("SELECT", tsv=False)
    'application/sparql-results+xml, application/sparql-results+json;q=0.8'
    """
    if form in ("CONSTRUCT", "DESCRIBE"):
        return ACCEPT_GRAPH
    if form == "SELECT" and tsv:
        return f"{TSV}, {SPARQL_XML};q=0.9, {SPARQL_JSON};q=0.8"
    return f"{SPARQL_XML}, {SPARQL_JSON};q=0.8"


def tsv_is_standard(header_line: bytes) -> bool:
    """Whether a TSV header line is the W3C one: every field a ``?var`` (or ``$var``).

    Example
    -------
    >>> tsv_is_standard(b"?s\\t?o\\n"), tsv_is_standard(b'"s"\\t"o"\\n'), tsv_is_standard(b"\\n")
    (True, False, True)
    """
    fields = header_line.rstrip(b"\r\n").split(b"\t")
    return fields == [b""] or all(f[:1] in (b"?", b"$") and len(f) > 1 for f in fields)


def results_format(content_type: str) -> Any:
    """pyoxigraph's ``QueryResultsFormat`` for a response's Content-Type, or None.

    Example
    -------
    >>> results_format("application/sparql-results+json; charset=utf-8").name
    'SPARQL Results in JSON'
    >>> results_format("text/html") is None
    True
    """
    return _RESULT_FORMATS.get(media_type(content_type))


def graph_format(content_type: str) -> Any:
    """pyoxigraph's ``RdfFormat`` for a graph answer's Content-Type, or None.

    Example
    -------
    >>> graph_format("text/turtle").name
    'Turtle'
    """
    return _GRAPH_FORMATS.get(media_type(content_type))


def safe_bnode_label(label: str) -> str:
    """A blank node label every RDF parser accepts, one to one with the original label.

    Plain alphanumeric labels are kept; any other (``nodeID://b10021``) is written in hex
    after ``u_``, so two labels never meet.

    Example
    -------
    >>> safe_bnode_label("b12"), safe_bnode_label("nodeID://b1")
    ('b12', 'u_6e6f646549443a2f2f6231')
    """
    if _PLAIN_LABEL.fullmatch(label):
        return label
    return "u_" + label.encode("utf-8").hex()


class BnodeLabelFilter:
    """Rewrites ``<bnode>LABEL</bnode>`` of a SPARQL XML stream with :func:`safe_bnode_label`.

    Chunks may split an element anywhere: text after the last ``<`` waits for the next one.

    Example
    -------
    >>> f = BnodeLabelFilter()
    >>> f.feed(b"<bnode>nodeID://b") + f.feed(b"1</bnode><uri>x</uri>") + f.close()
    b'<bnode>u_6e6f646549443a2f2f6231</bnode><uri>x</uri>'
    """

    def __init__(self) -> None:
        self._tail = b""

    @staticmethod
    def _rewrite(match: re.Match) -> bytes:
        label = match.group(1).decode("utf-8", errors="replace")
        return b"<bnode>" + safe_bnode_label(label).encode() + b"</bnode>"

    def feed(self, chunk: bytes) -> bytes:
        """Take the next bytes; return those that are ready."""
        data = self._tail + chunk
        cut = data.rfind(b"<")
        opened = data.rfind(b"<bnode>")
        if opened >= 0 and data.find(b"</bnode>", opened) < 0:
            cut = opened  # an open <bnode> element waits whole for its end tag
        if cut < 0:
            cut = len(data)
        self._tail = data[cut:]
        ready = data[:cut]
        return _BNODE_XML.sub(self._rewrite, ready) if b"<bnode>" in ready else ready

    def close(self) -> bytes:
        """Return what is left."""
        rest, self._tail = self._tail, b""
        return _BNODE_XML.sub(self._rewrite, rest)


class ChunkReader:
    """A binary file over an iterator of byte chunks (a streamed HTTP body), for parsers
    that read files; ``peek`` looks at the first line without consuming it.

    Parameters
    ----------
    chunks:
        The bytes, in order.
    rewrite:
        A :class:`BnodeLabelFilter` (or anything with ``feed`` and ``close``) applied on the way.

    Example
    -------
    >>> r = ChunkReader(iter([b"?s\\n<http", b"://a>\\n"]))
    >>> r.peek_line(), r.read()
    (b'?s\\n', b'?s\\n<http://a>\\n')
    """

    def __init__(self, chunks: Iterable[bytes], rewrite: Any = None) -> None:
        self._chunks: Iterator[bytes] = iter(chunks)
        self._rewrite = rewrite
        self._buffer = bytearray()
        self._done = False

    def _more(self) -> bool:
        if self._done:
            return False
        try:
            chunk = next(self._chunks)
        except StopIteration:
            self._done = True
            if self._rewrite is not None:
                self._buffer += self._rewrite.close()
            return False
        self._buffer += self._rewrite.feed(chunk) if self._rewrite is not None else chunk
        return True

    def peek_line(self, limit: int = 65536) -> bytes:
        """The first line (up to ``limit`` bytes), left in place for ``read``."""
        while b"\n" not in self._buffer and len(self._buffer) < limit and self._more():
            pass
        end = self._buffer.find(b"\n")
        return bytes(self._buffer[: end + 1 if end >= 0 else limit])

    def read(self, size: int = -1) -> bytes:
        """Read up to ``size`` bytes (all of them when ``size`` is negative)."""
        if size is None or size < 0:
            while self._more():
                pass
            size = len(self._buffer)
        while len(self._buffer) < size and self._more():
            pass
        out = bytes(self._buffer[:size])
        del self._buffer[:size]
        return out

    def readable(self) -> bool:
        return True


def graph_format_of(content_type: str) -> Any:
    """pyoxigraph's ``RdfFormat`` for a graph answer, or a one-line error.

    Example
    -------
    >>> graph_format_of("application/n-triples").name
    'N-Triples'
    """
    from kg.backends.endpoint_http import EndpointError

    fmt = graph_format(content_type)
    if fmt is None:
        raise EndpointError(f"the endpoint answered a graph as {media_type(content_type)!r}")
    return fmt


def parse_response(content: bytes, content_type: str, form: str) -> QueryResult:
    """Parse an endpoint's whole answer to a query of the given form.

    Parameters
    ----------
    content:
        The response body.
    content_type:
        Its ``Content-Type`` header.
    form:
        ``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``.

    Returns
    -------
    QueryResult

    Example
    -------
    >>> parse_response(b"?s\\n<http://a>\\n", "text/tab-separated-values", "SELECT").to_dicts()
    [{'s': 'http://a'}]
    >>> answer = b'{"head":{},"boolean":true}'
    >>> parse_response(answer, "application/sparql-results+json", "ASK").boolean
    True
    """
    from kg.backends.endpoint_http import EndpointError
    from kg.backends.oxconvert import OxQueryResult, triples_to_graph
    from kg.results import QueryResult

    media = media_type(content_type)
    if form in ("CONSTRUCT", "DESCRIBE"):
        triples = ox.parse(content, graph_format_of(content_type))
        return QueryResult("CONSTRUCT", graph=triples_to_graph(triples))
    if media == TSV and content.strip() in (b"true", b"false"):
        # Oxigraph answers ASK as a bare TSV boolean when TSV is acceptable
        return QueryResult("ASK", boolean=content.strip() == b"true")
    fmt = results_format(content_type)
    if fmt is None:
        raise EndpointError(f"the endpoint answered {form} results as {media!r}")
    if fmt == ox.QueryResultsFormat.XML:
        rewrite = BnodeLabelFilter()
        content = rewrite.feed(content) + rewrite.close()
    try:
        answer = ox.parse_query_results(content, fmt)
        if isinstance(answer, ox.QueryBoolean):
            return QueryResult("ASK", boolean=bool(answer))
        return OxQueryResult.from_solutions(answer)
    except SyntaxError as exc:
        raise EndpointError(f"unreadable {media} results: {exc}") from None
