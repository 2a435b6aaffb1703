"""The reconciliation index is built when first needed on a large graph, so `kg serve`
starts without reading every entity (minutes at ten million triples), and answers the same.
Real `kg serve` processes on 127.0.0.1; the bound is lowered to 0 through the environment."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

import kg
from kg.linking import reconcile_service
from kg.linking.reconcile_index import ReconciliationIndex
from kg.linking.reconcile_service import IndexOnDemand
from kg.serve.testing import running_server

ROOT = Path(__file__).resolve().parents[1]
BATCH = json.dumps(
    {
        "q0": {"query": "Armenia", "type": "State"},
        "q1": {"query": "Collective Security Treaty Organization"},
        "q2": {"query": "Pashinyan", "limit": 2},
    }
)


@pytest.fixture(scope="module")
def article():
    return kg.load()


def test_a_large_graph_builds_the_index_on_first_use_with_the_same_answers(article, monkeypatch):
    eager = ReconciliationIndex.from_graph(article)
    monkeypatch.setattr(reconcile_service, "BUILD_AT_START", 10)  # the article has more labels
    index = IndexOnDemand(article)
    assert not index.built
    assert index.manifest("http://h") == eager.manifest("http://h")
    assert not index.built  # the manifest reads only the class tree
    assert index.reconcile(json.loads(BATCH)) == eager.reconcile(json.loads(BATCH))
    assert index.built


def test_a_small_graph_builds_it_with_the_service(article):
    assert IndexOnDemand(article).built


def answers(server) -> tuple:
    batch = httpx.post(server.base + "/reconcile", data={"queries": BATCH}, timeout=60)
    card = httpx.get(server.base + "/reconcile/preview", params={"id": "Armenia"}, timeout=60)
    missing = httpx.get(server.base + "/reconcile/preview", params={"id": "Atlantis"}, timeout=60)
    manifest = httpx.get(server.base + "/reconcile", timeout=60)
    assert batch.status_code == card.status_code == manifest.status_code == 200
    assert missing.status_code == 404
    assert card.headers["content-type"].startswith("text/html")
    return batch.json(), card.text, manifest.json()["defaultTypes"]


@pytest.mark.server
def test_kg_serve_on_a_store_answers_from_an_index_its_worker_builds(tmp_path):
    store = tmp_path / "store"
    load = [sys.executable, "-m", "kg", "load", "--store", str(store), "data/triples.ttl"]
    subprocess.run(load, cwd=ROOT, check=True, capture_output=True)
    with running_server(["--workers", "2"], ["--store", str(store)]) as server:
        at_start = answers(server)
    lazy = {"KG_RECONCILE_BUILD_AT_START": "0"}
    with running_server(["--workers", "2"], ["--store", str(store)], env=lazy) as server:
        assert answers(server) == at_start
        assert "Traceback" not in server.stderr()
    assert at_start[0]["q0"]["result"][0]["id"] == "Armenia"


def test_a_bound_that_is_not_a_number_is_one_clear_error(article, monkeypatch):
    from kg.errors import KgError

    monkeypatch.setenv("KG_RECONCILE_BUILD_AT_START", "many")
    with pytest.raises(KgError, match="must be a whole number, not 'many'"):
        IndexOnDemand(article)
