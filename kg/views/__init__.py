"""Typed networkx views of the knowledge graph.

Each view is a ``networkx.MultiDiGraph`` built from a few SPARQL queries, on any backend (or
a plain rdflib Graph). The contract (relied on by the HTML renders):

- ``G.graph``: ``name``, ``as_of`` (ISO date or ``None``).
- node key: the entity IRI (str); attributes ``iri``, ``label`` (English ``rdfs:label``),
  ``cls`` (the most specific kg class's local name), ``group`` (one of
  :data:`kg.views._build.ALL_GROUPS`), and when known ``start``, ``end``, ``date``,
  ``wikidata`` (Q-id), ``quote``, ``kind`` (event or statement kind label), ``status``,
  ``characterization``, ``source``, ``alleged`` (the IRI of the claim that is the only
  evidence for an event or fact: never plain fact) and ``event_status`` (``occurred``,
  ``planned``, ``intended``, ``conditional`` or ``alleged``).
- edge key: the relation's local name (``memberOf``; a second edge of the same relation
  between the same two nodes is ``memberOf~2``); attributes ``relation`` (property IRI),
  ``label`` (its ``rdfs:label``), ``source`` (document IRI or ``None``), ``quote`` (verbatim
  evidence or ``None``), and when known ``start``, ``end``, ``via`` (the n-ary node:
  membership, participation, signature), ``status``/``status_date`` (memberships), ``role``
  (participations), ``on_behalf_of`` (signatures).

Evidence: an n-ary node's own ``kg:quote``/``dct:source``; for a direct triple its
``owl:Axiom`` annotation if any, else its subject's.

Example
-------
>>> from kg.views import VIEWS
>>> sorted(VIEWS)
['agreement', 'alliance', 'event', 'full', 'statement']
"""

from __future__ import annotations

from kg.views.agreement import agreement_view
from kg.views.alliance import alliance_view
from kg.views.event import event_view
from kg.views.full import full_view
from kg.views.statement import statement_view

#: view name -> builder
VIEWS = {
    "alliance": alliance_view,
    "agreement": agreement_view,
    "event": event_view,
    "statement": statement_view,
    "full": full_view,
}

__all__ = ["VIEWS", "agreement_view", "alliance_view", "event_view", "full_view", "statement_view"]
