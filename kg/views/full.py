"""The full view: every family of relations at once, plus the structural ones.

Structural edges: ``country``, ``postIn``, ``heldBy``, ``holds``, ``deployedIn``,
``locatedIn``, ``controlledBy``, ``livesIn``, ``headquarters``, ``foundingDocument``.
"""

from __future__ import annotations

from typing import Any

import networkx as nx

from kg.views import _build, agreement, alliance, event, statement, timefilter
from kg.views.agreement import add_agreement_edges
from kg.views.alliance import add_alliance_edges
from kg.views.event import add_event_edges
from kg.views.statement import add_statement_edges

KG = _build.KG_NS
KGR = "https://w3id.org/kg-ir/resource/"
STRUCTURAL = [
    *("country", "postIn", "heldBy", "holds", "deployedIn", "locatedIn", "controlledBy"),
    *("livesIn", "headquarters", "foundingDocument"),
]
NODES = " UNION ".join(
    [alliance.NODES, agreement.NODES, event.NODES, statement.NODES, _build.node_pattern(STRUCTURAL)]
)


def full_view(source: Any, as_of: Any = None) -> nx.MultiDiGraph:
    """All the views in one graph, with the structural relations between entities.

    Parameters
    ----------
    source:
        A :class:`kg.graph.KnowledgeGraph` (any backend) or an rdflib Graph.
    as_of:
        A date: keep what held then (see :mod:`kg.views.timefilter`). ``None``: all.

    Returns
    -------
    networkx.MultiDiGraph

    Example
    -------
    >>> from kg.views._fixture import fixture
    >>> G = full_view(fixture())
    >>> G.graph["name"], G.has_edge(f"{KGR}ArmenianMFA", f"{KGR}Armenia", "country")
    ('full', True)
    >>> sorted(k for _, _, k in G.edges(f"{KGR}Armenia", keys=True))
    ['memberOf']
    """
    as_of = timefilter.as_of_string(as_of)
    G = _build.new_view("full", as_of)
    with _build.gc_paused():
        add_alliance_edges(G, source, as_of)
        add_agreement_edges(G, source, as_of)
        add_event_edges(G, source, as_of)
        add_statement_edges(G, source, as_of)
        _build.add_direct_edges(G, source, [KG + name for name in STRUCTURAL])
        return _build.finish(G, source, NODES)
