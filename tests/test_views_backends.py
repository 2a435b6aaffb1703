"""Views are the same graphs on every backend: rdflib in memory, Oxigraph, a remote endpoint."""

from __future__ import annotations

import pytest
from views_common import article_graph
from views_common import article_view as memory_view

from kg.relations import allies, connections
from kg.views import VIEWS


def as_dicts(G):
    nodes = dict(G.nodes(data=True))
    edges = {(u, v, k): d for u, v, k, d in G.edges(keys=True, data=True)}
    return G.graph, nodes, edges


@pytest.mark.parametrize("as_of", [None, "2023-09-01"])
def test_views_match_the_in_memory_ones(backend_kg, as_of):
    for name in ("alliance", "agreement", "event", "statement", "full"):
        assert as_dicts(VIEWS[name](backend_kg, as_of=as_of)) == as_dicts(memory_view(name, as_of))


def test_views_with_alleged_things_match(backend_kg):
    for name in ("event", "statement", "full"):
        G = VIEWS[name](backend_kg, alleged=True)
        assert as_dicts(G) == as_dicts(VIEWS[name](article_graph(), alleged=True))


def test_relations_match_on_every_backend(backend_kg):
    G = VIEWS["full"](backend_kg)
    assert allies(G, "Armenia", "2023-09-01") == allies(
        memory_view("full", None), "Armenia", "2023-09-01"
    )
    assert connections(G, "Armenia", "Russia", 2) == connections(
        memory_view("full", None), "Armenia", "Russia", 2
    )
