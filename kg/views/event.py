"""The event view: events, who took part and in what role, where, and what led to what.

Edges from an event: ``participant`` (one per ``kg:Participation``, ``via`` it, with
``role``), direct ``participant`` and ``initiator``, ``place``, ``partOf``, ``resultOf`` and
``attestedBy`` (the claim that is the only evidence for the event).
"""

from __future__ import annotations

from typing import Any

import networkx as nx
from rdflib import Literal

from kg.views import _build, timefilter

KG = _build.KG_NS
KGR = "https://w3id.org/kg-ir/resource/"
_DIRECT = [
    "participant",
    "initiator",
    "place",
    "partOf",
    "resultOf",
    "purpose",
    "allegedBy",
    "attestedBy",
]
#: The nodes the event edges can touch.
NODES = _build.node_pattern(both=_DIRECT, subjects=["participation"], objects=["participationOf"])

#: Qualified participations, cut to the events begun by ``?asOf`` when it is bound. The
#: evidence is the participation's own, else the event's.
PARTICIPATIONS = (
    _build.PREFIXES
    + """SELECT ?e ?via ?a ?role ?roleLabel ?src ?quote WHERE {
  ?e kg:participation ?via . ?via kg:participationOf ?a .
  OPTIONAL { ?via kg:role ?role
             OPTIONAL { ?role rdfs:label ?roleLabel FILTER(langMatches(lang(?roleLabel), "en")) } }
  OPTIONAL { ?via dct:source ?src }
  OPTIONAL { ?via kg:quote ?quote }
  OPTIONAL { ?e kg:startDate ?start }
  FILTER(!BOUND(?asOf) || !BOUND(?start) || STR(?start) <= STR(?asOf))
}"""
)


def add_event_edges(G: nx.MultiDiGraph, source: Any, as_of: str | None) -> None:
    """Add the event view's edges to ``G`` (used by :func:`event_view` and the full view).

    Parameters
    ----------
    G:
        The view being built.
    source:
        KnowledgeGraph or rdflib Graph.
    as_of:
        ISO date or ``None``.

    Returns
    -------
    None

    Example
    -------
    >>> from rdflib import Graph
    >>> G = _build.new_view("x", None); add_event_edges(G, Graph(), None); len(G)
    0
    """
    bindings = {"asOf": Literal(as_of)} if as_of else {}
    for row in _build.by_evidence(_build.select(source, PARTICIPATIONS, **bindings)):
        own = row["src"] is not None or row["quote"] is not None
        src, quote, of = row["src"], row["quote"], None if own else row["e"]
        role = row["roleLabel"] or (_build.local_name(str(row["role"])) if row["role"] else None)
        _build.add_edge(
            G,
            row["e"],
            KG + "participant",
            row["a"],
            source=src,
            quote=quote,
            via=row["via"],
            role=role,
            evidence_of=of,
        )
    _build.add_direct_edges(G, source, [KG + name for name in _DIRECT])


def event_view(source: Any, as_of: Any = None) -> nx.MultiDiGraph:
    """Events with their participants (and roles), places, parent events and causes.

    Parameters
    ----------
    source:
        A :class:`kg.graph.KnowledgeGraph` (any backend) or an rdflib Graph.
    as_of:
        A date: keep the events that had begun by then. ``None``: all.

    Returns
    -------
    networkx.MultiDiGraph
        Event nodes carry ``kind`` (the event kind's label), ``start``, ``end``, ``quote``.

    Example
    -------
    >>> from kg.views._fixture import fixture
    >>> G = event_view(fixture())
    >>> G.nodes[f"{KGR}Offensive2023"]["kind"], G.nodes[f"{KGR}Offensive2023"]["start"]
    ('military offensive', '2023-09-19')
    >>> G.edges[f"{KGR}Offensive2023", f"{KGR}Azerbaijan", "participant"]["role"]
    'attacker'
    >>> f"{KGR}Offensive2023" in event_view(fixture(), as_of="2023-09-01")
    False
    """
    as_of = timefilter.as_of_string(as_of)
    G = _build.new_view("event", as_of)
    with _build.gc_paused():
        add_event_edges(G, source, as_of)
        return _build.finish(G, source, NODES)
