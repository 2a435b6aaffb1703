"""rdflib's SPARQL parser for the guard: parse and translate, with one-line errors.

The guard (:mod:`kg.serve.guard`) inspects rdflib's algebra of the canonical text when
rdflib is the engine; this module is that parse, kept apart from any backend so the
guard depends on no storage layer. rdflib's parser (pyparsing) is not thread-safe: two
parses at once in one process fail at random with ``TypeError``, so parses here take a
lock (worker processes parse one query at a time anyway; the lock matters when queries
run in threads, ``kg serve --workers 0``).
"""

from __future__ import annotations

import re
import threading
from typing import Any

from kg.errors import SparqlSyntaxError

__all__ = ["PARSER_LOCK", "parse_query", "parse_update"]

PARSER_LOCK = threading.Lock()
_LOCATION = re.compile(r"\s*\(at char \d+\), \(line:\d+, col:\d+\)\s*$")


def parse_query(text: str) -> Any:
    """Parse and translate a SPARQL query with rdflib.

    Parameters
    ----------
    text:
        The query.

    Returns
    -------
    rdflib.plugins.sparql.sparql.Query
        Prepared: ``Graph.query`` runs it without parsing again.

    Raises
    ------
    SparqlSyntaxError
        One line, with the column.

    Example
    -------
    >>> parse_query("ASK { ?s ?p ?o }").algebra.name
    'AskQuery'
    >>> parse_query("SELECT * WHERE { ?s a nope:X }")
    Traceback (most recent call last):
    ...
    kg.errors.SparqlSyntaxError: SPARQL error: Unknown namespace prefix : nope
    """
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery

    return _parsed(text, parseQuery, translateQuery)


def parse_update(text: str) -> Any:
    """Parse and translate a SPARQL update with rdflib.

    Parameters
    ----------
    text:
        The update.

    Returns
    -------
    rdflib.plugins.sparql.sparql.Update

    Raises
    ------
    SparqlSyntaxError
        One line, with the column.

    Example
    -------
    >>> [op.name for op in parse_update("INSERT DATA { <urn:a> <urn:b> 1 }").algebra]
    ['InsertData']
    >>> parse_update("INSERT { }")
    Traceback (most recent call last):
    ...
    kg.errors.SparqlSyntaxError: line 1: SPARQL syntax error: Expected end of text, ... (column 1)
    """
    from rdflib.plugins.sparql.algebra import translateUpdate
    from rdflib.plugins.sparql.parser import parseUpdate

    return _parsed(text, parseUpdate, translateUpdate)


def _parsed(text: str, parse: Any, translate: Any) -> Any:
    from pyparsing import ParseBaseException

    try:
        with PARSER_LOCK:
            parsed = parse(text)
    except ParseBaseException as exc:
        message = _LOCATION.sub("", str(exc)).split(" (at char")[0]
        raise SparqlSyntaxError(
            f"SPARQL syntax error: {message} (column {exc.col})", line=exc.lineno
        ) from None
    try:
        return translate(parsed)
    except Exception as exc:  # rdflib raises bare Exceptions for unknown prefixes etc.
        raise SparqlSyntaxError(f"SPARQL error: {exc}") from None
