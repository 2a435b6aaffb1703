"""Imports into an on-disk store in many batches: each batch bulk loaded by a thread into a
staged copy while the next rows are mapped, and the store changed only when all went in."""

from __future__ import annotations

import threading
from pathlib import Path

import pyoxigraph as ox
import pytest
from import_common import DATASETS

import kg
from kg.backends.oxigraph import OxigraphBackend
from kg.importers import batches, import_gdelt
from kg.importers.rows import BadRowsError
from kg.importers.run import run_import
from kg.project import open_project

EXPORT = DATASETS / "gdelt" / "20230919.export.CSV"
ROOT = Path(__file__).resolve().parent.parent


def _rows(path: Path, n: int, *, bad_last: bool = False) -> Path:
    """``n`` GDELT rows made from the fixture's first row (ids 1200000000...), a bad one last."""
    first = EXPORT.read_text(encoding="utf-8").splitlines()[0].split("\t")
    with open(path, "w", encoding="utf-8") as out:
        for i in range(n):
            out.write("\t".join([str(1_200_000_000 + i), *first[1:]]) + "\n")
        if bad_last:
            out.write("\t".join(["1299999999", "20231345", *first[2:]]) + "\n")
    return path


@pytest.fixture
def store(tmp_path, monkeypatch):
    """An on-disk store holding the article, and batches of 50k characters (about 400 triples)."""
    monkeypatch.setattr(batches, "CHUNK_CHARS", 50_000)
    path = tmp_path / "store"
    project = open_project(ROOT)
    backend = OxigraphBackend(path)
    backend.load([*project.schema_files, *project.data_files()])
    del backend  # one handle at a time
    return path


def _loads(monkeypatch) -> list[int]:
    """Count the batches handed to the loading thread."""
    sizes: list[int] = []
    put = batches._StagedStore.put

    def counting(self, data: bytes) -> None:
        sizes.append(len(data))
        put(self, data)

    monkeypatch.setattr(batches._StagedStore, "put", counting)
    return sizes


def _no_loader_thread() -> bool:
    return not any(t.name == "kg-import-load" for t in threading.enumerate())


def test_many_batches_all_land_in_the_store_as_written_to_output(store, tmp_path, monkeypatch):
    sizes = _loads(monkeypatch)
    rows = _rows(tmp_path / "rows.tsv", 300)
    graph = kg.load(store=str(store))
    result = import_gdelt([rows], graph=graph, output=tmp_path / "out.nt")
    assert result.rows_imported == 300 and result.rows_bad == 0
    assert len(sizes) >= 10  # loaded in batches, not at the end in one piece
    assert _no_loader_thread()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.nt", "rows.tsv", "store"]
    count = graph.query(
        "SELECT (COUNT(?e) AS ?n) WHERE { ?e a <https://w3id.org/kg-ir/ontology#Event> ; "
        "<http://purl.org/dc/terms/identifier> ?id FILTER(STRSTARTS(?id, '12')) }"
    ).lexical_rows()
    assert count == [("300",)]
    del graph
    written = ox.Store()
    written.bulk_load(path=str(tmp_path / "out.nt"), format=ox.RdfFormat.N_TRIPLES)
    on_disk = ox.Store.read_only(str(store))
    missing = [q for q in written if q not in on_disk]
    assert len(written) > result.triples  # the rows' triples, the vocabulary and the run
    assert missing == []


def test_a_bad_row_after_loaded_batches_leaves_the_store_unchanged(store, tmp_path, monkeypatch):
    sizes = _loads(monkeypatch)
    rows = _rows(tmp_path / "rows.tsv", 300, bad_last=True)
    graph = kg.load(store=str(store))
    before = len(graph)
    with pytest.raises(BadRowsError, match=r"rows.tsv:301:SQLDATE: not a date"):
        import_gdelt([rows], graph=graph, output=tmp_path / "out.nt")
    assert len(sizes) >= 10  # batches were in the staged copy when the bad row came
    assert len(graph) == before
    ask = "ASK { ?e <http://purl.org/dc/terms/identifier> '1200000000' }"
    assert graph.query(ask).boolean is False
    assert _no_loader_thread()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rows.tsv", "store"]  # no staged copy


def test_a_mapper_failing_midway_leaves_the_store_unchanged(store, tmp_path, monkeypatch):
    sizes = _loads(monkeypatch)

    def failing(files: list[str], ctx) -> object:
        for i in range(20_000):
            yield f'<urn:test:{i}> <urn:test:p> "{i}" .\n'
        raise RuntimeError("the input went away")

    graph = kg.load(store=str(store))
    before = len(graph)
    with pytest.raises(RuntimeError, match="the input went away"):
        run_import("gdelt", failing, ["x.tsv"], graph=graph)
    assert len(sizes) >= 3
    assert len(graph) == before
    assert _no_loader_thread()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["store"]
