"""Turn SPARQL rows into a typed ``networkx.MultiDiGraph``: the shared machinery of the views.

A view is built in two steps. Edge queries (one or a few per view family) return one row per
relation with its evidence; :func:`add_edge` keeps them, keyed by the relation's local name.
Then :func:`finish` fetches the nodes' attributes (:mod:`kg.views._nodes`) and the relations'
labels, and cuts the view to its ``as_of`` day (:mod:`kg.views.timefilter`).

Every query goes through :func:`kg.views._query.select` (or ``lexical_table``, rows as
tuples), which takes either a :class:`kg.graph.KnowledgeGraph` (any backend) or a plain rdflib
``Graph``; values are bound, never pasted into the text. On Oxigraph, direct triples of one
property are read straight from the store's index
(:meth:`kg.backends.oxigraph.OxigraphBackend.property_triples`), which gives the rows of
``DIRECT_EDGES`` without making a query row per edge.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import networkx as nx
from rdflib import URIRef

from kg.namespaces import local_name
from kg.views import timefilter
from kg.views._nodes import (  # noqa: F401 - re-exported for the view modules
    ALL_GROUPS,
    CLASS_GROUPS,
    GROUP_OF,
    add_node_attributes,
    node_pattern,
    property_labels,
    relation_labels,
)
from kg.views._query import (  # noqa: F401 - re-exported for the view modules
    DCT_SOURCE,
    KG_NS,
    PREFIXES,
    lexical_table,
    property_index,
    select,
    text,
)


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a view is built.

    Building a graph allocates hundreds of thousands of dicts that all stay alive, so every
    collection the allocations trigger finds nothing to free; pausing it saves about a
    quarter of the time on large views (scripts/bench_views.py).

    Returns
    -------
    contextmanager

    Example
    -------
    >>> with gc_paused():
    ...     gc.isenabled()
    False
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


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


def evidence(row: dict[str, Any]) -> tuple[Any, Any]:
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


#: Direct triples ``?s ?p ?o`` of the property bound as ``?p``. Their axiom annotations come
#: from :data:`AXIOMS`, joined in Python: an OPTIONAL per row costs rdflib a lookup per edge.
DIRECT_EDGES = PREFIXES + "SELECT ?s ?o WHERE { ?s ?p ?o . FILTER(isIRI(?o)) }"

#: Triples ``?x ?inv ?y`` of an inverse property (``?inv`` bound), read as ``?y ?p ?x``.
INVERSE_EDGES = PREFIXES + "SELECT ?s ?o WHERE { ?o ?inv ?s . FILTER(isIRI(?s)) }"

#: Every axiom annotation of an object triple, with its evidence (background facts: few).
AXIOMS = (
    PREFIXES
    + """SELECT ?s ?p ?o ?ax ?axsrc ?axquote WHERE {
  ?ax owl:annotatedSource ?s ; owl:annotatedProperty ?p ; owl:annotatedTarget ?o .
  FILTER(isIRI(?o))
  OPTIONAL { ?ax dct:source ?axsrc }
  OPTIONAL { ?ax kg:quote ?axquote }
}"""
)


def axioms(source: Any) -> dict[tuple[str, str, str], list[dict[str, Any]]]:
    """The axiom annotations of the store, by annotated triple ``(s, p, o)``.

    Parameters
    ----------
    source:
        KnowledgeGraph or rdflib Graph.

    Returns
    -------
    dict
        ``(s, p, o)`` -> rows with ``ax``, ``axsrc``, ``axquote``.

    Example
    -------
    >>> from kg.views._fixture import fixture
    >>> [(k[1][-5:], v[0]["axquote"][:22]) for k, v in axioms(fixture()).items()]
    [('ledBy', "Armenia's membership i")]
    """
    found: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    for row in select(source, AXIOMS):
        found.setdefault((row["s"], row["p"], row["o"]), []).append(row)
    return found


def add_direct_edges(
    G: nx.MultiDiGraph,
    source: Any,
    properties: Iterable[str],
    inverses: dict[str, str] | None = None,
) -> None:
    """Add every direct triple of each property in ``properties`` (full IRIs) as an edge.

    A direct triple that restates an edge already in ``G`` (the same relation between the
    same two nodes, say ``kg:signatory`` beside a qualified ``kg:Signature``) is skipped:
    the qualified edge carries more.

    Parameters
    ----------
    G:
        The view.
    source:
        KnowledgeGraph or rdflib Graph.
    properties:
        Full property IRIs; each is bound as ``?p``, one query per property.
    inverses:
        Property -> its inverse (``kg:party`` -> ``kg:partyTo``): triples of the inverse
        are added as edges of the property, in its direction.

    Returns
    -------
    None

    Example
    -------
    >>> from rdflib import Graph
    >>> g = Graph().parse(format="turtle", data='''@prefix kg: <https://w3id.org/kg-ir/ontology#> .
    ... <http://x/m> kg:country <http://x/a> ; <http://purl.org/dc/terms/source> <http://x/s> .''')
    >>> G = new_view("x", None); add_direct_edges(G, g, [KG_NS + "country"])
    >>> list(G.edges(keys=True, data="evidence_of"))
    [('http://x/m', 'http://x/a', 'country', 'http://x/m')]
    >>> _ = finish(G, g, node_pattern(both=["country"]))
    >>> list(G.edges(keys=True, data="source"))
    [('http://x/m', 'http://x/a', 'country', 'http://x/s')]
    """
    inverses = inverses or {}
    annotated = axioms(source)
    read = property_index(source)
    for prop in properties:
        # (edge from, edge to, the triple as stored): a triple of the inverse is read backwards.
        # (edge from, edge to, read backwards): a triple of the inverse is stored as (v, inv, u).
        inv = inverses.get(prop)
        if read is not None:  # Oxigraph: the triples straight from the index, no query rows
            found = read(prop, iri_subjects=False, iri_objects=True)
            edges = [(s, o, False) for s, o, _ in found]
            if inv is not None:
                found = read(inv, iri_subjects=False, iri_objects=True)
                edges += [(o, s, True) for s, o, _ in found]
        else:
            rows = lexical_table(source, DIRECT_EDGES, p=URIRef(prop))[1]
            edges = [(s, o, False) for s, o in rows]
            if inv is not None:
                rows = lexical_table(source, INVERSE_EDGES, inv=URIRef(inv))[1]
                edges += [(s, o, True) for s, o in rows]
        # Several annotations of one triple: keep one, the same on every backend (a quoted
        # one first, then the smallest). Without one, the evidence is the triple's subject's.
        best: dict[tuple[str, str], tuple] = {}
        if not annotated:  # the common case: the first triple of a pair gives its evidence
            for u, v, backwards in edges:
                if (u, v) not in best:
                    best[(u, v)] = (None, None, None, v if backwards else u)
            edges = []
        for u, v, backwards in edges:
            triple = (v, inv, u) if backwards else (u, prop, v)
            for ax in (annotated.get(triple) if annotated else None) or (None,):
                if ax is None:
                    choice = ((True, "", ""), None, None, triple[0])
                else:
                    src, quote = ax["axsrc"], ax["axquote"]
                    choice = ((quote is None, quote or "", src or ""), src, quote, None)
                if (u, v) not in best or choice[0] < best[(u, v)][0]:
                    best[(u, v)] = choice
        # Most pairs have no edge yet: those go in at once (add_edges_from), with the key
        # add_edge would give them; the others go through add_edge's checks.
        name, batch = local_name(prop), []
        for (u, v), (_, src, quote, of) in best.items():
            if G.has_edge(u, v):
                if not any(d["relation"] == prop for d in G.get_edge_data(u, v).values()):
                    add_edge(G, u, prop, v, source=src, quote=quote, evidence_of=of)
                continue
            attrs = {"relation": prop, "label": name, "source": src, "quote": quote}
            if of is not None:
                attrs["evidence_of"] = of
            batch.append((u, v, name, attrs))
        G.add_nodes_from(_new_nodes(G, batch))
        G.add_edges_from(batch)


def _new_nodes(G: nx.MultiDiGraph, edges: list[tuple]) -> Iterator[tuple[str, dict]]:
    """The endpoints of ``edges`` not yet in ``G``, with the attributes add_edge gives them."""
    seen = set(G)
    for u, v, _, _ in edges:
        for node in (u, v):
            if node not in seen:
                seen.add(node)
                yield node, {"iri": node, "label": local_name(node), "cls": "", "group": "other"}


def finish(G: nx.MultiDiGraph, source: Any, nodes: str) -> nx.MultiDiGraph:
    """Fill node attributes, the evidence edges take from their subject, and relation labels,
    then cut to ``G.graph["as_of"]``.

    Parameters
    ----------
    G:
        The view with its edges.
    source:
        KnowledgeGraph or rdflib Graph.
    nodes:
        A SPARQL pattern binding ``?n`` to the view's nodes (:func:`node_pattern`).

    Returns
    -------
    networkx.MultiDiGraph
        ``G`` itself.

    Example
    -------
    >>> from rdflib import Graph
    >>> finish(new_view("x", None), Graph(), node_pattern(both=["ledBy"])).number_of_nodes()
    0
    """
    add_node_attributes(G, source, nodes)
    # One pass over the edges: the evidence taken from a subject, and the relation's label.
    # (Not number_of_edges(), which counts them all.)
    labels = property_labels(source) if next(iter(G.edges), None) is not None else {}
    node_attrs = G.nodes
    for _, _, data in G.edges(data=True):
        of = data.pop("evidence_of", None)
        if of is not None:
            attrs = node_attrs[of]
            data["source"], data["quote"] = attrs.get("source"), attrs.get("quote")
        data["label"] = labels.get(data["relation"], data["label"])
    if G.graph.get("as_of"):
        timefilter.prune(G, G.graph["as_of"])
    return G
