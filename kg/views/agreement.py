"""The agreement view: agreements, their parties, signatories, mediators, guarantors, obligations.

Edges from an agreement: ``party``, ``mediator``, ``guarantor``, ``placeSigned`` and
``signatory`` (one per ``kg:Signature``, ``via`` the signature, with ``on_behalf_of``); from a
signer: ``onBehalfOf`` (``via`` the signature); from an obligation (a node of its own):
``obligedParty``, ``actingThrough``, ``underAgreement``, ``beneficiary``, ``concerns``; from a
mission: ``mandatedBy``.
"""

from __future__ import annotations

from typing import Any

import networkx as nx

from kg.views import _build, timefilter

KG = _build.KG_NS
KGR = "https://w3id.org/kg-ir/resource/"
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
NODES = _build.node_pattern(
    both=[*_DIRECT, "partyTo"], subjects=["signature"], objects=["signer", "onBehalfOf"]
)

#: Qualified signatures, with the signature's evidence (else the agreement's, in finish()).
SIGNATURES = (
    _build.PREFIXES
    + """SELECT ?a ?via ?signer ?party ?src ?quote WHERE {
  ?a kg:signature ?via . ?via kg:signer ?signer .
  OPTIONAL { ?via kg:onBehalfOf ?party }
  OPTIONAL { ?via dct:source ?src }
  OPTIONAL { ?via kg:quote ?quote }
}"""
)


def add_agreement_edges(G: nx.MultiDiGraph, source: Any, as_of: str | None) -> None:
    """Add the agreement view's edges to ``G`` (used by :func:`agreement_view` and the full view).

    Parameters
    ----------
    G:
        The view being built.
    source:
        KnowledgeGraph or rdflib Graph.
    as_of:
        ISO date or ``None`` (agreements are cut by :func:`kg.views.timefilter.prune`).

    Returns
    -------
    None

    Example
    -------
    >>> from rdflib import Graph
    >>> G = _build.new_view("x", None); add_agreement_edges(G, Graph(), None); len(G)
    0
    """
    for row in _build.by_evidence(_build.select(source, SIGNATURES)):
        own = row["src"] is not None or row["quote"] is not None
        src, quote, of = row["src"], row["quote"], None if own else row["a"]
        _build.add_edge(
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
            _build.add_edge(
                G,
                row["signer"],
                KG + "onBehalfOf",
                row["party"],
                source=src,
                quote=quote,
                via=row["via"],
                evidence_of=of,
            )
    _build.add_direct_edges(
        G, source, [KG + name for name in _DIRECT], inverses={KG + "party": KG + "partyTo"}
    )


def agreement_view(source: Any, as_of: Any = None) -> nx.MultiDiGraph:
    """Agreements with their parties, signatories, mediators, guarantors and obligations.

    Parameters
    ----------
    source:
        A :class:`kg.graph.KnowledgeGraph` (any backend) or an rdflib Graph.
    as_of:
        A date: keep the agreements in force then (concluded, signed or in force by that
        day, not ended) and their obligations. ``None``: all, including agreements never
        concluded.

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
    as_of = timefilter.as_of_string(as_of)
    G = _build.new_view("agreement", as_of)
    with _build.gc_paused():
        add_agreement_edges(G, source, as_of)
        return _build.finish(G, source, NODES)
