"""Hostile text in a view (labels, ids, quotes, classes, titles, sources, Q-ids) is shown as
text in a real browser: nothing runs, nothing is fetched, no link goes anywhere unchecked."""

from __future__ import annotations

import networkx as nx
import pytest
from render_browser import Opened, browser  # noqa: F401  (fixture)

from kg.render import render
from kg.render.contested import render_contested
from kg.render.notebook import iframe_html

pytestmark = pytest.mark.browser

IMG = '<img src=x onerror="window.__xss=1">'
SCRIPT = "</script><script>window.__xss=1</script><!--"
HOSTILE_ID = 'https://example.org/<img src=x onerror="window.__xss=1">'


def hostile_view():
    g = nx.MultiDiGraph(name=f"views {IMG}", as_of=None)
    g.add_node(
        HOSTILE_ID,
        iri=HOSTILE_ID,
        label=IMG,
        cls='<svg onload="window.__xss=1">',
        group="state",
        wikidata='Q1" onmouseover="window.__xss=1',
        quote=SCRIPT + " \u2028 \u2029 ]]> &amp;",
        start="2020-01-01",
    )
    g.add_node(
        "urn:b",
        label="<a href='javascript:window.__xss=1'>href</a>",
        group="event",
        date="2021-01-01",
        quote=IMG,
        kind=SCRIPT,
    )
    g.add_node("urn:c", label="Plain", group="statement", wikidata="Q42", characterization=SCRIPT)
    g.add_edge(
        HOSTILE_ID,
        "urn:b",
        key="participant",
        relation="x",
        label=IMG,
        source="javascript:window.__xss=1",
        quote=SCRIPT,
    )
    g.add_edge(
        "urn:c",
        "urn:b",
        key="about",
        relation="y",
        label="about",
        source='https://example.org/"><img src=x onerror="window.__xss=1">',
        quote=IMG,
    )
    g.add_edge(
        "urn:c", HOSTILE_ID, key="speaker", relation="z", label=SCRIPT, source=None, quote=None
    )
    return g


def _check_nothing_ran(opened):
    page = opened.page
    assert page.evaluate("window.__xss") is None
    assert page.evaluate("document.querySelectorAll('img, svg, iframe, object').length") == 0
    # The JSON island, vis-network and the page's own scripts, nothing else.
    assert page.evaluate("document.scripts.length") == 2 + len(opened.scripts)
    assert opened.dialogs == [] and opened.requests == [opened.url]
    assert opened.errors == []


def _hover_and_click(opened, node_id):
    page = opened.page
    x, y = page.evaluate(
        "(id) => { const p = network.canvasToDOM(network.getPositions([id])[id]);"
        " const r = document.querySelector('#kg-graph').getBoundingClientRect();"
        " return [p.x + r.left, p.y + r.top]; }",
        node_id,
    )
    page.mouse.move(x, y)
    page.wait_for_selector("div.vis-tooltip", state="visible")
    # A tooltip holds text, in at most one plain <div> (built with textContent).
    tooltip = page.eval_on_selector(
        "div.vis-tooltip",
        "t => [t.textContent, [...t.querySelectorAll('*')].filter("
        "  e => e.tagName !== 'DIV' || e.children.length || e.attributes.length).length]",
    )
    page.mouse.click(x, y)
    page.wait_for_selector("#kg-details:not([hidden])")
    return tooltip


def test_hostile_text_is_shown_as_text(browser, tmp_path):  # noqa: F811
    view = hostile_view()
    path = render(view, tmp_path / "hostile.html", title=f"</title>{IMG}")
    opened = Opened(browser, path)
    try:
        page = opened.page
        assert opened.counts() == (3, 3)
        assert page.title() == f"</title>{IMG}"
        assert page.text_content("#kg-title") == f"</title>{IMG}"
        # Labels, ids and quotes arrive intact, as data.
        node = page.evaluate("(id) => network.body.data.nodes.get(id)", HOSTILE_ID)
        assert node["full"] == IMG and node["quote"] == view.nodes[HOSTILE_ID]["quote"]
        text, children = _hover_and_click(opened, HOSTILE_ID)
        assert IMG in text and children == 0
        assert page.text_content("#kg-details h2") == IMG
        assert SCRIPT in page.text_content("#kg-details blockquote")
        # An invalid Q-id and a javascript: IRI are text, not links.
        assert page.evaluate("document.querySelectorAll('#kg-details a').length") == 1
        assert page.get_attribute("#kg-details a", "href") == HOSTILE_ID.replace(
            "<", "%3C"
        ).replace(">", "%3E").replace('"', "%22").replace(" ", "%20")
        # The edges' details: a javascript: source stays text.
        page.evaluate("kg.select('urn:b')")
        page.click("#kg-details li button >> text=Plain")
        assert "Q42" in page.text_content("#kg-details")
        assert page.get_attribute("#kg-details a[href*=wikidata]", "href") == (
            "https://www.wikidata.org/wiki/Q42"
        )
        page.fill("#kg-search", IMG)
        page.wait_for_function("() => network.body.data.nodes.length === 3 && kg.state.search")
        _check_nothing_ran(opened)
    finally:
        opened.close()


