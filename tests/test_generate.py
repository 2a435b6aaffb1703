"""The synthetic graph generator: size, determinism, ontology terms, and the script."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

from kg.bench.synthetic import KG, generate
from kg.installed import ONTOLOGY

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "generate.py"


@pytest.fixture(scope="module")
def small() -> str:
    return "".join(generate(20_000, seed=5))


def test_size_is_close_to_the_request(small):
    store = ox.Store()
    store.load(small, ox.RdfFormat.N_TRIPLES)
    assert 19_000 <= len(store) <= 21_000
    # no duplicate lines: every line is a distinct triple
    assert len(store) == small.count("\n")


def test_same_seed_same_graph_other_seed_other_graph(small):
    assert "".join(generate(20_000, seed=5)) == small
    assert "".join(generate(20_000, seed=6)) != small


def test_uses_only_terms_the_ontology_defines(small):
    ontology = rdflib.Graph().parse(ONTOLOGY)
    defined = {str(s) for s in ontology.subjects() if str(s).startswith(KG)}
    graph = rdflib.Graph().parse(data=small, format="nt")
    used = {str(p) for p in graph.predicates() if str(p).startswith(KG)}
    used |= {str(o) for o in graph.objects(None, rdflib.RDF.type) if str(o).startswith(KG)}
    assert used, "the generator uses kg: terms"
    assert used <= defined, f"undefined terms: {sorted(used - defined)}"
    for cls in (
        "State",
        "MilitaryAlliance",
        "Membership",
        "Agreement",
        "Obligation",
        "Event",
        "Statement",
    ):
        assert f"{KG}{cls}" in used


def test_every_node_is_labelled_and_every_claim_sourced_and_quoted(small):
    graph = rdflib.Graph().parse(data=small, format="nt")
    label, source = rdflib.RDFS.label, rdflib.URIRef("http://purl.org/dc/terms/source")
    kg = rdflib.Namespace(KG)
    for subject in set(graph.subjects()):
        assert graph.value(subject, label) is not None, subject
    for cls in (kg.Statement, kg.Event, kg.Obligation):
        for node in graph.subjects(rdflib.RDF.type, cls):
            assert graph.value(node, source) is not None
            assert graph.value(node, kg.quote) is not None
    # the quotes that carry characters needing escapes come back intact
    quotes = {str(q) for q in graph.objects(None, kg.quote)}
    assert any('"unacceptable"' in q for q in quotes)
    assert any("“we will not retreat” \\ à la" in q for q in quotes)


def test_memberships_are_timed_and_have_a_status(small):
    graph = rdflib.Graph().parse(data=small, format="nt")
    kg = rdflib.Namespace(KG)
    memberships = list(graph.subjects(rdflib.RDF.type, kg.Membership))
    assert len(memberships) > 50
    for m in memberships:
        assert graph.value(m, kg.startDate).datatype == rdflib.XSD.date
        status = str(graph.value(m, kg.membershipStatus)).rsplit("/", 1)[1]
        assert status in {"active", "frozen", "ended"}
        assert (graph.value(m, kg.endDate) is not None) == (status == "ended")


def test_script_writes_a_file_and_rejects_a_bad_size(tmp_path):
    out = tmp_path / "g.nt"
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--triples", "12k", "--seed", "2", "-o", str(out)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert "".join(generate(12_000, seed=2)) == out.read_text(encoding="utf-8")
    assert "wrote" in done.stderr
    bad = subprocess.run(
        [sys.executable, str(SCRIPT), "--triples", "lots", "-o", str(tmp_path / "x.nt")],
        capture_output=True,
        text=True,
    )
    assert bad.returncode == 2
    assert "not a size: 'lots'" in bad.stderr
    assert not (tmp_path / "x.nt").exists()
