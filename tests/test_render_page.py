"""Render pages in a real browser (Debian chromium, Playwright): they draw, offline, with no
request and no console error, and the search, filters, "as of" slider, focus and details
panel change what is shown the way the view says they should."""

from __future__ import annotations

import math
import re

import networkx as nx
import pytest
from render_browser import Opened, browser  # noqa: F401  (fixture)

from kg.render import render
from kg.render.sample import sample_view
from kg.views.timefilter import prune

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


def test_relation_filter_hides_edges_and_the_nodes_left_without_any(opened, view):
    hidden = {"speaker", "country"}  # all of a person's edges
    for relation in hidden:
        opened.page.uncheck(f"#kg-relations input[value={relation}]")
    speaker = sum(1 for *_, k in view.edges(keys=True) if k in hidden)
    kept = view.copy()
    kept.remove_edges_from([(u, v, k) for u, v, k in view.edges(keys=True) if k in hidden])
    alone = {n for n in kept if not kept.degree(n) and view.degree(n)}
    assert alone, "the sample has persons with no other relation"
    edges = view.number_of_edges() - speaker
    assert opened.counts() == (view.number_of_nodes() - len(alone), edges)
    assert opened.shown_ids().isdisjoint(alone)
    # Unticked, "hide nodes left without edges" keeps them.
    opened.page.uncheck("#kg-orphans")
    assert opened.counts() == (view.number_of_nodes(), view.number_of_edges() - speaker)


def _set_slider(page, i):
    page.eval_on_selector(
        "#kg-asof", "(s, i) => { s.value = i; s.dispatchEvent(new Event('input')); }", i
    )
    return page.text_content("#kg-asof-label")


def test_as_of_slider_agrees_with_timefilter_prune(opened, view):
    positions = int(opened.page.get_attribute("#kg-asof", "max"))
    tried = 0
    for i in range(0, positions, max(1, positions // 12)):
        as_of = _set_slider(opened.page, i)
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", as_of)
        expected = prune(view.copy(), as_of)
        assert opened.shown_ids() == set(expected), as_of
        assert opened.counts()[1] == expected.number_of_edges(), as_of
        tried += 0 < expected.number_of_nodes() < view.number_of_nodes()
    assert tried >= 3
    assert _set_slider(opened.page, positions) == "all dates"
    assert opened.counts() == (view.number_of_nodes(), view.number_of_edges())


def _positions(page, ids):
    return page.evaluate("(ids) => network.getPositions(ids)", list(ids))


def test_focus_lays_the_neighbourhood_out_afresh_and_fits_it(opened, view):
    state = "https://w3id.org/kg-ir/resource/State2"
    keep = _neighbourhood(view, [state], 2)
    before = _positions(opened.page, keep)
    scale_before = opened.page.evaluate("network.getScale()")
    fits = opened.page.evaluate("window.kgFitted || 0")
    opened.page.fill("#kg-focus", "State 2")
    opened.page.fill("#kg-hops", "2")
    opened.page.click("#kg-focus-go")
    opened.fitted(fits + 1)
    assert opened.shown_ids() == keep
    after = _positions(opened.page, keep)
    # A new layout: the focus in the middle, every node moved, nothing overlapping a label.
    others = [after[n] for n in keep if n != state]
    cx = sum(p["x"] for p in others) / len(others)
    cy = sum(p["y"] for p in others) / len(others)
    spread = sorted(math.dist((p["x"], p["y"]), (cx, cy)) for p in others)
    assert math.dist((after[state]["x"], after[state]["y"]), (cx, cy)) < spread[len(spread) // 4]
    assert sum(after[n] != before[n] for n in keep) >= len(keep) - 1
    overlapping, shown = opened.label_overlaps()
    assert shown == len(keep) and overlapping <= shown // 10
    assert opened.page.evaluate("network.getScale()") > scale_before
    opened.page.click("#kg-focus-clear")
    opened.fitted(fits + 2)
    assert opened.counts()[0] == view.number_of_nodes()
    assert _positions(opened.page, keep) == before  # the global layout is back


def _in_view(page, ids):
    """How many of ``ids`` are drawn inside the graph's canvas."""
    return page.evaluate(
        """(ids) => { const c = document.querySelector('#kg-graph canvas');
          const pos = network.getPositions(ids); let n = 0;
          for (const id of ids) { const p = network.canvasToDOM(pos[id]);
            if (p.x >= 0 && p.y >= 0 && p.x <= c.clientWidth && p.y <= c.clientHeight) n++; }
          return n; }""",
        list(ids),
    )


def test_search_and_clear_refit_the_view(opened, view):
    # Zoom far into a corner first: after a search the matches must be in view again.
    opened.page.evaluate(
        "network.moveTo({position: {x: 5000, y: 5000}, scale: 3, animation: false})"
    )
    fits = opened.page.evaluate("window.kgFitted || 0")
    opened.page.fill("#kg-search", "agreement 3")
    opened.fitted(fits + 1)
    matches = [n for n, d in view.nodes(data=True) if "agreement 3" in d["label"].lower()]
    shown = opened.shown_ids()
    assert _in_view(opened.page, shown) == len(shown)
    assert _in_view(opened.page, matches) == len(matches)
    opened.page.fill("#kg-search", "")
    opened.fitted(fits + 2)
    assert _in_view(opened.page, list(view)) == view.number_of_nodes()


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
