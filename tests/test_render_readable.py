"""The article's pages as a reader meets them (Debian chromium, 1600x1000): the full graph has
no pile of labels, frozen and ended memberships do not look like current ones, the "as of"
slider shows what kg.views.timefilter says held, and every element names its source."""

from __future__ import annotations

import pytest
from render_browser import Opened, browser  # noqa: F401  (fixture)

import kg
from kg.render.demo import render_demo_pages
from kg.views import alliance_view, full_view
from kg.views.timefilter import prune

pytestmark = pytest.mark.browser
KGR = "https://w3id.org/kg-ir/resource/"
SIZE = (1600, 1000)


@pytest.fixture(scope="module")
def graph():
    return kg.load()


@pytest.fixture(scope="module")
def pages(graph, tmp_path_factory):
    return {p.name: p for p in render_demo_pages(graph, tmp_path_factory.mktemp("demo"))}


@pytest.fixture(scope="module")
def full(graph):
    return full_view(graph)


def test_full_graph_is_readable_at_first_sight(browser, pages, full):  # noqa: F811
    opened = Opened(browser, pages["full.html"], size=SIZE)
    try:
        overlapping, shown = opened.label_overlaps()
        assert shown == full.number_of_nodes()
        assert overlapping <= shown // 10, f"{overlapping} of {shown} nodes overlap a label"
        # Readable, not just apart: labels drawn at 8 px or more after the fit.
        font = opened.page.evaluate("network.getScale() * 13")
        assert font >= 8, f"labels drawn at {font:.1f} px"
        # Short labels on the canvas, the full text in the tooltip and the data.
        long = max(full.nodes, key=lambda n: len(full.nodes[n]["label"]))
        item = opened.page.evaluate("(id) => network.body.data.nodes.get(id)", long)
        assert item["full"] == full.nodes[long]["label"] and len(item["label"]) < len(item["full"])
        assert full.nodes[long]["label"] in opened.page.evaluate(
            "(id) => { const t = network.body.data.nodes.get(id).title;"
            " return typeof t === 'string' ? t : t.textContent; }",
            long,
        )
        assert opened.errors == [] and opened.requests == [opened.url]
    finally:
        opened.close()


def _membership_edges(page):
    return {
        e["from"].rsplit("/", 1)[-1]: e
        for e in page.evaluate("network.body.data.edges.get()")
        if e["rel"] == "memberOf"
    }


def test_ended_and_frozen_memberships_are_styled_apart_from_active(browser, pages):  # noqa: F811
    opened = Opened(browser, pages["alliance.html"], size=SIZE)
    page = opened.page
    try:
        edges = _membership_edges(page)
        active, frozen, ended = edges["Russia"], edges["Armenia"], edges["Georgia"]
        looks = {
            name: (e["color"]["color"], str(e.get("dashes")))
            for name, e in (("active", active), ("frozen", frozen), ("ended", ended))
        }
        assert len(set(looks.values())) == 3, looks
        assert active.get("dashes") in (None, False)
        belarus = edges["Belarus"]
        assert looks["active"] == (belarus["color"]["color"], str(belarus.get("dashes")))
        assert "(frozen)" in frozen["label"] and "(ended)" in ended["label"]
        assert "(" not in active["label"]
        for name in ("Georgia", "Azerbaijan", "Uzbekistan"):
            assert edges[name]["color"] == ended["color"], name
        # Legend, tooltip and details say it too.
        legend = page.text_content("#kg-statuses")
        assert "frozen" in legend and "ended" in legend and "active" in legend
        assert "status: frozen since 2024-02-22" in page.evaluate(
            "(id) => { const t = network.body.data.edges.get(id).title;"
            " return typeof t === 'string' ? t : t.textContent; }",
            frozen["id"],
        )
        page.evaluate("(id) => network.emit('click', {nodes: [], edges: [id]})", ended["id"])
        page.wait_for_selector("#kg-details:not([hidden])")
        details = page.text_content("#kg-details")
        assert "Statusended" in details and "Sourcesrc_wikipedia_csto" in details
        # Before Armenia froze its participation, its membership is drawn as an active one.
        dates = page.evaluate(
            "Array.from(document.querySelectorAll('#kg-asof')).map(s => +s.max)[0]"
        )
        assert dates > 0
        page.evaluate("kg.state.asOf = '2023-09-01'; kg.apply()")
        edges = _membership_edges(page)
        assert edges["Armenia"]["color"] == edges["Russia"]["color"]
        assert "(" not in edges["Armenia"]["label"]
        assert "Georgia" not in edges  # ended (no date): not a member on any date
        assert opened.errors == [] and opened.requests == [opened.url]
    finally:
        opened.close()


def test_slider_agrees_with_timefilter_on_every_date(browser, pages, full, graph):  # noqa: F811
    opened = Opened(browser, pages["full.html"], size=SIZE)
    page = opened.page
    try:
        positions = int(page.get_attribute("#kg-asof", "max"))
        assert positions > 10
        checked = 0
        for i in range(positions):
            page.eval_on_selector(
                "#kg-asof", "(s, i) => { s.value = i; s.dispatchEvent(new Event('input')); }", i
            )
            as_of = page.text_content("#kg-asof-label")
            expected = prune(full.copy(), as_of)
            shown = set(page.evaluate("network.body.data.nodes.getIds()"))
            assert shown == set(expected), as_of
            assert opened.counts()[1] == expected.number_of_edges(), as_of
            statuses = {
                (e["from"], e["to"]): e.get("shownStatus")
                for e in page.evaluate("network.body.data.edges.get()")
                if e.get("status")
            }
            for u, v, d in expected.edges(data=True):
                if "status" in d:
                    assert statuses[(u, v)] == d["status"], (as_of, u, v)
            checked += 1
        # And the view built for one of those days (cuts pushed into SPARQL) says the same.
        built = alliance_view(graph, as_of="2023-09-01")
        page.evaluate("kg.state.asOf = '2023-09-01'; kg.apply()")
        members = {
            e["from"]
            for e in page.evaluate("network.body.data.edges.get()")
            if e["rel"] == "memberOf"
        }
        assert members == {u for u, _, k in built.edges(keys=True) if k.startswith("memberOf")}
        assert checked == positions
    finally:
        opened.close()


