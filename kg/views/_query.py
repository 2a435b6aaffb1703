"""SPARQL plumbing shared by the views: prefixes, namespaces, and one ``select`` for every
kind of source (a KnowledgeGraph on any backend, or a plain rdflib Graph)."""

from __future__ import annotations

from typing import Any

KG_NS = "https://w3id.org/kg-ir/ontology#"
WD_NS = "http://www.wikidata.org/entity/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SKOS_PREF = "http://www.w3.org/2004/02/skos/core#prefLabel"
SKOS_EXACT = "http://www.w3.org/2004/02/skos/core#exactMatch"
DCT_SOURCE = "http://purl.org/dc/terms/source"

PREFIXES = """\
PREFIX kg: <https://w3id.org/kg-ir/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dct: <http://purl.org/dc/terms/>
"""


def select(source: Any, sparql: str, **bindings: Any) -> list[dict[str, Any]]:
    """Run a SELECT query on a KnowledgeGraph or an rdflib Graph; rows as dicts of text.

    Values are lexical: an IRI, a literal's lexical form (ask for ``LANG(?x)`` when the
    language matters), a blank node's id. Reading text skips building rdflib terms, which is
    most of the cost of a large result on Oxigraph (``QueryResult.lexical_rows``).

    Parameters
    ----------
    source:
        A :class:`kg.graph.KnowledgeGraph` (any backend) or an rdflib ``Graph``.
    sparql:
        The query text (prefixes included).
    **bindings:
        Variable name -> rdflib term, bound by the engine, never pasted into the text.

    Returns
    -------
    list[dict]
        One dict per row, variable name -> str, or ``None`` when unbound.

    Example
    -------
    >>> from rdflib import Graph
    >>> g = Graph().parse(data="<http://a> <http://b> 'x' .", format="turtle")
    >>> from rdflib import Literal
    >>> select(g, "SELECT ?o WHERE { ?s ?p ?o FILTER(?o = ?want) }", want=Literal("x"))
    [{'o': 'x'}]
    """
    names, rows = lexical_table(source, sparql, **bindings)
    return [dict(zip(names, row, strict=True)) for row in rows]


def lexical_table(source: Any, sparql: str, **bindings: Any) -> tuple[list[str], list[tuple]]:
    """Run a SELECT query; the variable names and the rows as tuples of text (see :func:`select`).

    Rows as tuples, not dicts: the views read their largest results by position.

    Parameters
    ----------
    source:
        A :class:`kg.graph.KnowledgeGraph` (any backend) or an rdflib ``Graph``.
    sparql:
        The query text (prefixes included).
    **bindings:
        Variable name -> rdflib term.

    Returns
    -------
    tuple
        ``(names, rows)``; a value is a str, or ``None`` when unbound.

    Example
    -------
    >>> from kg.graph import KnowledgeGraph
    >>> from kg.backends.oxigraph import OxigraphBackend
    >>> g = KnowledgeGraph(OxigraphBackend())
    >>> g.update('INSERT DATA { <http://a> <http://b> "x y"@en, 2, _:n }')
    >>> names, rows = lexical_table(g, "SELECT ?o ?u WHERE { ?s ?p ?o } ORDER BY STR(?o)")
    >>> names, sorted((o if o[0] != "_" else "_:", u) for o, u in rows)
    (['o', 'u'], [('2', None), ('_:', None), ('x y', None)])
    """
    from rdflib import Graph

    if isinstance(source, Graph):
        result = source.query(sparql, initBindings=bindings)
        names = [str(v) for v in result.vars]
        return names, [tuple(None if t is None else str(t) for t in row) for row in result]
    result = source.query(sparql, **bindings)
    return list(result.vars), result.lexical_rows()


def property_index(source: Any) -> Any:
    """The backend's direct read of one property's triples, if it has one, else ``None``.

    The Oxigraph backend has one (:meth:`kg.backends.oxigraph.OxigraphBackend.property_triples`,
    a third of the time of the same query's rows); other backends and rdflib Graphs have none,
    nor has a graph answering from the cache (:class:`kg.cache.graph.CachedGraph`).

    Example
    -------
    >>> from rdflib import Graph
    >>> property_index(Graph()) is None
    True
    """
    if getattr(source, "caches_answers", False):
        # A kg.cache.CachedGraph answers queries from disk; an index read would load it.
        return None
    return getattr(getattr(source, "backend", None), "property_triples", None)


def text(term: Any) -> str | None:
    """A term's lexical form (``None`` stays ``None``).

    Parameters
    ----------
    term:
        An rdflib term or ``None``.

    Returns
    -------
    str or None

    Example
    -------
    >>> from rdflib import Literal
    >>> text(Literal("2020-11-09")), text(None)
    ('2020-11-09', None)
    """
    return None if term is None else str(term)
