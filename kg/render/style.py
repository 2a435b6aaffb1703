"""How each class of entity and each relation is drawn: colours, shapes, sizes, and the legend.

Nodes are styled by their view ``group`` (one vis-network group per kg group, so the page carries
the style once, not once per node); edges by their relation (the edge key, a relation local
name). Relations without a style of their own get a stable colour from a small palette, so the
same relation has the same colour in every render.
"""

from __future__ import annotations

import zlib
from collections import Counter

__all__ = [
    "CLAIM_DASHES",
    "CLAIM_GROUPS",
    "GROUP_STYLES",
    "legend",
    "node_group",
    "node_status_options",
    "relation_name",
    "relation_style",
    "RELATION_STYLES",
    "status_label",
    "STATUS_STYLES",
    "vis_groups",
]

#: kg group -> (legend label, fill colour, border colour, vis shape, size).
GROUP_STYLES: dict[str, tuple[str, str, str, str, int]] = {
    "state": ("State", "#4e79a7", "#2f4b6b", "dot", 22),
    "organization": ("Organization", "#9467bd", "#5e3f80", "hexagon", 22),
    "body": ("Government body", "#a0cbe8", "#4e79a7", "dot", 14),
    "force": ("Armed force", "#8c564b", "#5a362f", "triangle", 16),
    "person": ("Person", "#f28e2b", "#a85f16", "dot", 14),
    "place": ("Place", "#59a14f", "#3a6b34", "triangleDown", 15),
    "agreement": ("Agreement", "#17becf", "#0e7c87", "square", 16),
    "obligation": ("Obligation", "#9edae5", "#17becf", "square", 11),
    "event": ("Event", "#e15759", "#9c2f31", "star", 20),
    "statement": ("Statement", "#d37295", "#8f3d5c", "diamond", 14),
    "opinion": ("Opinion", "#b07aa1", "#74496a", "diamond", 13),
    "fact": ("Reported fact", "#bcbd22", "#7c7d12", "diamond", 13),
    "membership": ("Membership", "#bab0ac", "#79706e", "dot", 9),
    "group": ("Population group", "#ffbe7d", "#c7853f", "dot", 14),
    "source": ("Source", "#79706e", "#4a4443", "square", 10),
    "other": ("Other", "#d4d4d4", "#8a8a8a", "dot", 10),
}

#: relation local name -> (colour, dashed).
RELATION_STYLES: dict[str, tuple[str, bool]] = {
    "memberOf": ("#4e79a7", False),
    "hasMember": ("#4e79a7", False),
    "member": ("#4e79a7", False),
    "organization": ("#4e79a7", True),
    "hasMembership": ("#4e79a7", True),
    "party": ("#17becf", False),
    "partyTo": ("#17becf", False),
    "signatory": ("#17becf", True),
    "obligedParty": ("#0e7c87", True),
    "underAgreement": ("#0e7c87", True),
    "participant": ("#e15759", False),
    "initiator": ("#9c2f31", False),
    "speaker": ("#d37295", False),
    "about": ("#8f3d5c", True),
    "target": ("#b03a2e", True),
    "contradicts": ("#d62728", False),
    "respondsTo": ("#7f7f7f", True),
    "country": ("#59a14f", True),
    "locatedIn": ("#59a14f", True),
    "place": ("#59a14f", True),
    "holds": ("#f28e2b", False),
    "heldBy": ("#f28e2b", False),
    "postIn": ("#f28e2b", True),
    "ledBy": ("#9467bd", False),
    "controlledBy": ("#8c564b", False),
    "deployedIn": ("#8c564b", True),
}

#: status local name -> (label, colour, dash pattern or None for a solid line). A membership
#: edge (or an agreement node) with a status other than "active" / "in force" is drawn in this
#: colour and dash, so a frozen or ended membership never looks like a current one.
STATUS_STYLES: dict[str, tuple[str, str | None, list[int] | None]] = {
    "active": ("active", None, None),
    "inForce": ("in force", None, None),
    "signed": ("signed", None, None),
    "frozen": ("frozen", "#d98200", [10, 5]),
    "ended": ("ended", "#9a9a9a", [2, 5]),
    "terminated": ("terminated", "#9a9a9a", [2, 5]),
    "neverConcluded": ("never concluded", "#9a9a9a", [5, 4]),
}
#: Groups whose nodes are claims (attributed to a speaker or the author), drawn with a dashed
#: border; reported facts (events, agreements, reported facts) have a solid one.
CLAIM_GROUPS = ("statement", "opinion")
#: Dash of a claim's (or an alleged event's) border.
CLAIM_DASHES = [4, 3]

