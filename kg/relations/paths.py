"""Why are two entities connected: every simple path of a few relations, each with its evidence."""

from __future__ import annotations

from typing import Any

import networkx as nx

from kg.relations._common import label, node

__all__ = ["connections", "format_path"]


def connections(
    G: Any, a: str, b: str, max_hops: int = 3, limit: int | None = None
) -> list[list[dict[str, Any]]]:
    """All simple paths between ``a`` and ``b`` of at most ``max_hops`` relations.

    Relations are followed in either direction; each step says which way the relation
    points. Parallel relations (the same two nodes linked twice) give separate paths, so
    each path is one chain of evidence.

    Parameters
    ----------
    G:
        A view (the full view answers "how is A connected to B").
    a, b:
        The two entities: IRI, prefixed name, label or Wikidata id.
    max_hops:
        The longest path, in relations (at least 1).
    limit:
        Return the first this many paths of the order below (``None``: all). Paths are
        found one length at a time, so the longer ones are not searched once ``limit``
        shorter ones are found; the answer is the same as sorting all and keeping the first.

    Returns
    -------
    list[list[dict]]
        Paths, shortest first, then by their text. A step is a dict: ``from``, ``to`` (node
        IRIs, in the path's order), ``from_label``, ``to_label``, ``key``, ``relation``,
        ``label`` (of the relation), ``forward`` (True when the relation points from
        ``from`` to ``to``), ``quote``, ``source``, ``via``.

    Example
    -------
    >>> from kg.views._fixture import fixture
    >>> from kg.views import full_view
    >>> paths = connections(full_view(fixture()), "Armenia", "Russia", max_hops=2)
    >>> for path in paths[:2]:
    ...     print(format_path(path))
    Armenia -member of-> Collective Security Treaty Organization -led by-> Russia
    Armenia -member of-> Collective Security Treaty Organization <-member of- Russia
    >>> connections(full_view(fixture()), "Armenia", "Russia", max_hops=2, limit=2) == paths[:2]
    True
    """
    from kg.errors import BadOptionError

    if max_hops < 1:
        raise BadOptionError(f"max_hops must be at least 1, not {max_hops}")
    start, end = node(G, a), node(G, b)
    H = nx.MultiGraph()
    H.add_nodes_from(G.nodes)
    for u, v, k in G.edges(keys=True):
        H.add_edge(u, v, key=(u, v, k))
    found: list[list[dict[str, Any]]] = []
    for hops in range(1, max_hops + 1):
        if limit is not None and len(found) >= limit:
            break
        for path in nx.all_simple_edge_paths(H, start, end, cutoff=hops):
            if len(path) == hops:
                found.append(_steps(G, start, path))
    found.sort(key=lambda p: (len(p), [(s["key"], s["to_label"]) for s in p]))
    return found if limit is None else found[:limit]


def _steps(G: Any, start: str, path: list) -> list[dict[str, Any]]:
    steps, here = [], start
    for _, _, (u, v, k) in path:
        d = G.edges[u, v, k]
        there = v if u == here else u
        steps.append(
            {
                "from": here,
                "to": there,
                "from_label": label(G, here),
                "to_label": label(G, there),
                "key": k,
                "relation": d.get("relation"),
                "label": d.get("label"),
                "forward": u == here,
                "quote": d.get("quote"),
                "source": d.get("source"),
                "via": d.get("via"),
            }
        )
        here = there
    return steps


def format_path(path: list[dict[str, Any]]) -> str:
    """One line for a path: ``Armenia -member of-> CSTO <-member of- Russia``.

    Parameters
    ----------
    path:
        A path from :func:`connections`.

    Returns
    -------
    str

    Example
    -------
    >>> format_path([{"from_label": "A", "to_label": "B", "label": "member of", "forward": True},
    ...              {"from_label": "B", "to_label": "C", "label": "member of", "forward": False}])
    'A -member of-> B <-member of- C'
    """
    if not path:
        return ""
    parts = [path[0]["from_label"]]
    for s in path:
        parts.append(f"-{s['label']}->" if s["forward"] else f"<-{s['label']}-")
        parts.append(s["to_label"])
    return " ".join(parts)
