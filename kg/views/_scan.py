"""Node attributes of a large view from the property index, one property at a time.

:func:`kg.views._nodes.add_node_attributes` takes this path on Oxigraph when a view holds a
good part of the store's typed resources (``SCAN_MIN_NODES``, ``SCAN_NODES_PER_100_TYPED``).
Each property's triples are read once from the index
(:meth:`kg.backends.oxigraph.OxigraphBackend.property_triples`) and folded straight into the
value its attribute keeps (the most specific class, the preferred label, the smallest value),
for the view's own nodes only, written straight into the view's node dicts
(:func:`scan_into`): no per-node table of facts or per-node dict is built first. The
attributes are the very ones :func:`kg.views._nodes._node_attributes` makes from the node
query's rows (named in the properties' order, where the query's are in its rows' order;
``tests/test_views_index_read.py`` compares the two paths).
"""

from __future__ import annotations

from collections.abc import Callable, Container, Iterable
from typing import Any

from kg.namespaces import local_name
from kg.views._nodes import (
    _NODE_PROPS,
    GROUP_OF,
    KG_NS,
    KIND_PROPERTIES,
    RDFS_LABEL,
    SKOS_EXACT,
    SKOS_PREF,
    WD_NS,
    Value,
    most_specific,
)
from kg.views._query import IndexRead

__all__ = ["scan_attributes", "scan_into"]

_KG_CUT = len(KG_NS)


def scan_attributes(
    nodes: Iterable[str], read: IndexRead, typed: list[Value]
) -> dict[str, dict[str, str]]:
    """The attributes of ``nodes``, from the index rows of each node property.

    Parameters
    ----------
    nodes:
        The view's nodes (IRIs, or ``_:id`` for blank nodes, which have no facts here).
    read:
        The backend's ``property_triples``.
    typed:
        The rows of ``rdf:type`` (already read, to choose this path).

    Returns
    -------
    dict
        Node -> its attributes: ``iri``, ``label``, ``cls``, ``group``, then those it has.

    Example
    -------
    >>> rows = {RDFS_LABEL: [("http://x/a", "A", "en"), ("http://x/a", "Ä", "de")]}
    >>> read = lambda prop, **_: rows.get(prop, [])
    >>> typed = [("http://x/a", KG_NS + "State", None), ("http://x/a", KG_NS + "Actor", None)]
    >>> scan_attributes(["http://x/a", "http://x/b"], read, typed)
    {'http://x/a': {'iri': 'http://x/a', 'label': 'A', 'cls': 'State', 'group': 'state'}, \
'http://x/b': {'iri': 'http://x/b', 'label': 'b', 'cls': '', 'group': 'other'}}
    """
    out: dict[str, dict[str, str]] = {n: {} for n in nodes}
    scan_into(out, read, typed)
    return out


