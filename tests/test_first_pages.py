"""First pages of the named queries kept at load (kg.backends.first_pages): equal to a fresh
engine answer, dropped by a write, bypassed by other parameters, limits or query texts."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import OxigraphServer, project_files

from kg.backends.first_pages import keep_pages_in_store, read_page
from kg.backends.oxigraph import OxigraphBackend
from kg.backends.oxigraph_load import load_files
from kg.backends.sparql_text import query_form, with_limit
from kg.canonical import canonical_result
from kg.graph import KnowledgeGraph
from kg.queries import default_term, get_query, list_queries

ROOT = Path(__file__).resolve().parent.parent
INSERT = (
    "INSERT DATA { <https://w3id.org/kg-ir/resource/m-new> a "
    "<https://w3id.org/kg-ir/ontology#Membership> }"
)


def page_queries() -> list[tuple[str, str, dict]]:
    return [
        (q.name, q.text, {n: default_term(n3, q) for n, n3 in q.defaults}) for q in list_queries()
    ]


def fresh(backend, name: str, limit: int | None, **bindings):
    """The engine's own answer: the query with LIMIT, its defaults unless given."""
    query = get_query(name)
    asked = {n: default_term(n3, query) for n, n3 in query.defaults} | bindings
    text = query.text if limit is None else with_limit(query.text, limit)
    return canonical_result(backend.query(text, asked), query.text)


def rows(result) -> list[tuple]:
    return [tuple(row) for row in result.rows]


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("pages") / "store"
    load_files(folder, project_files())
    kept = keep_pages_in_store(folder, page_queries())
    selects = {q.name for q in list_queries() if query_form(q.text) == "SELECT"}
    assert {page.name for page in kept} == selects
    assert keep_pages_in_store(folder, page_queries()) == []  # current: not asked again
    return folder


def test_every_kept_page_equals_a_fresh_engine_answer(store):
    backend = OxigraphBackend(store)
    try:
        graph = KnowledgeGraph(backend)
        nonempty = 0
        for query in list_queries():
            if query_form(query.text) != "SELECT":
                continue
            kept = read_page(backend, query.name, query.text, 100)
            assert kept is not None, query.name
            assert kept.vars == fresh(backend, query.name, 100).vars
            assert rows(kept) == rows(fresh(backend, query.name, 100)), query.name
            assert rows(read_page(backend, query.name, query.text, 3)) == rows(kept)[:3]
            assert rows(graph.first_rows(query.name, 5)) == rows(fresh(backend, query.name, 5))
            # the article's answers are shorter than a page: the page is the whole answer
            assert rows(graph.first_rows(query.name)) == rows(graph.run_query(query))
            nonempty += bool(kept.rows)
        assert nonempty >= 8
    finally:
        backend.close()


def test_other_parameters_limits_and_texts_go_to_the_engine(store, tmp_path):
    backend = OxigraphBackend(store)
    try:
        graph = KnowledgeGraph(backend)
        query = get_query("in_force_as_of")
        asked = graph.first_rows(query, 10, asOf="2020-01-01")
        assert rows(asked) == rows(fresh(backend, query.name, 10, asOf=asked.rows[0][0]))
        assert rows(asked) != rows(read_page(backend, query.name, query.text, 10))
        assert read_page(backend, query.name, query.text + "\n# edited", 10) is None
    finally:
        backend.close()
    # a page smaller than the answer serves a limit up to its size, and nothing more
    small = tmp_path / "small"
    load_files(small, project_files())
    kept = keep_pages_in_store(small, page_queries(), size=2)
    assert not next(p for p in kept if p.name == "in_force_as_of").complete
    backend = OxigraphBackend(small)
    try:
        text = get_query("in_force_as_of").text
        assert rows(read_page(backend, "in_force_as_of", text, 2)) == rows(
            fresh(backend, "in_force_as_of", 2)
        )
        assert read_page(backend, "in_force_as_of", text, 3) is None
        assert read_page(backend, "in_force_as_of", text, None) is None
        graph = KnowledgeGraph(backend)
        assert rows(graph.first_rows("in_force_as_of", 3)) == rows(
            fresh(backend, "in_force_as_of", 3)
        )
    finally:
        backend.close()


