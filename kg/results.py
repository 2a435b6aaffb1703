"""Query results in one shape whatever the backend.

A :class:`QueryResult` holds rdflib terms, so results from rdflib, Oxigraph or a remote
endpoint compare equal and print the same. The formats they are printed in are in
:mod:`kg.results_format`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

__all__ = ["QueryResult", "to_python", "XSD_DATE"]

Row = tuple[Node | None, ...]


@dataclass
class QueryResult:
    """The answer to one SPARQL query.

    Parameters
    ----------
    kind:
        ``"SELECT"``, ``"ASK"`` or ``"CONSTRUCT"`` (DESCRIBE answers count as CONSTRUCT).
    vars:
        The SELECT variable names, without ``?``, in the query's order.
    rows:
        One tuple per solution, holding an rdflib term or ``None`` (unbound) per variable.
    boolean:
        The answer of an ASK query.
    graph:
        The graph a CONSTRUCT query built.

    Returns
    -------
    QueryResult

    Example
    -------
    >>> r = QueryResult("SELECT", ["x"], [(Literal(1),), (None,)])
    >>> len(r), r.to_dicts()
    (2, [{'x': 1}, {'x': None}])
    """

    kind: str
    vars: list[str] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    boolean: bool | None = None
    graph: Graph | None = None

    @classmethod
    def from_rdflib(cls, result: Any) -> QueryResult:
        """Build a QueryResult from an ``rdflib.query.Result``.

        Parameters
        ----------
        result:
            What ``Graph.query`` returned.

        Returns
        -------
        QueryResult

        Example
        -------
        >>> g = Graph()
        >>> QueryResult.from_rdflib(g.query("ASK { ?s ?p ?o }")).boolean
        False
        """
        if result.type == "ASK":
            return cls("ASK", boolean=bool(result.askAnswer))
        if result.type in ("CONSTRUCT", "DESCRIBE"):
            return cls("CONSTRUCT", graph=result.graph)
        names = [str(v) for v in result.vars or []]
        rows = [tuple(row) for row in result]
        return cls("SELECT", names, rows)

    def __len__(self) -> int:
        """The number of rows (of triples for CONSTRUCT, 0 or 1 for ASK)."""
        if self.kind == "ASK":
            return int(bool(self.boolean))
        if self.kind == "CONSTRUCT":
            return len(self.graph) if self.graph is not None else 0
        return len(self.rows)

    def __iter__(self) -> Iterator[Row]:
        """Iterate over the rows (see :meth:`tabular`)."""
        return iter(self.tabular()[1])

    def tabular(self) -> tuple[list[str], list[Row]]:
        """Return the result as variables and rows; a CONSTRUCT graph as sorted triples.

        Returns
        -------
        tuple[list[str], list[Row]]
            For ASK: ``(["boolean"], [(Literal(answer),)])``.

        Example
        -------
        >>> QueryResult("ASK", boolean=True).tabular()[0]
        ['boolean']
        """
        if self.kind == "ASK":
            return ["boolean"], [(Literal(bool(self.boolean)),)]
        if self.kind == "CONSTRUCT":
            triples = sorted(self.graph or [])
            return ["subject", "predicate", "object"], [tuple(t) for t in triples]
        return list(self.vars), list(self.rows)

    def raw_rows(self) -> list[Row]:
        """The rows in the backend's own terms, without conversion: rdflib terms here,
        pyoxigraph terms for Oxigraph and remote results (see :mod:`kg.backends.oxconvert`).

        Example
        -------
        >>> QueryResult("SELECT", ["s"], [(URIRef("http://x"),)]).raw_rows()
        [(rdflib.term.URIRef('http://x'),)]
        """
        return self.rows

    def lexical_rows(self) -> list[tuple[str | None, ...]]:
        """The rows as text, cheaply on every backend: IRIs, lexical forms, ``_:id``.

        Example
        -------
        >>> QueryResult("SELECT", ["s", "n"], [(URIRef("http://x"), Literal(2))]).lexical_rows()
        [('http://x', '2')]
        """
        return [tuple(_lexical(t) for t in row) for row in self.rows]

    def to_dicts(self) -> list[dict[str, Any]]:
        """Return the rows as dicts of plain Python values (see :func:`to_python`).

        Returns
        -------
        list[dict[str, Any]]
            One dict per row, variable name -> value (``None`` when unbound).

        Example
        -------
        >>> QueryResult("SELECT", ["s"], [(URIRef("http://x"),)]).to_dicts()
        [{'s': 'http://x'}]
        """
        names, rows = self.tabular()
        return [dict(zip(names, (to_python(t) for t in row), strict=True)) for row in rows]


def _lexical(term: Node | None) -> str | None:
    """An rdflib term's text: the IRI, the lexical form, or ``_:id`` for a blank node."""
    if term is None:
        return None
    return f"_:{term}" if isinstance(term, BNode) else str(term)


def to_python(term: Node | None) -> Any:
    """Convert an rdflib term to a plain Python value.

    Parameters
    ----------
    term:
        An IRI (-> its string), a blank node (-> ``"_:id"``), a literal (-> its Python value:
        int, Decimal, date, bool, str ...) or ``None``.

    Returns
    -------
    Any

    Example
    -------
    >>> to_python(Literal("2024-05-01", datatype=XSD_DATE)), to_python(URIRef("http://x"))
    (datetime.date(2024, 5, 1), 'http://x')
    """
    if term is None:
        return None
    if isinstance(term, Literal):
        value = term.toPython()
        return str(term) if isinstance(value, Literal) else value
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


XSD_DATE = URIRef("http://www.w3.org/2001/XMLSchema#date")