def scan_into(node: dict[str, dict[str, Any]], read: IndexRead, typed: list[Value]) -> None:
    """Set the attributes of every node of ``node`` (a view's ``G._node``) in its own dict, in
    place, in the order :func:`scan_attributes` gives them (``iri``, ``label``, ``cls``,
    ``group``, then those it has): the view's node dicts are written once, with no per-node
    dict built first and copied in.

    Parameters
    ----------
    node:
        Node -> its attribute dict (holding at most ``iri``, ``label``, ``cls``, ``group``).
    read:
        The backend's ``property_triples``.
    typed:
        The rows of ``rdf:type``.

    Returns
    -------
    None

    Example
    -------
    >>> node = {"http://x/b": {"iri": "http://x/b"}}
    >>> scan_into(node, lambda prop, **_: [], []); node
    {'http://x/b': {'iri': 'http://x/b', 'label': 'b', 'cls': '', 'group': 'other'}}
    """
    classes = _classes(node, typed)
    label_rows = read(RDFS_LABEL)
    held = {prop: read(prop) for prop in KIND_PROPERTIES}  # read once: kinds, then attributes
    kinds = _kind_labels(held.values(), label_rows)
    labels = _labels(node, label_rows)
    preferred = _labels({n: None for n in node if n not in labels}, read(SKOS_PREF))
    wikidata = _smallest(node, read(SKOS_EXACT), WD_NS)
    agreements: list[tuple[str, dict[str, Any]]] = []
    group_of = GROUP_OF.get
    for n, attrs in node.items():
        names = classes.get(n)
        cls = "" if names is None else names[0] if len(names) == 1 else most_specific(names)
        label = labels.get(n)
        if label is None:
            label = preferred.get(n)
        attrs["iri"] = n
        attrs["label"] = local_name(n) if label is None else label
        attrs["cls"] = cls
        attrs["group"] = group = group_of(cls, "other")
        if group == "agreement":
            agreements.append((n, attrs))
        wd = wikidata.get(n)
        if wd is not None:
            attrs["wikidata"] = local_name(wd)
    in_force: dict[str, str] = {}
    for prop, attr in _NODE_PROPS.items():  # in order: the first property of an attribute wins
        values = _smallest(node, held[prop] if prop in held else read(prop))
        if attr == "in_force":  # not an attribute: an agreement's start, when it has none
            in_force = values
            continue
        convert = _CONVERT.get(attr)
        for n, o in values.items():
            attrs = node[n]
            if attr not in attrs:
                attrs[attr] = convert(o, kinds) if convert else o
    for n, attrs in agreements:
        if "start" not in attrs:
            start = in_force.get(n) or attrs.get("date")
            if start:
                attrs["start"] = start


def _kind(o: str, kinds: dict[str, str]) -> str:
    return kinds[o] if o in kinds else local_name(o)


def _local(o: str, kinds: dict[str, str]) -> str:
    return local_name(o)


_CONVERT: dict[str, Callable[[str, dict[str, str]], str]] = {
    "kind": _kind,
    "status": _local,
    "event_status": _local,
}


def _kind_labels(used: Iterable[list[Value]], label_rows: list[Value]) -> dict[str, str]:
    """The label of each kind in use (an object of a kind property), as
    :data:`kg.views._nodes.KIND_LABELS` gives it: an English label, else the first (the index
    gives one subject's labels in the order the query does)."""
    kinds = {o for rows in used for _, o, _ in rows}
    found: dict[str, str] = {}
    for c, label, lang in label_rows:
        if c in kinds and (c not in found or (lang or "").lower().startswith("en")):
            found[c] = label
    return found


def _classes(wanted: Container[str], typed: Iterable[Value]) -> dict[str, list[str]]:
    """Node -> the local names of its kg classes."""
    found: dict[str, list[str]] = {}
    for n, o, _ in typed:
        if n in wanted and o.startswith(KG_NS):
            names = found.get(n)
            if names is None:
                found[n] = [o[_KG_CUT:]]
            else:
                names.append(o[_KG_CUT:])
    return found


def _labels(wanted: Container[str], rows: Iterable[Value]) -> dict[str, str]:
    """Node -> its preferred label: English, then untagged, then any; of equals, the smallest
    text. (Most nodes have one label: those are kept as they are, and only a node with
    several is ranked.)"""
    kept = [row for row in rows if row[0] in wanted]
    single = {n: o for n, o, _ in kept}
    if len(single) == len(kept):
        return single
    best: dict[str, tuple[int, str]] = {}
    for n, o, lang in kept:
        tag = (lang or "").lower()
        ranked = (0 if tag == "en" or tag.startswith("en-") else 1 if not tag else 2, o)
        held = best.get(n)
        if held is None or ranked < held:
            best[n] = ranked
    return {n: ranked[1] for n, ranked in best.items()}


def _smallest(wanted: Container[str], rows: Iterable[Value], prefix: str = "") -> dict[str, Any]:
    """Node -> the smallest of its values (those starting with ``prefix``). (Most properties
    have one value a node: then the values are kept as they are, in one pass.)"""
    kept = [(n, o) for n, o, _ in rows if n in wanted and (not prefix or o.startswith(prefix))]
    best = dict(kept)
    if len(best) == len(kept):
        return best
    get = best.get
    best.clear()
    for n, o in kept:
        held = get(n)
        if held is None or o < held:
            best[n] = o
    return best
