"""``kg import`` into a store ``kg load`` made: ``kg stats`` counts what the import added (the
counts kept at load are stale once the store is written; the staged copy drops them)."""

from __future__ import annotations

from pathlib import Path

from kg.installed import ONTOLOGY

GDELT = Path(__file__).parent / "fixtures" / "datasets" / "gdelt" / "20230919.export.CSV"


def _triples(result) -> int:
    assert result.returncode == 0, result.stderr
    line = next(line for line in result.stdout.splitlines() if line.startswith("triples"))
    return int(line.split()[1])


def test_stats_after_an_import_count_the_imported_triples(tmp_path, run_kg):
    store = tmp_path / "store"
    loaded = run_kg("load", ONTOLOGY, "--store", store)
    assert loaded.returncode == 0, loaded.stderr
    before = _triples(run_kg("--store", store, "stats"))
    imported = run_kg("--store", store, "import", "gdelt", GDELT)
    assert imported.returncode == 0, imported.stderr
    after = _triples(run_kg("--store", store, "stats"))
    assert after > before
    fresh = run_kg(
        "--store",
        store,
        "query",
        "-",
        "--format",
        "csv",
        stdin="SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    )
    assert fresh.returncode == 0, fresh.stderr
    assert int(fresh.stdout.split()[-1]) == after
