"""Federated queries: our graph joined with an external SPARQL endpoint through ``SERVICE``.

A ``SERVICE <endpoint>`` clause makes the query engine call another server, so it is checked
first against an allow-list, with the very check ``kg serve`` applies to its own queries
(:func:`kg.serve.guard.check_query`, set there with ``--allow-service URL``): an endpoint not
on the list, or ``SERVICE ?variable``, is refused before any connection is opened.
:func:`linked_facts_query` writes the usual federated question, "these properties of the
Wikidata items our entities are linked to", without pasting anything untrusted into it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from rdflib import URIRef

from kg.errors import BadOptionError
from kg.linking.datasets import DATASETS
from kg.linking.enrich import PROPERTIES
from kg.linking.sparql import values_rows

__all__ = ["check_federated", "federated_query", "linked_facts_query"]


def check_federated(sparql: str, allow_service: Iterable[str]) -> str:
    """Refuse ``sparql`` if it names a ``SERVICE`` or ``FROM`` IRI not in ``allow_service``.

    Parameters
    ----------
    sparql:
        The query text.
    allow_service:
        The endpoint IRIs that may be called.

    Returns
    -------
    str
        The query form (``"SELECT"`` ...).

    Raises
    ------
    kg.serve.guard.RefusedError
        Naming the IRI that is not allowed.

    Example
    -------
    >>> q = "SELECT * WHERE { SERVICE <http://127.0.0.1:7878/query> { ?s ?p ?o } }"
    >>> check_federated(q, ["http://127.0.0.1:7878/query"])
    'SELECT'
    >>> check_federated(q, [])
    Traceback (most recent call last):
    ...
    kg.serve.guard.RefusedError: SERVICE <http://127.0.0.1:7878/query> is not allowed: ...
    """
    from kg.serve.guard import Limits, check_query

    return check_query(sparql, Limits(allow_service=frozenset(allow_service)))


def federated_query(graph: Any, sparql: str, *, allow_service: Iterable[str], **bindings: Any):
    """Run a query with ``SERVICE`` clauses on our graph, after the allow-list check.

    Parameters
    ----------
    graph:
        A ``kg.KnowledgeGraph``.
    sparql:
        The query text.
    allow_service:
        The endpoint IRIs that may be called.
    **bindings:
        Values bound to variables (never pasted into the text).

    Returns
    -------
    kg.results.QueryResult

    Example
    -------
    >>> federated_query(None, "SELECT * { SERVICE ?x { ?s ?p ?o } }", allow_service=[])
    Traceback (most recent call last):
    ...
    kg.serve.guard.RefusedError: SERVICE ... is not allowed: ...
    """
    check_federated(sparql, allow_service)
    return graph.query(sparql, **bindings)


def linked_facts_query(endpoint: str, properties: Sequence[str]) -> str:
    """A federated query: ``properties`` of the Wikidata items our entities link to.

    The endpoint and property IRIs are checked and written as IRIs; nothing else comes from
    outside. The answer has one row per entity, property and value.

    Parameters
    ----------
    endpoint:
        The SPARQL endpoint to call (must be allow-listed when the query runs).
    properties:
        Names from :data:`kg.linking.enrich.PROPERTIES`.

    Returns
    -------
    str
        SELECT ?entity ?label ?item ?property ?value.

    Example
    -------
    >>> print(linked_facts_query("http://127.0.0.1:7878/query", ["population"]))
    PREFIX ...
    SELECT ?entity ?label ?item ?property ?value WHERE {
      ?entity skos:exactMatch ?item .
      FILTER(STRSTARTS(STR(?item), "http://www.wikidata.org/entity/"))
      OPTIONAL { ?entity rdfs:label ?label }
      SERVICE <http://127.0.0.1:7878/query> {
        VALUES (?property) { (<http://www.wikidata.org/prop/direct/P1082>) }
        ?item ?property ?value .
      }
    }
    ORDER BY ?entity ?property ?value
    """
    unknown = [p for p in properties if p not in PROPERTIES]
    if unknown or not properties:
        raise BadOptionError(f"unknown property {(unknown or [''])[0]!r}")
    service = URIRef(endpoint)
    values_rows(["e"], [(service,)])  # refuses an IRI with characters that could escape it
    props = values_rows(["property"], [(PROPERTIES[p],) for p in dict.fromkeys(properties)])
    namespace = DATASETS["wikidata"].namespace
    return f"""\
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?entity ?label ?item ?property ?value WHERE {{
  ?entity skos:exactMatch ?item .
  FILTER(STRSTARTS(STR(?item), "{namespace}"))
  OPTIONAL {{ ?entity rdfs:label ?label }}
  SERVICE {service.n3()} {{
    {props}
    ?item ?property ?value .
  }}
}}
ORDER BY ?entity ?property ?value"""
