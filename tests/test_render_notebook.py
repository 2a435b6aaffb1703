"""Notebook display: ``kg.render.notebook.show`` gives HTML that draws the view inside a
sandboxed iframe in a real browser, without touching the notebook page."""

from __future__ import annotations

import pytest
from render_browser import browser  # noqa: F401  (fixture)

import kg
from kg.errors import BadOptionError
from kg.render.notebook import show
from kg.views import alliance_view


@pytest.fixture(scope="module")
def graph():
    return kg.load()


@pytest.mark.browser
def test_show_draws_the_view_in_a_sandboxed_iframe(graph, browser, tmp_path):  # noqa: F811
    shown = show(graph, "alliance", height=480)
    notebook = tmp_path / "notebook.html"
    notebook.write_text(f"<!DOCTYPE html><meta charset=utf-8><body><p>cell</p>{shown.data}")
    view = alliance_view(graph)
    context = browser.new_context()
    try:
        page = context.new_page()
        requests = []
        page.on("request", lambda r: requests.append(r.url))
        page.goto(notebook.as_uri())
        frame = page.frames[1]
        frame.wait_for_function("() => window.kgFirstDraw !== undefined")
        counts = frame.evaluate("[network.body.data.nodes.length, network.body.data.edges.length]")
        assert counts == [view.number_of_nodes(), view.number_of_edges()]
        assert page.evaluate("typeof window.network") == "undefined"  # nothing leaks out
        assert page.eval_on_selector("iframe", "f => f.getBoundingClientRect().height") == 480
        assert page.eval_on_selector("iframe", "f => f.sandbox.value") == (
            "allow-scripts allow-popups allow-popups-to-escape-sandbox"
        )
        assert all(url.startswith(("file://", "about:")) for url in requests), requests
    finally:
        context.close()


def test_show_rejects_an_unknown_view(graph):
    with pytest.raises(BadOptionError, match="unknown view 'alliances': expected one of"):
        show(graph, "alliances")
