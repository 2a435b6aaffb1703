"""The event view: events, who took part and in what role, where, and what led to what.

Edges from an event: ``participant`` (one per ``kg:Participation``, ``via`` it, with
``role``), direct ``participant`` and ``initiator``, ``place``, ``partOf``, ``resultOf`` and
``attestedBy`` (the claim that is the only evidence for the event).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import networkx as nx
from rdflib import Literal

from kg.namespaces import RESOURCE_IRI, local_name
from kg.views._build import build
from kg.views._direct import add_direct_edges
from kg.views._edges import add_edge, by_evidence
from kg.views._nodes import node_pattern
from kg.views._query import KG_NS, PREFIXES, ViewSource, select

if TYPE_CHECKING:
    from rdflib import Graph

    from kg.graph import KnowledgeGraph
    from kg.views._rdf import EdgeWriter

__all__ = [
    "INVERSES",
    "NODES",
    "PARTICIPATIONS",
    "add_event_edges",
    "event_view",
    "participation_to_rdf",
]

KG = KG_NS
KGR = RESOURCE_IRI
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
NODES = node_pattern(both=_DIRECT, subjects=["participation"], objects=["participationOf"])

#: Qualified participations, cut to the events begun by ``?asOf`` when it is bound. The
#: evidence is the participation's own, else the event's.
PARTICIPATIONS = (
    PREFIXES
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


def add_event_edges(G: nx.MultiDiGraph, source: KnowledgeGraph, as_of: str | None) -> None:
    """Add the event view's edges to ``G`` (used by :func:`event_view` and the full view).

    Parameters
    ----------
    G:
        The view being built.
    source:
        A KnowledgeGraph.
    as_of:
        ISO date or ``None``.

    Returns
    -------
    None

    Example
    -------
    >>> from rdflib import Graph
    >>> from kg.views._edges import new_view
    >>> from kg.views._query import as_graph
    >>> G = new_view("x", None); add_event_edges(G, as_graph(Graph()), None); len(G)
    0
    """
    bindings = {"asOf": Literal(as_of)} if as_of else {}
    for row in by_evidence(select(source, PARTICIPATIONS, **bindings)):
        own = row["src"] is not None or row["quote"] is not None
        src, quote, of = row["src"], row["quote"], None if own else row["e"]
        role = row["roleLabel"] or (local_name(str(row["role"])) if row["role"] else None)
        add_edge(
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
    add_direct_edges(G, source, [KG + name for name in _DIRECT])


def event_view(source: ViewSource, as_of: Any = None, *, alleged: bool = False) -> nx.MultiDiGraph:
    """Events with their participants (and roles), places, parent events and causes.

    Parameters
    ----------
    source:
        A :class:`kg.graph.KnowledgeGraph` (any backend) or an rdflib Graph.
    as_of:
        A date: keep the events that had begun by then. ``None``: all.
    alleged:
        Also keep the events that are only alleged or did not occur (planned, intended,
        conditional), marked with ``alleged`` and ``event_status`` (:mod:`kg.views.alleged`).

    Returns
    -------
    networkx.MultiDiGraph
        Event nodes carry ``kind`` (the event kind's label), ``start``, ``end``, ``quote``
        and ``event_status``.

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
    return build("event", source, as_of, [add_event_edges], NODES, alleged=alleged)


def participation_to_rdf(g: Graph, G: nx.MultiDiGraph, u: str, v: str, d: dict[str, Any]) -> None:
    """Write a ``participant`` edge ``via`` a participation back as its ``kg:Participation``
    node (the inverse of :data:`PARTICIPATIONS`, for :func:`kg.views.convert.view_to_rdf`).

    Parameters
    ----------
    g:
        The RDF being written.
    G:
        The view.
    u, v, d:
        The edge's ends (event, participant) and attributes; the role, held by its label,
        comes back as a blank-node concept with that label.

    Returns
    -------
    None

    Example
    -------
    >>> from rdflib import Graph
    >>> g = Graph()
    >>> participation_to_rdf(g, None, "http://e", "http://a", {"via": "http://p", "role": "host"})
    >>> sorted(p.split("#")[-1] for p in g.predicates())
    ['label', 'participation', 'participationOf', 'role', 'type']
    """
    from rdflib import URIRef
    from rdflib.namespace import RDF

    from kg.views._rdf import add_evidence, concept, kg_term

    via = URIRef(d["via"])
    g.add((via, RDF.type, kg_term("Participation")))
    g.add((URIRef(u), kg_term("participation"), via))
    g.add((via, kg_term("participationOf"), URIRef(v)))
    if d.get("role"):
        g.add((via, kg_term("role"), concept(g, d["role"])))
    add_evidence(g, via, d.get("source"), d.get("quote"))


#: The qualified relations this view writes back as n-ary nodes: relation -> writer.
INVERSES: dict[str, EdgeWriter] = {KG + "participant": participation_to_rdf}
