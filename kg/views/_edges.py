"""Edges of a view: the empty view, one relation with its evidence, and evidence rules.

Edges are keyed by the relation's local name (``memberOf``; a second edge of the same
relation between the same two nodes is ``memberOf~2``).
"""

from __future__ import annotations

from typing import Any

import networkx as nx

from kg.namespaces import local_name
from kg.views._query import text

__all__ = ["add_edge", "by_evidence", "evidence", "new_view"]


def new_view(name: str, as_of: str | None) -> nx.MultiDiGraph:
    """An empty view with its graph attributes (``name``, ``as_of``).

    Parameters
    ----------
    name:
        The view's name ("alliance", "agreement", ...).
    as_of:
        The ISO date the view holds at, or ``None`` for all times.

    Returns
    -------
    networkx.MultiDiGraph

    Example
    -------
    >>> new_view("alliance", None).graph
    {'name': 'alliance', 'as_of': None}
    """
    return nx.MultiDiGraph(name=name, as_of=as_of)


def add_edge(
    G: nx.MultiDiGraph,
    s: Any,
    relation: str,
    o: Any,
    *,
    source: Any = None,
    quote: Any = None,
    via: Any = None,
    **extra: Any,
) -> str | None:
    """Add one relation with its evidence, unless the same relation (and ``via``) is there.

    The key is the relation's local name; a second edge of the same relation between the
    same two nodes (a second membership period, say) gets ``memberOf~2``.

    Parameters
    ----------
    G:
        The view.
    s, o:
        Subject and object (rdflib terms or str); the node keys are their IRIs as str.
    relation:
        The full property IRI.
    source, quote, via:
        The evidence: source document IRI, verbatim quote, n-ary node the edge comes from.
    **extra:
        Other attributes (``start``, ``end``, ``status``, ``role`` ...); ``None`` is dropped.

    Returns
    -------
    str or None
        The edge key, or ``None`` when the edge was already there.

    Example
    -------
    >>> from kg.views._query import KG_NS
    >>> G = new_view("x", None)
    >>> add_edge(G, "http://a", KG_NS + "memberOf", "http://b", via="http://m1")
    'memberOf'
    >>> add_edge(G, "http://a", KG_NS + "memberOf", "http://b", via="http://m2")
    'memberOf~2'
    >>> add_edge(G, "http://a", KG_NS + "memberOf", "http://b", via="http://m1") is None
    True
    """
    u, v, relation = str(s), str(o), str(relation)
    via = text(via)
    name = local_name(relation)
    existing = G.get_edge_data(u, v) or {}
    for data in existing.values():
        if data["relation"] == relation and data.get("via") == via:
            return None
    key, n = name, 1
    while key in existing:
        n += 1
        key = f"{name}~{n}"
    attrs = {"relation": relation, "label": name, "source": text(source), "quote": text(quote)}
    if via is not None:
        attrs["via"] = via
    attrs.update({k: str(val) for k, val in extra.items() if val is not None})
    for node in (u, v):
        if node not in G:
            G.add_node(node, iri=node, label=local_name(node), cls="", group="other")
    G.add_edge(u, v, key=key, **attrs)
    return key


def evidence(row: dict[str, Any]) -> tuple[Any, Any, bool]:
    """Pick the (source, quote) of a direct triple's row.

    An ``owl:Axiom`` annotation on the triple wins (``ax``, ``axsrc``, ``axquote``), even
    without a quote: a background fact is not attested by its subject's quote. Otherwise the
    evidence is the subject's own ``dct:source`` / ``kg:quote``, which :func:`finish` copies
    from the subject node's attributes (fetched once per node, not once per edge).

    Parameters
    ----------
    row:
        A row with ``ax``, ``axsrc``, ``axquote`` (e.g. of ``DIRECT_MEMBERSHIPS``).

    Returns
    -------
    tuple
        ``(source, quote, from_subject)``.

    Example
    -------
    >>> evidence({"ax": "_:a", "axsrc": "S", "axquote": None})
    ('S', None, False)
    >>> evidence({"ax": None})
    (None, None, True)
    """
    if row.get("ax") is not None:
        return row.get("axsrc"), row.get("axquote"), False
    return None, None, True


def by_evidence(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Sort rows so that, of several rows for one n-ary node (a multi-valued quote), the one
    :func:`add_edge` keeps is the same on every backend: quoted first, then the smallest.

    Parameters
    ----------
    rows:
        Rows with ``quote`` and ``src`` columns.

    Returns
    -------
    list[dict]

    Example
    -------
    >>> [r["quote"] for r in by_evidence([{"quote": "b"}, {"quote": None}, {"quote": "a"}])]
    ['a', 'b', None]
    """
    return sorted(
        rows,
        key=lambda r: (r.get("quote") is None, str(r.get("quote") or ""), str(r.get("src") or "")),
    )
