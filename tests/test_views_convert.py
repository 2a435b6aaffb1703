"""Views back to RDF (round trip) and to GraphML, GEXF and node-link JSON."""

from __future__ import annotations

import io
import json

import networkx as nx
import pytest
from rdflib import Graph
from views_common import article_graph, article_view

from kg.errors import BadOptionError
from kg.parsing import parse_files
from kg.project import open_project as project_paths
from kg.views import VIEWS
from kg.views.convert import from_node_link, node_link, view_to_rdf, write_view

KG = "https://w3id.org/kg-ir/ontology#"
KGR = "https://w3id.org/kg-ir/resource/"


@pytest.fixture(scope="module")
def graph():
    return article_graph()


def as_dicts(G):
    nodes = dict(G.nodes(data=True))
    edges = {(u, v, k): d for u, v, k, d in G.edges(keys=True, data=True)}
    return nodes, edges


def rebuilt(G, name, as_of, alleged=False):
    """The view ``name`` built again from the RDF that ``G`` is written as, with the ontology."""
    again = parse_files(project_paths().schema_files, into=Graph())
    for triple in view_to_rdf(G):
        again.add(triple)
    return VIEWS[name](again, as_of=as_of, alleged=alleged)


@pytest.mark.parametrize("as_of", [None, "2023-09-01"])
@pytest.mark.parametrize("name", ["alliance", "agreement", "full"])
def test_a_view_round_trips_through_rdf(graph, name, as_of):
    G = article_view(name, as_of)
    assert as_dicts(rebuilt(G, name, as_of)) == as_dicts(G)


@pytest.mark.parametrize("as_of", [None, "2023-08-31", "2023-09-20"])
@pytest.mark.parametrize("name", ["event", "statement", "full"])
def test_a_view_with_alleged_things_round_trips(graph, name, as_of):
    """Alleged events and facts come back alleged by their claim. As of a day before the claim
    was made, they are gone with it (they once kept an ``alleged`` naming the pruned claim)."""
    G = VIEWS[name](graph, as_of=as_of, alleged=True)
    alleged = {n: d["alleged"] for n, d in G.nodes(data=True) if d.get("alleged")}
    assert alleged if as_of != "2023-08-31" else not alleged
    assert all(claim in G for claim in alleged.values())
    assert as_dicts(rebuilt(G, name, as_of, alleged=True)) == as_dicts(G)


def test_round_trip_keeps_relation_types_unlike_rdflib_converter(graph):
    from rdflib.extras.external_graph_libs import rdflib_to_networkx_multidigraph

    G = article_view("alliance")
    rdf = view_to_rdf(G)
    # the n-ary membership comes back as a kg:Membership with its status
    q = """PREFIX kg: <https://w3id.org/kg-ir/ontology#>
    SELECT ?status WHERE { ?m kg:member ?a ; kg:organization ?o ; kg:membershipStatus ?status }"""
    from rdflib import URIRef

    rows = list(rdf.query(q, initBindings={"a": URIRef(KGR + "Armenia")}))
    assert [str(r[0]) for r in rows] == ["https://w3id.org/kg-ir/kind/frozen"]
    # rdflib's converter gives edges with no relation attribute at all
    plain = rdflib_to_networkx_multidigraph(rdf)
    assert all("relation" not in d for _, _, d in plain.edges(data=True))


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_graphml_and_gexf_read_back_with_relations_and_evidence(graph, fmt, tmp_path):
    G = article_view("full")
    path = tmp_path / f"full.{fmt}"
    write_view(G, path, fmt)
    H = nx.read_graphml(path) if fmt == "graphml" else nx.read_gexf(path)
    assert H.number_of_nodes() == G.number_of_nodes()
    assert H.number_of_edges() == G.number_of_edges()
    relations = {d["relation"] for _, _, d in H.edges(data=True)}
    assert relations == {d["relation"] for _, _, d in G.edges(data=True)}
    u, v = KGR + "CSTO", KGR + "Russia"
    [led] = [d for _, w, d in H.edges(u, data=True) if w == v and d["relation"] == KG + "ledBy"]
    assert "effectively led by Russia" in led["quote"] and led["source"] == KGR + "article"


def test_node_link_json_keeps_the_document_source_apart_from_edge_ends(graph):
    G = article_view("agreement")
    text = write_view(G, None, "json")
    data = json.loads(text)
    edge = next(e for e in data["edges"] if e["key"] == "mediator")
    assert edge["from"] == KGR + "TrilateralStatement2020" and edge["to"] == KGR + "Russia"
    assert edge["source"] == KGR + "article"
    H = from_node_link(data)
    assert sorted(H.edges(keys=True)) == sorted(G.edges(keys=True))
    assert node_link(G)["graph"] == {"name": "agreement"}


def test_a_failed_write_leaves_no_file(graph, tmp_path):
    G = article_view("alliance")
    target = tmp_path / "old.graphml"
    target.write_text("old")
    with pytest.raises(BadOptionError):
        write_view(G, target, "yaml")
    assert target.read_text() == "old"
    write_view(G, target, "graphml")
    assert nx.read_graphml(io.StringIO(target.read_text())).number_of_edges() == G.number_of_edges()
    assert [p.name for p in tmp_path.iterdir()] == ["old.graphml"]
    # like kg export and kg render, a missing folder is made
    write_view(G, tmp_path / "new" / "x.json", "json")
    assert [p.name for p in (tmp_path / "new").iterdir()] == ["x.json"]