# Colours for relations not listed above, picked by a stable hash of the relation name.
_PALETTE = ["#76b7b2", "#edc948", "#ff9da7", "#9c755f", "#86bcb6", "#a0a0a0", "#d4a6c8"]


def node_group(data: dict) -> str:
    """Return the kg group a node is drawn as: its ``group`` attribute if known, else ``"other"``.

    Parameters
    ----------
    data:
        The node's attribute dict in a view.

    Returns
    -------
    str
        A key of :data:`GROUP_STYLES`.

    Example
    -------
    >>> node_group({"group": "state"}), node_group({"group": "dragon"}), node_group({})
    ('state', 'other', 'other')
    """
    group = data.get("group")
    return group if group in GROUP_STYLES else "other"


def relation_name(key, data: dict) -> str:
    """Return the relation an edge stands for: its key without a ``~n`` parallel-edge suffix.

    Views key a second edge of the same relation between the same two nodes ``memberOf~2``.

    Parameters
    ----------
    key:
        The edge key.
    data:
        The edge's attributes (unused when the key is plain; kept for views that key edges
        otherwise, whose ``relation`` IRI then names the relation).

    Returns
    -------
    str

    Example
    -------
    >>> relation_name("memberOf~2", {}), relation_name("about", {})
    ('memberOf', 'about')
    >>> relation_name(0, {"relation": "https://w3id.org/kg-ir/ontology#party"})
    'party'
    """
    if isinstance(key, str) and key:
        return key.split("~", 1)[0]
    relation = str(data.get("relation") or key)
    return relation.rsplit("#", 1)[-1].rsplit("/", 1)[-1] or relation


def relation_style(relation: str) -> tuple[str, bool]:
    """Return the colour and dashing of a relation.

    Parameters
    ----------
    relation:
        A relation local name (an edge key in a view), e.g. ``"memberOf"``.

    Returns
    -------
    tuple[str, bool]
        ``(colour, dashed)``; unknown relations get a stable colour from a palette.

    Example
    -------
    >>> relation_style("memberOf")
    ('#4e79a7', False)
    >>> relation_style("someNewRelation") == relation_style("someNewRelation")
    True
    """
    if relation in RELATION_STYLES:
        return RELATION_STYLES[relation]
    return _PALETTE[zlib.crc32(relation.encode()) % len(_PALETTE)], False


def vis_groups() -> dict[str, dict]:
    """Return the vis-network ``groups`` option: one style per kg group.

    Returns
    -------
    dict
        group -> vis node options (shape, size, colours).

    Example
    -------
    >>> vis_groups()["event"]["shape"]
    'star'
    """
    groups = {}
    for group, (_, fill, border, shape, size) in GROUP_STYLES.items():
        colour = {"background": fill, "border": border}
        groups[group] = {
            "shape": shape,
            "size": size,
            "color": {**colour, "highlight": colour, "hover": colour},
        }
        if group in CLAIM_GROUPS:
            groups[group]["shapeProperties"] = {"borderDashes": CLAIM_DASHES}
            groups[group]["borderWidth"] = 2
    return groups


def status_label(status: str | None) -> str | None:
    """Return the words for a status's local name (``neverConcluded`` -> ``never concluded``).

    Parameters
    ----------
    status:
        A status local name, or ``None``.

    Returns
    -------
    str or None

    Example
    -------
    >>> status_label("neverConcluded"), status_label("frozen"), status_label("someOther")
    ('never concluded', 'frozen', 'someOther')
    """
    if status is None:
        return None
    return STATUS_STYLES[status][0] if status in STATUS_STYLES else status


