"""Build the pyvis Network of a view: nodes, edges and vis options, without pyvis's slow paths.

pyvis's ``Network.from_nx`` is quadratic for undirected networks (130 s at 20,000 nodes) and
writes into the graph it is given; here the node and edge lists are filled directly (0.2 s at
20,000 nodes) from fresh dicts, and the view is only read. Every text value is kept as plain
text; the page composes the plain-text tooltips from these fields (vis-network shows string
tooltips with ``innerText``).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from kg.namespaces import local_name
from kg.render.layout import PHYSICS_MAX_NODES, layout_positions
from kg.render.style import node_group, node_status_options, relation_name, vis_groups

__all__ = [
    "build_network",
    "EDGE_LABELS_MAX_EDGES",
    "LABEL_LINE",
    "LABEL_LINES",
    "short_label",
    "vis_options",
]

#: Edge labels are drawn on the canvas up to this many edges (above, they show on hover).
EDGE_LABELS_MAX_EDGES = 150
#: Node labels are wrapped to lines of this many characters on the canvas ...
LABEL_LINE = 18
#: ... and at most this many lines, the last one cut with "…" (the tooltip and details panel
#: keep the full text). Measured on the article's full graph: one line of 48 characters left
#: 95 of 103 nodes overlapping a label; two short lines make boxes that pack.
LABEL_LINES = 2

_NODE_FIELDS = (
    *("cls", "start", "end", "date", "wikidata", "quote", "kind", "characterization"),
    *("status", "source", "side", "alleged"),
)
_EDGE_FIELDS = ("start", "end", "via", "quote", "role", "status", "status_date", "on_behalf_of")


def _text(value) -> str | None:
    """A value of a view attribute as text (dates become ISO strings), or None if empty."""
    if value is None:
        return None
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return text or None


def short_label(text: str, line: int = LABEL_LINE, lines: int = LABEL_LINES) -> str:
    """Wrap a label to ``lines`` lines of about ``line`` characters, cutting the rest with "…".

    Parameters
    ----------
    text:
        The full label.
    line, lines:
        Characters per line (a longer word is cut) and the number of lines.

    Returns
    -------
    str
        Lines joined with a newline (vis-network draws them as a multi-line label).

    Example
    -------
    >>> short_label("Armenia")
    'Armenia'
    >>> print(short_label("Russia to deploy 1,960 peacekeepers for five years"))
    Russia to deploy
    1,960 peacekeepers…
    """
    words = text.split()
    out: list[str] = []
    current = ""
    for word in words:
        word = word if len(word) <= line else word[: line - 1] + "…"
        if current and len(current) + 1 + len(word) > line:
            out.append(current)
            current = ""
            if len(out) == lines:
                out[-1] += "…"
                return "\n".join(out)
        current = f"{current} {word}" if current else word
    out.append(current)
    return "\n".join(out)


def build_network(view, *, positions=None, physics: bool | None = None, node_options=None):
    """Build a ``pyvis.network.Network`` holding a view's nodes and edges, laid out and styled.

    Parameters
    ----------
    view:
        A view (``networkx.MultiDiGraph`` following the view contract); it is not modified.
    positions:
        node -> ``(x, y)``; default: :func:`kg.render.layout.layout_positions`.
    physics:
        Start the page with physics on; default: on up to
        :data:`~kg.render.layout.PHYSICS_MAX_NODES` nodes.
    node_options:
        node -> extra vis-network node options (shape, colour ...) that override its group's
        style; used by renders with a layout of their own, such as the contested claims.

    Returns
    -------
    pyvis.network.Network
        ``net.nodes`` and ``net.edges`` hold vis-network items (with the view's attributes as
        plain fields such as ``cls``, ``date``, ``quote``, ``rel``), ``net.options`` a dict.

    Example
    -------
    >>> import networkx as nx
    >>> g = nx.MultiDiGraph(name="demo", as_of=None)
    >>> g.add_node("x:A", label="Armenia", group="state", cls="State")
    >>> g.add_node("x:C", label="CSTO", group="organization")
    >>> _ = g.add_edge("x:A", "x:C", key="memberOf", label="member of", source=None, quote=None)
    >>> net = build_network(g)
    >>> net.num_nodes(), net.num_edges(), net.nodes[0]["label"], net.edges[0]["rel"]
    (2, 1, 'Armenia', 'memberOf')
    >>> "x" in g.nodes["x:A"]  # the view is untouched
    False
    """
    from pyvis.network import Network

    if positions is None:
        positions = layout_positions(view)
    n_nodes = view.number_of_nodes()
    if physics is None:
        physics = n_nodes <= PHYSICS_MAX_NODES
    net = Network(height="100%", width="100%", directed=True, cdn_resources="in_line")
    nodes = _vis_nodes(view, positions, node_options)
    edges = _vis_edges(view)
    net.nodes = nodes
    net.edges = edges
    net.node_ids = [node["id"] for node in nodes]
    net.node_map = {node["id"]: node for node in nodes}
    net.options = vis_options(n_nodes, len(edges), physics=physics)
    return net


def _vis_nodes(view: Any, positions: dict, node_options: dict | None) -> list[dict[str, Any]]:
    """The vis-network nodes of a view, styled and placed."""
    # An event or fact known only from a speaker's claim (kg:allegedBy) is drawn as alleged.
    alleged = {
        str(u): str(v)
        for u, v, key, d in view.edges(keys=True, data=True)
        if relation_name(key, d) == "allegedBy"
    }
    nodes = []
    for iri, data in view.nodes(data=True):
        iri = str(iri)
        if iri in alleged:
            data = {**data, "alleged": alleged[iri]}
        label = str(data.get("label") or local_name(iri))
        item: dict[str, Any] = {
            "id": iri,
            "label": short_label(label),
            "full": label,
            "group": node_group(data),
        }
        for field in _NODE_FIELDS:
            value = data.get(field)
            if value is not None and value != "":
                item[field] = value if type(value) is str else _text(value)
        item.update(node_status_options(data))
        if node_options and iri in node_options:
            item.update(node_options[iri])
        x, y = positions.get(iri, (0.0, 0.0))
        item["x"], item["y"] = round(x), round(y)
        nodes.append(item)
    return nodes


def _vis_edges(view: Any) -> list[dict[str, Any]]:
    """The vis-network edges of a view; parallel ones curve apart when there are few edges."""
    edges = []
    parallel: Counter = Counter()
    view_edges = list(view.edges(keys=True, data=True))
    small = len(view_edges) <= EDGE_LABELS_MAX_EDGES
    for i, (u, v, key, data) in enumerate(view_edges):
        relation = relation_name(key, data)
        label = str(data.get("label") or relation)
        item: dict[str, Any] = {
            "id": i,
            "from": str(u),
            "to": str(v),
            "rel": relation,
            "rlabel": label,
        }
        if data.get("source"):
            item["source"] = str(data["source"])
        for field in _EDGE_FIELDS:
            value = data.get(field)
            if value is not None and value != "":
                item[field] = value if type(value) is str else _text(value)
        if small:
            # Parallel edges between the same two nodes get increasingly curved.
            pair = (min(str(u), str(v)), max(str(u), str(v)))
            k = parallel[pair]
            parallel[pair] += 1
            if k:
                item["smooth"] = {"enabled": True, "type": "curvedCW", "roundness": 0.18 * k}
        edges.append(item)
    return edges


def vis_options(n_nodes: int, n_edges: int, *, physics: bool) -> dict:
    """Return the vis-network options for a network of this size.

    Parameters
    ----------
    n_nodes, n_edges:
        The size of the network.
    physics:
        Whether the page starts with physics on (it stabilizes from the precomputed positions).

    Returns
    -------
    dict

    Example
    -------
    >>> vis_options(20000, 30000, physics=False)["edges"]["smooth"]
    False
    """
    large = n_nodes > PHYSICS_MAX_NODES
    return {
        "autoResize": True,
        "groups": vis_groups(),
        "nodes": {
            "borderWidth": 1,
            "font": {"size": 13, "face": "system-ui, sans-serif", "color": "#222"},
            # On large graphs labels appear only once zoomed in enough to read them.
            "scaling": {"label": {"drawThreshold": 9 if large else 5}},
        },
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.45}},
            "width": 1.2,
            "selectionWidth": 2,
            "smooth": False if large else {"enabled": True, "type": "continuous"},
            "font": {
                "size": 10,
                "face": "system-ui, sans-serif",
                "align": "middle",
                "color": "#555",
            },
        },
        # Layout comes precomputed; vis's improvedLayout (Kamada-Kawai) is too slow above
        # a few hundred nodes.
        "layout": {"improvedLayout": False, "randomSeed": 7},
        "physics": {
            "enabled": physics,
            "solver": "barnesHut",
            "barnesHut": {"gravitationalConstant": -4000, "springLength": 110, "damping": 0.3},
            "stabilization": {"enabled": True, "iterations": 200, "fit": True},
        },
        "interaction": {
            "hover": not large,
            "tooltipDelay": 150,
            "hideEdgesOnDrag": large,
            "hideEdgesOnZoom": n_edges > 5000,
            "navigationButtons": False,
            "keyboard": False,
            "multiselect": True,
        },
    }
