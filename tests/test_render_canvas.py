"""Large graphs: above ``kg.render.CANVAS_MIN_NODES`` nodes the page is drawn by kg's canvas
renderer (kg-canvas.js) with the same controls as the vis-network page: search, filters,
focus, slider, tooltips, details; offline, in Debian chromium."""

from __future__ import annotations

import pytest
from render_browser import Opened, browser  # noqa: F401  (fixture)

from kg.render import CANVAS_MIN_NODES, render
from kg.render.page import CANVAS_SCRIPTS
from kg.render.sample import sample_view
from kg.views.timefilter import prune

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def view():
    return sample_view(CANVAS_MIN_NODES + 1000, seed=4)


@pytest.fixture(scope="module")
def path(view, tmp_path_factory):
    return render(view, tmp_path_factory.mktemp("canvas") / "big.html")


@pytest.fixture
def opened(browser, path):  # noqa: F811
    page = Opened(browser, path, size=(1600, 1000), scripts=CANVAS_SCRIPTS)
    yield page
    assert page.errors == [], "console errors"
    assert page.requests == [page.url], "the page made a request"
    page.close()


def test_a_large_graph_is_drawn_by_the_canvas_renderer(opened, view):
    page = opened.page
    assert page.evaluate("kg.data.meta.renderer") == "canvas"
    assert page.evaluate("network instanceof KgCanvasNetwork")
    assert opened.counts() == (view.number_of_nodes(), view.number_of_edges())
    assert opened.drawn_pixels() > 20_000
    # Every node is in the fitted view.
    inside = page.evaluate(
        """() => { const pos = network.getPositions(); let n = 0;
          for (const id in pos) { const p = network.canvasToDOM(pos[id]);
            if (p.x >= 0 && p.y >= 0 && p.x <= network.width && p.y <= network.height) n++; }
          return n; }"""
    )
    assert inside == view.number_of_nodes()


def test_search_focus_and_slider_work_as_on_the_vis_page(opened, view):
    page = opened.page
    fits = page.evaluate("window.kgFitted || 0")
    page.fill("#kg-search", "state 17")
    opened.fitted(fits + 1)
    matches = [n for n, d in view.nodes(data=True) if "state 17" in d["label"].lower()]
    assert matches and opened.counts()[0] < 200
    before = opened.drawn_pixels()
    assert before > 500
    page.fill("#kg-search", "")
    opened.fitted(fits + 2)
    page.fill("#kg-focus", "State 3")
    page.click("#kg-focus-go")
    opened.fitted(fits + 3)
    state = "https://w3id.org/kg-ir/resource/State3"
    shown = set(page.evaluate("network.body.data.nodes.getIds()"))
    assert state in shown and len(shown) < 200
    overlapping, count = opened.label_overlaps()
    assert count == len(shown) and overlapping <= count // 10  # laid out afresh
    page.click("#kg-focus-clear")
    opened.fitted(fits + 4)
    positions = int(page.get_attribute("#kg-asof", "max"))
    page.eval_on_selector(
        "#kg-asof",
        "(s, i) => { s.value = i; s.dispatchEvent(new Event('input')); }",
        positions // 2,
    )
    as_of = page.text_content("#kg-asof-label")
    expected = prune(view.copy(), as_of)
    assert set(page.evaluate("network.body.data.nodes.getIds()")) == set(expected)


def test_hover_shows_a_tooltip_and_click_the_details(opened, view):
    page = opened.page
    page.fill("#kg-focus", "State 1")
    page.click("#kg-focus-go")
    page.wait_for_function("() => network.body.data.nodes.length < 200")
    page.wait_for_timeout(300)
    state = "https://w3id.org/kg-ir/resource/State1"
    x, y = page.evaluate(
        "(id) => { const p = network.canvasToDOM(network.getPositions([id])[id]);"
        " const r = document.querySelector('#kg-graph').getBoundingClientRect();"
        " return [p.x + r.left, p.y + r.top]; }",
        state,
    )
    page.mouse.move(x, y)
    page.wait_for_selector("div.vis-tooltip", state="visible")
    assert "State 1" in page.text_content("div.vis-tooltip")
    page.mouse.click(x, y)
    page.wait_for_selector("#kg-details:not([hidden])")
    assert page.text_content("#kg-details h2") == "State 1"
