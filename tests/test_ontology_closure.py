"""A plain SPARQL client asking for a superclass (``?x a kg:Claim``, ``?x a kg:Actor``) gets its
instances without a reasoner: on every backend, in a store made by ``kg load``, through a real
``kg serve`` and through a real ``oxigraph serve`` reading that store."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx
import pytest
import rdflib

from kg.inference import class_tree, superclass_types
from kg.project import open_project as project_paths

KG = "https://w3id.org/kg-ir/ontology#"
CLAIMS = f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ ?x a <{KG}Claim> }}"
ACTORS = f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ ?x a <{KG}Actor> }}"
PLACES = f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ ?x a <{KG}Place> }}"


def expected(query_class: str) -> int:
    """The instances of a class and its subclasses in the data file itself, found by the tree."""
    data = rdflib.Graph().parse(project_paths().data)
    tree = class_tree(project_paths().ontology)
    target = rdflib.URIRef(KG + query_class)
    return len(
        {
            s
            for s, cls in data.subject_objects(rdflib.RDF.type)
            if cls == target or target in tree.get(cls, ())
        }
    )


def count(graph, query: str) -> int:
    return int(graph.query(query).rows[0][0])


def test_the_class_tree_is_the_ontology_s_own():
    tree = class_tree(project_paths().ontology)
    statement = tree[rdflib.URIRef(KG + "Statement")]
    assert statement == {rdflib.URIRef(KG + "Claim")}  # not schema:Claim or prov:Entity
    alliance = tree[rdflib.URIRef(KG + "MilitaryAlliance")]
    assert alliance == {rdflib.URIRef(KG + c) for c in ("InternationalOrganization", "Actor")}


def test_superclass_types_adds_only_what_is_missing():
    a, b, c = (rdflib.URIRef(KG + n) for n in ("A", "B", "C"))
    tree = {a: frozenset({b, c}), b: frozenset({c})}
    assert superclass_types([("x", a), ("x", c), ("y", b)], tree) == {("x", b), ("y", c)}


def test_plain_clients_get_superclass_instances_on_every_backend(backend_kg):
    assert count(backend_kg, CLAIMS) == expected("Claim") > 30
    assert count(backend_kg, ACTORS) == expected("Actor") > 30
    assert count(backend_kg, PLACES) == expected("Place") >= 9


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    """A store made by ``kg load`` (the real command), with the schema and the article."""
    folder = tmp_path_factory.mktemp("closure") / "store"
    kg_cmd = Path(sys.executable).parent / "kg"
    subprocess.run(
        [str(kg_cmd), "load", str(project_paths().data), "--store", str(folder)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return folder


def test_a_store_made_by_kg_load_holds_the_closure(store):
    import kg

    graph = kg.load(store=str(store))
    assert count(graph, CLAIMS) == expected("Claim")
    assert count(graph, ACTORS) == expected("Actor")


@pytest.mark.server
def test_oxigraph_serve_over_the_store_answers_superclass_queries(store):
    from conftest import OxigraphServer

    server = OxigraphServer(store)
    try:
        answer = httpx.post(
            server.query_url,
            data={"query": CLAIMS},
            headers={"Accept": "application/sparql-results+json"},
            timeout=30,
        ).json()
    finally:
        server.stop()
    assert int(answer["results"]["bindings"][0]["n"]["value"]) == expected("Claim")


@pytest.mark.server
@pytest.mark.parametrize("backend", ["memory", "oxigraph"])
def test_kg_serve_answers_superclass_queries(backend):
    from kg.serve.testing import running_server

    with running_server(["--workers", "0"], ["--backend", backend]) as server:
        answer = httpx.post(
            server.url,
            data={"query": ACTORS},
            headers={"Accept": "application/sparql-results+json"},
            timeout=60,
        ).json()
    assert int(answer["results"]["bindings"][0]["n"]["value"]) == expected("Actor")


def test_the_oxigraph_closure_keeps_blank_nodes_and_adds_each_type_once():
    import pyoxigraph as ox

    from kg.inference import close_oxigraph_store

    store = ox.Store()
    store.load(
        f"""@prefix kg: <{KG}> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        kg:State rdfs:subClassOf kg:Polity . kg:Polity rdfs:subClassOf kg:Actor .
        <http://ex/am> a kg:State, kg:Actor . _:b a kg:State . [] a kg:Polity .
        <http://ex/\u00e9> a kg:Polity . <http://ex/other> a <http://ex/State> .""",
        ox.RdfFormat.TURTLE,
    )
    close_oxigraph_store(store)
    types = [
        (str(r[0]), r[1].value.rsplit("#", 1)[-1]) for r in store.query("SELECT ?s ?c { ?s a ?c }")
    ]
    by_subject: dict[str, set[str]] = {}
    for subject, cls in types:
        by_subject.setdefault(subject, set()).add(cls)
    assert len(types) == 11  # 3 + 3 + 2 + 2 + 1: each triple once
    assert by_subject.pop("<http://ex/am>") == {"State", "Polity", "Actor"}
    assert by_subject.pop("<http://ex/\u00e9>") == {"Polity", "Actor"}
    assert by_subject.pop("<http://ex/other>") == {"http://ex/State"}
    blanks = sorted(by_subject.values(), key=len)  # the two blank nodes, told apart
    assert blanks == [{"Polity", "Actor"}, {"State", "Polity", "Actor"}]


def test_the_oxigraph_closure_of_a_synthetic_graph_is_what_the_tree_implies(tmp_path):
    import pyoxigraph as ox

    from kg.backends.oxigraph import OxigraphBackend
    from kg.bench.synthetic import write_ntriples

    data = tmp_path / "syn.nt"
    with data.open("w", encoding="utf-8") as out:
        write_ntriples(out, 5_000, seed=3)
    backend = OxigraphBackend()
    backend.load([project_paths().ontology, data])
    plain = ox.Store()
    plain.bulk_load(path=str(data), format=ox.RdfFormat.N_TRIPLES)
    typed = [
        (q.subject.value, rdflib.URIRef(q.object.value))
        for q in plain.quads_for_pattern(
            None, ox.NamedNode(str(rdflib.RDF.type)), None, ox.DefaultGraph()
        )
    ]
    implied = superclass_types(typed, class_tree(project_paths().ontology))
    assert len(implied) > 100
    rdf_type = ox.NamedNode(str(rdflib.RDF.type))
    for node, sup in implied:
        assert ox.Quad(ox.NamedNode(node), rdf_type, ox.NamedNode(str(sup))) in backend.store
    before = len(plain) + sum(
        1 for _ in ox.parse(path=str(project_paths().ontology), format=ox.RdfFormat.TURTLE)
    )
    assert len(backend) == before + len(implied)


@pytest.mark.server
def test_a_remote_load_sends_the_closure(tmp_path):
    """``kg load --endpoint``'s loader (the remote backend's load) of the plain schema and
    data files: the endpoint then answers superclass queries by itself."""
    from conftest import OxigraphServer

    from kg.backends.remote import RemoteBackend

    server = OxigraphServer()
    try:
        paths = project_paths()
        RemoteBackend(server.query_url, server.update_url).load([*paths.schema_files, paths.data])
        answers = [
            httpx.post(
                server.query_url,
                data={"query": query},
                headers={"Accept": "application/sparql-results+json"},
                timeout=60,
            ).json()["results"]["bindings"][0]["n"]["value"]
            for query in (CLAIMS, ACTORS)
        ]
    finally:
        server.stop()
    assert [int(n) for n in answers] == [expected("Claim"), expected("Actor")]
