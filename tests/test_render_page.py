"""Render pages in a real browser (Debian chromium, Playwright): they draw, offline, with no
request and no console error, and the search, filters, "as of" slider, focus and details
panel change what is shown the way the view says they should."""

from __future__ import annotations

import re

import networkx as nx
import pytest
from render_browser import Opened, browser  # noqa: F401  (fixture)

from kg.render import render
from kg.render.sample import sample_view
from kg.views.timefilter import edge_holds, node_holds

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def view():
    return sample_view(80, seed=3)


@pytest.fixture(scope="module")
def path(view, tmp_path_factory):
    # Physics off: the page draws at once (physics on is covered by the demo pages' test).
    return render(view, tmp_path_factory.mktemp("render") / "sample.html", physics=False)


@pytest.fixture
def opened(browser, path):  # noqa: F811
    page = Opened(browser, path)
    yield page
    assert page.errors == [], "console errors"
    assert page.requests == [page.url], "the page made a request"
    page.close()


def test_page_draws_every_node_and_edge(opened, view):
    assert opened.counts() == (view.number_of_nodes(), view.number_of_edges())
    assert opened.drawn_pixels() > 20_000
    assert re.search(
        r"Showing 80 of 80 nodes, \d+ of \d+ edges", opened.page.text_content("#kg-status")
    )


def test_view_is_not_modified_by_rendering(view):
    from kg.render import render_html

    before = nx.to_dict_of_dicts(view), dict(view.nodes(data=True))
    render_html(view)
    assert (nx.to_dict_of_dicts(view), dict(view.nodes(data=True))) == before


def _neighbourhood(view, seeds, hops):
    undirected = view.to_undirected(as_view=True)
    keep = set()
    for seed in seeds:
        keep |= set(nx.single_source_shortest_path_length(undirected, seed, hops))
    return keep


def test_search_shows_matches_and_their_neighbours(opened, view):
    before = opened.drawn_pixels()
    opened.page.fill("#kg-search", "agreement 3")
    opened.page.wait_for_function("() => network.body.data.nodes.length < 80")
    matches = [n for n, d in view.nodes(data=True) if "agreement 3" in d["label"].lower()]
    assert matches
    assert opened.shown_ids() == _neighbourhood(view, matches, 1)
    assert "match" in opened.page.text_content("#kg-status")
    opened.redraw()
    assert opened.drawn_pixels() != before
    opened.page.fill("#kg-search", "")
    opened.page.wait_for_function("() => network.body.data.nodes.length === 80")


def test_class_filter_hides_a_class_and_its_edges(opened, view):
    opened.page.uncheck("#kg-classes input[value=statement]")
    statements = {n for n, d in view.nodes(data=True) if d["group"] == "statement"}
    kept_edges = [(u, v) for u, v in view.edges() if u not in statements and v not in statements]
    assert opened.counts() == (view.number_of_nodes() - len(statements), len(kept_edges))
    assert opened.shown_ids().isdisjoint(statements)
    opened.page.check("#kg-classes input[value=statement]")
    assert opened.counts() == (view.number_of_nodes(), view.number_of_edges())


def test_relation_filter_hides_edges_of_a_relation(opened, view):
    opened.page.uncheck("#kg-relations input[value=speaker]")
    speaker = sum(1 for *_, k in view.edges(keys=True) if k == "speaker")
    assert speaker > 0
    assert opened.counts() == (view.number_of_nodes(), view.number_of_edges() - speaker)


def test_as_of_slider_follows_the_views_time_rules(opened, view):
    dates = opened.page.evaluate(
        "Array.from({length: +document.getElementById('kg-asof').max}, (_, i) => i)"
    )
    middle = len(dates) // 2
    opened.page.eval_on_selector(
        "#kg-asof",
        "(s, i) => { s.value = i; s.dispatchEvent(new Event('input')); }",
        middle,
    )
    as_of = opened.page.text_content("#kg-asof-label")
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", as_of)
    nodes = {n for n, d in view.nodes(data=True) if node_holds(d, as_of)}
    edges = [
        1 for u, v, d in view.edges(data=True) if edge_holds(d, as_of) and u in nodes and v in nodes
    ]
    assert 0 < len(nodes) < view.number_of_nodes()
    assert opened.shown_ids() == nodes
    assert opened.counts()[1] == len(edges)


def test_focus_shows_an_entitys_neighbourhood(opened, view):
    opened.page.fill("#kg-focus", "State 2")
    opened.page.fill("#kg-hops", "2")
    opened.page.click("#kg-focus-go")
    state = "https://w3id.org/kg-ir/resource/State2"
    assert opened.shown_ids() == _neighbourhood(view, [state], 2)
    opened.page.click("#kg-focus-clear")
    assert opened.counts()[0] == view.number_of_nodes()


def test_clicking_a_node_shows_its_details_and_a_wikidata_link(opened, view):
    state = "https://w3id.org/kg-ir/resource/State1"
    x, y = opened.page.evaluate(
        "(id) => { const p = network.canvasToDOM(network.getPositions([id])[id]);"
        " const r = document.querySelector('#kg-graph').getBoundingClientRect();"
        " return [p.x + r.left, p.y + r.top]; }",
        state,
    )
    opened.page.mouse.click(x, y)
    opened.page.wait_for_selector("#kg-details:not([hidden])")
    assert opened.page.text_content("#kg-details h2") == "State 1"
    link = opened.page.get_attribute("#kg-details a[href*=wikidata]", "href")
    assert link == "https://www.wikidata.org/wiki/" + view.nodes[state]["wikidata"]
    # The details list the node's relations; following one selects the other node.
    opened.page.click("#kg-details li button >> nth=0")
    assert opened.page.text_content("#kg-details h2") != "State 1"


def test_large_graph_is_drawn_at_precomputed_positions_with_physics_off(browser, tmp_path):  # noqa: F811
    big = sample_view(3000, seed=1)
    page = Opened(browser, render(big, tmp_path / "big.html"))
    try:
        assert page.counts() == (3000, big.number_of_edges())
        assert page.page.evaluate("network.physics.options.enabled") is False
        assert (
            page.page.evaluate("network.body.data.nodes.get(network.body.data.nodes.getIds()[0]).x")
            is not None
        )
        assert page.drawn_pixels() > 20_000
        assert page.errors == [] and page.requests == [page.url]
    finally:
        page.close()
