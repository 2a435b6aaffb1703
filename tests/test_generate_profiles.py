"""The synthetic generator's realistic profile: fixed world, scaling rest; the default unchanged."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

from kg.bench.synthetic import KG, Plan, generate
from kg.installed import ONTOLOGY

ROOT = Path(__file__).resolve().parent.parent

# sha256 of "".join(generate(10_000, seed=1)) before the profiles were added: the default output
# (what the other benchmarks and tests use) must stay byte-identical
DEFAULT_10K_SEED_1 = "5a2fdefdbd1fc41c5346536b3570d9996325968860c3d852aea3ae41cf205a86"


@pytest.fixture(scope="module")
def realistic() -> str:
    return "".join(generate(60_000, seed=4, profile="realistic"))


def _count(text: str, cls: str) -> int:
    return text.count(f"<{KG}{cls}> .\n")


def test_the_default_output_is_unchanged():
    text = "".join(generate(10_000, seed=1))
    assert hashlib.sha256(text.encode()).hexdigest() == DEFAULT_10K_SEED_1
    assert text == "".join(generate(10_000, seed=1, profile="linear"))


def test_realistic_keeps_the_world_fixed_and_scales_the_rest():
    small, large = Plan.for_size(1_000_000, "realistic"), Plan.for_size(10_000_000, "realistic")
    assert small.states == large.states == 250
    assert small.alliances == large.alliances == 60
    assert abs(large.statements - 10 * small.statements) < 10
    assert 9 * small.memberships < large.memberships < 11 * small.memberships
    linear = Plan.for_size(10_000_000)
    assert linear.states == 33_333 and linear.statements == large.statements
    with pytest.raises(ValueError, match="unknown profile 'flat'"):
        Plan.for_size(1_000, "flat")


def test_realistic_graph_size_terms_and_spells(realistic):
    store = ox.Store()
    store.load(realistic, ox.RdfFormat.N_TRIPLES)
    assert 57_000 <= len(store) <= 63_000
    assert len(store) == realistic.count("\n")  # no line twice
    plan = Plan.for_size(60_000, "realistic")
    assert _count(realistic, "State") == plan.states
    assert _count(realistic, "MilitaryAlliance") == plan.alliances
    assert _count(realistic, "Membership") == plan.memberships
    ontology = rdflib.Graph().parse(ONTOLOGY)
    defined = {str(s) for s in ontology.subjects() if str(s).startswith(KG)}
    graph = rdflib.Graph().parse(data=realistic, format="nt")
    used = {str(p) for p in graph.predicates() if str(p).startswith(KG)}
    assert used <= defined, sorted(used - defined)
    kg = rdflib.Namespace(KG)
    # spells: the same state and alliance more than once (memberships outnumber the pairs)
    pairs = [
        (graph.value(m, kg.member), graph.value(m, kg.organization))
        for m in graph.subjects(rdflib.RDF.type, kg.Membership)
    ]
    assert len(set(pairs)) < len(pairs)
    assert {
        "https://w3id.org/kg-ir/resource/Armenia",
        "https://w3id.org/kg-ir/resource/Russia",
    } <= {str(s) for s in graph.subjects(rdflib.RDF.type, kg.State)}


def test_script_takes_the_profile(tmp_path):
    out = tmp_path / "r.nt"
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "generate.py"), "--triples", "12k"]
        + ["--profile", "realistic", "-o", str(out)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert out.read_text(encoding="utf-8") == "".join(generate(12_000, profile="realistic"))
