"""The SPARQL a reconciliation index is built from (:mod:`kg.linking.reconcile_index`).

Plain queries through ``KnowledgeGraph.query``, so any backend answers them.
"""

from __future__ import annotations

from kg.linking.sparql import PREFIXES

__all__ = ["CLASS_LABELS", "ENTITIES", "SUPERCLASSES", "VALUES"]


def _with_prefixes(query: str) -> str:
    return PREFIXES + query


# Three plain queries rather than one with a property path and OPTIONALs: rdflib evaluates
# these in linear time (scripts/bench_linking.py measures the index build).
ENTITIES = _with_prefixes("""
SELECT ?entity ?class ?label WHERE {
  ?entity a ?class ; rdfs:label ?label .
  FILTER(STRSTARTS(STR(?class), STR(kg:)))
}""")
SUPERCLASSES = _with_prefixes("""
SELECT ?class ?super WHERE {
  ?class a owl:Class ; rdfs:subClassOf+ ?super .
  FILTER(STRSTARTS(STR(?class), STR(kg:)) && STRSTARTS(STR(?super), STR(kg:)))
}""")
VALUES = _with_prefixes("""
SELECT ?entity ?p ?o WHERE {
  ?entity ?p ?o .
  FILTER(STRSTARTS(STR(?p), STR(kg:)) || ?p IN (skos:exactMatch, skos:altLabel))
}""")
CLASS_LABELS = _with_prefixes("""
SELECT ?class ?label WHERE {
  ?class a owl:Class ; rdfs:label ?label . FILTER(STRSTARTS(STR(?class), STR(kg:)))
}""")