def test_a_write_drops_the_pages(tmp_path):
    folder = tmp_path / "store"
    load_files(folder, project_files())
    keep_pages_in_store(folder, page_queries())
    backend = OxigraphBackend(folder)
    try:
        text = get_query("claims_by_kind").text
        assert read_page(backend, "claims_by_kind", text, 10) is not None
        KnowledgeGraph(backend).update(INSERT)
        assert read_page(backend, "claims_by_kind", text, 10) is None
        assert backend.stored_stats() is None  # the counts went with them
    finally:
        backend.close()


def test_kg_load_keeps_the_pages_and_kg_query_limit_reads_them(tmp_path):
    folder = tmp_path / "store"
    kg = [sys.executable, "-m", "kg"]
    done = subprocess.run(
        [*kg, "load", "data/triples.ttl", "--store", str(folder)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    backend = OxigraphBackend(folder)
    query = get_query("alliance_memberships")
    try:
        assert read_page(backend, query.name, query.text, 100) is not None
    finally:
        backend.close()
    command = [*kg, "--store", str(folder), "query", "alliance_memberships", "--format", "csv"]
    page = subprocess.run([*command, "--limit", "4"], capture_output=True, text=True, cwd=ROOT)
    whole = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    assert page.returncode == 0, page.stderr
    assert page.stdout.splitlines() == whole.stdout.splitlines()[:5]  # header and 4 rows


def test_kg_load_no_first_pages_keeps_the_counts_only(tmp_path):
    folder = tmp_path / "store"
    done = subprocess.run(
        [sys.executable, "-m", "kg", "load", "data/triples.ttl", "--store", str(folder)]
        + ["--no-first-pages"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    backend = OxigraphBackend(folder)
    query = get_query("alliance_memberships")
    try:
        assert backend.stored_stats() is not None
        assert read_page(backend, query.name, query.text, 100) is None
    finally:
        backend.close()


def test_pages_kept_on_an_endpoint_equal_fresh_answers_until_a_write():
    from kg.backends.graph_store import load_into_graph_store
    from kg.backends.remote import RemoteBackend

    server = OxigraphServer()
    try:
        load_into_graph_store(
            f"{server.base}/store",
            project_files(),
            query_endpoint=server.query_url,
            first_pages=page_queries(),
        )
        backend = RemoteBackend(server.query_url, server.update_url)
        stats = backend.stored_stats()
        assert stats is not None and stats["triples"] == len(backend)
        for name in ("statements", "in_force_as_of", "external_links"):
            text = get_query(name).text
            kept = read_page(backend, name, text, 100)
            assert kept is not None and kept.rows, name
            assert rows(kept) == rows(fresh(backend, name, 100)), name
        backend.update(INSERT)
        assert read_page(backend, "statements", get_query("statements").text, 100) is None
        assert backend.stored_stats() is None
    finally:
        server.stop()


def test_kg_stats_on_a_store_reads_the_kept_counts_without_rdflib(store):
    from kg.cli.info import format_stats

    backend = OxigraphBackend(store)
    try:
        expected = format_stats(KnowledgeGraph(backend).stats())
    finally:
        backend.close()
    command = [sys.executable, "-X", "importtime", "-m", "kg", "--store", str(store), "stats"]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.rstrip("\n") == expected
    imported = {line.split("|")[-1].strip() for line in done.stderr.splitlines() if "|" in line}
    assert "kg.backends.void_stats" in imported
    assert not {name for name in imported if name.split(".")[0] == "rdflib"}


def test_a_query_the_engine_fails_on_keeps_no_page_and_the_others_are_kept():
    from kg.backends.first_pages import compute_pages
    from kg.backends.memory import MemoryBackend

    queries = [("bad", "SELECT * WHERE { ?s ?p }", {}), ("good", "SELECT ?x { BIND(1 AS ?x) }", {})]
    pages = compute_pages(MemoryBackend(), queries)
    assert [(p.name, p.complete, len(p.rows)) for p in pages] == [("good", True, 1)]
