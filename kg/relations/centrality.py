"""Which entities hold a view together: centrality on the view's undirected skeleton."""

from __future__ import annotations

from typing import Any

import networkx as nx

__all__ = ["centrality", "MEASURES"]

MEASURES = {
    "degree": nx.degree_centrality,
    "betweenness": nx.betweenness_centrality,
    "closeness": nx.closeness_centrality,
    "eigenvector": lambda H: nx.eigenvector_centrality(H, max_iter=1000),
}


def centrality(
    G: Any, measure: str = "degree", groups: set[str] | None = None, top: int | None = None
) -> list[tuple[str, float]]:
    """Rank the nodes of a view by a centrality measure.

    The view is reduced to a simple undirected graph (parallel relations and directions
    do not count twice), so "central" means "linked to many different entities".

    Parameters
    ----------
    G:
        A view.
    measure:
        ``"degree"``, ``"betweenness"``, ``"closeness"`` or ``"eigenvector"``.
    groups:
        Keep only nodes of these groups in the ranking (all nodes still shape the scores).
    top:
        Keep the first ``top`` entries.

    Returns
    -------
    list[tuple[str, float]]
        ``(node, score)``, highest first, ties by node.

    Example
    -------
    >>> from kg.views._fixture import fixture
    >>> from kg.views import alliance_view
    >>> centrality(alliance_view(fixture()), "degree", top=1)
    [('https://w3id.org/kg-ir/resource/CSTO', 1.0)]
    """
    from kg.errors import BadOptionError

    if measure not in MEASURES:
        raise BadOptionError(f"unknown measure {measure!r}: choose from {', '.join(MEASURES)}")
    H = nx.Graph(G.to_undirected(as_view=True))
    scores = MEASURES[measure](H) if len(H) else {}
    ranked = sorted(
        (
            (n, float(s))
            for n, s in scores.items()
            if not groups or G.nodes[n].get("group") in groups
        ),
        key=lambda item: (-item[1], item[0]),
    )
    return ranked[:top] if top is not None else ranked
