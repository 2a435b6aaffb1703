"""kg on a real Virtuoso: what broke there (issue 14), now each reproduced and checked.

The server is a ``virtuoso-t`` child process on loopback ports (``tests/virtuoso_server.py``),
the project loaded into one named graph through the Graph Store Protocol. The shared
competency, view and relation tests run on it too (the ``virtuoso`` case of ``backend_kg``).
"""

from __future__ import annotations

import datetime
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from conftest import VIRTUOSO_GRAPH
from rdflib import BNode, Literal
from virtuoso_server import DBA_PASSWORD, DBA_USER

import kg
from kg.backends.endpoint_http import EndpointError
from kg.backends.remote import RemoteBackend
from kg.errors import SparqlSyntaxError
from kg.namespaces import KGR
from kg.queries import list_queries

pytestmark = pytest.mark.server

KG = str(Path(sys.executable).parent / "kg")
QUERIES = list_queries()
BOUND = {"speaker": KGR.MariaZakharova, "asOf": datetime.date(2024, 3, 1)}


@pytest.fixture(scope="module")
def reference():
    """The graph in memory, from the very file the servers were loaded with."""
    from conftest import project_files

    from kg.backends.memory import MemoryBackend
    from kg.graph import KnowledgeGraph

    backend = MemoryBackend()
    backend.load(project_files())
    return KnowledgeGraph(backend)


@pytest.fixture(scope="module")
def virtuoso(virtuoso_server):
    return kg.load(endpoint=virtuoso_server.query_url, graph=VIRTUOSO_GRAPH)


def test_virtuoso_tsv_is_detected_as_not_the_w3c_format(virtuoso_server, oxigraph_server):
    # Virtuoso answers TSV with '"n"' headers: kg reads its answers as XML instead
    assert RemoteBackend(virtuoso_server.query_url).tsv_is_standard() is False
    assert RemoteBackend(oxigraph_server.query_url).tsv_is_standard() is True


@pytest.mark.parametrize("query", QUERIES, ids=[q.name for q in QUERIES])
def test_named_queries_give_identical_answers_in_identical_order(virtuoso, reference, query):
    """No SAMPLE, no GROUP_CONCAT order, no 1/0 for booleans, no engine-ordered dates."""
    bound = {p: BOUND[p] for p in query.param_names if p in BOUND}
    for bindings in ({}, bound) if bound else ({},):
        if "asOf" in query.param_names and not bindings:
            bindings = {"asOf": datetime.date(2023, 9, 1)}  # its default, stated
        ours = reference.run_query(query, **bindings)
        theirs = virtuoso.run_query(query, **bindings)
        assert ours.vars == theirs.vars
        assert theirs.to_dicts() == ours.to_dicts(), query.name


def test_blank_node_labels_of_virtuoso_are_read(virtuoso):
    text = "SELECT ?a WHERE { ?a a <http://www.w3.org/2002/07/owl#Axiom> }"
    rows = virtuoso.query(text).rows
    assert rows and all(isinstance(a, BNode) for (a,) in rows)
    assert len({a for (a,) in rows}) == len(rows)  # distinct labels stay distinct


def test_stats_on_the_plain_endpoint_leave_out_virtuosos_system_graphs(virtuoso_server, reference):
    plain = RemoteBackend(virtuoso_server.query_url)
    assert plain.query("ASK { GRAPH <http://www.openlinksw.com/schemas/virtrdf#> { ?s ?p ?o } }")
    assert len(plain) == len(reference)
    assert kg.load(endpoint=virtuoso_server.query_url).stats() == reference.stats()


def test_a_hostile_binding_stays_one_literal_on_virtuoso(virtuoso):
    text = "SELECT ?s WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l }"
    hostile = 'Armenia" } ; DROP ALL ; SELECT * { ?s ?p "'
    assert virtuoso.query(text, l=Literal(hostile)).rows == []
    assert virtuoso.query(text, l=Literal("Armenia", lang="en")).rows == [(KGR.Armenia,)]


