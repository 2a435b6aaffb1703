"""On Oxigraph, large views read their node facts straight from the property index
(kg.views._nodes._fact_rows); the views must be the very graphs the node query gives."""

from __future__ import annotations

import networkx as nx
import pytest

from kg.namespaces import RESOURCE_IRI as KGR
from kg.namespaces import local_name
from kg.views import VIEWS, _direct, _nodes
from kg.views._edges import add_edge
from kg.views._query import PREFIXES, lexical_table


@pytest.fixture(scope="module")
def ox_kg():
    import kg

    return kg.load(backend="oxigraph")


def as_dicts(G):
    nodes = dict(G.nodes(data=True))
    edges = {(u, v, k): d for u, v, k, d in G.edges(keys=True, data=True)}
    return G.graph, nodes, edges


@pytest.mark.parametrize("as_of", [None, "2023-09-01"])
@pytest.mark.parametrize("name", ["alliance", "agreement", "event", "statement", "full"])
def test_index_read_gives_the_node_query_views(ox_kg, monkeypatch, name, as_of):
    looked_up = as_dicts(VIEWS[name](ox_kg, as_of=as_of))
    monkeypatch.setattr(_nodes, "SCAN_MIN_NODES", 0)
    monkeypatch.setattr(_nodes, "SCAN_NODES_PER_100_TYPED", 0)

    def no_node_query(pattern):
        raise AssertionError("the node query ran: the index read was not taken")

    monkeypatch.setattr(_nodes, "node_query", no_node_query)
    assert as_dicts(VIEWS[name](ox_kg, as_of=as_of)) == looked_up


def test_property_triples_are_the_sparql_rows(ox_kg):
    for prop in [_nodes.RDF_TYPE, _nodes.RDFS_LABEL, *_nodes._NODE_PROPS]:
        sparql = (
            PREFIXES
            + f"SELECT ?n ?o ?lang WHERE {{ ?n <{prop}> ?o FILTER(isIRI(?n)) "
            + "BIND(LANG(?o) AS ?lang) }"
        )
        assert sorted(ox_kg.backend.property_triples(prop), key=str) == sorted(
            lexical_table(ox_kg, sparql)[1], key=str
        ), prop


def test_property_triples_of_blank_nodes_and_literals():
    from kg.backends.oxigraph import OxigraphBackend
    from kg.graph import KnowledgeGraph

    graph = KnowledgeGraph(OxigraphBackend())
    graph.update(
        'INSERT DATA { <http://a> <http://p> _:b, "x"@en-GB, "2020-01-01"^^'
        '<http://www.w3.org/2001/XMLSchema#date>, "q\\"t" . _:c <http://p> <http://d> }'
    )
    rows = sorted(graph.backend.property_triples("http://p"), key=str)
    sparql = "SELECT ?n ?o ?lang { ?n <http://p> ?o FILTER(isIRI(?n)) BIND(LANG(?o) AS ?lang) }"
    assert rows == sorted(lexical_table(graph, sparql)[1], key=str)
    assert [(s, o if not o.startswith("_:") else "_:", lang) for s, o, lang in rows] == [
        ("http://a", "2020-01-01", ""),
        ("http://a", "_:", None),
        ("http://a", 'q"t', ""),
        ("http://a", "x", "en-gb"),
    ]


def ordered(G, keys_in_order=True):
    """Everything a view holds, in networkx's own order: nodes and their attributes, and
    each node's out- and in-edges with their keys and attributes."""
    nodes = [(n, list(a.items()) if keys_in_order else a) for n, a in G.nodes(data=True)]
    out = [(u, v, k, list(d.items())) for u, v, k, d in G.edges(keys=True, data=True)]
    into = [(u, v, k) for u, v, k in G.in_edges(keys=True)]
    return G.graph, nodes, out, into


