"""pyoxigraph terms to rdflib terms and back, and a QueryResult that converts rows lazily.

Turning result rows into rdflib terms is where time goes on large results (a URIRef or a
Literal costs microseconds each, pyoxigraph hands out its terms in nanoseconds), so the
Oxigraph and remote backends keep rows as pyoxigraph terms and convert them on first use of
``.rows``. Code on a hot path (view building, counting, exporting) reads
:meth:`OxQueryResult.raw_rows` or :meth:`OxQueryResult.lexical_rows` instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from kg.namespaces import PREFIXES
from kg.results import QueryResult, Row

__all__ = [
    "OX_FORMATS",
    "QUAD_FORMATS",
    "dump_store",
    "OxQueryResult",
    "index_triples",
    "lexical",
    "ox_result",
    "to_oxigraph",
    "to_rdflib",
    "triples_to_graph",
]

#: export format name (rdflib's) -> pyoxigraph format.
OX_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "json-ld": ox.RdfFormat.JSON_LD,
    "xml": ox.RdfFormat.RDF_XML,
}
#: the formats that hold named graphs besides the default graph.
QUAD_FORMATS = frozenset({"nquads", "trig", "json-ld"})


def dump_store(store: ox.Store, name: str, *, leave_out: Iterable[str] = ()) -> bytes:
    """Write ``store`` in the format ``name`` (a key of :data:`OX_FORMATS`).

    Parameters
    ----------
    store:
        A pyoxigraph store.
    name:
        The format; a triple format holds the default graph, a quad format every graph.
    leave_out:
        Named graphs a quad format leaves out (kg's bookkeeping graphs).

    Returns
    -------
    bytes
        UTF-8 text with kg's prefixes.

    Example
    -------
    >>> dump_store(ox.Store(), "nt")
    b''
    """
    prefixes = {prefix: str(ns) for prefix, ns in PREFIXES.items()}
    if name not in QUAD_FORMATS:
        default = ox.DefaultGraph()
        return store.dump(format=OX_FORMATS[name], from_graph=default, prefixes=prefixes) or b""
    skipped = {ox.NamedNode(graph) for graph in leave_out}
    if skipped:
        kept = ox.Store()
        kept.extend(quad for quad in store if quad.graph_name not in skipped)
        store = kept
    return store.dump(format=OX_FORMATS[name], prefixes=prefixes) or b""


XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

OxTerm = ox.NamedNode | ox.BlankNode | ox.Literal


def to_rdflib(term: Any, memo: dict | None = None) -> Node | None:
    """Convert a pyoxigraph term to the rdflib term that rdflib's own parsers would make.

    Parameters
    ----------
    term:
        A ``NamedNode``, ``BlankNode`` or ``Literal`` (or ``None`` for an unbound value).
    memo:
        A dict to cache conversions in; results repeat the same IRIs many times.

    Returns
    -------
    Node or None
        Plain strings (``xsd:string``) come back without a datatype, as rdflib parses them.

    Example
    -------
    >>> to_rdflib(ox.Literal("x"))
    rdflib.term.Literal('x')
    >>> to_rdflib(ox.Literal("3", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")))
    rdflib.term.Literal('3', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#integer'))
    >>> to_rdflib(ox.NamedNode("http://a")), to_rdflib(None)
    (rdflib.term.URIRef('http://a'), None)
    """
    if term is None:
        return None
    if memo is not None:
        cached = memo.get(term)
        if cached is not None:
            return cached
    if isinstance(term, ox.NamedNode):
        out: Node = URIRef(term.value)
    elif isinstance(term, ox.BlankNode):
        out = BNode(term.value)
    elif isinstance(term, ox.Literal):
        if term.language:
            out = Literal(term.value, lang=term.language)
        elif term.datatype.value == XSD_STRING:
            out = Literal(term.value)
        else:
            out = Literal(term.value, datatype=URIRef(term.datatype.value))
    else:
        raise TypeError(f"cannot convert {term!r} (RDF-star triples are not supported)")
    if memo is not None:
        memo[term] = out
    return out


def to_oxigraph(term: Node) -> OxTerm:
    """Convert an rdflib term to a pyoxigraph term.

    Parameters
    ----------
    term:
        A URIRef, BNode or Literal.

    Returns
    -------
    NamedNode, BlankNode or Literal

    Example
    -------
    >>> to_oxigraph(Literal("hi", lang="en"))
    <Literal value=hi language=en>
    >>> to_oxigraph(Literal(2)).datatype.value
    'http://www.w3.org/2001/XMLSchema#integer'
    """
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"cannot convert {term!r} to a pyoxigraph term")


def lexical(term: Any) -> str | None:
    """The text of a pyoxigraph term: an IRI, a literal's lexical form, or ``_:id``.

    Parameters
    ----------
    term:
        A pyoxigraph term or ``None``.

    Returns
    -------
    str or None

    Example
    -------
    >>> lexical(ox.NamedNode("http://a")), lexical(ox.Literal("x")), lexical(ox.BlankNode("b1"))
    ('http://a', 'x', '_:b1')
    """
    if term is None:
        return None
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value


def triples_to_graph(triples: Iterable[Any], graph: Graph | None = None) -> Graph:
    """Add pyoxigraph triples or quads to an rdflib Graph (named graphs merged).

    Parameters
    ----------
    triples:
        ``ox.Triple`` or ``ox.Quad`` objects (anything with subject, predicate, object).
    graph:
        The graph to add to; a new Graph if not given.

    Returns
    -------
    Graph

    Example
    -------
    >>> t = ox.Triple(ox.NamedNode("http://a"), ox.NamedNode("http://b"), ox.Literal("c"))
    >>> len(triples_to_graph([t]))
    1
    """
    graph = Graph() if graph is None else graph
    memo: dict = {}
    add: Any = graph.addN  # to_rdflib gives None only for None, which triples never hold
    add(
        (to_rdflib(t.subject, memo), to_rdflib(t.predicate, memo), to_rdflib(t.object, memo), graph)
        for t in triples
    )
    return graph


class OxQueryResult(QueryResult):
    """A SELECT result holding pyoxigraph rows, converted to rdflib terms on first ``.rows``.

    It is a :class:`kg.results.QueryResult` in every respect (``rows``, ``to_dicts``,
    formats, equality with results of other backends); ``len`` and the raw accessors do not
    convert anything.

    Parameters
    ----------
    vars:
        The variable names, without ``?``.
    raw:
        One tuple per solution of pyoxigraph terms or ``None``.

    Returns
    -------
    OxQueryResult

    Example
    -------
    >>> r = OxQueryResult(["s"], [(ox.NamedNode("http://a"),), (None,)])
    >>> len(r), r.lexical_rows(), r.rows
    (2, [('http://a',), (None,)], [(rdflib.term.URIRef('http://a'),), (None,)])
    >>> r == QueryResult("SELECT", ["s"], [(URIRef("http://a"),), (None,)])
    True
    """

    def __init__(self, vars: Sequence[str], raw: list[tuple]):
        self.kind = "SELECT"
        self.vars = list(vars)
        self.boolean = None
        self.graph = None
        self._raw = raw
        self._rows: list[Row] | None = None

    @classmethod
    def from_solutions(cls, solutions: Any) -> OxQueryResult:
        """Materialize pyoxigraph ``QuerySolutions`` (from a store or a parsed response).

        Parameters
        ----------
        solutions:
            What ``Store.query`` or ``parse_query_results`` returned for a SELECT.

        Returns
        -------
        OxQueryResult

        Example
        -------
        >>> s = ox.Store()
        >>> OxQueryResult.from_solutions(s.query("SELECT ?x WHERE { ?x ?p ?o }")).vars
        ['x']
        """
        names = [v.value for v in solutions.variables]
        return cls(names, [tuple(solution) for solution in solutions])

    @property
    def rows(self) -> list[Row]:
        """The rows as rdflib terms (converted once, then kept)."""
        if self._rows is None:
            memo: dict = {}
            self._rows = [tuple(to_rdflib(t, memo) for t in row) for row in self._raw]
        return self._rows

    @rows.setter
    def rows(self, value: list[Row]) -> None:
        self._rows = value

    def raw_rows(self) -> list[tuple]:
        """The rows as pyoxigraph terms, without conversion."""
        return self._raw

    def lexical_rows(self) -> list[tuple[str | None, ...]]:
        """The rows as text: IRIs, lexical forms of literals, ``_:id`` for blank nodes."""
        return [tuple(lexical(t) for t in row) for row in self._raw]

    def __len__(self) -> int:
        return len(self._raw)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, QueryResult):
            return NotImplemented
        return (self.kind, self.vars, self.rows, self.boolean, self.graph) == (
            other.kind,
            other.vars,
            other.rows,
            other.boolean,
            other.graph,
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"OxQueryResult(vars={self.vars!r}, rows={len(self._raw)})"


def ox_result(answer: Any) -> QueryResult:
    """Wrap what pyoxigraph answered (solutions, a boolean or triples) as a QueryResult.

    Parameters
    ----------
    answer:
        ``QuerySolutions``, ``QueryBoolean`` or ``QueryTriples``.

    Returns
    -------
    QueryResult
        An :class:`OxQueryResult` for SELECT; CONSTRUCT graphs are rdflib Graphs.

    Example
    -------
    >>> ox_result(ox.Store().query("ASK { ?s ?p ?o }")).boolean
    False
    """
    if isinstance(answer, ox.QueryBoolean):
        return QueryResult("ASK", boolean=bool(answer))
    if isinstance(answer, ox.QuerySolutions):
        return OxQueryResult.from_solutions(answer)
    return QueryResult("CONSTRUCT", graph=triples_to_graph(answer))


def index_triples(
    store: Any, prop: str, iri_subjects: bool = True, iri_objects: bool = False
) -> list[tuple[str, str, str | None]]:
    """Every triple of ``prop`` in a store's default graph, read from its index, as
    ``(subject, object, language)`` text (see ``OxigraphBackend.property_triples``).

    Parameters
    ----------
    store:
        A ``pyoxigraph.Store``.
    prop:
        The property IRI.
    iri_subjects, iri_objects:
        Keep only the triples whose subject (object) is an IRI.

    Returns
    -------
    list[tuple]

    Example
    -------
    >>> st = ox.Store()
    >>> st.update('INSERT DATA { <http://a> <http://p> "x" }')
    >>> index_triples(st, "http://p")
    [('http://a', 'x', '')]
    """
    named, literal = ox.NamedNode, ox.Literal
    rows: list[tuple[str, str, str | None]] = []
    for quad in store.quads_for_pattern(None, named(prop), None, ox.DefaultGraph()):
        subject, o = quad.subject, quad.object
        if type(subject) is named:
            s = subject.value
        elif iri_subjects:
            continue
        else:
            s = "_:" + subject.value
        kind = type(o)
        if kind is named:
            rows.append((s, o.value, None))
        elif iri_objects:
            continue
        elif kind is literal:
            rows.append((s, o.value, o.language or ""))
        else:
            rows.append((s, "_:" + o.value, None))
    return rows