def test_engine_errors_and_timeouts_are_one_line(virtuoso_server):
    backend = RemoteBackend(virtuoso_server.query_url, graph=VIRTUOSO_GRAPH)
    with pytest.raises(SparqlSyntaxError, match=r"HTTP 400\): Virtuoso 37000 Error SP030") as e:
        backend.query("SELECT ?s WHERE { ?s ?p }")
    assert "\n" not in str(e.value) and "SPARQL query:" not in str(e.value)
    heavy = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f FILTER(STR(?c) < STR(?f)) }"
    # kg tells Virtuoso its own timeout: Virtuoso stops at the smaller of that and its
    # MaxQueryExecutionTime (120 s here), and answers either 200 with partial results
    # (flagged in X-SQL-State) or 500 "Transaction timed out"; both are one-line errors
    hurried = RemoteBackend(virtuoso_server.query_url, graph=VIRTUOSO_GRAPH, timeout=12)
    # (on a machine too busy for Virtuoso to answer at all, kg's own timeout says so)
    with pytest.raises(EndpointError, match="the endpoint stopped the query|no answer within") as e:
        hurried.query(heavy)
    assert "\n" not in str(e.value)


def _kg(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {"KG_ENDPOINT_PASSWORD": DBA_PASSWORD, "PATH": "/usr/bin:/bin", **env}
    return subprocess.run([KG, *args], capture_output=True, text=True, env=environment)


def test_kg_load_through_the_graph_store_protocol(virtuoso_server, tmp_path):
    from kg.project import open_project

    graph = "https://w3id.org/kg-ir/graph/loaded-by-test"
    store = virtuoso_server.graph_store_url
    read = ["--endpoint", virtuoso_server.query_url, "--graph", graph]
    load = ["--user", DBA_USER, "load", "--endpoint", store, "--graph", graph]
    try:
        done = _kg(*load, "data/triples.ttl")
        assert done.returncode == 0, done.stderr
        sent = int(done.stdout.split("sent ")[1].split(" triples")[0].replace(",", ""))
        files = len(open_project().schema_files) + 1  # the schema and the data
        assert f"from {files} files to <{graph}>" in done.stdout
        assert len(RemoteBackend(virtuoso_server.query_url, graph=graph)) == sent > 2000
        again = _kg(*load, "data/triples.ttl")
        assert f"skipped {files} already there" in again.stdout
        answer = _kg(*read, "query", "alliance_memberships", "--format", "csv")
        assert answer.stdout == _kg("query", "alliance_memberships", "--format", "csv").stdout
        bad = tmp_path / "bad.ttl"
        bad.write_text(
            "<http://ex/a> <http://ex/p> <http://ex/b> .\n<http://ex/a> <http://ex/p> .\n"
        )
        failed = _kg(*load, str(bad))
        assert failed.returncode == 2 and failed.stderr.count("\n") == 1
        assert f"{bad}:2:" in failed.stderr
        assert len(RemoteBackend(virtuoso_server.query_url, graph=graph)) == sent  # none sent
        refused = _kg(*load[2:], str(tmp_path / "bad.ttl").replace("bad", "good"))
        assert refused.returncode == 2
        (tmp_path / "good.ttl").write_text("<http://ex/a> <http://ex/p> <http://ex/b> .\n")
        refused = _kg(*load[2:], str(tmp_path / "good.ttl"))
        assert refused.returncode == 2 and "access refused (HTTP 401)" in refused.stderr
        replaced = _kg(*load, "--replace", "--no-schema", str(tmp_path / "good.ttl"))
        assert replaced.returncode == 0, replaced.stderr
        assert len(RemoteBackend(virtuoso_server.query_url, graph=graph)) == 1
    finally:
        httpx.delete(store, params={"graph": graph}, auth=httpx.DigestAuth(DBA_USER, DBA_PASSWORD))
    assert len(RemoteBackend(virtuoso_server.query_url, graph=graph)) == 0


def test_cli_commands_answer_the_same_on_virtuoso(virtuoso_server):
    remote = ["--endpoint", virtuoso_server.query_url, "--graph", VIRTUOSO_GRAPH]
    for command in (
        ["query", "in_force_as_of", "--param", "asOf=2024-03-01", "--format", "csv"],
        ["query", "statements", "--format", "json"],
        ["path", "Armenia", "Russia", "--max-hops", "2", "--limit", "3"],
        ["allies", "Armenia", "--as-of", "2023-09-01"],
        ["contested", "kgr:Offensive2023"],
        ["view", "full"],
        ["link"],
    ):
        here, there = _kg(*command), _kg(*remote, *command)
        assert here.returncode == 0, here.stderr
        assert there.returncode == 0, there.stderr
        assert there.stdout == here.stdout, command


@pytest.mark.parametrize("name", ["statements", "external_links", "in_force_as_of"])
def test_csv_streamed_row_by_row_is_the_whole_result_on_every_backend(backend_kg, reference, name):
    import io

    from kg.queries import get_query
    from kg.results_format import format_csv
    from kg.results_stream import write_csv

    query = get_query(name)
    out = io.StringIO()
    rows = write_csv(backend_kg, query, {}, out)
    assert out.getvalue() == format_csv(reference.run_query(query))
    assert rows == len(reference.run_query(query)) > 5


def test_first_pages_kept_on_virtuoso_equal_fresh_answers_until_a_write(virtuoso_server, reference):
    """kg load --endpoint keeps the named queries' first pages beside the VoID counts, in
    Virtuoso's stats graph (long JSON literals); each equals the engine's own first page,
    and a write through kg drops them."""
    from conftest import project_files

    from kg.backends.first_pages import read_page
    from kg.backends.graph_store import load_into_graph_store
    from kg.backends.sparql_text import query_form, with_limit
    from kg.canonical import canonical_result
    from kg.queries import default_term

    graph = "https://w3id.org/kg-ir/graph/pages-by-test"
    pages = [(q.name, q.text, {n: default_term(n3, q) for n, n3 in q.defaults}) for q in QUERIES]
    try:
        load_into_graph_store(
            virtuoso_server.graph_store_url,
            project_files(),
            graph,
            user=DBA_USER,
            password=DBA_PASSWORD,
            query_endpoint=virtuoso_server.query_url,
            first_pages=pages,
        )
        backend = RemoteBackend(virtuoso_server.query_url, graph=graph)
        assert backend.stored_stats()["triples"] == len(backend)
        kept = 0
        for name, text, defaults in pages:
            if query_form(text) != "SELECT":
                continue
            page = read_page(backend, name, text, 100)
            assert page is not None, name
            fresh = canonical_result(backend.query(with_limit(text, 100), defaults), text)
            assert list(page.rows) == list(fresh.rows), name
            # the embedded answer, compared as the other tests here do (values, not terms)
            assert page.to_dicts() == reference.first_rows(name, 100).to_dicts(), name
            kept += bool(page.rows)
        assert kept >= 8
        writer = RemoteBackend(
            virtuoso_server.query_url,
            virtuoso_server.update_url,
            graph=graph,
            user=DBA_USER,
            password=DBA_PASSWORD,
        )
        writer.update(f"INSERT DATA {{ GRAPH <{graph}> {{ <urn:x:a> <urn:x:b> <urn:x:c> }} }}")
        assert read_page(backend, "statements", QUERIES_BY_NAME["statements"].text, 10) is None
    finally:
        from kg.backends.graph_store import records_graph
        from kg.backends.void_stats import stats_graph

        for name in (graph, records_graph(graph), stats_graph(graph)):
            httpx.delete(
                virtuoso_server.graph_store_url,
                params={"graph": name},
                auth=httpx.DigestAuth(DBA_USER, DBA_PASSWORD),
            )


QUERIES_BY_NAME = {q.name: q for q in QUERIES}
