"""A source exported, then added to a fresh project, gives the same triples: for a fixture
source, and for the article's own source against data/triples.ttl. And ``--store``."""

from __future__ import annotations

import shutil

import pytest
from rdflib import BNode, Graph, URIRef
from rdflib.compare import isomorphic
from sources_common import FIXTURES, ROOT, SOURCES, kg, new_project

from kg.parsing import parse_file
from kg.project import init_project

KGR = "https://w3id.org/kg-ir/resource/"
DCT_SOURCE = URIRef("http://purl.org/dc/terms/source")
OWL = "http://www.w3.org/2002/07/owl#"
ARTICLE_TEXT = ROOT / "data" / "sources" / "000_d20e6f837713f4ad.txt"


def node_triples(g: Graph, source: URIRef) -> tuple[set, set]:
    """The triples whose subject's source is ``source``, and their axiom annotations
    (as (annotated triple, annotation property, value) rows)."""
    nodes = {s for s in g.subjects(DCT_SOURCE, source) if isinstance(s, URIRef)}
    triples = {(s, p, o) for s, p, o in g if s in nodes}
    axioms = set()
    for a in g.subjects(URIRef(OWL + "annotatedSource"), None):
        s = g.value(a, URIRef(OWL + "annotatedSource"))
        if s in nodes:
            key = (
                s,
                g.value(a, URIRef(OWL + "annotatedProperty")),
                g.value(a, URIRef(OWL + "annotatedTarget")),
            )
            for p, o in g.predicate_objects(a):
                if not str(p).startswith(OWL) and not isinstance(o, BNode):
                    axioms.add((key, p, o))
    return triples, axioms


def test_a_fixture_source_round_trips(tmp_path):
    root = new_project(tmp_path, *SOURCES)
    assert kg("add", *(f"sources/{n}.yaml" for n in SOURCES), cwd=root).returncode == 0
    result = kg(
        "export-source",
        "kgr:tribune-2031-04-03",
        "-o",
        "out/tribune.yaml",
        "--text-file",
        "sources/tribune.txt",
        cwd=root,
    )
    assert result.returncode == 0, result.stderr
    fresh = tmp_path / "fresh"
    init_project(fresh)
    shutil.copytree(root / "out", fresh / "out")
    shutil.copy(FIXTURES / "tribune.txt", fresh / "sources" / "tribune.txt")
    added = kg("add", "out/tribune.yaml", cwd=fresh)
    assert added.returncode == 0, added.stderr
    name = "data/sources/tribune-2031-04-03.ttl"
    assert isomorphic(parse_file(root / name, Graph()), parse_file(fresh / name, Graph()))


@pytest.mark.skipif(not ARTICLE_TEXT.exists(), reason="the article's text is not in data/sources")
def test_the_articles_source_round_trips_to_data_triples(tmp_path):
    fresh = tmp_path / "fresh"
    init_project(fresh)
    result = kg(
        "export-source",
        "kgr:article",
        "-o",
        str(fresh / "sources" / "article.yaml"),
        "--text-file",
        str(ARTICLE_TEXT),
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    added = kg("add", "sources/article.yaml", cwd=fresh)
    assert added.returncode == 0, added.stderr
    article = URIRef(KGR + "article")
    original = parse_file(ROOT / "data" / "triples.ttl", Graph())
    rebuilt = parse_file(fresh / "data" / "sources" / "article.ttl", Graph())
    want_triples, want_axioms = node_triples(original, article)
    got_triples, got_axioms = node_triples(rebuilt, article)
    assert len(want_triples) > 500
    assert got_triples - want_triples == set()
    assert want_triples - got_triples == set()
    assert got_axioms == want_axioms
    # and the article's own node
    own = {(p, o) for p, o in original.predicate_objects(article)}
    assert own == {(p, o) for p, o in rebuilt.predicate_objects(article)}


def test_adding_into_a_store_is_one_transaction_idempotent_and_replaces(tmp_path):
    root = new_project(tmp_path, *SOURCES)
    store = tmp_path / "store"
    assert kg("--store", str(store), "load", cwd=root).returncode in (0, 2)
    first = kg("--store", str(store), "add", *(f"sources/{n}.yaml" for n in SOURCES), cwd=root)
    assert first.returncode == 0, first.stderr
    assert first.stdout.count(": wrote ") == 3, first.stdout
    again = kg("--store", str(store), "add", "sources/tribune.yaml", cwd=root)
    assert again.returncode == 0 and ": unchanged (" in again.stdout, again.stdout + again.stderr
    path = root / "sources" / "tribune.yaml"
    path.write_text(
        path.read_text().replace(
            "label: Port Elsa\n", "label: Port Elsa town\n    other_names: [Port Elsa]\n"
        )
    )
    changed = kg("--store", str(store), "add", "sources/tribune.yaml", cwd=root)
    assert changed.returncode == 0 and ": replaced " in changed.stdout, (
        changed.stdout + changed.stderr
    )
    query = (
        "SELECT ?l WHERE { <https://w3id.org/kg-ir/resource/PortElsa>"
        " <http://www.w3.org/2000/01/rdf-schema#label> ?l }"
    )
    answer = kg("--store", str(store), "query", "-", "--format", "csv", stdin=query, cwd=root)
    assert answer.stdout.split() == ["l", "Port", "Elsa", "town"], answer.stdout + answer.stderr
    other = "ASK { <https://w3id.org/kg-ir/resource/Obligation_OrunDamOpen> ?p ?o }"
    assert kg("--store", str(store), "query", "-", stdin=other, cwd=root).stdout.split() == ["yes"]
