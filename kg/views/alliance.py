"""The alliance view: actors and the organizations they are (or were) members of.

Edges: ``memberOf`` (actor -> organization) from each ``kg:Membership`` node, with the
membership's dates, status (``active`` / ``frozen`` / ``ended``), status date and evidence;
direct ``kg:memberOf`` triples that no Membership node records; and ``ledBy``
(organization -> actor).
"""

from __future__ import annotations

from typing import Any

import networkx as nx
from rdflib import Literal

from kg.views import _build, timefilter

KG = _build.KG_NS
KGR = "https://w3id.org/kg-ir/resource/"
#: The nodes the alliance edges can touch.
NODES = _build.node_pattern(
    both=["memberOf", "hasMember", "ledBy"], objects=["member", "organization"]
)

#: The memberships, cut to ``?asOf`` when it is bound.
MEMBERSHIPS = (
    _build.PREFIXES
    + """SELECT ?s ?o ?via ?src ?quote ?start ?end ?status ?statusDate WHERE {
  ?via kg:member ?s ; kg:organization ?o .
  OPTIONAL { ?via kg:startDate ?start }
  OPTIONAL { ?via kg:endDate ?end }
  OPTIONAL { ?via kg:membershipStatus ?status }
  OPTIONAL { ?via kg:statusDate ?statusDate }
  OPTIONAL { ?via dct:source ?src }
  OPTIONAL { ?via kg:quote ?quote }
  FILTER(!BOUND(?asOf) || !BOUND(?start) || STR(?start) <= STR(?asOf))
  FILTER(!BOUND(?asOf) || !BOUND(?end) || STR(?end) > STR(?asOf))
}"""
)

#: ``kg:memberOf`` / ``kg:hasMember`` triples with no Membership node for the same pair.
DIRECT_MEMBERSHIPS = (
    _build.PREFIXES
    + """SELECT ?s ?o ?ax ?axsrc ?axquote WHERE {
  { ?s kg:memberOf ?o } UNION { ?o kg:hasMember ?s }
  FILTER NOT EXISTS { ?m kg:member ?s ; kg:organization ?o }
  OPTIONAL { ?ax owl:annotatedSource ?s ; owl:annotatedProperty kg:memberOf ;
                 owl:annotatedTarget ?o .
             OPTIONAL { ?ax dct:source ?axsrc } OPTIONAL { ?ax kg:quote ?axquote } }
}"""
)


def add_alliance_edges(G: nx.MultiDiGraph, source: Any, as_of: str | None) -> None:
    """Add the alliance view's edges to ``G`` (used by :func:`alliance_view` and the full view).

    Parameters
    ----------
    G:
        The view being built.
    source:
        KnowledgeGraph or rdflib Graph.
    as_of:
        ISO date or ``None``.

    Returns
    -------
    None

    Example
    -------
    >>> from rdflib import Graph
    >>> G = _build.new_view("x", None); add_alliance_edges(G, Graph(), None); len(G)
    0
    """
    bindings = {"asOf": Literal(as_of)} if as_of else {}
    for row in _build.by_evidence(_build.select(source, MEMBERSHIPS, **bindings)):
        _build.add_edge(
            G,
            row["s"],
            KG + "memberOf",
            row["o"],
            source=row["src"],
            quote=row["quote"],
            via=row["via"],
            start=row["start"],
            end=row["end"],
            status=_build.local_name(str(row["status"])) if row["status"] is not None else None,
            status_date=row["statusDate"],
        )
    for row in _build.select(source, DIRECT_MEMBERSHIPS):
        src, quote, from_subject = _build.evidence(row)
        of = row["s"] if from_subject else None
        _build.add_edge(
            G, row["s"], KG + "memberOf", row["o"], source=src, quote=quote, evidence_of=of
        )
    _build.add_direct_edges(G, source, [KG + "ledBy"])


def alliance_view(source: Any, as_of: Any = None) -> nx.MultiDiGraph:
    """Actors, the organizations they belong to, and who leads those organizations.

    Parameters
    ----------
    source:
        A :class:`kg.graph.KnowledgeGraph` (any backend) or an rdflib Graph.
    as_of:
        A date (``datetime.date`` or ``"YYYY-MM-DD"``): keep the memberships that held on
        that day, each with its status then (see :mod:`kg.views.timefilter`). ``None``: all.

    Returns
    -------
    networkx.MultiDiGraph
        ``memberOf`` edges (with ``via`` = the Membership node, ``start``, ``end``,
        ``status``, ``status_date``, ``source``, ``quote``) and ``ledBy`` edges.

    Example
    -------
    >>> from kg.views._fixture import fixture
    >>> G = alliance_view(fixture(), as_of="2023-09-01")
    >>> G.graph["name"], G.graph["as_of"]
    ('alliance', '2023-09-01')
    >>> e = G.edges[f"{KGR}Armenia", f"{KGR}CSTO", "memberOf"]
    >>> e["status"], e["quote"]
    ('active', "Armenia's membership in the CSTO")
    >>> later = alliance_view(fixture(), as_of="2024-03-01")
    >>> later.edges[f"{KGR}Armenia", f"{KGR}CSTO", "memberOf"]["status"]
    'frozen'
    """
    as_of = timefilter.as_of_string(as_of)
    G = _build.new_view("alliance", as_of)
    with _build.gc_paused():
        add_alliance_edges(G, source, as_of)
        return _build.finish(G, source, NODES)
