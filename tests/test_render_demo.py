"""The demo pages (the article's full graph, the alliance view, the contested claims) drawn in
a real browser: screenshots that are not blank, and the contested claims grouped by side."""

from __future__ import annotations

import pytest
from render_browser import Opened, browser, png_stats  # noqa: F401  (fixture)

import kg
from kg.render.contested import contested_view
from kg.render.demo import render_demo_pages
from kg.render.page import ENTITY_SCRIPTS, PAGE_SCRIPTS
from kg.views import alliance_view, full_view

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def graph():
    return kg.load()


@pytest.fixture(scope="module")
def full(graph):
    return full_view(graph)


@pytest.fixture(scope="module")
def pages(graph, tmp_path_factory):
    return render_demo_pages(graph, tmp_path_factory.mktemp("demo"))


def test_demo_pages_draw_and_their_screenshots_are_not_blank(browser, pages, graph, full):  # noqa: F811
    alliance = alliance_view(graph)
    expected = {
        "full.html": (full.number_of_nodes(), full.number_of_edges()),
        "alliance.html": (alliance.number_of_nodes(), alliance.number_of_edges()),
    }
    for path in pages:
        scripts = ENTITY_SCRIPTS if path.name == "armenia.html" else PAGE_SCRIPTS
        opened = Opened(browser, path, scripts=scripts)
        try:
            if path.name in expected:
                assert opened.counts() == expected[path.name], path.name
            png = opened.page.locator("#kg-graph").screenshot()
            painted, colours = png_stats(browser, png)
            assert painted > 15_000, f"{path.name}: screenshot nearly blank ({painted} pixels)"
            assert colours > 50, f"{path.name}: only {colours} colours"
            assert opened.errors == [] and opened.requests == [opened.url], path.name
        finally:
            opened.close()


def test_contested_claims_are_grouped_by_side(browser, pages, full):  # noqa: F811
    contested = contested_view(full)
    sides = contested.graph["side_members"]
    assert len(sides) >= 2 and sum(len(claims) for claims in sides.values()) >= 4
    opened = Opened(browser, pages[2])
    try:
        assert opened.counts()[0] == contested.number_of_nodes()
        positions = opened.page.evaluate("network.getPositions()")
        event = contested.graph["event"]
        assert positions[event] == {"x": 0, "y": 0}
        for side, claims in sides.items():
            xs = {positions[claim]["x"] for claim in claims}
            assert len(xs) == 1, f"claims of {side} are not in one column"
            ys = sorted(positions[claim]["y"] for claim in claims)
            # A side's claims are stacked together: no other claim lies between them.
            others = [
                positions[c]["y"]
                for s, cs in sides.items()
                if s != side
                for c in cs
                if positions[c]["x"] in xs
            ]
            assert not any(ys[0] < y < ys[-1] for y in others)
        title = opened.page.title()
        assert title.startswith("Contested claims: ") and contested.nodes[event]["label"] in title
    finally:
        opened.close()