def test_every_element_names_its_source(browser, pages, full):  # noqa: F811
    opened = Opened(browser, pages["full.html"], size=SIZE)
    page = opened.page
    try:
        for node in (f"{KGR}Armenia", f"{KGR}CSTOCharter", f"{KGR}FinalPeaceAgreement"):
            page.evaluate("(id) => network.emit('click', {nodes: [id], edges: []})", node)
            source = full.nodes[node]["source"].rsplit("/", 1)[-1]
            assert "Source" + source in page.text_content("#kg-details"), node
        # The agreement never concluded looks it: grey, dashed border, status in details.
        item = page.evaluate("(id) => network.body.data.nodes.get(id)", f"{KGR}FinalPeaceAgreement")
        assert item["shapeProperties"]["borderDashes"] and item["color"]["border"] == "#9a9a9a"
        assert "Statusnever concluded" in page.text_content("#kg-details")
        # Claims (statements, opinions) have a dashed border; reported events a solid one.
        dashes = "(id) => network.body.nodes[id].options.shapeProperties.borderDashes"
        alleged = {u for u, _, k in full.edges(keys=True) if k.startswith("allegedBy")}
        for group in ("statement", "opinion", "event", "agreement"):
            node = next(
                n
                for n, d in full.nodes(data=True)
                if d["group"] == group and n not in alleged and d.get("status") != "neverConcluded"
            )
            drawn = page.evaluate(dashes, node)
            assert bool(drawn) == (group in ("statement", "opinion")), (group, drawn)
        assert opened.errors == [] and opened.requests == [opened.url]
    finally:
        opened.close()


def test_nary_relations_are_edges_with_a_toggle_to_show_their_nodes(browser, pages, full):  # noqa: F811
    via = {d["via"] for *_, d in full.edges(data=True) if d.get("via")}
    parents = [
        (u, v) for u, v, d in full.edges(data=True) if d.get("via") and d["via"] not in (u, v)
    ]
    new = {d["via"] for *_, d in full.edges(data=True) if d.get("via")} - set(full)
    assert len(via) >= 20 and new
    opened = Opened(browser, pages["full.html"], size=SIZE)
    page = opened.page
    try:
        assert opened.counts() == (full.number_of_nodes(), full.number_of_edges())
        fits = page.evaluate("window.kgFitted || 0")
        page.check("#kg-nary")
        opened.fitted(fits + 1)
        nodes, edges = full.number_of_nodes() + len(new), full.number_of_edges() + len(parents)
        assert opened.counts() == (nodes, edges)
        # The membership node carries the membership's status and source.
        armenia = next(
            d
            for u, _, d in full.edges(data=True)
            if u.endswith("/Armenia") and d.get("via") and d["relation"].endswith("#memberOf")
        )
        halves = page.evaluate(
            "(via) => network.body.data.edges.get().filter(e => e.from === via || e.to === via)",
            armenia["via"],
        )
        assert len(halves) >= 2 and all(
            "(frozen)" in h["title"] or "frozen" in str(h["title"])
            for h in halves
            if h["rel"] == "memberOf"
        )
        overlapping, shown = opened.label_overlaps()
        assert overlapping <= shown // 10, f"{overlapping} of {shown}"
        page.uncheck("#kg-nary")
        opened.fitted(fits + 2)
        assert opened.counts() == (full.number_of_nodes(), full.number_of_edges())
        assert opened.errors == []
    finally:
        opened.close()


def test_alleged_events_and_facts_look_different_from_reported_ones(
    browser,  # noqa: F811
    pages,
    full,
    graph,
    tmp_path,
):
    # The demo pages follow the views: no alleged or not-occurred event is drawn unless asked.
    assert not any(k.startswith("allegedBy") for _, _, k in full.edges(keys=True))
    asked = full_view(graph, alleged=True)  # what kg render full --alleged draws
    alleged = {u: v for u, v, k in asked.edges(keys=True) if k.startswith("allegedBy")}
    assert alleged, "the article's graph marks alleged events (kg:allegedBy)"
    reported = next(
        n for n, d in asked.nodes(data=True) if d["group"] == "event" and n not in alleged
    )
    from kg.render import render

    opened = Opened(browser, render(asked, tmp_path / "alleged.html"), size=SIZE)
    page = opened.page
    try:
        look = (
            "(id) => { const o = network.body.nodes[id].options;"
            " return [o.color.background, o.shapeProperties.borderDashes || false]; }"
        )
        fill, dashes = page.evaluate(look, reported)
        for node, claim in alleged.items():
            a_fill, a_dashes = page.evaluate(look, node)
            assert a_dashes and not dashes and a_fill != fill, node
            page.evaluate("(id) => network.emit('click', {nodes: [id], edges: []})", node)
            details = page.text_content("#kg-details")
            assert "Alleged by" + asked.nodes[claim]["label"] in details, node
    finally:
        opened.close()
