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
