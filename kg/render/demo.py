"""The demo pages: the article's full graph, the alliance view, the contested claims and the
entity page of Armenia.

``make demo`` (``scripts/demo.py``) and the screenshot test write them with
:func:`render_demo_pages`.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["DEMO_PAGES", "render_demo_pages"]

#: file name -> what it shows.
DEMO_PAGES = {
    "full.html": "the article's full graph",
    "alliance.html": "the alliance view",
    "contested.html": "the contested claims of the most contested event",
    "armenia.html": "the entity page of Armenia: its neighbourhood and timeline",
}


def render_demo_pages(graph, out_dir: str | Path = "out") -> list[Path]:
    """Write the demo pages of a graph into ``out_dir``.

    Parameters
    ----------
    graph:
        A :class:`kg.graph.KnowledgeGraph` (or rdflib Graph) the views are built from.
    out_dir:
        The folder to write into (created if needed).

    Returns
    -------
    list[pathlib.Path]
        The pages written, in the order of :data:`DEMO_PAGES`.

    Example
    -------
    >>> list(DEMO_PAGES)  # the pages; tests/test_render_demo.py renders and screenshots them
    ['full.html', 'alliance.html', 'contested.html', 'armenia.html']
    """
    from kg.render import render
    from kg.render.contested import render_contested
    from kg.render.entity import render_entity
    from kg.views import alliance_view, full_view

    out = Path(out_dir)
    full = full_view(graph)
    return [
        render(full, out / "full.html", title="The article's knowledge graph"),
        render(alliance_view(graph), out / "alliance.html", title="Alliances and memberships"),
        render_contested(full, out / "contested.html"),
        render_entity(full, "kgr:Armenia", out / "armenia.html"),
    ]
