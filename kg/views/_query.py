"""SPARQL plumbing shared by the views: prefixes, namespaces, and one ``select``.

A view takes a :data:`ViewSource`: a :class:`kg.graph.KnowledgeGraph` on any backend, or a
plain rdflib ``Graph``, which :func:`as_graph` wraps once (no copy) in the memory backend, so
everything after reads one interface (:class:`kg.backends.base.Backend`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeAlias

from kg.namespaces import ONTOLOGY_IRI, sparql_prefixes

if TYPE_CHECKING:
    from rdflib import Graph

    from kg.backends.base import PropertyTriple
    from kg.graph import KnowledgeGraph

__all__ = [
    "DCT_SOURCE",
    "KG_NS",
    "PREFIXES",
    "RDFS_LABEL",
    "RDF_TYPE",
    "SKOS_EXACT",
    "SKOS_PREF",
    "WD_NS",
    "IndexRead",
    "ViewSource",
    "as_graph",
    "lexical_table",
    "property_index",
    "select",
    "text",
]

#: What a view is built from.
ViewSource: TypeAlias = "KnowledgeGraph | Graph"
#: A backend's :meth:`~kg.backends.base.Backend.property_triples`.
IndexRead: TypeAlias = "Callable[..., list[PropertyTriple]]"

KG_NS = ONTOLOGY_IRI
WD_NS = "http://www.wikidata.org/entity/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SKOS_PREF = "http://www.w3.org/2004/02/skos/core#prefLabel"
SKOS_EXACT = "http://www.w3.org/2004/02/skos/core#exactMatch"
DCT_SOURCE = "http://purl.org/dc/terms/source"

PREFIXES = sparql_prefixes("kg", "rdf", "rdfs", "owl", "skos", "dct")


def as_graph(source: ViewSource) -> KnowledgeGraph:
    """The source as a KnowledgeGraph: an rdflib Graph is wrapped (not copied) in the memory
    backend; a KnowledgeGraph is returned as it is.

    Parameters
    ----------
    source:
        A :class:`kg.graph.KnowledgeGraph` or an rdflib ``Graph``.

    Returns
    -------
    KnowledgeGraph

    Example
    -------
    >>> from rdflib import Graph
    >>> g = Graph(); graph = as_graph(g)
    >>> graph.backend.kind, graph.backend.to_rdflib() is g, as_graph(graph) is graph
    ('memory', True, True)
    """
    from rdflib import Graph

    if not isinstance(source, Graph):
        return source
    from kg.backends.memory import MemoryBackend
    from kg.graph import KnowledgeGraph

    backend = MemoryBackend()
    backend.graph = source  # the memory backend's store is an rdflib Graph: use this one
    return KnowledgeGraph(backend)


def select(source: KnowledgeGraph, sparql: str, **bindings: Any) -> list[dict[str, Any]]:
    """Run a SELECT query on a KnowledgeGraph or an rdflib Graph; rows as dicts of text.

    Values are lexical: an IRI, a literal's lexical form (ask for ``LANG(?x)`` when the
    language matters), a blank node's id. Reading text skips building rdflib terms, which is
    most of the cost of a large result on Oxigraph (``QueryResult.lexical_rows``).

    Parameters
    ----------
    source:
        A :class:`kg.graph.KnowledgeGraph` (any backend; see :func:`as_graph`).
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
    >>> g = as_graph(Graph().parse(data="<http://a> <http://b> 'x' .", format="turtle"))
    >>> from rdflib import Literal
    >>> select(g, "SELECT ?o WHERE { ?s ?p ?o FILTER(?o = ?want) }", want=Literal("x"))
    [{'o': 'x'}]
    """
    names, rows = lexical_table(source, sparql, **bindings)
    return [dict(zip(names, row, strict=True)) for row in rows]


def lexical_table(
    source: KnowledgeGraph, sparql: str, **bindings: Any
) -> tuple[list[str], list[tuple[str | None, ...]]]:
    """Run a SELECT query; the variable names and the rows as tuples of text (see :func:`select`).

    Rows as tuples, not dicts: the views read their largest results by position.

    Parameters
    ----------
    source:
        A :class:`kg.graph.KnowledgeGraph` (any backend).
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
    result = source.query(sparql, **bindings)
    return list(result.vars), result.lexical_rows()


def property_index(source: KnowledgeGraph) -> IndexRead | None:
    """The backend's direct read of one property's triples, if it reads its index, else ``None``.

    The Oxigraph backend does (:attr:`kg.backends.base.Backend.reads_index`; a third of the
    time of the same query's rows); the others answer :meth:`property_triples
    <kg.backends.base.Backend.property_triples>` by a query, no faster than the views' own, and
    a graph answering from the cache (:class:`kg.cache.graph.CachedGraph`) is never read so.

    Parameters
    ----------
    source:
        A KnowledgeGraph.

    Returns
    -------
    callable or None
        ``property_triples(prop, *, iri_subjects=True, iri_objects=False)``.

    Example
    -------
    >>> from rdflib import Graph
    >>> property_index(as_graph(Graph())) is None
    True
    >>> from kg.backends.oxigraph import OxigraphBackend
    >>> from kg.graph import KnowledgeGraph
    >>> property_index(KnowledgeGraph(OxigraphBackend())) is not None
    True
    """
    if source.caches_answers:
        # A kg.cache.CachedGraph answers queries from disk; taking its backend would load it.
        return None
    backend = source.backend
    return backend.property_triples if backend.reads_index else None


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
