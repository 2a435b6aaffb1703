"""The contested-claims render: one event, the claims made about it, grouped by side.

Sides come from :mod:`kg.render.sides`. Each side is a block in one of two columns, left and
right of the event: a header, then its claims stacked, coloured by side, with the speakers
outside the column; ``contradicts`` and ``respondsTo`` edges cross between the columns.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from kg.render.sides import SIDE_HEADER, SIDE_PATH, contested_view
from kg.render.style import relation_name

__all__ = ["contested_html", "contested_layout", "contested_view", "render_contested"]

_SIDE_COLOURS = ["#4e79a7", "#e15759", "#59a14f", "#b07aa1", "#f28e2b", "#76b7b2", "#9c755f"]
_FIXED_COLOURS = {"opinion": "#79706e", "fact": "#a3a41b", "unattributed": "#8a8a8a"}


def _tint(colour: str, share: float = 0.78) -> str:
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return "#" + "".join(f"{round(c + (255 - c) * share):02x}" for c in (r, g, b))


def contested_layout(contested) -> tuple[dict, dict]:
    """Place the event in the middle and the sides in two columns, coloured by side.

    Sides are dealt, largest first, to the shorter of the two columns (left and right of the
    event); in its column a side is a block: a header, then its claims stacked; speakers sit
    outside the column beside their claims.

    Parameters
    ----------
    contested:
        A graph from :func:`contested_view`.

    Returns
    -------
    tuple[dict, dict]
        ``(positions, node_options)`` for :func:`kg.render.render_html`.

    Example
    -------
    >>> import networkx as nx
    >>> g = nx.MultiDiGraph(); g.add_node("e", group="event")
    >>> for s in ("s1", "s2"):
    ...     g.add_node(s, group="statement"); _ = g.add_edge(s, "e", key="about")
    ...     _ = g.add_edge(s, "A" if s == "s1" else "B", key="speaker")
    >>> pos, opts = contested_layout(contested_view(g, "e"))
    >>> pos["e"], pos["s1"][0] < 0 < pos["s2"][0], opts["s1"]["shape"]
    ((0, 0), True, 'box')
    """
    event = contested.graph["event"]
    positions: dict[str, tuple[float, float]] = {event: (0, 0)}
    options = {event: {"size": 34, "font": {"size": 17, "face": "system-ui, sans-serif"}}}
    placed = {event}
    columns: list[list[str]] = [[], []]
    height: list[float] = [0, 0]
    for side, members in contested.graph["side_members"].items():
        column = 0 if height[0] <= height[1] else 1
        columns[column].append(side)
        height[column] += len(members) + 1.6
    colours = iter(_SIDE_COLOURS * 3)
    colour_of = {
        side: _FIXED_COLOURS.get(side) or next(colours) for side in contested.graph["side_members"]
    }
    for column, sides in enumerate(columns):
        direction = -1 if column == 0 else 1
        x = direction * 420
        y = -height[column] * _ROW / 2
        for side in sides:
            members = contested.graph["side_members"][side]
            colour = colour_of[side]
            header = side if side in contested else SIDE_HEADER + side
            if header in contested:
                positions[header] = (x, y)
                placed.add(header)
            options[header] = options.get(header, {}) | {
                "shape": "box",
                "color": {"background": colour, "border": colour},
                "font": {"color": "#ffffff", "size": 16, "face": "system-ui, sans-serif"},
                "margin": 10,
            }
            y += _ROW
            for claim in members:
                positions[claim] = (x, y)
                placed.add(claim)
                data = contested.nodes[claim]
                words = data.get("characterization")
                text = str(data.get("label") or claim) + (f"\n“{words}”" if words else "")
                options[claim] = {
                    "shape": "box",
                    "label": text,
                    "color": {"background": _tint(colour), "border": colour},
                    "widthConstraint": {"maximum": 240},
                    "margin": 8,
                    "borderWidth": 2,
                }
                y += _ROW
            y += _ROW * 0.6
            # Speakers, and the posts between them and the side, outside the column.
            _place_speakers(contested, members, side, x + direction * 280, positions, placed)
    return positions, options


_ROW = 96


def _place_speakers(contested, members, side, x, positions, placed) -> None:
    rows: dict[str, list[float]] = defaultdict(list)
    depth: Counter = Counter()
    for claim in members:
        frontier = [claim]
        for step in range(1, 5):
            following = []
            for node in frontier:
                for _, target, key in contested.out_edges(node, keys=True):
                    relation = relation_name(key, {})
                    if target in placed or target == side:
                        continue
                    if relation == "speaker" or (step > 1 and relation in SIDE_PATH):
                        rows[target].append(positions[claim][1])
                        depth[target] = max(depth[target], step)
                        following.append(target)
            frontier = following
    taken: list[float] = []
    for node in sorted(rows, key=lambda n: (depth[n], sum(rows[n]) / len(rows[n]))):
        y = sum(rows[node]) / len(rows[node]) - (depth[node] - 1) * 50
        while any(abs(y - other) < 46 for other in taken):
            y += 48
        taken.append(y)
        positions[node] = (x, y)
        placed.add(node)


def contested_html(view, event: str | None = None, **options) -> str:
    """Return the contested-claims page of an event.

    Parameters
    ----------
    view:
        The full view (or any view with events, claims and speakers).
    event:
        The event; default: the most contested one.
    **options:
        More :func:`kg.render.render_html` options (``title``, ``as_of``).

    Returns
    -------
    str

    Example
    -------
    >>> import networkx as nx
    >>> g = nx.MultiDiGraph(name="v", as_of=None); g.add_node("e", label="War", group="event")
    >>> g.add_node("s", label="It began", group="statement"); _ = g.add_edge("s", "e", key="about")
    >>> "<title>Contested claims: War</title>" in contested_html(g)
    True
    """
    from kg.render import render_html

    contested = contested_view(view, event)
    positions, node_options = contested_layout(contested)
    label = contested.nodes[contested.graph["event"]].get("label") or contested.graph["event"]
    if options.get("title") is None:
        options["title"] = f"Contested claims: {label}"
    return render_html(
        contested, positions=positions, physics=False, node_options=node_options, **options
    )


def render_contested(view, path, event: str | None = None, **options):
    """Write the contested-claims page of an event to ``path`` (atomically).

    Parameters
    ----------
    view:
        The full view (or any view with events, claims and speakers).
    path:
        The ``.html`` file to write.
    event:
        The event; default: the most contested one.
    **options:
        More :func:`kg.render.render_html` options (``title``, ``as_of``).

    Returns
    -------
    pathlib.Path

    Example
    -------
    >>> import networkx as nx, tempfile, pathlib
    >>> g = nx.MultiDiGraph(name="v", as_of=None); g.add_node("e", label="War", group="event")
    >>> g.add_node("s", label="It began", group="statement"); _ = g.add_edge("s", "e", key="about")
    >>> render_contested(g, pathlib.Path(tempfile.mkdtemp()) / "c.html").exists()
    True
    """
    from kg.render import write_page

    return write_page(contested_html(view, event, **options), path)
