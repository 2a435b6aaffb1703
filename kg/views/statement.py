"""The statement view: who said what, about what, aimed at whom, and which claims clash.

Claims (statements, the author's opinions, reported facts) are nodes; edges from a claim:
``speaker``, ``about``, ``target``, ``contradicts``, ``respondsTo``. A claim's evidence is its
own quote and source.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import networkx as nx

from kg.namespaces import RESOURCE_IRI
from kg.views._build import build
from kg.views._direct import add_direct_edges
from kg.views._nodes import node_pattern
from kg.views._query import KG_NS, ViewSource

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph
    from kg.views._rdf import EdgeWriter

__all__ = ["INVERSES", "NODES", "add_statement_edges", "statement_view"]

KG = KG_NS
KGR = RESOURCE_IRI
_DIRECT = ["speaker", "about", "target", "contradicts", "respondsTo"]
#: The nodes the statement edges can touch.
NODES = node_pattern(both=_DIRECT)


def add_statement_edges(G: nx.MultiDiGraph, source: KnowledgeGraph, as_of: str | None) -> None:
    """Add the statement view's edges to ``G`` (used by :func:`statement_view` and the full view).

    Parameters
    ----------
    G:
        The view being built.
    source:
        A KnowledgeGraph.
    as_of:
        ISO date or ``None`` (claims are cut by :func:`kg.views.timefilter.prune`).

    Returns
    -------
    None

    Example
    -------
    >>> from rdflib import Graph
    >>> from kg.views._edges import new_view
    >>> from kg.views._query import as_graph
    >>> G = new_view("x", None); add_statement_edges(G, as_graph(Graph()), None); len(G)
    0
    """
    add_direct_edges(G, source, [KG + name for name in _DIRECT])


def statement_view(
    source: ViewSource, as_of: Any = None, *, alleged: bool = False
) -> nx.MultiDiGraph:
    """Claims with their speakers, topics, targets, and the claims they contradict.

    Parameters
    ----------
    source:
        A :class:`kg.graph.KnowledgeGraph` (any backend) or an rdflib Graph.
    as_of:
        A date: keep the claims made by then. ``None``: all.
    alleged:
        Also keep the facts known only from a speaker's claim (``kg:ReportedFact`` with
        ``kg:allegedBy``), marked with ``alleged`` (:mod:`kg.views.alleged`).

    Returns
    -------
    networkx.MultiDiGraph
        Claim nodes carry ``kind`` (the statement kind's label), ``date``, ``quote``,
        ``source`` and, if given, ``characterization``.

    Example
    -------
    >>> from kg.views._fixture import fixture
    >>> G = statement_view(fixture())
    >>> s = G.nodes[f"{KGR}Statement_MFA_aggression"]
    >>> s["cls"], s["kind"], s["characterization"]
    ('Statement', 'accusation of aggression', 'widescale aggression')
    >>> mfa, baku = f"{KGR}Statement_MFA_aggression", f"{KGR}Statement_Baku_announcement"
    >>> G.has_edge(mfa, baku, "contradicts")
    True
    """
    return build("statement", source, as_of, [add_statement_edges], NODES, alleged=alleged)


#: The qualified relations this view writes back as n-ary nodes: none, all its edges are
#: direct triples (:func:`kg.views._direct.direct_edge_to_rdf`).
INVERSES: dict[str, EdgeWriter] = {}
