"""The full view: every family of relations at once, plus the structural ones.

Structural edges: ``country``, ``postIn``, ``heldBy``, ``holds``, ``deployedIn``,
``locatedIn``, ``controlledBy``, ``livesIn``, ``headquarters``, ``foundingDocument``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import networkx as nx

from kg.namespaces import RESOURCE_IRI
from kg.views import agreement, alliance, event, statement
from kg.views._build import build
from kg.views._direct import add_direct_edges
from kg.views._nodes import node_pattern
from kg.views._query import KG_NS, ViewSource
from kg.views.agreement import add_agreement_edges
from kg.views.alliance import add_alliance_edges
from kg.views.event import add_event_edges
from kg.views.statement import add_statement_edges

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph

__all__ = ["ADDERS", "NODES", "STRUCTURAL", "add_structural_edges", "full_view"]

KG = KG_NS
KGR = RESOURCE_IRI
STRUCTURAL = [
    *("country", "postIn", "heldBy", "holds", "deployedIn", "locatedIn", "controlledBy"),
    *("livesIn", "headquarters", "foundingDocument"),
]
NODES = " UNION ".join(
    [alliance.NODES, agreement.NODES, event.NODES, statement.NODES, node_pattern(STRUCTURAL)]
)


def add_structural_edges(G: nx.MultiDiGraph, source: KnowledgeGraph, as_of: str | None) -> None:
    """Add the structural edges (:data:`STRUCTURAL`) between entities to ``G``.

    Parameters
    ----------
    G:
        The view being built.
    source:
        A KnowledgeGraph.
    as_of:
        ISO date or ``None`` (not used: structural edges are undated).

    Returns
    -------
    None

    Example
    -------
    >>> from rdflib import Graph
    >>> from kg.views._edges import new_view
    >>> from kg.views._query import as_graph
    >>> G = new_view("x", None); add_structural_edges(G, as_graph(Graph()), None); len(G)
    0
    """
    add_direct_edges(G, source, [KG + name for name in STRUCTURAL])


#: The edge adders of the full view, in order.
ADDERS = [
    add_alliance_edges,
    add_agreement_edges,
    add_event_edges,
    add_statement_edges,
    add_structural_edges,
]


def full_view(source: ViewSource, as_of: Any = None, *, alleged: bool = False) -> nx.MultiDiGraph:
    """All the views in one graph, with the structural relations between entities.

    Parameters
    ----------
    source:
        A :class:`kg.graph.KnowledgeGraph` (any backend) or an rdflib Graph.
    as_of:
        A date: keep what held then (see :mod:`kg.views.timefilter`). ``None``: all.
    alleged:
        Also keep alleged and not-occurred events and facts, marked (:mod:`kg.views.alleged`).

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
    return build("full", source, as_of, ADDERS, NODES, alleged=alleged)
