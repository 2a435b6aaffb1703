"""The entity page: one state, organization or person, its neighbourhood and its timeline.

The timeline lists, in date order, the entity's memberships (with their status), the
agreements and obligations it is party to, the events it (or one of its bodies, forces or
office holders) took part in, and the statements and opinions it made, is the target of or is
about, each with its verbatim quote and its source. The page is the same self-contained,
offline, escaped page as every render, with the timeline below the graph.
"""

from __future__ import annotations

import os
from pathlib import Path

from kg.errors import BadOptionError
from kg.render.style import status_label

__all__ = ["ENTITY_GROUPS", "entity_html", "entity_timeline", "entity_view", "render_entity"]

#: The groups an entity page is made for.
ENTITY_GROUPS = ("state", "organization", "person")
#: Structural relations from a part to its whole (a ministry's country, a post's state, ...):
#: what such a part does appears on the whole's timeline, marked "by" the part.
_PART_OF = ("country", "postIn", "partOf", "holds")
_KINDS = {
    "agreement": "agreement",
    "obligation": "agreement",
    "event": "event",
    "statement": "statement",
    "opinion": "statement",
    "fact": "statement",
}


def _parts(view, entity: str) -> dict[str, str]:
    """Nodes that act for ``entity`` (its bodies, forces, posts and their holders), up to two
    structural steps away: node -> the part's own label."""
    parts: dict[str, str] = {}
    frontier = [entity]
    for _ in range(2):
        found = []
        for whole in frontier:
            for u, _, key in view.in_edges(whole, keys=True):
                if key.split("~")[0] in _PART_OF[:3] and u != entity and u not in parts:
                    parts[u] = str(view.nodes[u].get("label") or u)
                    found.append(u)
            for _, v, key in view.out_edges(whole, keys=True):
                if whole != entity and key.split("~")[0] == "heldBy" and v not in parts:
                    parts[v] = str(view.nodes[v].get("label") or v)
            for u, _, key in view.in_edges(whole, keys=True):
                if whole != entity and key.split("~")[0] == "holds" and u not in parts:
                    parts[u] = str(view.nodes[u].get("label") or u)
        frontier = found
    return parts


def _item(view, node: str, how: str, by: str | None, actor: str) -> dict:
    data = view.nodes[node]
    item = {
        "id": node,
        "kind": _KINDS[data.get("group")],
        "title": str(data.get("label") or node),
        "how": how,
        "date": data.get("date") or data.get("start"),
        "end": data.get("end"),
        "status": status_label(data.get("status")),
        "quote": data.get("quote"),
        "source": data.get("source"),
    }
    if by:
        item["by"], item["by_id"] = by, actor
    return item


def entity_timeline(view, entity: str) -> list[dict]:
    """Return the timeline of an entity: its memberships, agreements, events and statements.

    Parameters
    ----------
    view:
        A view holding the entity (normally :func:`kg.views.full_view`).
    entity:
        The entity's node key (IRI).

    Returns
    -------
    list[dict]
        Items with ``kind`` ("membership", "agreement", "event", "statement"), ``title``,
        ``how`` (the entity's part in it), ``date``/``end`` (ISO or ``None``), ``status``,
        ``quote``, ``source``, ``id`` (the node, or the membership's other end) and ``by``
        (the body or person that acted for the entity); dated items first, by date.

    Example
    -------
    >>> from kg.render.sample import sample_view
    >>> view = sample_view(120, seed=2)
    >>> items = entity_timeline(view, "https://w3id.org/kg-ir/resource/State1")
    >>> sorted({i["kind"] for i in items}) <= ["agreement", "event", "membership", "statement"]
    True
    >>> dated = [i["date"] for i in items if i["date"]]
    >>> dated == sorted(dated)
    True
    """
    items: list[dict] = []
    seen: set[str] = set()
    parts = _parts(view, entity)
    for actor in [entity, *parts]:
        by = None if actor == entity else parts[actor]
        edges = [(u, v, k, d, True) for u, v, k, d in view.out_edges(actor, keys=True, data=True)]
        edges += [(u, v, k, d, False) for u, v, k, d in view.in_edges(actor, keys=True, data=True)]
        for u, v, key, data, outgoing in edges:
            other = v if outgoing else u
            relation = key.split("~")[0]
            label = str(data.get("label") or relation)
            if relation == "memberOf" and actor == entity:
                status = data.get("status")
                name = str(view.nodes[other].get("label") or other)
                items.append(
                    {
                        "id": other,
                        "kind": "membership",
                        "title": f"member of {name}" if outgoing else f"{name}: member",
                        "how": label if outgoing else "has member",
                        "date": data.get("start"),
                        "end": data.get("end"),
                        "status": status_label(status),
                        "status_since": data.get("status_date"),
                        "quote": data.get("quote"),
                        "source": data.get("source"),
                    }
                )
                continue
            group = view.nodes[other].get("group")
            if group not in _KINDS or other in seen:
                continue
            seen.add(other)
            how = label + (f" (role: {data['role']})" if data.get("role") else "")
            items.append(_item(view, other, how, by, actor))
    dated = sorted((i for i in items if i["date"]), key=lambda i: (str(i["date"]), i["title"]))
    return dated + sorted((i for i in items if not i["date"]), key=lambda i: i["title"])


