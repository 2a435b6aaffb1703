"""On Oxigraph, large views read their node facts straight from the property index
(kg.views._nodes._fact_rows); the views must be the very graphs the node query gives."""

from __future__ import annotations

import pytest

from kg.views import VIEWS, _nodes
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