def node_status_options(data: dict) -> dict:
    """Return the vis options that show a node's status: a grey dashed look for an agreement
    never concluded or terminated, a pale fill and dashed border for an alleged event or fact.

    Parameters
    ----------
    data:
        The node's attributes in a view (``group``, ``status``, ``alleged``, ``event_status``).

    Returns
    -------
    dict
        vis-network node options (empty for a node drawn as its group).

    Example
    -------
    >>> node_status_options({"group": "agreement", "status": "neverConcluded"})["color"]["border"]
    '#9a9a9a'
    >>> node_status_options({"group": "agreement", "status": "inForce"})
    {}
    >>> node_status_options({"group": "event", "alleged": "x"})["shapeProperties"]
    {'borderDashes': [4, 3]}
    >>> node_status_options({"group": "event", "event_status": "intended"})["borderWidth"]
    2
    """
    options: dict = {}
    group = data.get("group")
    status = data.get("status")
    _, colour, dashes = STATUS_STYLES.get(str(status), (None, None, None))
    if group == "agreement" and colour is not None:
        options = {"color": {"background": "#e8e8e8", "border": colour}, "borderWidth": 2}
        options["shapeProperties"] = {"borderDashes": dashes}
    # an event that did not happen as fact (alleged, planned, intended, conditional) looks alleged
    not_fact = data.get("event_status") not in (None, "occurred")
    if (data.get("alleged") or not_fact) and group not in CLAIM_GROUPS:
        fill, border = GROUP_STYLES.get(str(group), GROUP_STYLES["other"])[1:3]
        options = {"color": {"background": "#ffffff", "border": border}, "borderWidth": 2}
        options["shapeProperties"] = {"borderDashes": CLAIM_DASHES}
    return options


def legend(net) -> dict[str, list[dict]]:
    """Return the legend of a network: the groups and relations it holds, with counts and style.

    The page builds its class and relation filters from this legend.

    Parameters
    ----------
    net:
        A ``pyvis.network.Network`` from :func:`kg.render.network.build_network` (its items
        carry ``group``, and ``rel`` and ``rlabel``).

    Returns
    -------
    dict
        ``{"groups": [{"group", "label", "color", "shape", "count"}],
        "relations": [{"relation", "label", "color", "dashes", "count"}]}``, groups in the
        order of :data:`GROUP_STYLES`, relations by decreasing count.

    Example
    -------
    >>> import networkx as nx
    >>> from kg.render.network import build_network
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("a", group="state"); g.add_node("b", group="organization")
    >>> _ = g.add_edge("a", "b", key="memberOf", label="member of")
    >>> found = legend(build_network(g))
    >>> [x["label"] for x in found["groups"]], found["relations"][0]["label"]
    (['State', 'Organization'], 'member of')
    """
    group_counts = Counter(node["group"] for node in net.nodes)
    groups = []
    for group, (label, fill, _, shape, _) in GROUP_STYLES.items():
        if group_counts[group]:
            groups.append(
                {
                    "group": group,
                    "label": label,
                    "color": fill,
                    "shape": shape,
                    "count": group_counts[group],
                }
            )
    relation_counts: Counter = Counter()
    relation_labels: dict[str, str] = {}
    for edge in net.edges:
        relation_counts[edge["rel"]] += 1
        relation_labels.setdefault(edge["rel"], edge["rlabel"])
    relations = []
    for relation, count in sorted(relation_counts.items(), key=lambda item: (-item[1], item[0])):
        colour, dashed = relation_style(relation)
        relations.append(
            {
                "relation": relation,
                "label": relation_labels[relation],
                "color": colour,
                "dashes": dashed,
                "count": count,
            }
        )
    return {"groups": groups, "relations": relations, "statuses": _statuses(net)}


def _statuses(net) -> list[dict]:
    """The statuses the network's edges and agreements carry, with their style."""
    counts: Counter = Counter(e["status"] for e in net.edges if e.get("status"))
    counts.update(
        n["status"] for n in net.nodes if n.get("group") == "agreement" and n.get("status")
    )
    found = []
    for status, (label, colour, dashes) in STATUS_STYLES.items():
        if counts[status]:
            found.append(
                {
                    "status": status,
                    "label": label,
                    "color": colour,
                    "dashes": dashes,
                    "count": counts[status],
                }
            )
    return found
