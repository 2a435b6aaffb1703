"""The agreement view: agreements, their parties, signatories, mediators, guarantors, obligations.

Edges from an agreement: ``party``, ``mediator``, ``guarantor``, ``placeSigned`` and
``signatory`` (one per ``kg:Signature``, ``via`` the signature, with ``on_behalf_of``); from a
signer: ``onBehalfOf`` (``via`` the signature); from an obligation (a node of its own):
``obligedParty``, ``actingThrough``, ``underAgreement``, ``beneficiary``, ``concerns``; from a
mission: ``mandatedBy``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import networkx as nx

from kg.namespaces import RESOURCE_IRI
from kg.views._build import build
from kg.views._direct import add_direct_edges
from kg.views._edges import add_edge, by_evidence
from kg.views._nodes import node_pattern
from kg.views._query import KG_NS, PREFIXES, ViewSource, select

if TYPE_CHECKING:
    from rdflib import Graph

    from kg.graph import KnowledgeGraph
    from kg.views._rdf import EdgeWriter

__all__ = [
    "INVERSES",
    "NODES",
    "SIGNATURES",
    "add_agreement_edges",
    "agreement_view",
    "signature_to_rdf",
]

KG = KG_NS
KGR = RESOURCE_IRI
_DIRECT = [
    "party",
    "mediator",
    "guarantor",
    "placeSigned",
    "obligedParty",
    "actingThrough",
    "underAgreement",
    "beneficiary",
    "concerns",
    "mandatedBy",
    "signatory",
]

#: The nodes the agreement edges can touch.
NODES = node_pattern(
    both=[*_DIRECT, "partyTo"], subjects=["signature"], objects=["signer", "onBehalfOf"]
)

#: Qualified signatures, with the signature's evidence (else the agreement's, in finish()).
SIGNATURES = (
    PREFIXES
    + """SELECT ?a ?via ?signer ?party ?src ?quote WHERE {
  ?a kg:signature ?via . ?via kg:signer ?signer .
  OPTIONAL { ?via kg:onBehalfOf ?party }
  OPTIONAL { ?via dct:source ?src }
  OPTIONAL { ?via kg:quote ?quote }
}"""
)


def add_agreement_edges(G: nx.MultiDiGraph, source: KnowledgeGraph, as_of: str | None) -> None:
    """Add the agreement view's edges to ``G`` (used by :func:`agreement_view` and the full view).

    Parameters
    ----------
    G:
        The view being built.
    source:
        A KnowledgeGraph.
    as_of:
        ISO date or ``None`` (agreements are cut by :func:`kg.views.timefilter.prune`).

    Returns
    -------
    None

    Example
    -------
    >>> from rdflib import Graph
    >>> from kg.views._edges import new_view
    >>> from kg.views._query import as_graph
    >>> G = new_view("x", None); add_agreement_edges(G, as_graph(Graph()), None); len(G)
    0
    """
    for row in by_evidence(select(source, SIGNATURES)):
        own = row["src"] is not None or row["quote"] is not None
        src, quote, of = row["src"], row["quote"], None if own else row["a"]
        add_edge(
            G,
            row["a"],
            KG + "signatory",
            row["signer"],
            source=src,
            quote=quote,
            via=row["via"],
            on_behalf_of=row["party"],
            evidence_of=of,
        )
        if row["party"] is not None:
            add_edge(
                G,
                row["signer"],
                KG + "onBehalfOf",
                row["party"],
                source=src,
                quote=quote,
                via=row["via"],
                evidence_of=of,
            )
    add_direct_edges(
        G, source, [KG + name for name in _DIRECT], inverses={KG + "party": KG + "partyTo"}
    )


def agreement_view(
    source: ViewSource, as_of: Any = None, *, alleged: bool = False
) -> nx.MultiDiGraph:
    """Agreements with their parties, signatories, mediators, guarantors and obligations.

    Parameters
    ----------
    source:
        A :class:`kg.graph.KnowledgeGraph` (any backend) or an rdflib Graph.
    as_of:
        A date: keep the agreements in force then (concluded, signed or in force by that
        day, not ended) and their obligations. ``None``: all, including agreements never
        concluded.
    alleged:
        Also keep what is only alleged or did not occur, marked (:mod:`kg.views.alleged`).

    Returns
    -------
    networkx.MultiDiGraph
        Agreement nodes carry ``start`` (in force, else signed), ``date`` (signed) and
        ``status`` ("inForce", "neverConcluded" ...); obligations carry ``status`` (their
        fulfilment: "fulfilled", "unfulfilled", "notReported") and ``quote``.

    Example
    -------
    >>> from kg.views._fixture import fixture
    >>> G = agreement_view(fixture())
    >>> G.edges[f"{KGR}JointStatement2020", f"{KGR}Russia", "mediator"]["quote"][:33]
    'the leaders of Armenia and Azerba'
    >>> G.nodes[f"{KGR}FinalPeaceAgreement"]["status"]
    'neverConcluded'
    >>> f"{KGR}FinalPeaceAgreement" in agreement_view(fixture(), as_of="2023-09-01")
    False
    """
    return build("agreement", source, as_of, [add_agreement_edges], NODES, alleged=alleged)


def signature_to_rdf(g: Graph, G: nx.MultiDiGraph, u: str, v: str, d: dict[str, Any]) -> None:
    """Write a ``signatory`` or ``onBehalfOf`` edge ``via`` a signature back as its
    ``kg:Signature`` node (the inverse of :data:`SIGNATURES`, for
    :func:`kg.views.convert.view_to_rdf`).

    Parameters
    ----------
    g:
        The RDF being written.
    G:
        The view.
    u, v, d:
        The edge's ends (agreement and signer, or signer and the party signed for) and
        attributes.

    Returns
    -------
    None

    Example
    -------
    >>> from rdflib import Graph
    >>> g = Graph(); d = {"relation": KG + "signatory", "via": "http://s", "on_behalf_of": "http://p"}
    >>> signature_to_rdf(g, None, "http://a", "http://x", d)
    >>> sorted(p.split("#")[-1] for p in g.predicates())
    ['onBehalfOf', 'signature', 'signer', 'type']
    """
    from rdflib import URIRef
    from rdflib.namespace import RDF

    from kg.views._rdf import add_evidence, kg_term

    via = URIRef(d["via"])
    g.add((via, RDF.type, kg_term("Signature")))
    if d["relation"] == KG + "signatory":
        g.add((URIRef(u), kg_term("signature"), via))
        g.add((via, kg_term("signer"), URIRef(v)))
        if d.get("on_behalf_of"):
            g.add((via, kg_term("onBehalfOf"), URIRef(d["on_behalf_of"])))
    else:
        g.add((via, kg_term("signer"), URIRef(u)))
        g.add((via, kg_term("onBehalfOf"), URIRef(v)))
    add_evidence(g, via, d.get("source"), d.get("quote"))


#: The qualified relations this view writes back as n-ary nodes: relation -> writer.
INVERSES: dict[str, EdgeWriter] = {
    KG + "signatory": signature_to_rdf,
    KG + "onBehalfOf": signature_to_rdf,
}
