"""`kg serve` works over every backend: Oxigraph embedded, and a remote endpoint (here
another `kg serve` process, standing in for a real SPARQL service). Answers equal the
in-process memory backend's; the timeout and the SERVICE guard hold on each."""

from __future__ import annotations

import threading

import httpx
import pytest

import kg
from kg.serve.testing import running_server

pytestmark = pytest.mark.server

STATES = """PREFIX kg: <https://w3id.org/kg-ir/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?s ?label WHERE { ?s a kg:State ; rdfs:label ?label } ORDER BY ?s"""
LONG = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture(scope="module")
def expected():
    rows = kg.load().query(STATES).rows
    return [[str(s), str(label)] for s, label in rows]


@pytest.fixture(scope="module")
def back():
    with running_server(["--timeout", "30"]) as server:
        yield server


def select(server, query):
    response = httpx.post(server.url, data={"query": query}, timeout=30)
    assert response.status_code == 200, response.text
    return [[b[v]["value"] for v in ("s", "label")] for b in response.json()["results"]["bindings"]]


def check_backend(server, expected):
    assert select(server, STATES) == expected
    refused = httpx.get(
        server.url, params={"query": "ASK { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"}
    )
    assert refused.status_code == 403
    stopped = httpx.get(server.url, params={"query": LONG}, timeout=30)
    # stopped by the server's own time limit (not by the client's 30 s, nor an overload)
    assert stopped.status_code == 503
    assert "query stopped: it ran longer than the 1 s time limit" in stopped.text


def test_oxigraph_backend(expected):
    with running_server(["--timeout", "1"], ["--backend", "oxigraph"]) as server:
        check_backend(server, expected)
        assert select(server, STATES) == expected  # still answering after the kill


def test_remote_backend(back, expected):
    global_args = ["--backend", "remote", "--endpoint", back.url]
    with running_server(["--timeout", "1"], global_args) as server:
        check_backend(server, expected)
        # While the back end still chews on the abandoned long query, others get answers,
        # several at once (threads: a remote backend's work is waiting on the network).
        results = []

        def ask():
            results.append(httpx.get(server.url, params={"query": "ASK {}"}, timeout=30))

        threads = [threading.Thread(target=ask) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert [r.status_code for r in results] == [200] * 4
        assert select(server, STATES) == expected
