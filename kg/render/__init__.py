"""Interactive HTML renders of views: one self-contained, offline, escaped page per render.

``render(view, path)`` lays the view out (igraph), builds the pyvis Network (filling its node
and edge lists directly), and writes our own page around it: vis-network inlined, no CDN, no
request, every text shown as text. See :mod:`kg.render.page` for the page's guarantees.
"""

from __future__ import annotations

import os
from pathlib import Path

from kg.errors import BadOptionError

__all__ = [
    "CANVAS_MIN_NODES",
    "focus_subgraph",
    "render",
    "render_html",
    "resolve_entity",
    "write_page",
]

#: Above this many nodes a page is drawn by the canvas renderer (kg-canvas.js) instead of
#: vis-network, whose frames take several times 100 ms there (scripts/bench_render.py).
CANVAS_MIN_NODES = 2000


def resolve_entity(view, entity: str) -> str:
    """Find a node of ``view`` from an IRI, a prefixed name (``kgr:Armenia``) or a label.

    Parameters
    ----------
    view:
        A view.
    entity:
        What the user typed.

    Returns
    -------
    str
        The node key (IRI).

    Raises
    ------
    BadOptionError
        When no node matches, with the closest labels as suggestions.

    Example
    -------
    >>> from kg.render.sample import sample_view
    >>> resolve_entity(sample_view(50), "state 2")
    'https://w3id.org/kg-ir/resource/State2'
    >>> resolve_entity(sample_view(50), "kgr:State3")
    'https://w3id.org/kg-ir/resource/State3'
    """
    import difflib

    from kg.namespaces import expand

    if entity in view:
        return entity
    expanded = expand(entity)
    if expanded is not None and str(expanded) in view:
        return str(expanded)
    lowered = entity.casefold()
    labels: dict[str, str] = {}
    for node, data in view.nodes(data=True):
        label = str(data.get("label") or "")
        if label.casefold() == lowered:
            return node
        labels.setdefault(label, node)
    close = difflib.get_close_matches(entity, list(labels), n=3)
    hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
    raise BadOptionError(f"no entity {entity!r} in view {view.graph.get('name', '')!r}{hint}")


def focus_subgraph(view, entity: str, hops: int = 1):
    """Return the part of ``view`` within ``hops`` steps of ``entity`` (edges in either direction).

    Parameters
    ----------
    view:
        A view; it is not modified.
    entity:
        An IRI, prefixed name or label (see :func:`resolve_entity`).
    hops:
        The radius, at least 1.

    Returns
    -------
    networkx.MultiDiGraph
        A new view with the same graph attributes plus ``focus`` and ``hops``.

    Example
    -------
    >>> import networkx as nx
    >>> g = nx.MultiDiGraph(name="v", as_of=None)
    >>> _ = g.add_edge("a", "b", key="r"); _ = g.add_edge("c", "b", key="r")
    >>> _ = g.add_edge("c", "d", key="r")
    >>> sorted(focus_subgraph(g, "a", 2)), sorted(g)
    (['a', 'b', 'c'], ['a', 'b', 'c', 'd'])
    """
    import networkx as nx

    if hops < 1:
        raise BadOptionError(f"hops must be at least 1, not {hops}")
    node = resolve_entity(view, entity)
    keep = nx.single_source_shortest_path_length(view.to_undirected(as_view=True), node, hops)
    sub = view.subgraph(keep).copy()
    sub.graph.update(focus=node, hops=hops)
    return sub


