"""kg serve answers the query page's first page of a named query from the page kept at load
(kg/serve/kept_pages.py): the same bytes as the engine's answer in every result format,
recognised by the request's text alone (a plain client's spelling too), never after an update,
and other parameters, limits or edits go to the engine. Real `kg serve` processes on
127.0.0.1 over Oxigraph stores and an `oxigraph serve` endpoint."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from conftest import OxigraphServer, project_files

from kg.backends.first_pages import keep_pages_in_store, page_iri
from kg.backends.load_records import VOID_GRAPH
from kg.backends.oxigraph_load import load_files
from kg.backends.void_stats import KGS
from kg.queries import default_term, example_text, get_query, list_queries
from kg.render.headless import CHROMIUM, launch_chromium
from kg.serve.kept_pages import page_text
from kg.serve.testing import running_server

pytestmark = [pytest.mark.server]

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "first-pages-test-token-0123456789"
FORMATS = (
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
)
UNRELATED = "INSERT DATA { <urn:h14:s> <urn:h14:p> <urn:h14:o> }"


def kg_load(folder: Path, *extra: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "kg", "load", "data/triples.ttl", "--store", str(folder), *extra],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr


def ask(client: httpx.Client, url: str, text: str, accept: str = FORMATS[0]) -> httpx.Response:
    response = client.post(url, data={"query": text}, headers={"Accept": accept})
    assert response.status_code == 200, response.text
    return response


def examples(client: httpx.Client, server) -> list[dict]:
    return client.get(f"{server.base}/queries").json()


@pytest.fixture(scope="module")
def stores(tmp_path_factory) -> tuple[Path, Path]:
    """The project data loaded by kg load twice: with first pages, and without them."""
    folder = tmp_path_factory.mktemp("serve-pages")
    kg_load(folder / "kept")
    kg_load(folder / "plain", "--no-first-pages")
    return folder / "kept", folder / "plain"


def test_the_query_page_asks_each_named_query_for_its_first_page(stores):
    with (
        running_server(["--workers", "1"], ["--store", str(stores[0])]) as server,
        httpx.Client(timeout=60) as client,
    ):
        listed = {e["name"]: e for e in examples(client, server)}
    assert set(listed) == {q.name for q in list_queries()}
    for query in list_queries():
        shown = listed[query.name]
        assert shown["text"] == example_text(query)
        assert shown["page"] == page_text(example_text(query))
        assert shown["page"].rstrip().endswith("LIMIT 100") or "LIMIT 100\nVALUES" in shown["page"]


def test_every_first_page_is_read_from_the_kept_page_and_equals_the_engines(stores):
    kept, plain = stores
    args = ["--workers", "1", "--cache-mb", "0"]
    with (
        running_server(args, ["--store", str(kept)]) as paged,
        running_server(args, ["--store", str(plain)]) as engine,
        httpx.Client(timeout=120) as client,
    ):
        for example in examples(client, paged):
            # the page's text, the same with 5 rows, and the whole answer (these pages
            # are whole answers: the project data gives fewer than 100 rows per query)
            texts = [example["page"], page_text(example["text"], 5), example["text"]]
            for text in texts:
                for accept in FORMATS:
                    read = ask(client, paged.url, text, accept)
                    fresh = ask(client, engine.url, text, accept)
                    where = (example["name"], text[-12:], accept)
                    assert read.headers["X-KG-First-Page"] == "kept", where
                    assert fresh.headers["X-KG-First-Page"] == "engine", where
                    assert read.headers["content-type"] == fresh.headers["content-type"]
                    assert read.content == fresh.content, where
        # a plain client's own spelling of the page's text: comments, spaces, prefixes
        query = get_query("claims_by_kind")
        text = "# my client\n" + page_text(example_text(query)).replace("\n", "  # note\n\t")
        read, fresh = ask(client, paged.url, text), ask(client, engine.url, text)
        assert read.headers["X-KG-First-Page"] == "kept" and read.content == fresh.content
        assert json.loads(read.content)["results"]["bindings"]


def forge(folder: Path, name: str) -> list:
    """Reverse the rows of query ``name``'s kept page in the store (a page that is not the
    engine's answer, so that serving it shows where the rows came from); its rows before."""
    import pyoxigraph as ox

    store = ox.Store(str(folder))
    node, graph = ox.NamedNode(page_iri(None, name)), ox.NamedNode(VOID_GRAPH)
    (quad,) = store.quads_for_pattern(node, ox.NamedNode(f"{KGS}rows"), None, graph)
    page = json.loads(quad.object.value)
    assert len(page["rows"]) > 1
    store.remove(quad)
    forged = {"vars": page["vars"], "rows": page["rows"][::-1]}
    store.add(ox.Quad(node, quad.predicate, ox.Literal(json.dumps(forged)), graph))
    store.flush()
    del store
    return page["rows"]


def first_column(response: httpx.Response) -> list[str]:
    data = json.loads(response.content)
    name = data["head"]["vars"][0]
    return [row[name]["value"] for row in data["results"]["bindings"]]


