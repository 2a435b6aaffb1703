"""kg serve's named-query examples in a real browser: parameters bound to their declared
defaults, and an edited example no longer shown under the named query's name and question."""

from __future__ import annotations

import shutil

import pytest

from kg.queries import get_query
from kg.render.headless import CHROMIUM, launch_chromium
from kg.serve.testing import running_server

pytestmark = [pytest.mark.server, pytest.mark.browser]


@pytest.fixture(scope="module")
def page():
    if not shutil.which(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium")
    from playwright.sync_api import sync_playwright

    with running_server(["--workers", "0"]) as server, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        page = browser.new_page()
        page.goto(server.url)
        page.wait_for_selector("#examples option[value=in_force_as_of]", state="attached")
        yield page
        browser.close()


def test_an_example_binds_its_declared_default_and_runs(page):
    query = get_query("in_force_as_of")
    page.select_option("#examples", "in_force_as_of")
    assert page.text_content("#question") == query.question
    text = page.input_value("#query")
    assert '"2023-09-01"^^<http://www.w3.org/2001/XMLSchema#date>' in text
    page.click("#run")
    page.wait_for_selector("#results tbody tr")
    cells = page.eval_on_selector_all(
        "#results tbody tr td:first-child", "t => t.map(c => c.textContent)"
    )
    assert cells and {c.removesuffix("xsd:date") for c in cells} == {"2023-09-01"}


def test_editing_an_example_drops_its_name_and_question(page):
    page.select_option("#examples", "alliance_memberships")
    assert page.text_content("#question")
    page.press("#query", "End")
    page.keyboard.type("\n# my change")
    assert page.input_value("#examples") == ""
    assert page.text_content("#question") == ""
