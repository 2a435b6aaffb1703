"""Which side each claim about an event is on: the contested-claims graph of an event.

A claim's side is the polity its speaker speaks for: a state speaker is its own side, a body
belongs to its ``country``, a person ``holds`` a post that is a ``postIn`` a body or state.
The author's opinions and the source's reported facts are sides of their own.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from kg.errors import BadOptionError
from kg.render.style import relation_name

__all__ = [
    "CLAIM_GROUPS",
    "claim_side",
    "claims_about",
    "contested_view",
    "most_contested_event",
    "NON_ENTITY_SIDES",
    "SIDE_HEADER",
    "SIDE_PATH",
]

CLAIM_GROUPS = ("statement", "opinion", "fact")
#: Relations followed from a speaker to the polity it speaks for.
SIDE_PATH = ("country", "holds", "postIn", "onBehalfOf")
_OWN_SIDE = {"opinion": "The author's opinions", "fact": "Reported facts"}
#: Header nodes for the sides that are not entities of the graph.
SIDE_HEADER = "urn:kg-ir:side:"
#: Sides that are not entities: the author's opinions, reported facts, unattributed claims.
NON_ENTITY_SIDES = ("opinion", "fact", "unattributed")


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
    previous: dict[Any, tuple[Any, Any] | None] = {speaker: None}
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
                    while (step := previous[target]) is not None:
                        source, k = step
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
    side_labels: dict[str, dict[str, Any]] = {}
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
    order = sorted(side_labels, key=lambda s: (s in NON_ENTITY_SIDES, -side_labels[s]["claims"]))
    out.graph["event"] = event
    out.graph["sides"] = {side: side_labels[side] for side in order}
    out.graph["side_members"] = {side: sides[side] for side in order}
    return out