def test_the_page_is_served_while_current_and_never_after_an_update(stores, tmp_path):
    folder = tmp_path / "forged"
    shutil.copytree(stores[0], folder)
    forge(folder, "claims_by_kind")
    text = page_text(example_text(get_query("claims_by_kind")))
    args = ["--allow-update", "--workers", "2"]
    auth = {"Authorization": f"Bearer {TOKEN}"}
    env = {"KG_SERVE_TOKEN": TOKEN}
    with (
        running_server(args, ["--store", str(folder)], env=env) as server,
        running_server(["--workers", "1"], ["--store", str(stores[1])]) as engine,
        httpx.Client(timeout=120) as client,
    ):
        fresh = ask(client, engine.url, text)
        served = ask(client, server.url, text)
        assert served.headers["X-KG-First-Page"] == "kept"
        assert first_column(served) == first_column(fresh)[::-1]  # the (forged) page
        update = client.post(server.url, data={"update": UNRELATED}, headers=auth)
        assert update.status_code == 204, update.text
        after = ask(client, server.url, text)
        assert after.headers["X-KG-First-Page"] == "engine"
        assert after.content == fresh.content  # the store's own answer, not the page


def test_other_parameters_limits_and_edits_go_to_the_engine(tmp_path):
    folder = tmp_path / "small"
    load_files(folder, project_files())
    queries = [
        (q.name, q.text, {n: default_term(n3, q) for n, n3 in q.defaults}) for q in list_queries()
    ]
    kept = keep_pages_in_store(folder, queries, size=2)  # pages of 2 rows, not whole answers
    assert not next(p for p in kept if p.name == "in_force_as_of").complete
    query = get_query("in_force_as_of")
    example = example_text(query)
    with (
        running_server(["--workers", "1"], ["--store", str(folder)]) as server,
        httpx.Client(timeout=60) as client,
    ):

        def where(text: str) -> str | None:
            return ask(client, server.url, text).headers.get("X-KG-First-Page")

        assert where(page_text(example, 2)) == "kept"
        assert where(page_text(example, 1)) == "kept"
        assert len(first_column(ask(client, server.url, page_text(example, 3)))) == 3
        assert where(page_text(example, 3)) == "engine"  # more rows than the page holds
        assert where(page_text(example)) == "engine"
        assert where(example) == "engine"  # all rows: the page is not the whole answer
        other = example_text(query, asOf="2020-01-01")
        assert where(page_text(other, 2)) is None  # not the default: not the named query
        assert where(page_text(example, 2) + " OFFSET 1") is None
        assert where(page_text(example, 2).replace("SELECT", "SELECT DISTINCT", 1)) is None


def test_on_an_endpoint_the_page_kept_in_its_stats_graph_is_served_until_a_write():
    from kg.backends.graph_store import load_into_graph_store

    endpoint = OxigraphServer()
    queries = [
        (q.name, q.text, {n: default_term(n3, q) for n, n3 in q.defaults}) for q in list_queries()
    ]
    try:
        load_into_graph_store(
            f"{endpoint.base}/store",
            project_files(),
            query_endpoint=endpoint.query_url,
            first_pages=queries,
        )
        text = page_text(example_text(get_query("statements")))
        args = ["--allow-update", "--workers", "1"]
        auth = {"Authorization": f"Bearer {TOKEN}"}
        global_args = ["--endpoint", endpoint.query_url, "--update-endpoint", endpoint.update_url]
        env = {"KG_SERVE_TOKEN": TOKEN}
        with (
            running_server(args, global_args, env=env) as server,
            httpx.Client(timeout=120) as client,
        ):
            before = {a: ask(client, server.url, text, a) for a in FORMATS}
            assert {r.headers["X-KG-First-Page"] for r in before.values()} == {"kept"}
            update = client.post(server.url, data={"update": UNRELATED}, headers=auth)
            assert update.status_code == 204, update.text
            for accept, kept in before.items():
                after = ask(client, server.url, text, accept)
                assert after.headers["X-KG-First-Page"] == "engine"
                assert after.content == kept.content, accept  # the update touched no row
    finally:
        endpoint.stop()


@pytest.mark.browser
def test_the_query_page_shows_a_named_querys_kept_first_page(stores):
    if not shutil.which(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium")
    from playwright.sync_api import sync_playwright

    query = get_query("claims_by_kind")
    with (
        running_server(["--workers", "1"], ["--store", str(stores[0])]) as server,
        running_server(["--workers", "1"], ["--store", str(stores[1])]) as engine,
        httpx.Client(timeout=60) as client,
        sync_playwright() as playwright,
    ):
        fresh = first_column(ask(client, engine.url, page_text(example_text(query))))
        browser = launch_chromium(playwright)
        page = browser.new_page()
        page.goto(server.url)
        page.wait_for_selector(f"#examples option[value={query.name}]", state="attached")
        page.select_option("#examples", query.name)
        assert page.input_value("#query") == page_text(example_text(query))
        page.click("#run")
        page.wait_for_selector("#results tbody tr")
        assert "(first page kept at load)" in page.text_content("#status")
        cells = page.eval_on_selector_all(
            "#results tbody tr td:first-child", "cells => cells.map(c => c.title || c.textContent)"
        )
        assert cells == fresh
        browser.close()
