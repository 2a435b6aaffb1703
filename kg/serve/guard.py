"""What the endpoint lets a request do: read-only, no outside traffic, bounded work.

Every request is first put in canonical form (:mod:`kg.serve.canonical`); its tokens are
checked, and when rdflib is the engine, rdflib's parse of that same text is inspected too,
*before* anything is evaluated, so a refused query never reaches the store and never opens
a connection. The engine runs the canonical text, never the client's.
Things that make the engine fetch from another address are refused unless the operator
allow-listed that address: ``SERVICE <iri>`` (and ``SERVICE ?var``, which cannot be
allow-listed), ``FROM``/``FROM NAMED`` (rdflib loads those IRIs from the web) and, in
updates, ``LOAD`` and ``USING``. Updates are refused unless the operator enabled them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from kg.errors import KgError, SparqlSyntaxError
from kg.serve.canonical import Canonical, canonical_sparql
from kg.serve.sparql_parse import parse_query, parse_update

__all__ = [
    "QUERY_FORMS",
    "Limits",
    "RefusedError",
    "check_query",
    "check_update",
    "checked_query",
    "checked_update",
    "prepared_query",
    "walk",
]

#: Query form names as the protocol layer uses them.
QUERY_FORMS = {
    "SelectQuery": "SELECT",
    "AskQuery": "ASK",
    "ConstructQuery": "CONSTRUCT",
    "DescribeQuery": "DESCRIBE",
}


class RefusedError(KgError):
    """A well-formed request the endpoint will not run; ``status`` is the HTTP status.

    Example
    -------
    >>> e = RefusedError("updates are disabled", status=403)
    >>> e.status, str(e)
    (403, 'updates are disabled')
    """

    def __init__(self, message: str, *, status: int = 403) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Limits:
    """The operator's settings for what queries may do.

    Parameters
    ----------
    timeout:
        Seconds a query may run before it is stopped (answered 503).
    max_rows:
        Rows (triples for CONSTRUCT/DESCRIBE) returned at most; more are cut off and the
        response says so in the ``X-SPARQL-Truncated`` header.
    allow_service:
        Endpoint IRIs that ``SERVICE``, ``FROM``, ``LOAD`` and ``USING`` may name.
    allow_update:
        Whether SPARQL Update is accepted at all (the app also demands a bearer token).
    memory_mb:
        Megabytes of memory one query may add to its worker process (0: no cap); past
        it the query is stopped and answered 503.
    queue_timeout:
        Seconds a request may wait for a free worker before it is answered 503 (busy);
        a request is so answered within ``queue_timeout + timeout`` seconds.
    max_waiting:
        Requests that may wait for a worker at once; one more is answered 503 at once.

    Returns
    -------
    Limits

    Example
    -------
    >>> Limits().timeout, Limits().max_rows, Limits().allow_update, Limits().memory_mb
    (10.0, 10000, False, 1024)
    >>> Limits().queue_timeout, Limits().max_waiting
    (30.0, 1000)
    """

    timeout: float = 10.0
    max_rows: int = 10000
    allow_service: frozenset[str] = field(default_factory=frozenset)
    allow_update: bool = False
    memory_mb: int = 1024
    queue_timeout: float = 30.0
    max_waiting: int = 1000

    def memory_message(self) -> str:
        """What a client is told when a worker ended mid-query (it hit the memory cap).

        Example
        -------
        >>> Limits(memory_mb=64).memory_message()
        'query stopped: it needed more than the 64 MB memory limit of a query worker'
        """
        if not self.memory_mb:
            return "query stopped: the query worker ended unexpectedly"
        limit = f"{self.memory_mb} MB"
        return f"query stopped: it needed more than the {limit} memory limit of a query worker"


def check_query(text: str, limits: Limits) -> str:
    """Check a query and return its form (see :func:`checked_query`).

    Example
    -------
    >>> check_query("ASK { ?s ?p ?o }", Limits())
    'ASK'
    """
    return checked_query(text, limits)[0]


def checked_query(text: str, limits: Limits) -> tuple[str, str]:
    """Put a query in canonical form, parse it and refuse it if it would reach outside.

    The canonical text (:mod:`kg.serve.canonical`) is what is parsed here and what the
    engine must run, so that no difference between parsers can hide a ``SERVICE``.

    Parameters
    ----------
    text:
        The SPARQL query text.
    limits:
        The allow-list to check ``SERVICE`` and ``FROM`` IRIs against.

    Returns
    -------
    tuple[str, str]
        The query form (``"SELECT"``, ``"ASK"``, ``"CONSTRUCT"`` or ``"DESCRIBE"``) and
        the canonical text to run.

    Raises
    ------
    SparqlSyntaxError
        The parser's message, when the text is not a SPARQL query.
    RefusedError
        Naming the first ``SERVICE``/``FROM`` IRI that is not allow-listed.

    Example
    -------
    >>> checked_query("ASK { ?s ?p ?o } # done", Limits())
    ('ASK', 'ASK { ?s ?p ?o }')
    >>> checked_query("SELECT * { SERVICE <http://10.0.0.1/sparql> { ?s ?p ?o } }", Limits())
    Traceback (most recent call last):
    ...
    kg.serve.guard.RefusedError: SERVICE <http://10.0.0.1/sparql> is not allowed: ...
    >>> checked_query("SELECT * { # hidden?\\r SERVICE <http://10.0.0.1/> { ?s ?p ?o } }", Limits())
    Traceback (most recent call last):
    ...
    kg.serve.guard.RefusedError: SERVICE <http://10.0.0.1/> is not allowed: ...
    >>> checked_query("SELECT * { ?s ?p }", Limits())
    Traceback (most recent call last):
    ...
    kg.errors.SparqlSyntaxError: line 1: SPARQL syntax error: Expected SelectQuery, ...
    """
    form, canonical_text, _query = prepared_query(text, limits)
    return form, canonical_text


def prepared_query(text: str, limits: Limits, *, parse: bool = True) -> tuple[str, str, Any]:
    """:func:`checked_query`, plus rdflib's prepared query (so rdflib need not parse again).

    With ``parse=False`` rdflib does not parse the query at all (for an engine that is not
    rdflib: the engine's own parser reads the canonical text, whose tokens were checked);
    the form then comes from the tokens and the prepared query is ``None``.

    Example
    -------
    >>> prepared_query("ASK {}", Limits())[:2]
    ('ASK', 'ASK {}')
    >>> prepared_query("PREFIX e: <urn:e:> CONSTRUCT WHERE { ?s e:p ?o }", Limits(), parse=False)
    ('CONSTRUCT', 'PREFIX e: <urn:e:> CONSTRUCT WHERE { ?s <urn:e:p> ?o }', None)
    """
    canonical = canonical_sparql(text)
    _require_outside_allowed(canonical, limits)
    if not parse:
        if canonical.form is None:
            raise SparqlSyntaxError(
                "SPARQL syntax error: not a query (SELECT, ASK, CONSTRUCT or DESCRIBE)"
            )
        return canonical.form, canonical.text, None
    query = parse_query(canonical.text)
    algebra = query.algebra
    for clause in _field(algebra, "datasetClause") or []:
        named = "named" in clause
        _require_allowed("FROM NAMED" if named else "FROM", _graph_iri(clause), limits)
    for node in walk(algebra):
        if node.name == "ServiceGraphPattern":
            _require_allowed("SERVICE", _field(node, "term"), limits)
    return QUERY_FORMS.get(algebra.name, algebra.name), canonical.text, query


def _require_outside_allowed(canonical: Canonical, limits: Limits) -> None:
    """Refuse by tokens: every SERVICE/FROM/LOAD/USING must name an allowed IRI."""
    from rdflib import URIRef, Variable

    for keyword, iri in canonical.outside:
        _require_allowed(keyword, URIRef(iri) if iri is not None else Variable("?"), limits)


def check_update(text: str, limits: Limits) -> list[str]:
    """Parse a SPARQL Update request and refuse it unless updates are enabled and local.

    Parameters
    ----------
    text:
        The update text.
    limits:
        ``allow_update`` must be set; ``LOAD`` and ``USING`` IRIs must be allow-listed.

    Returns
    -------
    list[str]
        The operation names, e.g. ``["InsertData"]``.

    Raises
    ------
    RefusedError
        403 when updates are disabled or an IRI is not allow-listed.
    SparqlSyntaxError
        The parser's message.

    Example
    -------
    >>> check_update("INSERT DATA { <http://a> <http://b> 1 }", Limits())
    Traceback (most recent call last):
    ...
    kg.serve.guard.RefusedError: SPARQL Update is disabled: this endpoint is read-only
    >>> on = Limits(allow_update=True)
    >>> check_update("LOAD <http://example.org/x.ttl>", on)
    Traceback (most recent call last):
    ...
    kg.serve.guard.RefusedError: LOAD <http://example.org/x.ttl> is not allowed: ...
    >>> check_update("INSERT DATA { <http://a> <http://b> 1 }", on)
    ['InsertData']
    """
    return checked_update(text, limits)[0]


def checked_update(text: str, limits: Limits) -> tuple[list[str], str]:
    """Like :func:`check_update`, and also return the canonical text the engine must run.

    Example
    -------
    >>> on = Limits(allow_update=True)
    >>> checked_update("# x\\rLOAD <http://example.org/x.ttl>", on)
    Traceback (most recent call last):
    ...
    kg.serve.guard.RefusedError: LOAD <http://example.org/x.ttl> is not allowed: ...
    """
    if not limits.allow_update:
        raise RefusedError("SPARQL Update is disabled: this endpoint is read-only")
    canonical = canonical_sparql(text)
    _require_outside_allowed(canonical, limits)
    update = parse_update(canonical.text)
    names = []
    for operation in update.algebra:
        names.append(operation.name)
        if operation.name == "Load":
            _require_allowed("LOAD", _field(operation, "iri"), limits)
        for using in _field(operation, "using") or []:
            _require_allowed("USING", _graph_iri(using), limits)
        for node in walk(operation):
            if node.name == "ServiceGraphPattern":
                _require_allowed("SERVICE", _field(node, "term"), limits)
    return names, canonical.text


def walk(node: Any) -> Iterator[Any]:
    """Yield every algebra node (rdflib ``CompValue``) inside ``node``, expressions included.

    Parameters
    ----------
    node:
        An algebra node, or a list/dict holding some.

    Returns
    -------
    Iterator[CompValue]

    Example
    -------
    >>> q = parse_query("ASK { FILTER EXISTS { SERVICE <http://x> { ?s ?p ?o } } }")
    >>> "ServiceGraphPattern" in {n.name for n in walk(q.algebra)}
    True
    """
    from rdflib.plugins.sparql.parserutils import CompValue

    stack, seen = [node], set()
    while stack:
        item = stack.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, CompValue):
            yield item
            stack.extend(item.values())
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list | tuple | set):
            stack.extend(item)


def _field(node: Any, name: str) -> Any:
    """A field of an algebra node, or None (``CompValue.get`` has its own meaning)."""
    return dict.get(node, name)


def _graph_iri(clause: Any) -> Any:
    """The IRI of a ``FROM``/``FROM NAMED``/``USING`` clause."""
    return _field(clause, "default") if "default" in clause else _field(clause, "named")


def _require_allowed(keyword: str, iri: Any, limits: Limits) -> None:
    """Refuse ``keyword iri`` unless ``iri`` is allow-listed (a variable never is)."""
    from rdflib import URIRef

    if isinstance(iri, URIRef) and str(iri) in limits.allow_service:
        return
    shown = (
        f"<{iri}>" if isinstance(iri, URIRef) else "with a variable" if iri == "?" else f"?{iri}"
    )
    raise RefusedError(
        f"{keyword} {shown} is not allowed: this endpoint does not contact other addresses "
        "(the operator can allow an endpoint with --allow-service URL)"
    )
