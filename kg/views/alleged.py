"""What a view shows as fact, and what only when asked: alleged and not-occurred things.

Ontology 0.2.0 marks an event or fact known only from someone's claim with ``kg:allegedBy``
(the claim; an alleged event also has ``kg:eventStatus kind:alleged``), and an event the
source does not report as having happened with its status (planned, intended, conditional).
Such a node is never shown as plain fact: every view leaves it out by default, with the
edges that touch it and the nodes those edges alone brought in, and keeps it only when
built with ``alleged=True``, marked by its ``alleged`` and ``event_status`` attributes (the
renders draw it pale and dashed). That is the rule of the named queries too: the timeline
lists such events only with ``--param alleged=true``; ``kg view``, ``kg render``, ``kg path``
and ``kg said`` take ``--alleged``.

An event without ``kg:eventStatus`` has occurred (imported event data carries none).
"""

from __future__ import annotations

from collections.abc import Mapping
from itertools import chain
from typing import Any

import networkx as nx

__all__ = ["OCCURRED", "drop_not_fact", "is_fact"]

#: The one event status that is plain fact.
OCCURRED = "occurred"


def is_fact(attrs: Mapping[str, Any]) -> bool:
    """Whether a view node (its attributes) is plain fact: not alleged, and, for an event,
    occurred (or without a status).

    Parameters
    ----------
    attrs:
        The node's attributes (``alleged``, ``event_status``).

    Returns
    -------
    bool

    Example
    -------
    >>> is_fact({"group": "event", "event_status": "occurred"}), is_fact({"group": "state"})
    (True, True)
    >>> is_fact({"event_status": "intended"}), is_fact({"alleged": "https://x/claim"})
    (False, False)
    """
    if attrs.get("alleged"):
        return False
    status = attrs.get("event_status")
    return status is None or status == OCCURRED


def drop_not_fact(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """Remove, in place, the nodes that are not plain fact (:func:`is_fact`), their edges, and
    the nodes left without an edge by that.

    Parameters
    ----------
    G:
        A view.

    Returns
    -------
    networkx.MultiDiGraph
        ``G``.

    Example
    -------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("deploy", event_status="occurred")
    >>> G.add_node("monitor", event_status="intended")
    >>> _ = G.add_edge("deploy", "monitor", key="purpose"); _ = G.add_edge("monitor", "ceasefire")
    >>> _ = G.add_edge("deploy", "Russia")
    >>> sorted(drop_not_fact(G))
    ['Russia', 'deploy']
    """
    gone = [n for n, attrs in G.nodes(data=True) if not is_fact(attrs)]
    if not gone:
        return G
    dropped = set(gone)
    touched = {m for n in gone for m in chain(G.succ[n], G.pred[n])} - dropped
    G.remove_nodes_from(gone)
    G.remove_nodes_from([m for m in touched if not G.succ[m] and not G.pred[m]])
    return G