@pytest.mark.parametrize("name", ["statement", "full"])
def test_index_read_keeps_the_node_query_order(ox_kg, monkeypatch, name):
    """Nodes, edges, their keys and their attributes in the same order on both paths (a
    node's attribute names come in the rows' order from the query, in the properties'
    order from the index: the dicts are equal, not their key order)."""
    looked_up = ordered(VIEWS[name](ox_kg), keys_in_order=False)
    monkeypatch.setattr(_nodes, "SCAN_MIN_NODES", 0)
    monkeypatch.setattr(_nodes, "SCAN_NODES_PER_100_TYPED", 0)
    assert ordered(VIEWS[name](ox_kg), keys_in_order=False) == looked_up


def rebuilt(G):
    """The same view built through networkx's public add_node / add_edge, in G's order."""
    H = nx.MultiDiGraph(**G.graph)
    for n, attrs in G.nodes(data=True):
        H.add_node(n, **attrs)
    for u, v, k, d in G.edges(keys=True, data=True):
        H.add_edge(u, v, key=k, **d)
    return H


@pytest.mark.parametrize("scan", [False, True])
def test_directly_written_adjacency_is_a_valid_multidigraph(ox_kg, monkeypatch, scan):
    """The views write their largest part straight into the graph's node and adjacency
    dicts (kg.views._direct._insert_plain, kg.views._scan.scan_into): the graph must be the
    one add_edge builds, order and keys included, and networkx must work on it."""
    if scan:
        monkeypatch.setattr(_nodes, "SCAN_MIN_NODES", 0)
        monkeypatch.setattr(_nodes, "SCAN_NODES_PER_100_TYPED", 0)
    G = VIEWS["full"](ox_kg)
    H = rebuilt(G)
    assert nx.utils.graphs_equal(G, H)
    assert ordered(G)[:3] == ordered(H)[:3]  # in-edges: in insertion order, see below
    assert sorted(G.in_edges(keys=True)) == sorted(H.in_edges(keys=True))
    for u, nbrs in G._succ.items():  # one key dict per (u, v), shared by succ and pred
        for v, keys in nbrs.items():
            assert G._pred[v][u] is keys
    assert sum(len(nbrs) for nbrs in G._pred.values()) == sum(len(n) for n in G._succ.values())
    assert set(G._succ) == set(G._pred) == set(G._node)
    # networkx's algorithms and mutations on it give what they give on H
    a, b = f"{KGR}Armenia", f"{KGR}Russia"
    assert nx.shortest_path_length(G.to_undirected(), a, b) == nx.shortest_path_length(
        H.to_undirected(), a, b
    )
    assert sorted(map(sorted, nx.weakly_connected_components(G))) == sorted(
        map(sorted, nx.weakly_connected_components(H))
    )
    assert nx.utils.graphs_equal(G.reverse(), H.reverse())
    assert nx.degree_centrality(G) == nx.degree_centrality(H)
    u, v, k = next(iter(G.edges(keys=True)))
    G.remove_edge(u, v, key=k)
    H.remove_edge(u, v, key=k)
    assert nx.utils.graphs_equal(G, H) and G.number_of_edges() == H.number_of_edges()
    G.add_edge(u, v, key="again")
    assert G.has_edge(u, v, "again") and u in G.pred[v] and v in G.succ[u]


def _insert_plain_by_add_edge(G, prop, pairs):
    """What kg.views._direct._insert_plain does, through networkx's own add_node/add_edge."""
    name = local_name(prop)
    for u, v, backwards in pairs:
        if u not in G:
            G.add_node(u, iri=u)
        if G.has_edge(u, v):
            if not any(d["relation"] == prop for d in G[u][v].values()):
                add_edge(G, u, prop, v, evidence_of=v if backwards else u)
            continue
        if v not in G:
            G.add_node(v, iri=v)
        attrs = {"relation": prop, "label": name, "source": None, "quote": None}
        G.add_edge(u, v, key=name, **attrs, evidence_of=v if backwards else u)


@pytest.mark.parametrize("name", ["statement", "full"])
def test_direct_adjacency_is_what_add_edge_builds(ox_kg, monkeypatch, name):
    """The same view with its plain direct edges added by networkx's add_edge: equal in
    everything, in-edge order included."""
    direct = ordered(VIEWS[name](ox_kg))
    monkeypatch.setattr(_direct, "_insert_plain", _insert_plain_by_add_edge)
    assert ordered(VIEWS[name](ox_kg)) == direct
