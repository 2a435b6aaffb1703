"""The contested-claims render: one event, the claims made about it, grouped by side.

A claim's side is the polity its speaker speaks for: a state speaker is its own side, a body
belongs to its ``country``, a person ``holds`` a post that is a ``postIn`` a body or state.
The author's opinions and the source's reported facts are sides of their own. Each side is
a column (the two largest left and right of the event), its claims stacked in it, coloured
by side; ``contradicts`` and ``respondsTo`` edges cross between the columns.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from kg.errors import BadOptionError
from kg.render.style import relation_name

CLAIM_GROUPS = ("statement", "opinion", "fact")
#: Relations followed from a speaker to the polity it speaks for.
SIDE_PATH = ("country", "holds", "postIn", "onBehalfOf")
_OWN_SIDE = {"opinion": "The author's opinions", "fact": "Reported facts"}
#: Header nodes for the sides that are not entities of the graph.
SIDE_HEADER = "urn:kg-ir:side:"
_SIDE_COLOURS = ["#4e79a7", "#e15759", "#59a14f", "#b07aa1", "#f28e2b", "#76b7b2", "#9c755f"]
_FIXED_COLOURS = {"opinion": "#79706e", "fact": "#a3a41b", "unattributed": "#8a8a8a"}


def _out(view, node, relations):
    for _, target, key, data in view.out_edges(node, keys=True, data=True):
        if relation_name(key, data) in relations:
            yield target, key


def claims_about(view, event: str) -> list[str]:
    """Return the claims (statements, opinions, reported facts) that are ``about`` an event.

    Parameters
    ----------
    view:
        A view holding claims and their ``about`` edges (the statement or full view).
    event:
        The event's IRI.

    Returns
    -------
    list[str]
        Claim IRIs, by date then label.

    Example
    -------
    >>> from kg.render.sample import sample_view
    >>> g = sample_view(100)
    >>> all(g.nodes[c]["group"] == "statement" for c in claims_about(g, "kgr-none"))
    True
    """
    if event not in view:
        return []
    claims = {
        claim
        for claim, _, key, data in view.in_edges(event, keys=True, data=True)
        if relation_name(key, data) == "about" and view.nodes[claim].get("group") in CLAIM_GROUPS
    }
    return sorted(claims, key=lambda c: _claim_order(view, c))


def _claim_order(view, claim: str) -> tuple[str, str, str]:
    data = view.nodes[claim]
    return str(data.get("date") or ""), str(data.get("label") or ""), claim


def claim_side(view, claim: str) -> tuple[str, list[tuple[str, str, str]]]:
    """Return the side a claim belongs to, and the edges that lead from its speaker there.

    Parameters
    ----------
    view:
        A view with ``speaker`` edges and, for the path to the polity, ``country``, ``holds``
        and ``postIn`` edges (the full view).
    claim:
        A claim's IRI.

    Returns
    -------
    tuple
        ``(side, path)``: ``side`` is a node IRI (the polity, else the speaker) or one of
        ``"opinion"``, ``"fact"``, ``"unattributed"``; ``path`` the ``(u, v, key)`` edges
        from the claim through its speaker to the side.

    Example
    -------
    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("s", group="statement"); g.add_node("p", group="person")
    >>> g.add_node("post", group="other"); g.add_node("A", group="state")
    >>> for u, v, k in [("s", "p", "speaker"), ("p", "post", "holds"), ("post", "A", "postIn")]:
    ...     _ = g.add_edge(u, v, key=k)
    >>> claim_side(g, "s")
    ('A', [('s', 'p', 'speaker'), ('p', 'post', 'holds'), ('post', 'A', 'postIn')])
    """
    group = view.nodes[claim].get("group")
    if group in _OWN_SIDE:
        return group, []
    speakers = list(_out(view, claim, ("speaker",)))
    if not speakers:
        return "unattributed", []
    speaker, key = speakers[0]
    path = [(claim, speaker, key)]
    if view.nodes[speaker].get("group") in ("state", "organization"):
        return speaker, path
    # Breadth-first, at most four steps, to the nearest state.
    previous = {speaker: None}
    frontier = [speaker]
    for _ in range(4):
        following = []
        for node in frontier:
            for target, edge_key in _out(view, node, SIDE_PATH):
                if target in previous:
                    continue
                previous[target] = (node, edge_key)
                if view.nodes[target].get("group") == "state":
                    steps = []
                    while previous[target] is not None:
                        source, k = previous[target]
                        steps.append((source, target, k))
                        target = source
                    return steps[0][1], path + steps[::-1]
                following.append(target)
        frontier = following
    return speaker, path


def most_contested_event(view) -> str:
    """Return the event with the most claims about it (then the most sides, then by label).

    Parameters
    ----------
    view:
        A view with events and claims.

    Returns
    -------
    str
        The event's IRI.

    Raises
    ------
    BadOptionError
        When no claim is about an event.

    Example
    -------
    >>> import networkx as nx
    >>> most_contested_event(nx.MultiDiGraph())
    Traceback (most recent call last):
    ...
    kg.errors.BadOptionError: no claim in this view is about an event
    """
    scores = []
    for node, data in view.nodes(data=True):
        if data.get("group") == "event":
            claims = claims_about(view, node)
            if claims:
                sides = {claim_side(view, c)[0] for c in claims}
                scores.append((-len(claims), -len(sides), str(data.get("label")), node))
    if not scores:
        raise BadOptionError("no claim in this view is about an event")
    return min(scores)[-1]


def contested_view(view, event: str | None = None):
    """Return the contested-claims graph of an event: its claims, speakers and sides.

    Parameters
    ----------
    view:
        A view holding events, claims, speakers and the speakers' posts and countries (the
        full view); it is not modified.
    event:
        The event (IRI, prefixed name or label); default :func:`most_contested_event`.

    Returns
    -------
    networkx.MultiDiGraph
        A view (same contract) whose claim nodes carry ``side`` (the side's label), with
        ``G.graph["event"]`` and ``G.graph["sides"]`` (side key -> label, claims).

    Example
    -------
    >>> import networkx as nx
    >>> g = nx.MultiDiGraph(name="full", as_of=None)
    >>> g.add_node("e", label="Offensive", group="event")
    >>> g.add_node("A", label="A", group="state"); g.add_node("B", label="B", group="state")
    >>> for s, side in [("s1", "A"), ("s2", "B"), ("s3", "B")]:
    ...     g.add_node(s, label=s, group="statement")
    ...     _ = g.add_edge(s, "e", key="about"); _ = g.add_edge(s, side, key="speaker")
    >>> c = contested_view(g)
    >>> c.graph["event"], {k: v["claims"] for k, v in c.graph["sides"].items()}
    ('e', {'B': 2, 'A': 1})
    """
    import networkx as nx

    from kg.render import resolve_entity

    asked = event
    event = most_contested_event(view) if event is None else resolve_entity(view, event)
    if view.nodes[event].get("group") != "event":
        raise BadOptionError(f"{asked!r} is not an event")
    claims = claims_about(view, event)
    label = str(view.nodes[event].get("label") or event)
    out = nx.MultiDiGraph(name=f"contested claims: {label}", as_of=view.graph.get("as_of"))
    out.add_node(event, **dict(view.nodes[event]))
    sides: dict[str, list[str]] = defaultdict(list)
    for claim in claims:
        side, path = claim_side(view, claim)
        sides[side].append(claim)
        out.add_node(claim, **dict(view.nodes[claim]))
        for u, v, key in path:
            for node in (u, v):
                if node not in out:
                    out.add_node(node, **dict(view.nodes[node]))
            out.add_edge(u, v, key=key, **dict(view.edges[u, v, key]))
    side_labels = {}
    for side, members in sides.items():
        name = _OWN_SIDE.get(side) or str(view.nodes[side].get("label") if side in view else side)
        side_labels[side] = {"label": name.capitalize() if side == "unattributed" else name}
        side_labels[side]["claims"] = len(members)
        for claim in members:
            out.nodes[claim]["side"] = side_labels[side]["label"]
    # Claims' own edges among what is shown: about, contradicts, responds to, targets.
    for claim in claims:
        for _, target, key, data in view.out_edges(claim, keys=True, data=True):
            if target in out and not out.has_edge(claim, target, key):
                out.add_edge(claim, target, key=key, **dict(data))
    for side, info in side_labels.items():
        if side not in view:
            out.add_node(
                SIDE_HEADER + side, iri=SIDE_HEADER + side, label=info["label"], group="source"
            )
    order = sorted(side_labels, key=lambda s: (s in _FIXED_COLOURS, -side_labels[s]["claims"]))
    out.graph["event"] = event
    out.graph["sides"] = {side: side_labels[side] for side in order}
    out.graph["side_members"] = {side: sides[side] for side in order}
    return out


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
    positions = {event: (0, 0)}
    options = {event: {"size": 34, "font": {"size": 17, "face": "system-ui, sans-serif"}}}
    placed = {event}
    columns: list[list[str]] = [[], []]
    height = [0, 0]
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
