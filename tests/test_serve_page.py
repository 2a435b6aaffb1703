"""The query page in a real browser (Debian chromium driven by Playwright): it runs a named
query and shows the rows, makes no request beyond 127.0.0.1, and shows hostile strings
from the data as text."""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest

import kg
from kg.queries import example_text, list_queries
from kg.render.headless import CHROMIUM, launch_chromium
from kg.serve.kept_pages import page_text
from kg.serve.testing import running_server

pytestmark = [pytest.mark.server, pytest.mark.browser]

HOSTILE = Path(__file__).parent / "fixtures" / "serve" / "hostile.ttl"


@pytest.fixture(scope="module")
def server():
    with running_server(global_args=["--add", str(HOSTILE)]) as running:
        yield running


@pytest.fixture(scope="module")
def browser():
    if not shutil.which(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, server):
    context = browser.new_context()
    page = context.new_page()
    page.requests = []
    page.on("request", lambda request: page.requests.append(request.url))
    page.dialogs = []
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    page.console_errors = []
    page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))
    page.goto(server.url)
    yield page
    context.close()


def rows_of(page) -> list[list[str]]:
    return page.eval_on_selector_all(
        "#results tbody tr", "rows => rows.map(r => [...r.cells].map(c => c.textContent))"
    )


def test_named_query_runs_and_shows_rows_with_no_outside_request(page, server):
    named = list_queries()
    choice = next(q for q in named if q.name == "alliance_memberships")
    expected = kg.load(extra=[HOSTILE]).run_query(choice)
    assert len(expected.rows) > 0

    options = page.eval_on_selector_all("#examples option", "os => os.map(o => o.value)")
    assert set(options) - {""} == {q.name for q in named}
    page.select_option("#examples", choice.name)
    assert page.input_value("#query") == page_text(example_text(choice))
    assert page.text_content("#question") == choice.question
    page.click("#run")
    page.wait_for_selector("#results tbody tr")
    shown = rows_of(page)
    assert len(shown) == len(expected.rows)
    headers = page.eval_on_selector_all("#results th", "ths => ths.map(t => t.textContent)")
    assert headers == [f"?{v}" for v in expected.vars]
    assert f"{len(expected.rows)} rows" in page.text_content("#status")

    assert page.requests, "the page made no request at all?"
    hosts = {urlsplit(url).hostname for url in page.requests}
    assert hosts == {"127.0.0.1"}, page.requests
    assert not page.console_errors


def test_hostile_strings_in_results_are_shown_as_text(page):
    labels = [
        '<img src=x onerror="window.__pwned=1">',
        "<script>window.__pwned=2</script>",
        '"><svg onload="window.__pwned=3">',
        "&lt;b&gt;entity&lt;/b&gt; & <b>bold</b>",
    ]
    page.fill(
        "#query",
        "SELECT ?label WHERE { <https://w3id.org/kg-ir/resource/test/hostile> "
        "<http://www.w3.org/2000/01/rdf-schema#label> ?label } ORDER BY ?label",
    )
    page.click("#run")
    page.wait_for_selector("#results tbody tr")
    page.wait_for_timeout(300)  # give any injected handler a chance to fire
    assert sorted(cell for (cell,) in rows_of(page)) == sorted(labels)
    assert page.evaluate("window.__pwned") is None
    assert page.query_selector_all("#results img, #results script, #results svg, #results b") == []
    assert page.dialogs == []


def test_errors_are_shown(page):
    page.fill("#query", "SELECT * WHERE { ?s ?p }")
    page.click("#run")
    page.wait_for_selector("#error:not([hidden])")
    assert page.text_content("#error").startswith("400 line 1: SPARQL syntax error")
