"""Query results as plain JSON, and back: what the answer cache writes to disk
(:mod:`kg.cache.graph`) and the first pages kept at load (:mod:`kg.backends.first_pages`).

A term is written as text, never as code (no pickle): an IRI as ``"<iri"``, a blank node as
``"_id"``, a literal as ``[lexical, datatype, language]``, unbound as ``null``. A cached
result gives its rows as text without building rdflib terms (``lexical_rows``, what the views
read) and builds the terms only when asked (``rows``).
"""

from __future__ import annotations

from typing import Any

from kg.results import QueryResult

__all__ = ["CachedResult", "decode_result", "encode_result", "has_blank_nodes"]


def _encode_term(term: Any) -> Any:
    from rdflib import BNode, Literal

    if term is None:
        return None
    if isinstance(term, Literal):
        datatype = str(term.datatype) if term.datatype is not None else None
        return [str(term), datatype, term.language]
    if isinstance(term, BNode):
        return "_" + str(term)
    return "<" + str(term)


def _decode_term(value: Any) -> Any:
    from rdflib import BNode, Literal, URIRef

    if value is None:
        return None
    if isinstance(value, list):
        lexical, datatype, language = value
        return Literal(lexical, datatype=URIRef(datatype) if datatype else None, lang=language)
    if value[0] == "_":
        return BNode(value[1:])
    return URIRef(value[1:])


def _lexical(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, list):
        return value[0]
    return "_:" + value[1:] if value[0] == "_" else value[1:]


def encode_result(result: QueryResult) -> dict[str, Any]:
    """A QueryResult as a JSON-able dict.

    Parameters
    ----------
    result:
        A SELECT or ASK result of any backend (a CONSTRUCT graph keeps its prefixes, so it
        is not cached).

    Returns
    -------
    dict

    Example
    -------
    >>> from rdflib import Literal, URIRef
    >>> row = (URIRef("http://a"), Literal("x", lang="en"))
    >>> encode_result(QueryResult("SELECT", ["s", "n"], [row]))
    {'kind': 'SELECT', 'vars': ['s', 'n'], 'rows': [['<http://a', ['x', None, 'en']]]}
    """
    if result.kind == "ASK":
        return {"kind": "ASK", "boolean": bool(result.boolean)}
    rows = [[_encode_term(t) for t in row] for row in result.rows]
    return {"kind": "SELECT", "vars": list(result.vars), "rows": rows}


def has_blank_nodes(encoded: dict[str, Any]) -> bool:
    """Whether an encoded result holds a blank node (whose id is only valid for one load).

    Example
    -------
    >>> has_blank_nodes({"kind": "SELECT", "vars": ["x"], "rows": [["_b0"], ["<http://a"]]})
    True
    """
    rows = encoded.get("rows") or ()
    return any(isinstance(v, str) and v[0] == "_" for row in rows for v in row)


class CachedResult(QueryResult):
    """A SELECT result read back from the cache: text rows, rdflib terms on first ``.rows``.

    Parameters
    ----------
    vars:
        The variable names.
    encoded:
        The rows as :func:`encode_result` wrote them.

    Returns
    -------
    CachedResult

    Example
    -------
    >>> r = CachedResult(["s"], [["<http://a"], [None], ["_b1"]])
    >>> r.lexical_rows(), r.rows[0], len(r)
    ([('http://a',), (None,), ('_:b1',)], (rdflib.term.URIRef('http://a'),), 3)
    """

    def __init__(self, vars: list[str], encoded: list[list]):
        self.kind = "SELECT"
        self.vars = list(vars)
        self.boolean = None
        self.graph = None
        self._encoded = encoded
        self._rows: list | None = None

    @property
    def rows(self) -> list:
        """The rows as rdflib terms (built once, then kept)."""
        if self._rows is None:
            self._rows = [tuple(_decode_term(v) for v in row) for row in self._encoded]
        return self._rows

    @rows.setter
    def rows(self, value: list) -> None:
        self._rows = value

    def raw_rows(self) -> list:
        """The rows as rdflib terms (what the memory backend's raw rows are)."""
        return self.rows

    def lexical_rows(self) -> list[tuple[str | None, ...]]:
        """The rows as text, without building terms."""
        return [tuple(_lexical(v) for v in row) for row in self._encoded]

    def __len__(self) -> int:
        return len(self._encoded)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, QueryResult):
            return NotImplemented
        mine = (self.kind, self.vars, self.rows, self.boolean, self.graph)
        return mine == (other.kind, other.vars, other.rows, other.boolean, other.graph)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"CachedResult(vars={self.vars!r}, rows={len(self._encoded)})"


def decode_result(encoded: dict[str, Any]) -> QueryResult:
    """The QueryResult an :func:`encode_result` dict stands for.

    Parameters
    ----------
    encoded:
        What :func:`encode_result` gave (after a trip through JSON).

    Returns
    -------
    QueryResult

    Example
    -------
    >>> decode_result({"kind": "ASK", "boolean": True}).boolean
    True
    >>> r = QueryResult("SELECT", ["x"], [(None,)])
    >>> decode_result(encode_result(r)) == r
    True
    """
    if encoded["kind"] == "ASK":
        return QueryResult("ASK", boolean=encoded["boolean"])
    return CachedResult(encoded["vars"], encoded["rows"])
