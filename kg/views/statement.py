"""The statement view: who said what, about what, aimed at whom, and which claims clash.

Claims (statements, the author's opinions, reported facts) are nodes; edges from a claim:
``speaker``, ``about``, ``target``, ``contradicts``, ``respondsTo``. A claim's evidence is its
own quote and source.
"""

from __future__ import annotations

from typing import Any

import networkx as nx

from kg.views import _build, timefilter

KG = _build.KG_NS
KGR = "https://w3id.org/kg-ir/resource/"
_DIRECT = ["speaker", "about", "target", "contradicts", "respondsTo"]
#: The nodes the statement edges can touch.
NODES = _build.node_pattern(both=_DIRECT)


def add_statement_edges(G: nx.MultiDiGraph, source: Any, as_of: str | None) -> None:
    """Add the statement view's edges to ``G`` (used by :func:`statement_view` and the full view).

    Parameters
    ----------
    G:
        The view being built.
    source:
        KnowledgeGraph or rdflib Graph.
    as_of:
        ISO date or ``None`` (claims are cut by :func:`kg.views.timefilter.prune`).

    Returns
    -------
    None

    Example
    -------
    >>> from rdflib import Graph
    >>> G = _build.new_view("x", None); add_statement_edges(G, Graph(), None); len(G)
    0
    """
    _build.add_direct_edges(G, source, [KG + name for name in _DIRECT])


def statement_view(source: Any, as_of: Any = None) -> nx.MultiDiGraph:
    """Claims with their speakers, topics, targets, and the claims they contradict.

    Parameters
    ----------
    source:
        A :class:`kg.graph.KnowledgeGraph` (any backend) or an rdflib Graph.
    as_of:
        A date: keep the claims made by then. ``None``: all.

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
    as_of = timefilter.as_of_string(as_of)
    G = _build.new_view("statement", as_of)
    with _build.gc_paused():
        add_statement_edges(G, source, as_of)
        return _build.finish(G, source, NODES)
