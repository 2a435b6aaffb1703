"""Virtuoso's silent limits, and counts kept at load time, on a real Virtuoso.

Virtuoso cuts every answer at ``ResultSetMaxRows`` and says so only in an
``X-SPARQL-MaxRows`` header (also sent when the answer is complete with exactly that many
rows): kg refuses the cut answers in one line and keeps the complete ones. ``kg load
--endpoint`` with the query endpoint keeps the graph's counts as VoID, which ``kg stats``
reads while no write came after.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from virtuoso_server import DBA_PASSWORD, DBA_USER, VirtuosoServer, virtuoso_missing

from kg.backends.endpoint_http import EndpointError
from kg.backends.remote import RemoteBackend
from kg.backends.void_stats import stats_graph
from kg.graph import KnowledgeGraph

pytestmark = pytest.mark.server

KG = str(Path(sys.executable).parent / "kg")
GRAPH = "urn:x-test:capped"
ALL = f"SELECT ?o WHERE {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} }} ORDER BY ?o"


@pytest.fixture(scope="module")
def capped():
    """A Virtuoso that cuts answers at 5 rows, its graph holding 10 triples."""
    reason = virtuoso_missing()
    if reason:
        pytest.skip(reason)
    server = VirtuosoServer(max_rows=5)
    try:
        writer = RemoteBackend(
            server.query_url, server.update_url, user=DBA_USER, password=DBA_PASSWORD
        )
        numbers = ", ".join(str(n) for n in range(1, 11))
        triples = f"<urn:x-test:a> <urn:x-test:p> {numbers}"
        writer.update(f"INSERT DATA {{ GRAPH <{GRAPH}> {{ {triples} }} }}")
        yield server
    finally:
        server.stop()


def test_an_answer_cut_at_result_set_max_rows_is_a_one_line_error(capped):
    backend = RemoteBackend(capped.query_url)
    with pytest.raises(EndpointError, match=r"cut the answer at 5 of 10 rows") as cut:
        backend.query(ALL)
    assert "\n" not in str(cut.value) and "ResultSetMaxRows" in str(cut.value)
    graph = RemoteBackend(capped.query_url, graph=GRAPH)
    # a CONSTRUCT is cut too, at the cap + 1 and without the header: the graph's count tells
    with pytest.raises(EndpointError, match=r"cut the graph at 6 of 10 triples"):
        graph.serialize("nt")


def test_complete_answers_of_the_capped_size_are_kept(capped):
    backend = RemoteBackend(capped.query_url)
    # the header comes with each of these answers: the LIMIT, or a count, shows them complete
    assert len(backend.query(f"{ALL} LIMIT 5").rows) == 5
    assert len(backend.query(f"{ALL} OFFSET 5 LIMIT 5").rows) == 5
    exactly = ALL.replace("} }", "} FILTER(?o <= 5) }")
    assert [int(row[0]) for row in backend.query(exactly).rows] == [1, 2, 3, 4, 5]
    assert len(backend.query(f"{ALL} LIMIT 3").rows) == 3


def _kg(*args: str) -> subprocess.CompletedProcess:
    environment = {"KG_ENDPOINT_PASSWORD": DBA_PASSWORD, "PATH": "/usr/bin:/bin"}
    return subprocess.run([KG, *args], capture_output=True, text=True, env=environment)


def test_kg_load_keeps_the_counts_kg_stats_reads(virtuoso_server):
    graph = "https://w3id.org/kg-ir/graph/counted-by-test"
    store = virtuoso_server.graph_store_url
    read = ["--endpoint", virtuoso_server.query_url, "--graph", graph]
    writer = RemoteBackend(
        virtuoso_server.query_url,
        virtuoso_server.update_url,
        user=DBA_USER,
        password=DBA_PASSWORD,
        graph=graph,
    )
    try:
        done = _kg(*read, "--user", DBA_USER, "load", "--endpoint", store, "data/triples.ttl")
        assert done.returncode == 0, done.stderr
        kept = writer.stored_stats()
        assert kept is not None
        assert kept == KnowledgeGraph(writer)._stats()  # the same as counting now
        assert kept["triples"] > 2000 and kept["classes"]["kg:State"] > 0
        assert KnowledgeGraph(writer).stats() == kept
        shown = _kg(*read, "stats")
        assert shown.returncode == 0 and str(kept["triples"]) in shown.stdout
        # a write through kg drops the counts: stats count again, and see the change
        writer.update(f"INSERT DATA {{ GRAPH <{graph}> {{ <urn:x-test:n> a <urn:x-test:C> }} }}")
        assert writer.stored_stats() is None
        assert KnowledgeGraph(writer).stats()["triples"] == kept["triples"] + 1
        # loading again without the query endpoint drops counts it cannot refresh
        _kg(*read, "--user", DBA_USER, "load", "--endpoint", store, "data/triples.ttl")
        small = Path(virtuoso_server.dir) / "one.ttl"
        small.write_text("<urn:x-test:m> a <urn:x-test:C> .\n")
        again = _kg("--user", DBA_USER, "load", "--endpoint", store, "--graph", graph, str(small))
        assert again.returncode == 0, again.stderr
        assert writer.stored_stats() is None
    finally:
        auth = httpx.DigestAuth(DBA_USER, DBA_PASSWORD)
        for name in (graph, stats_graph(graph)):
            httpx.delete(store, params={"graph": name}, auth=auth)
