"""``kg load --store``: all-or-nothing bulk loads into an on-disk Oxigraph store."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.backends.oxigraph_load import load_files
from kg.bench.synthetic import write_ntriples
from kg.errors import MissingFileError, ParseError

KG = str(Path(sys.executable).parent / "kg")


def dump(path: Path) -> bytes:
    """Every quad of the store at ``path``, sorted (the store is closed again after)."""
    store = ox.Store(str(path))
    lines = sorted(store.dump(format=ox.RdfFormat.N_QUADS).splitlines())
    del store
    return b"\n".join(lines)


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    base = tmp_path / "first.nt"
    with open(base, "w", encoding="utf-8") as out:
        write_ntriples(out, 5_000, seed=1)
    second = tmp_path / "second.ttl"
    second.write_text(
        "@prefix kgr: <https://w3id.org/kg-ir/resource/> .\n"
        '@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\nkgr:X rdfs:label "X" .\n'
    )
    third = tmp_path / "third.nt"
    with open(third, "w", encoding="utf-8") as out:
        write_ntriples(out, 5_000, seed=2)
    bad = tmp_path / "bad.ttl"
    bad.write_text(
        '@prefix kgr: <https://w3id.org/kg-ir/resource/> .\nkgr:A kgr:p "ok" .\n'
        'kgr:B kgr:p "fine" .\nkgr:C kgr:p "unterminated .\n'
    )
    return {"base": base, "second": second, "third": third, "bad": bad}


def test_a_parse_error_in_the_third_file_leaves_the_store_unchanged(tmp_path, files):
    store = tmp_path / "store"
    load_files(store, [files["base"]])
    before = dump(store)
    with pytest.raises(ParseError) as caught:
        load_files(store, [files["second"], files["third"], files["bad"]])
    assert str(caught.value).startswith(f"{files['bad']}:4: ")
    assert dump(store) == before
    # no staging copy is left beside the store
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".store")) == []


def test_a_missing_file_is_reported_before_anything_changes(tmp_path, files):
    store = tmp_path / "store"
    load_files(store, [files["base"]])
    before = dump(store)
    with pytest.raises(MissingFileError, match="no such file: .*nope.ttl"):
        load_files(store, [files["second"], tmp_path / "nope.ttl"])
    assert dump(store) == before


def test_loads_add_up_and_a_file_is_loaded_once(tmp_path, files):
    store = tmp_path / "store"
    first = load_files(store, [files["base"]])
    second = load_files(store, [files["base"], files["second"]])
    assert second.skipped == [str(files["base"])]
    assert second.loaded == [str(files["second"])]
    assert second.triples == first.triples + 1
    reopened = ox.Store(str(store))
    assert len(list(reopened.query('SELECT ?x WHERE { ?x ?p "X" }'))) == 1


def test_cli_load_reports_and_query_reads_the_store(tmp_path, files):
    store = tmp_path / "world"
    done = subprocess.run(
        [KG, "load", str(files["base"]), str(files["second"]), "--store", str(store)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    # the two files plus the schema files (--schema, the default)
    assert re.match(rf"{re.escape(str(store))}: loaded \d+ files; the store holds ", done.stdout)
    query = subprocess.run(
        [KG, "--store", str(store), "--data", str(files["base"]), "query", "-", "-f", "csv"],
        input="PREFIX kg: <https://w3id.org/kg-ir/ontology#>\n"
        "SELECT (COUNT(?s) AS ?n) WHERE { ?s a kg:Statement }",
        capture_output=True,
        text=True,
    )
    assert query.returncode == 0, query.stderr
    statements = int(query.stdout.splitlines()[1])
    text = files["base"].read_text(encoding="utf-8")
    assert statements == text.count("ontology#Statement> .")


def test_cli_load_of_a_bad_file_is_one_line_exit_2_and_changes_nothing(tmp_path, files):
    store = tmp_path / "world"
    load_files(store, [files["base"]])
    before = dump(store)
    done = subprocess.run(
        [
            KG,
            "load",
            str(files["second"]),
            str(files["third"]),
            str(files["bad"]),
            "--store",
            str(store),
        ],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2
    assert done.stderr.startswith(f"kg: error: {files['bad']}:4: ")
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert dump(store) == before


def test_cli_load_needs_a_store(files):
    done = subprocess.run([KG, "load", str(files["base"])], capture_output=True, text=True)
    assert done.returncode == 2
    assert "kg load needs --store PATH" in done.stderr
