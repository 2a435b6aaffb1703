"""``stats`` of an on-disk store is counted once per version of the store (kg.stats_cache)."""

from __future__ import annotations

import pytest

import kg
from kg.graph import KnowledgeGraph
from kg.stats_cache import store_version


@pytest.fixture
def store(tmp_path, monkeypatch):
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    from kg.backends.oxigraph_load import load_files

    # without the counts kept at load time (a store written by an earlier kg): counted once
    load_files(tmp_path / "store", ["data/triples.ttl"], counts=False)
    return tmp_path / "store"


@pytest.fixture
def counted_store(tmp_path, monkeypatch):
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    from kg.backends.oxigraph_load import load_files

    load_files(tmp_path / "store", ["data/triples.ttl"])
    return tmp_path / "store"


def test_stats_are_read_back_until_the_store_changes(store, monkeypatch):
    graph = kg.load(store=store)
    first = graph.stats()
    assert first["triples"] == len(graph) > 1000
    graph.backend.close()

    again = kg.load(store=store)
    before = store_version(store)

    def no_counting(self):
        raise AssertionError("counted again although the store did not change")

    monkeypatch.setattr(KnowledgeGraph, "_stats", no_counting)
    assert again.stats() == first
    assert store_version(store) == before  # opening and reading leaves the version alone
    monkeypatch.undo()

    again.update("INSERT DATA { <urn:x:a> <urn:x:b> <urn:x:c> }")
    assert store_version(store) != before
    assert again.stats()["triples"] == first["triples"] + 1
    again.backend.close()


def test_memory_graphs_are_always_counted(monkeypatch, tmp_path):
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    graph = kg.load()
    assert graph.stats()["triples"] == len(graph)
    assert not (tmp_path / "cache" / "stats").exists()


def test_kg_load_keeps_the_counts_so_a_first_stats_does_not_count(counted_store, monkeypatch):
    """Counts maintained at load time (VoID in the store): the first ``stats`` reads them."""
    from kg.backends.oxigraph import OxigraphBackend

    backend = OxigraphBackend(counted_store)
    kept = backend.stored_stats()
    assert kept is not None and kept == KnowledgeGraph(backend)._stats()
    assert kept["triples"] == len(backend) > 1000  # the counts are not counted as triples
    backend.close()

    def no_counting(self):
        raise AssertionError("counted although kg load kept the counts")

    monkeypatch.setattr(KnowledgeGraph, "_stats", no_counting)
    graph = kg.load(store=counted_store)
    assert graph.stats() == kept
    monkeypatch.undo()
    graph.update("INSERT DATA { <urn:x:a> <urn:x:b> <urn:x:c> }")
    assert graph.backend.stored_stats() is None  # a write makes them stale: dropped
    assert graph.stats()["triples"] == kept["triples"] + 1
    graph.backend.close()
