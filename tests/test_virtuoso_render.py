"""Relations and rendered pages are the same on every store, Virtuoso included.

``backend_kg`` runs each test on rdflib in memory, Oxigraph, ``oxigraph serve`` and
Virtuoso (see ``tests/conftest.py``); the answers are compared with the in-memory ones.
(The views themselves are compared in ``tests/test_views_backends.py``, the competency
queries in ``tests/test_backends.py`` and ``tests/test_competency.py``.)
"""

from __future__ import annotations

import json

import pytest
from views_common import article_view as memory_view

from kg.relations import (
    adversaries,
    allies,
    centrality,
    common_organizations,
    connections,
    contested,
    who_said_what,
)
from kg.render import render_html
from kg.render.contested import contested_html
from kg.render.network import build_network
from kg.render.sides import contested_view
from kg.views import VIEWS


def _unordered(value):
    """Lists as sorted lists: a relation's lists follow the view's insertion order, which
    is each engine's row order (the views themselves compare equal as graphs)."""
    if isinstance(value, dict):
        return {k: _unordered(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return sorted((_unordered(v) for v in value), key=repr)
    return value


def _relations(G) -> dict:
    return _unordered(
        {
            "allies": allies(G, "Armenia", "2023-09-01"),
            "allies later": allies(G, "Armenia", "2024-03-01"),
            "common": common_organizations(G, "Armenia", "Russia"),
            "adversaries": adversaries(G, "Azerbaijan"),
            "connections": connections(G, "Armenia", "Q159", max_hops=3),
            "said": who_said_what(G),
            "contested": contested(G),
            "centrality": centrality(G),
        }
    )


def test_every_relation_answers_the_same(backend_kg):
    assert _relations(VIEWS["full"](backend_kg)) == _relations(memory_view("full", None))


def _drawn(view) -> tuple[list[str], list[str]]:
    """What a page draws: its vis-network nodes and edges, as sorted JSON. Positions are
    fixed and ids and curvature left out: the layout and edge ids follow insertion order."""
    net = build_network(view, positions={n: (0.0, 0.0) for n in view.nodes})
    nodes = sorted(json.dumps(n, sort_keys=True, default=str) for n in net.nodes)
    edges = [{k: v for k, v in e.items() if k not in ("id", "smooth")} for e in net.edges]
    return nodes, sorted(json.dumps(e, sort_keys=True, default=str) for e in edges)


@pytest.mark.parametrize("name", ["full", "alliance"])
def test_rendered_pages_draw_the_same(backend_kg, name):
    ours = _drawn(VIEWS[name](backend_kg))
    assert ours == _drawn(memory_view(name, None))
    assert len(ours[0]) > 5 and len(ours[1]) > 5
    assert "Armenia" in render_html(VIEWS[name](backend_kg), title=name)


def test_contested_page_draws_the_same(backend_kg):
    event = "kgr:Offensive2023"
    ours = contested_view(VIEWS["full"](backend_kg), event)
    theirs = contested_view(memory_view("full", None), event)
    assert _drawn(ours) == _drawn(theirs)
    assert "Azerbaijan" in contested_html(VIEWS["full"](backend_kg), event)
