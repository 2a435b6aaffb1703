"""``kg add --store`` keeps what ``kg load`` derives from the data true: the superclass types
(``?x a kg:Claim`` finds the added statements) and the counts kept at load (``kg stats`` sees
the added triples, not the counts of the load), in a transaction and through a staged copy."""

from __future__ import annotations

import pytest
from sources_common import SOURCES, new_project

from kg.installed import ONTOLOGY
from kg.sources import write
from kg.sources.add import add_sources

CLAIMS = "SELECT (COUNT(DISTINCT ?x) AS ?n) { ?x a <https://w3id.org/kg-ir/ontology#Claim> }"


def _triples(result) -> int:
    assert result.returncode == 0, result.stderr
    line = next(line for line in result.stdout.splitlines() if line.startswith("triples"))
    return int(line.split()[1])


@pytest.mark.parametrize("staged", [False, True], ids=["transaction", "staged copy"])
def test_added_sources_are_typed_and_counted(tmp_path, monkeypatch, run_kg, staged):
    if staged:
        monkeypatch.setattr(write, "STAGED", 0)  # a batch this small is staged from 0 on
    root = new_project(tmp_path, *SOURCES)
    store = tmp_path / "store"
    loaded = run_kg("load", ONTOLOGY, "--store", store)
    assert loaded.returncode == 0, loaded.stderr
    before = _triples(run_kg("--store", store, "stats"))
    files = [root / "sources" / f"{name}.yaml" for name in SOURCES]
    added = add_sources(files, root=root, store=store)
    assert [r["status"] for r in added.results] == ["wrote"] * len(SOURCES)
    after = _triples(run_kg("--store", store, "stats"))
    assert after > before
    claims = run_kg("--store", store, "query", "-", "--format", "csv", stdin=CLAIMS)
    assert claims.returncode == 0, claims.stderr
    assert int(claims.stdout.split()[-1]) >= len(SOURCES)
    again = add_sources(files, root=root, store=store)
    assert [r["status"] for r in again.results] == ["unchanged"] * len(SOURCES)
    assert _triples(run_kg("--store", store, "stats")) == after
