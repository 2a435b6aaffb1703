"""Build a view: the one function every view builder ends with, and the shared last step.

A view is built in two steps. Edge adders (one per view family: ``add_alliance_edges`` ...)
run a few SPARQL queries returning one row per relation with its evidence, and keep them as
edges (:func:`kg.views._edges.add_edge`, :func:`kg.views._direct.add_direct_edges`). Then
:func:`finish` fetches the nodes' attributes (:mod:`kg.views._nodes`) and the relations'
labels, leaves out what is not plain fact unless asked for (:mod:`kg.views.alleged`), and
cuts the view to its ``as_of`` day (:mod:`kg.views.timefilter`). :func:`build` does both,
with the garbage collector paused.

Every query goes through :func:`kg.views._query.select` (or ``lexical_table``) on a
:class:`kg.graph.KnowledgeGraph`; values are bound, never pasted into the text.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import networkx as nx

from kg.views import timefilter
from kg.views._edges import new_view
from kg.views._nodes import add_node_attributes, property_labels
from kg.views._query import ViewSource, as_graph
from kg.views.alleged import drop_not_fact

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph

__all__ = ["EdgeAdder", "build", "finish", "gc_paused"]

#: Adds one view family's edges: ``(view, graph, as_of)``.
EdgeAdder = Callable[[nx.MultiDiGraph, "KnowledgeGraph", "str | None"], None]


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a view is built.

    Building a graph allocates hundreds of thousands of dicts that all stay alive, so every
    collection the allocations trigger finds nothing to free; pausing it saves about a
    quarter of the time on large views (scripts/bench_views.py).

    Returns
    -------
    contextmanager

    Example
    -------
    >>> with gc_paused():
    ...     gc.isenabled()
    False
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def build(
    name: str,
    source: ViewSource,
    as_of: Any,
    adders: Sequence[EdgeAdder],
    nodes: str,
    *,
    alleged: bool = False,
) -> nx.MultiDiGraph:
    """Build the view ``name``: its edges from ``adders``, then :func:`finish`.

    Parameters
    ----------
    name:
        The view's name (``G.graph["name"]``).
    source:
        A KnowledgeGraph (any backend) or an rdflib Graph.
    as_of:
        A date (``datetime.date`` or ISO text), or ``None`` for all time.
    adders:
        The edge adders of the view's families, run in order.
    nodes:
        A SPARQL pattern binding ``?n`` to the nodes the edges can touch
        (:func:`kg.views._nodes.node_pattern`).
    alleged:
        Also keep alleged and not-occurred events and facts, marked (``G.graph["alleged"]``
        is then ``True``); by default they are left out (:mod:`kg.views.alleged`).

    Returns
    -------
    networkx.MultiDiGraph

    Raises
    ------
    BadOptionError
        A bad ``as_of``.

    Example
    -------
    >>> from rdflib import Graph
    >>> build("x", Graph(), "2023-09-01", [], "{ ?n ?p ?o }", alleged=True).graph
    {'name': 'x', 'as_of': '2023-09-01', 'alleged': True}
    """
    as_of = timefilter.as_of_string(as_of)
    graph = as_graph(source)
    G = new_view(name, as_of)
    if alleged:
        G.graph["alleged"] = True
    with gc_paused():
        for add in adders:
            add(G, graph, as_of)
        return finish(G, graph, nodes)


def finish(G: nx.MultiDiGraph, source: KnowledgeGraph, nodes: str) -> nx.MultiDiGraph:
    """Fill node attributes, the evidence edges take from their subject, and relation labels;
    leave out what is not plain fact unless ``G.graph["alleged"]``; cut to ``G.graph["as_of"]``.

    Parameters
    ----------
    G:
        The view with its edges.
    source:
        A KnowledgeGraph.
    nodes:
        A SPARQL pattern binding ``?n`` to the view's nodes (:func:`node_pattern`).

    Returns
    -------
    networkx.MultiDiGraph
        ``G`` itself.

    Example
    -------
    >>> from rdflib import Graph
    >>> from kg.views._nodes import node_pattern
    >>> empty = as_graph(Graph())
    >>> finish(new_view("x", None), empty, node_pattern(both=["ledBy"])).number_of_nodes()
    0
    """
    add_node_attributes(G, source, nodes)
    # One pass over the edges: the evidence taken from a subject, and the relation's label.
    # (Not number_of_edges(), which counts them all.)
    labels = property_labels(source) if next(iter(G.edges), None) is not None else {}
    node = G._node  # the node and adjacency dicts themselves: the largest loop of a view
    for nbrs in G._succ.values():
        for keys in nbrs.values():
            for data in keys.values():
                of = data.pop("evidence_of", None)
                if of is not None:
                    attrs = node[of]
                    data["source"], data["quote"] = attrs.get("source"), attrs.get("quote")
                data["label"] = labels.get(data["relation"], data["label"])
    if not G.graph.get("alleged"):
        drop_not_fact(G)
    if G.graph.get("as_of"):
        timefilter.prune(G, G.graph["as_of"])
    return G
