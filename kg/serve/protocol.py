"""The SPARQL 1.1 Protocol: reading a request, choosing a response format, describing the service.

These are plain functions over plain values (a method, a content type, the body, the
query-string pairs, an ``Accept`` header), so they are tested without a web server; the
Starlette app (:mod:`kg.serve.app`) only hands them what it read from the request.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl

from kg.serve.guard import RefusedError

__all__ = [
    "ALIASES",
    "FORMAT_IRIS",
    "GRAPH_PARAMETERS",
    "GRAPH_TYPES",
    "RESULT_TYPES",
    "ProtocolError",
    "SparqlRequest",
    "negotiate",
    "parse_accept",
    "read_request",
    "service_description",
    "wants_html",
]

#: media type -> format name, for SELECT and ASK results, in order of preference.
RESULT_TYPES = {
    "application/sparql-results+json": "json",
    "application/sparql-results+xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
#: media type -> rdflib serializer, for CONSTRUCT and DESCRIBE graphs, in order of preference.
GRAPH_TYPES = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/ld+json": "json-ld",
    "application/rdf+xml": "xml",
}
#: Names clients use for the types above (``application/json`` from SPARQLWrapper ...).
ALIASES = {
    "application/json": ("application/sparql-results+json", "application/ld+json"),
    "application/xml": ("application/sparql-results+xml", "application/rdf+xml"),
    "text/xml": ("application/sparql-results+xml", "application/rdf+xml"),
    "text/plain": ("text/tab-separated-values", "application/n-triples"),
    "application/x-turtle": (None, "text/turtle"),
}
#: W3C format IRIs (http://www.w3.org/ns/formats/) of what the endpoint writes.
FORMAT_IRIS = {
    "application/sparql-results+json": "SPARQL_Results_JSON",
    "application/sparql-results+xml": "SPARQL_Results_XML",
    "text/csv": "SPARQL_Results_CSV",
    "text/tab-separated-values": "SPARQL_Results_TSV",
    "text/turtle": "Turtle",
    "application/n-triples": "N-Triples",
    "application/ld+json": "JSON-LD",
    "application/rdf+xml": "RDF_XML",
}


#: Protocol parameters that pick graphs; the endpoint serves one dataset, so they are refused.
GRAPH_PARAMETERS = (
    "default-graph-uri",
    "named-graph-uri",
    "using-graph-uri",
    "using-named-graph-uri",
)


class ProtocolError(RefusedError):
    """A request that does not follow the protocol (answered 400, 406 or 415).

    Example
    -------
    >>> ProtocolError("no query", status=400).status
    400
    """


@dataclass(frozen=True)
class SparqlRequest:
    """What a protocol request asks for.

    Parameters
    ----------
    operation:
        ``"query"``, ``"update"``, or ``"describe"`` (no query: the service description).
    text:
        The query or update text (``""`` for ``describe``).

    Returns
    -------
    SparqlRequest

    Example
    -------
    >>> SparqlRequest("query", "ASK {}").operation
    'query'
    """

    operation: str
    text: str = ""


def read_request(
    method: str, content_type: str, body: bytes, params: list[tuple[str, str]]
) -> SparqlRequest:
    """Read a query or an update from a GET or POST request, as the protocol defines.

    Parameters
    ----------
    method:
        ``"GET"`` or ``"POST"``.
    content_type:
        The request's ``Content-Type`` header (``""`` if none).
    body:
        The request body (already capped in size by the app).
    params:
        The URL query-string pairs.

    Returns
    -------
    SparqlRequest

    Raises
    ------
    ProtocolError
        400 for a missing, repeated or mixed parameter, for ``default-graph-uri`` or
        ``named-graph-uri`` (this endpoint serves one dataset), for a body that is not
        UTF-8; 415 for an unknown POST content type.

    Example
    -------
    >>> read_request("GET", "", b"", [("query", "ASK {}")])
    SparqlRequest(operation='query', text='ASK {}')
    >>> read_request("POST", "application/sparql-query", b"ASK {}", []).text
    'ASK {}'
    >>> read_request("POST", "application/x-www-form-urlencoded", b"update=CLEAR+ALL", [])
    SparqlRequest(operation='update', text='CLEAR ALL')
    >>> read_request("GET", "", b"", [])
    SparqlRequest(operation='describe', text='')
    >>> read_request("GET", "", b"", [("query", "ASK {}"), ("default-graph-uri", "http://g")])
    Traceback (most recent call last):
    ...
    kg.serve.protocol.ProtocolError: default-graph-uri is not supported: ...
    """
    media = content_type.split(";")[0].strip().lower()
    pairs = list(params)
    direct: tuple[str, str] | None = None
    if method == "POST":
        if media == "application/x-www-form-urlencoded":
            pairs += parse_qsl(_decode(body), keep_blank_values=True)
        elif media == "application/sparql-query":
            direct = ("query", _decode(body))
        elif media == "application/sparql-update":
            direct = ("update", _decode(body))
        else:
            raise ProtocolError(
                f"unsupported Content-Type {media or '(none)'!r}: POST a query as "
                "application/sparql-query or application/x-www-form-urlencoded",
                status=415,
            )
    for name in GRAPH_PARAMETERS:
        if any(key == name for key, _ in pairs):
            raise ProtocolError(
                f"{name} is not supported: this endpoint serves one dataset; "
                "query it without naming graphs",
                status=400,
            )
    queries = [value for key, value in pairs if key == "query"]
    updates = [value for key, value in pairs if key == "update"]
    if direct is not None:
        (queries if direct[0] == "query" else updates).append(direct[1])
    if len(queries) + len(updates) > 1:
        raise ProtocolError("give exactly one query or one update per request", status=400)
    if queries:
        return SparqlRequest("query", queries[0])
    if updates:
        if method != "POST":
            raise ProtocolError("an update must be sent with POST", status=400)
        return SparqlRequest("update", updates[0])
    if method == "POST":
        raise ProtocolError("no query: send a 'query' or 'update' parameter", status=400)
    return SparqlRequest("describe")


def _decode(body: bytes) -> str:
    """Decode a request body as UTF-8 (the protocol's only encoding)."""
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise ProtocolError("the request body is not UTF-8", status=400) from None


def parse_accept(accept: str) -> list[tuple[str, float]]:
    """Parse an ``Accept`` header into ``(media type, q)`` pairs, best first.

    Parameters
    ----------
    accept:
        The header value; ``""`` means anything.

    Returns
    -------
    list[tuple[str, float]]
        Stable-sorted by ``q``, so equal weights keep the client's order.

    Example
    -------
    >>> parse_accept("text/csv;q=0.5, application/sparql-results+json")
    [('application/sparql-results+json', 1.0), ('text/csv', 0.5)]
    """
    items = []
    for part in (accept or "*/*").split(","):
        media, *options = (piece.strip() for piece in part.split(";"))
        if not media:
            continue
        q = 1.0
        for option in options:
            key, _, value = option.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        items.append((media.lower(), q))
    return sorted(items, key=lambda item: -item[1])


def negotiate(accept: str, form: str) -> tuple[str, str]:
    """Choose the response media type for a query form from the ``Accept`` header.

    Parameters
    ----------
    accept:
        The request's ``Accept`` header.
    form:
        ``SELECT``/``ASK`` (results) or ``CONSTRUCT``/``DESCRIBE`` (a graph).

    Returns
    -------
    tuple[str, str]
        ``(media type, format name)``: a key and value of :data:`RESULT_TYPES` or
        :data:`GRAPH_TYPES`.

    Raises
    ------
    ProtocolError
        406, listing what the endpoint can write, when the client accepts no SPARQL or RDF
        type at all. (A client accepting only the *other* form's types gets this form's
        default: SPARQL JSON for SELECT/ASK, Turtle for graphs.)

    Example
    -------
    >>> negotiate("text/html,application/xml;q=0.9,*/*;q=0.8", "SELECT")
    ('application/sparql-results+xml', 'xml')
    >>> negotiate("", "CONSTRUCT")
    ('text/turtle', 'turtle')
    >>> negotiate("application/sparql-results+xml", "DESCRIBE")
    ('text/turtle', 'turtle')
    >>> negotiate("image/png", "ASK")
    Traceback (most recent call last):
    ...
    kg.serve.protocol.ProtocolError: cannot answer a ASK query as image/png; ...
    """
    graph = form in ("CONSTRUCT", "DESCRIBE")
    table = GRAPH_TYPES if graph else RESULT_TYPES
    for media, q in parse_accept(accept):
        if q <= 0:
            continue
        if media in table:
            return media, table[media]
        alias = ALIASES.get(media, (None, None))[int(graph)]
        if alias:
            return alias, table[alias]
        major = media.split("/")[0]
        for known in table:
            if media == "*/*" or (media.endswith("/*") and known.startswith(major + "/")):
                return known, table[known]
    # A SPARQL client that asks for SELECT result types (rdflib's SPARQLStore with
    # returnFormat="json") and sends a CONSTRUCT still gets the graph, in Turtle; only a
    # client that accepts nothing SPARQL-related is refused.
    sparql_types = {*RESULT_TYPES, *GRAPH_TYPES, *ALIASES}
    if any(q > 0 and media in sparql_types for media, q in parse_accept(accept)):
        default = next(iter(table))
        return default, table[default]
    raise ProtocolError(
        f"cannot answer a {form} query as {accept}; acceptable: {', '.join(table)}",
        status=406,
    )


def wants_html(accept: str) -> bool:
    """Tell whether a client prefers an HTML page (a browser) to RDF.

    Parameters
    ----------
    accept:
        The request's ``Accept`` header.

    Returns
    -------
    bool

    Example
    -------
    >>> wants_html("text/html,application/xhtml+xml,*/*;q=0.8"), wants_html("text/turtle")
    (True, False)
    """
    for media, q in parse_accept(accept):
        if q > 0 and media in ("text/html", "application/xhtml+xml"):
            return True
        if q > 0 and media in GRAPH_TYPES:
            return False
    return False


def service_description(endpoint: str, *, update: bool, triples: int | None) -> bytes:
    """Describe the endpoint in the SPARQL 1.1 Service Description vocabulary, as Turtle.

    Parameters
    ----------
    endpoint:
        The endpoint's URL, as the client reached it.
    update:
        Whether SPARQL Update is enabled.
    triples:
        The size of the default graph (``void:triples``), if known.

    Returns
    -------
    bytes
        UTF-8 Turtle.

    Example
    -------
    >>> text = service_description("http://127.0.0.1:8000/sparql", update=False, triples=3)
    >>> b"sd:endpoint <http://127.0.0.1:8000/sparql>" in text
    True
    >>> b"SPARQL11Update" in text
    False
    """
    from rdflib import BNode, Graph, Literal, Namespace, URIRef
    from rdflib.namespace import RDF, XSD

    sd = Namespace("http://www.w3.org/ns/sparql-service-description#")
    formats = Namespace("http://www.w3.org/ns/formats/")
    void = Namespace("http://rdfs.org/ns/void#")
    graph = Graph()
    graph.bind("sd", sd)
    graph.bind("formats", formats)
    graph.bind("void", void)
    service = BNode("service")
    graph.add((service, RDF.type, sd.Service))
    graph.add((service, sd.endpoint, URIRef(endpoint)))
    graph.add((service, sd.supportedLanguage, sd.SPARQL11Query))
    if update:
        graph.add((service, sd.supportedLanguage, sd.SPARQL11Update))
    for name in FORMAT_IRIS.values():
        graph.add((service, sd.resultFormat, formats[name]))
    dataset, default = BNode("dataset"), BNode("default_graph")
    graph.add((service, sd.defaultDataset, dataset))
    graph.add((dataset, RDF.type, sd.Dataset))
    graph.add((dataset, sd.defaultGraph, default))
    graph.add((default, RDF.type, sd.Graph))
    if triples is not None:
        graph.add((default, void.triples, Literal(triples, datatype=XSD.integer)))
    return graph.serialize(format="turtle", encoding="utf-8")