def test_hostile_edge_source_is_not_a_link(browser, tmp_path):  # noqa: F811
    opened = Opened(browser, render(hostile_view(), tmp_path / "edges.html"))
    try:
        page = opened.page
        edge = page.evaluate("network.body.data.edges.get().find(e => e.rel === 'participant').id")
        page.evaluate("(id) => network.emit('click', {nodes: [], edges: [id]})", edge)
        page.wait_for_selector("#kg-details:not([hidden])")
        assert "javascript:window.__xss=1" in page.text_content("#kg-details")
        assert page.evaluate("document.querySelectorAll('#kg-details a').length") == 0
        _check_nothing_ran(opened)
    finally:
        opened.close()


def test_hostile_contested_render_and_notebook_iframe(browser, tmp_path):  # noqa: F811
    view = hostile_view()
    path = render_contested(view, tmp_path / "contested.html")
    opened = Opened(browser, path)
    try:
        assert opened.counts()[0] >= 2
        _check_nothing_ran(opened)
    finally:
        opened.close()
    wrapper = tmp_path / "notebook.html"
    wrapper.write_text(
        "<!DOCTYPE html><meta charset=utf-8><body>"
        + iframe_html(path.read_text(encoding="utf-8"), height=500)
    )
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(wrapper.as_uri())
        frame = page.frames[1]
        frame.wait_for_function("() => window.kgFirstDraw !== undefined")
        assert frame.evaluate("network.body.data.nodes.length") >= 2
        assert frame.evaluate("window.__xss") is None
        assert page.evaluate("window.__xss") is None
    finally:
        context.close()


def test_hostile_entity_page_shows_its_timeline_as_text(browser, tmp_path):  # noqa: F811
    from kg.render.entity import render_entity
    from kg.render.page import ENTITY_SCRIPTS

    view = hostile_view()
    path = render_entity(view, HOSTILE_ID, tmp_path / "entity.html", title=f"</title>{IMG}")
    opened = Opened(browser, path, scripts=ENTITY_SCRIPTS)
    try:
        page = opened.page
        assert page.title() == f"</title>{IMG}"
        timeline = page.text_content("#kg-timeline")
        assert IMG in timeline and SCRIPT in timeline  # labels and quotes, as text
        assert "<a href='javascript:window.__xss=1'>href</a>" in timeline
        # Sources that are not http(s) stay text; no link leads to javascript:.
        hrefs = page.evaluate("[...document.querySelectorAll('a')].map(a => a.href)")
        assert not any(h.lower().startswith("javascript") for h in hrefs)
        page.locator("#kg-timeline-items li button").first.click()
        page.wait_for_selector("#kg-details:not([hidden])")
        _hover_and_click(opened, HOSTILE_ID)
        _check_nothing_ran(opened)
    finally:
        opened.close()


def test_hostile_text_on_the_canvas_renderer(browser, tmp_path):  # noqa: F811
    from kg.render.page import CANVAS_SCRIPTS

    path = render(hostile_view(), tmp_path / "canvas.html", renderer="canvas")
    opened = Opened(browser, path, scripts=CANVAS_SCRIPTS)
    try:
        page = opened.page
        assert page.evaluate("network instanceof KgCanvasNetwork")
        text, children = _hover_and_click(opened, HOSTILE_ID)
        assert IMG in text and children == 0
        assert page.text_content("#kg-details h2") == IMG
        assert SCRIPT in page.text_content("#kg-details blockquote")
        page.fill("#kg-search", IMG)
        page.wait_for_function("() => kg.state.search")
        _check_nothing_ran(opened)
    finally:
        opened.close()