def render_html(
    view,
    *,
    title: str | None = None,
    as_of: str | None = None,
    focus: str | None = None,
    hops: int = 1,
    positions=None,
    physics: bool | None = None,
    node_options=None,
    renderer: str = "auto",
    credits: list[dict] | None = None,
) -> str:
    """Return the interactive HTML page of a view.

    Parameters
    ----------
    view:
        A view (``networkx.MultiDiGraph`` following the view contract); it is not modified.
    title:
        Page title; default: the view's ``name`` (and ``as_of``).
    as_of:
        Initial position of the page's "as of" slider (ISO date); default: the view's ``as_of``.
    focus, hops:
        Show only the neighbourhood of this entity (IRI, prefixed name or label).
    positions:
        node -> ``(x, y)``; default: a precomputed igraph layout.
    physics:
        Start with physics on; default: only for small graphs.
    node_options:
        node -> vis-network options overriding its group's style.
    renderer:
        ``"vis"`` (vis-network), ``"canvas"`` (kg's batched canvas renderer, for large
        graphs) or ``"auto"``: canvas above :data:`CANVAS_MIN_NODES` nodes.
    credits:
        The imported datasets' attributions (:func:`kg.importers.attributions`), shown in
        the panel.

    Returns
    -------
    str

    Example
    -------
    >>> from kg.render.sample import sample_view
    >>> page = render_html(sample_view(30), title="Thirty nodes")
    >>> page.startswith("<!DOCTYPE html>"), "<title>Thirty nodes</title>" in page
    (True, True)
    """
    from kg.render.network import build_network
    from kg.render.page import CANVAS_SCRIPTS, PAGE_SCRIPTS, page_html
    from kg.render.style import legend

    if renderer not in ("auto", "vis", "canvas"):
        raise BadOptionError(f"unknown renderer {renderer!r}: expected auto, vis or canvas")

    if focus is not None:
        view = focus_subgraph(view, focus, hops)
    as_of = as_of if as_of is not None else view.graph.get("as_of")
    if title is None:
        title = str(view.graph.get("name") or "kg graph")
        if view.graph.get("focus") in view:  # a focused page says whose neighbourhood it is
            hops = view.graph.get("hops", 1)
            name = view.nodes[view.graph["focus"]].get("label", view.graph["focus"])
            title = f"{name} within {hops} hop{'s' if hops > 1 else ''}: {title} view"
        if as_of:
            title += f" as of {as_of}"
    if renderer == "auto":
        renderer = "canvas" if view.number_of_nodes() > CANVAS_MIN_NODES else "vis"
    if renderer == "canvas":
        physics = False
    net = build_network(view, positions=positions, physics=physics, node_options=node_options)
    meta = {
        "name": str(view.graph.get("name") or ""),
        "as_of": str(as_of) if as_of else None,
        "focus": view.graph.get("focus"),
        "hops": view.graph.get("hops", hops),
        # A layout of our own (positions given) is kept as it is; an automatic one has its
        # label overlaps removed in the browser, where the labels are measured.
        "declutter": positions is None,
        "renderer": renderer,
    }
    scripts = CANVAS_SCRIPTS if renderer == "canvas" else PAGE_SCRIPTS
    return page_html(
        net, title=title, legend=legend(net), meta=meta, scripts=scripts, credits=credits
    )


def render(view, path: str | os.PathLike, **options) -> Path:
    """Write the interactive HTML page of a view to ``path`` (atomically).

    Parameters
    ----------
    view:
        A view (``networkx.MultiDiGraph`` following the view contract).
    path:
        The ``.html`` file to write; its folder is created if needed. The file is written to
        a temporary name and renamed, so an existing page is never left half-written.
    **options:
        ``title``, ``as_of``, ``focus``, ``hops``, ``positions``, ``physics``,
        ``node_options``, ``renderer``, ``credits``: see :func:`render_html`.

    Returns
    -------
    pathlib.Path
        The path written.

    Example
    -------
    >>> import tempfile
    >>> from kg.render.sample import sample_view
    >>> out = render(sample_view(20), Path(tempfile.mkdtemp()) / "g.html")
    >>> out.stat().st_size > 400_000
    True
    """
    return write_page(render_html(view, **options), path)


def write_page(page: str, path: str | os.PathLike) -> Path:
    """Write an HTML page atomically: to a temporary file in the same folder, then renamed.

    Parameters
    ----------
    page:
        The HTML text.
    path:
        The destination; its folder is created if needed.

    Returns
    -------
    pathlib.Path

    Example
    -------
    >>> import tempfile
    >>> out = write_page("<p>x</p>", Path(tempfile.mkdtemp()) / "sub" / "p.html")
    >>> out.read_text(), sorted(p.name for p in out.parent.iterdir())
    ('<p>x</p>', ['p.html'])
    """
    from kg.files import write_bytes_atomically

    return write_bytes_atomically(path, page.encode("utf-8", errors="replace"))
