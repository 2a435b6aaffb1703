"""Direct triples as view edges, each with its evidence, and back to RDF.

A direct triple ``s p o`` of a property a view lists becomes the edge ``s -p-> o``. Its
evidence is its ``owl:Axiom`` annotation when it has one (``dct:source``, ``kg:quote``), else
its subject's own, which :func:`kg.views._build.finish` copies from the subject node (fetched
once per node, not once per edge). :func:`direct_edge_to_rdf` is the inverse, for
:func:`kg.views.convert.view_to_rdf`.

On Oxigraph the triples are read straight from the store's index
(:attr:`kg.backends.base.Backend.reads_index`), which gives the rows of :data:`DIRECT_EDGES`
without making a query row per edge.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

import networkx as nx
from rdflib import URIRef

from kg.namespaces import local_name
from kg.views._edges import add_edge
from kg.views._query import PREFIXES, IndexRead, lexical_table, property_index, select

if TYPE_CHECKING:
    from rdflib import Graph

    from kg.graph import KnowledgeGraph

__all__ = [
    "AXIOMS",
    "DIRECT_EDGES",
    "INVERSE_EDGES",
    "add_direct_edges",
    "axioms",
    "direct_edge_to_rdf",
]

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

Triple = tuple[str, str, str]
#: (edge from, edge to, read backwards): a triple of the inverse is stored as (v, inv, u).
Pair = tuple[str, str, bool]
#: (sort key, source, quote, the node whose evidence the edge takes, or None)
Choice = tuple[tuple[bool, str, str], str | None, str | None, str | None]


def axioms(source: KnowledgeGraph) -> dict[Triple, list[dict[str, Any]]]:
    """The axiom annotations of the store, by annotated triple ``(s, p, o)``.

    Parameters
    ----------
    source:
        A KnowledgeGraph.

    Returns
    -------
    dict
        ``(s, p, o)`` -> rows with ``ax``, ``axsrc``, ``axquote``.

    Example
    -------
    >>> from kg.views._fixture import fixture
    >>> from kg.views._query import as_graph
    >>> [(k[1][-5:], v[0]["axquote"][:22]) for k, v in axioms(as_graph(fixture())).items()]
    [('ledBy', "Armenia's membership i")]
    """
    found: dict[Triple, list[dict[str, Any]]] = {}
    for row in select(source, AXIOMS):
        found.setdefault((row["s"], row["p"], row["o"]), []).append(row)
    return found


def add_direct_edges(
    G: nx.MultiDiGraph,
    source: KnowledgeGraph,
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
        A KnowledgeGraph.
    properties:
        Full property IRIs; each is bound as ``?p``, one query (or index read) per property.
    inverses:
        Property -> its inverse (``kg:party`` -> ``kg:partyTo``): triples of the inverse
        are added as edges of the property, in its direction.

    Returns
    -------
    None

    Example
    -------
    >>> from kg.views._build import finish, new_view
    >>> from kg.views._nodes import node_pattern
    >>> from kg.views._query import KG_NS, as_graph
    >>> from rdflib import Graph
    >>> g = as_graph(Graph().parse(format="turtle", data='''
    ... @prefix kg: <https://w3id.org/kg-ir/ontology#> .
    ... <http://x/m> kg:country <http://x/a> ; <http://purl.org/dc/terms/source> <http://x/s> .'''))
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
        inv = inverses.get(prop)
        pairs = _pairs(source, read, prop, inv)
        touched = _annotated_pairs(annotated, prop, inv)
        if touched:  # few: the pairs with an axiom annotation choose among their evidence
            chosen = [p for p in pairs if (p[0], p[1]) in touched]
            _insert(G, prop, _best_evidence(chosen, prop, inv, annotated))
            pairs = [p for p in pairs if (p[0], p[1]) not in touched]
        _insert_plain(G, prop, pairs)
    nx._clear_cache(G)


def _pairs(
    source: KnowledgeGraph, read: IndexRead | None, prop: str, inv: str | None
) -> list[Pair]:
    """The (from, to, backwards) pairs of ``prop`` and of its inverse ``inv``."""
    if read is not None:  # Oxigraph: the triples straight from the index, no query rows
        pairs = [(s, o, False) for s, o, _ in read(prop, iri_subjects=False, iri_objects=True)]
        if inv is not None:
            found = read(inv, iri_subjects=False, iri_objects=True)
            pairs += [(o, s, True) for s, o, _ in found]
        return pairs
    rows = lexical_table(source, DIRECT_EDGES, p=URIRef(prop))[1]
    pairs = [(str(s), str(o), False) for s, o in rows]
    if inv is not None:
        rows = lexical_table(source, INVERSE_EDGES, inv=URIRef(inv))[1]
        pairs += [(str(s), str(o), True) for s, o in rows]
    return pairs


def _annotated_pairs(
    annotated: dict[Triple, list[dict[str, Any]]], prop: str, inv: str | None
) -> set[tuple[str, str]]:
    """The (from, to) pairs of ``prop`` that an annotated triple (of it or its inverse) makes."""
    if not annotated:
        return set()
    pairs = {(s, o) for s, p, o in annotated if p == prop}
    return pairs | {(o, s) for s, p, o in annotated if inv is not None and p == inv}


def _insert_plain(G: nx.MultiDiGraph, prop: str, pairs: Iterable[Pair]) -> None:
    """Add the pairs without an annotation: the first triple of a pair gives its evidence (its
    stored subject's, copied in :func:`kg.views._build.finish`).

    The largest loop of a view: a pair with no edge yet is written straight into the graph's
    adjacency (what ``MultiDiGraph.add_edge`` does, without its per-call checks; the caller
    clears networkx's cache once), with the key :func:`add_edge` would give it; a pair that
    already has an edge goes through :func:`add_edge`. New nodes get only ``iri``: finish
    gives every node its attributes.
    """
    name = local_name(prop)
    succ, pred, node = G._succ, G._pred, G._node
    for u, v, backwards in pairs:
        of = v if backwards else u
        out = succ.get(u)
        if out is None:
            node[u], out, pred[u] = {"iri": u}, {}, {}
            succ[u] = out
        keys = out.get(v)
        if keys is not None:  # an edge is there: the same relation (skip) or another
            if not any(d["relation"] == prop for d in keys.values()):
                add_edge(G, u, prop, v, evidence_of=of)
            continue
        into = pred.get(v)
        if into is None:
            node[v], succ[v], pred[v] = {"iri": v}, {}, {}
            into = pred[v]
        # one key dict, shared by succ[u][v] and pred[v][u] (as MultiDiGraph.add_edge keeps it)
        attrs = {"relation": prop, "label": name, "source": None, "quote": None, "evidence_of": of}
        out[v] = into[u] = {name: attrs}


def _best_evidence(
    pairs: list[Pair], prop: str, inv: str | None, annotated: dict[Triple, list[dict[str, Any]]]
) -> dict[tuple[str, str], Choice]:
    """One evidence per (from, to) pair, the same on every backend: of several annotations of
    a triple, a quoted one first, then the smallest; without one, the stored subject's."""
    best: dict[tuple[str, str], Choice] = {}
    if not annotated:  # the common case: the first triple of a pair gives its evidence
        for u, v, backwards in pairs:
            if (u, v) not in best:
                best[(u, v)] = ((True, "", ""), None, None, v if backwards else u)
        return best
    for u, v, backwards in pairs:
        triple = (v, str(inv), u) if backwards else (u, prop, v)
        for ax in annotated.get(triple) or (None,):
            choice: Choice
            if ax is None:
                choice = ((True, "", ""), None, None, triple[0])
            else:
                src, quote = ax["axsrc"], ax["axquote"]
                choice = ((quote is None, quote or "", src or ""), src, quote, None)
            if (u, v) not in best or choice[0] < best[(u, v)][0]:
                best[(u, v)] = choice
    return best


def _insert(G: nx.MultiDiGraph, prop: str, best: dict[tuple[str, str], Choice]) -> None:
    """Add the chosen edges: most pairs have no edge yet, so those go in at once
    (``add_edges_from``) with the key :func:`add_edge` would give them; the others go through
    its checks."""
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


def _new_nodes(
    G: nx.MultiDiGraph, edges: list[tuple[str, str, str, dict[str, Any]]]
) -> Iterator[tuple[str, dict[str, str]]]:
    """The endpoints of ``edges`` not yet in ``G``, with the attributes add_edge gives them."""
    seen = set(G)
    for u, v, _, _ in edges:
        for node in (u, v):
            if node not in seen:
                seen.add(node)
                yield node, {"iri": node, "label": local_name(node), "cls": "", "group": "other"}


def direct_edge_to_rdf(g: Graph, G: nx.MultiDiGraph, u: str, v: str, d: dict[str, Any]) -> None:
    """Write a direct edge back as its triple; evidence that is not its subject's own goes on
    an ``owl:Axiom`` annotation of the triple (the inverse of :func:`add_direct_edges`).

    Parameters
    ----------
    g:
        The RDF being written.
    G:
        The view (for the subject's own evidence).
    u, v, d:
        The edge's ends and attributes.

    Returns
    -------
    None

    Example
    -------
    >>> import networkx as nx
    >>> from rdflib import Graph
    >>> G = nx.MultiDiGraph(); G.add_node("http://s", source="http://doc")
    >>> G.add_node("http://o")
    >>> g = Graph(); d = {"relation": "http://p", "source": "http://other", "quote": None}
    >>> direct_edge_to_rdf(g, G, "http://s", "http://o", d); len(g)
    6
    """
    from rdflib import BNode
    from rdflib.namespace import OWL, RDF

    from kg.views._rdf import add_evidence

    su, ov, rel = URIRef(u), URIRef(v), URIRef(d["relation"])
    g.add((su, rel, ov))
    own = (G.nodes[u].get("source"), G.nodes[u].get("quote"))
    if (d.get("source"), d.get("quote")) != own:
        ax = BNode()
        g.add((ax, RDF.type, OWL.Axiom))
        g.add((ax, OWL.annotatedSource, su))
        g.add((ax, OWL.annotatedProperty, rel))
        g.add((ax, OWL.annotatedTarget, ov))
        add_evidence(g, ax, d.get("source"), d.get("quote"))
