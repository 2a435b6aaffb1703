"""What ``kg stats`` counts, with SPARQL, so that every backend answers the same.

:func:`count_graph` takes any backend (an object with ``query(sparql, bindings)`` and
``len()``, see :class:`kg.backends.base.Backend`): :meth:`kg.graph.KnowledgeGraph.stats`
uses it, and so do the backends that keep their counts beside their data.
"""

from __future__ import annotations

from typing import Any

from kg.namespaces import ONTOLOGY_IRI, RESOURCE_IRI, shorten, sparql_prefixes

__all__ = ["COUNTED_CLASSES", "count_graph"]

_PREFIXES = sparql_prefixes("kg", "rdf", "rdfs", "owl")

# Entities are the nodes the data names in the resource namespace; ontology terms and
# blank nodes (axiom annotations) are not entities.
_ENTITIES = (
    _PREFIXES
    + f"""SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{
  ?s ?p ?o . FILTER(STRSTARTS(STR(?s), "{RESOURCE_IRI}"))
}}"""
)
_PER_CLASS = (
    _PREFIXES
    + f"""SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE {{
  ?s a ?class . FILTER(STRSTARTS(STR(?s), "{RESOURCE_IRI}"))
}} GROUP BY ?class"""
)
# Instances of a class or of any of its subclasses, so that a kg:Statement counts as a
# kg:Claim without running a reasoner.
_INSTANCES = (
    _PREFIXES
    + """SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {
  ?class rdfs:subClassOf* ?top . ?s a ?class .
}"""
)
_QUOTES = _PREFIXES + "SELECT (COUNT(*) AS ?n) WHERE { ?s kg:quote ?q }"
_AXIOMS = _PREFIXES + "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a owl:Axiom }"

#: stats() key -> the ontology class whose instances it counts.
COUNTED_CLASSES = {
    "states": ONTOLOGY_IRI + "State",
    "events": ONTOLOGY_IRI + "Event",
    "agreements": ONTOLOGY_IRI + "Agreement",
    "obligations": ONTOLOGY_IRI + "Obligation",
    "claims": ONTOLOGY_IRI + "Claim",
    "statements": ONTOLOGY_IRI + "Statement",
    "sources": ONTOLOGY_IRI + "SourceDocument",
}


def count_graph(backend: Any) -> dict[str, Any]:
    """Count what a backend holds.

    Parameters
    ----------
    backend:
        A :class:`kg.backends.base.Backend`.

    Returns
    -------
    dict
        ``triples``, ``entities`` (nodes in the ``kgr:`` namespace), one count per key of
        :data:`COUNTED_CLASSES` (subclasses included), ``quotes`` (``kg:quote`` values),
        ``annotated_triples`` (``owl:Axiom`` annotations) and ``classes`` (prefixed class
        name -> number of entities, most common first).

    Example
    -------
    >>> from kg.backends.memory import MemoryBackend
    >>> count_graph(MemoryBackend())["classes"]
    {}
    """
    from rdflib import URIRef

    counts: dict[str, Any] = {"triples": len(backend), "entities": _count(backend, _ENTITIES)}
    for key, iri in COUNTED_CLASSES.items():
        counts[key] = _count(backend, _INSTANCES, top=URIRef(iri))
    counts["quotes"] = _count(backend, _QUOTES)
    counts["annotated_triples"] = _count(backend, _AXIOMS)
    rows = backend.query(_PER_CLASS, {}).rows
    per_class = [(shorten(c), int(n.toPython())) for c, n in rows if c]
    counts["classes"] = dict(sorted(per_class, key=lambda item: (-item[1], item[0])))
    return counts


def _count(backend: Any, sparql: str, **bindings: Any) -> int:
    """Run a query whose one row holds one count ``?n``."""
    rows = backend.query(sparql, bindings).rows
    return int(rows[0][0].toPython()) if rows and rows[0][0] is not None else 0