def entity_view(view, entity: str):
    """Return the entity's neighbourhood: its neighbours and the items of its timeline.

    Parameters
    ----------
    view:
        A view; it is not modified.
    entity:
        An IRI, prefixed name or label of a state, organization or person.

    Returns
    -------
    networkx.MultiDiGraph
        The subgraph, with ``focus`` (the entity's IRI) and ``timeline`` in its attributes.

    Raises
    ------
    BadOptionError
        When the entity is not in the view, or is not a state, organization or person.

    Example
    -------
    >>> from kg.render.sample import sample_view
    >>> sub = entity_view(sample_view(120, seed=2), "State 1")
    >>> sub.graph["focus"], len(sub.graph["timeline"]) > 0
    ('https://w3id.org/kg-ir/resource/State1', True)
    """
    from kg.render import resolve_entity

    node = resolve_entity(view, entity)
    group = view.nodes[node].get("group")
    if group not in ENTITY_GROUPS:
        raise BadOptionError(
            f"{entity!r} is a {view.nodes[node].get('cls') or group}: an entity page is for a "
            "state, an organization or a person"
        )
    timeline = entity_timeline(view, node)
    keep = {node, *view.successors(node), *view.predecessors(node)}
    keep |= {item["id"] for item in timeline}
    keep |= {item["by_id"] for item in timeline if "by_id" in item}
    sub = view.subgraph(keep).copy()
    sub.graph.update(focus=node, timeline=timeline)
    return sub


#: The markup of the timeline box (constant: the items are added by the page script).
_TIMELINE_BOX = (
    '\n<section id="kg-timeline" aria-label="Timeline"><h2 id="kg-timeline-title">Timeline</h2>'
    '<ol id="kg-timeline-items"></ol></section>'
)


def entity_html(
    view, entity: str, *, title: str | None = None, credits: list[dict] | None = None
) -> str:
    """Return the entity page of ``entity`` in ``view``.

    Parameters
    ----------
    view:
        A view (normally :func:`kg.views.full_view`); it is not modified.
    entity:
        An IRI, prefixed name or label of a state, organization or person.
    title:
        Page title; default: the entity's label.
    credits:
        The imported datasets' attributions, shown in the panel (see :func:`render_html`).

    Returns
    -------
    str

    Example
    -------
    >>> from kg.render.sample import sample_view
    >>> page = entity_html(sample_view(120, seed=2), "State 1")
    >>> "<title>State 1</title>" in page, 'id="kg-timeline"' in page
    (True, True)
    """
    from kg.render.network import build_network
    from kg.render.page import ENTITY_SCRIPTS, page_html
    from kg.render.style import legend

    sub = entity_view(view, entity)
    node = sub.graph["focus"]
    label = str(sub.nodes[node].get("label") or node)
    net = build_network(sub, physics=False)
    meta = {
        "name": str(view.graph.get("name") or ""),
        "as_of": view.graph.get("as_of"),
        "center": node,
        "declutter": True,
        "entity": node,
    }
    return page_html(
        net,
        title=title or label,
        legend=legend(net),
        meta=meta,
        scripts=ENTITY_SCRIPTS,
        extra=_TIMELINE_BOX,
        extra_data={"timeline": sub.graph["timeline"]},
        credits=credits,
    )


def render_entity(view, entity: str, path: str | os.PathLike, **options) -> Path:
    """Write the entity page of ``entity`` to ``path`` (atomically).

    Parameters
    ----------
    view:
        A view (normally :func:`kg.views.full_view`).
    entity:
        An IRI, prefixed name or label of a state, organization or person.
    path:
        The ``.html`` file to write.
    **options:
        ``title``, ``credits``: see :func:`entity_html`.

    Returns
    -------
    pathlib.Path

    Example
    -------
    >>> import tempfile
    >>> from kg.render.sample import sample_view
    >>> out = render_entity(sample_view(60), "State 2", Path(tempfile.mkdtemp()) / "s.html")
    >>> out.name
    's.html'
    """
    from kg.render import write_page

    return write_page(entity_html(view, entity, **options), path)
