"""Typed networkx views of the knowledge graph.

Each view is a ``networkx.MultiDiGraph`` built from a few SPARQL queries, on any backend (or
a plain rdflib Graph). Alleged and not-occurred events and facts are left out unless the view
is built with ``alleged=True`` (:mod:`kg.views.alleged`). The contract (relied on by the HTML
renders):

- ``G.graph``: ``name``, ``as_of`` (ISO date or ``None``), and ``alleged: True`` when asked for.
- node key: the entity IRI (str); attributes ``iri``, ``label`` (English ``rdfs:label``),
  ``cls`` (the most specific kg class's local name), ``group`` (one of
  :data:`kg.views._nodes.ALL_GROUPS`), and when known ``start``, ``end``, ``date``,
  ``wikidata`` (Q-id), ``quote``, ``kind`` (event or statement kind label), ``status``,
  ``characterization``, ``source``, ``event_status`` (``occurred``, ``planned``,
  ``intended``, ``conditional`` or ``alleged``) and, in a view built with ``alleged=True``,
  ``alleged`` (the IRI of the claim that is the only evidence for an event or fact).
- edge key: the relation's local name (``memberOf``; a second edge of the same relation
  between the same two nodes is ``memberOf~2``); attributes ``relation`` (property IRI),
  ``label`` (its ``rdfs:label``), ``source`` (document IRI or ``None``), ``quote`` (verbatim
  evidence or ``None``), and when known ``start``, ``end``, ``via`` (the n-ary node:
  membership, participation, signature), ``status``/``status_date`` (memberships), ``role``
  (participations), ``on_behalf_of`` (signatures).

Evidence: an n-ary node's own ``kg:quote``/``dct:source``; for a direct triple its
``owl:Axiom`` annotation if any, else its subject's.

Views go back to RDF and out to GraphML, GEXF and JSON with :mod:`kg.views.convert`.

Example
-------
>>> from kg.views import VIEWS
>>> sorted(VIEWS)
['agreement', 'alliance', 'event', 'full', 'statement']
>>> from rdflib import Graph
>>> g = Graph().parse(format="turtle", data='''@prefix kg: <https://w3id.org/kg-ir/ontology#> .
... <http://x/attack> a kg:Event ; kg:participant <http://x/A> ; kg:allegedBy <http://x/claim> ;
...     kg:eventStatus <https://w3id.org/kg-ir/kind/alleged> .''')
>>> len(event_view(g)), event_view(g, alleged=True).nodes["http://x/attack"]["alleged"]
(0, 'http://x/claim')
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeAlias

from kg.views.agreement import agreement_view
from kg.views.alliance import alliance_view
from kg.views.event import event_view
from kg.views.full import full_view
from kg.views.statement import statement_view

if TYPE_CHECKING:
    import networkx as nx

#: What every view builder is.
ViewBuilder: TypeAlias = "Callable[..., nx.MultiDiGraph]"

#: view name -> builder: ``builder(source, as_of=None, *, alleged=False)``
VIEWS: dict[str, ViewBuilder] = {
    "alliance": alliance_view,
    "agreement": agreement_view,
    "event": event_view,
    "statement": statement_view,
    "full": full_view,
}

__all__ = [
    "VIEWS",
    "ViewBuilder",
    "agreement_view",
    "alliance_view",
    "event_view",
    "full_view",
    "statement_view",
]
