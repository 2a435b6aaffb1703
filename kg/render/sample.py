"""A seeded synthetic view (a ``networkx.MultiDiGraph`` following the view contract).

For tests, benchmarks and examples of the renders at any size, without loading the data:
states, organizations with timed memberships, persons holding posts, agreements and their
parties, events with participants, and statements with speakers, quotes and dates.
"""

from __future__ import annotations

import random

from kg.namespaces import ONTOLOGY_IRI as KG
from kg.namespaces import RESOURCE_IRI as KGR

__all__ = ["sample_view"]

SOURCE = KGR + "source/"

# (share of nodes, group, kg class)
_MIX = [
    (0.10, "state", "State"),
    (0.03, "organization", "MilitaryAlliance"),
    (0.12, "person", "Person"),
    (0.05, "place", "Settlement"),
    (0.10, "agreement", "Agreement"),
    (0.25, "event", "Event"),
    (0.35, "statement", "Statement"),
]
# (relation, label, from group, to group)
_RELATIONS = {
    "organization": [("memberOf", "member of", "state")],
    "agreement": [("party", "party", "state")],
    "event": [("participant", "participant", "state"), ("place", "place", "place")],
    "statement": [("speaker", "speaker", "person"), ("about", "about", "event")],
    "person": [("country", "country", "state")],
    "place": [("country", "country", "state")],
}


def _date(rng: random.Random) -> str:
    return f"{rng.randint(1991, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def sample_view(n_nodes: int = 100, *, seed: int = 0, name: str = "sample"):
    """Return a synthetic view with about ``n_nodes`` nodes and 1.5 edges per node.

    Parameters
    ----------
    n_nodes:
        Number of nodes (at least 7: one of each group).
    seed:
        Random seed; the same arguments give the same graph.
    name:
        ``G.graph["name"]``.

    Returns
    -------
    networkx.MultiDiGraph

    Example
    -------
    >>> g = sample_view(200)
    >>> g.number_of_nodes(), g.graph["name"], g.nodes[next(iter(g))]["group"]
    (200, 'sample', 'state')
    >>> 1.0 < g.number_of_edges() / g.number_of_nodes() < 2.0
    True
    """
    import networkx as nx

    rng = random.Random(seed)
    g = nx.MultiDiGraph(name=name, as_of=None)
    by_group: dict[str, list[str]] = {}
    counts = [max(1, round(share * n_nodes)) for share, _, _ in _MIX]
    counts[-1] += n_nodes - sum(counts)
    for (_, group, cls), count in zip(_MIX, counts, strict=True):
        for i in range(count):
            iri = f"{KGR}{cls}{i}"
            attrs: dict[str, str | None] = {
                "iri": iri,
                "label": f"{cls} {i}",
                "cls": cls,
                "group": group,
            }
            if group == "state":
                attrs["wikidata"] = f"Q{1000 + i}"
            if group in ("event", "statement"):
                attrs["date"] = _date(rng)
            if group == "statement":
                attrs["quote"] = f"Statement {i} says something about event {i % 97}."
                attrs["kind"] = rng.choice(["accusation", "denial", "demand", "assessment"])
            g.add_node(iri, **attrs)
            by_group.setdefault(group, []).append(iri)
    for group, relations in _RELATIONS.items():
        for u in by_group.get(group, []):
            for relation, label, target_group in relations:
                targets = by_group[target_group]
                for v in rng.sample(targets, min(len(targets), rng.choice((1, 1, 2)))):
                    attrs = {
                        "relation": KG + relation,
                        "label": label,
                        "source": f"{SOURCE}{rng.randint(1, 50)}",
                        "quote": None,
                    }
                    if relation == "memberOf":
                        attrs["start"] = start = _date(rng)
                        if rng.random() < 0.3:
                            attrs["end"] = max(start, _date(rng))
                    g.add_edge(
                        v if relation == "memberOf" else u,
                        u if relation == "memberOf" else v,
                        key=relation,
                        **attrs,
                    )
    return g
