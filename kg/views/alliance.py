"""The alliance view: actors and the organizations they are (or were) members of.

Edges: ``memberOf`` (actor -> organization) from each ``kg:Membership`` node, with the
membership's dates, status (``active`` / ``frozen`` / ``ended``), status date and evidence;
direct ``kg:memberOf`` triples that no Membership node records; and ``ledBy``
(organization -> actor).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import networkx as nx
from rdflib import Literal

from kg.namespaces import RESOURCE_IRI, local_name
from kg.views._build import build
from kg.views._direct import add_direct_edges
from kg.views._edges import add_edge, by_evidence, evidence
from kg.views._nodes import node_pattern
from kg.views._query import KG_NS, PREFIXES, ViewSource, select

if TYPE_CHECKING:
    from rdflib import Graph

    from kg.graph import KnowledgeGraph
    from kg.views._rdf import EdgeWriter

__all__ = [
    "DIRECT_MEMBERSHIPS",
    "INVERSES",
    "MEMBERSHIPS",
    "NODES",
    "add_alliance_edges",
    "alliance_view",
    "membership_to_rdf",
]

KG = KG_NS
KGR = RESOURCE_IRI
#: The nodes the alliance edges can touch.
NODES = node_pattern(both=["memberOf", "hasMember", "ledBy"], objects=["member", "organization"])

#: The memberships, cut to ``?asOf`` when it is bound.
MEMBERSHIPS = (
    PREFIXES
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
    PREFIXES
    + """SELECT ?s ?o ?ax ?axsrc ?axquote WHERE {
  { ?s kg:memberOf ?o } UNION { ?o kg:hasMember ?s }
  FILTER NOT EXISTS { ?m kg:member ?s ; kg:organization ?o }
  OPTIONAL { ?ax owl:annotatedSource ?s ; owl:annotatedProperty kg:memberOf ;
                 owl:annotatedTarget ?o .
             OPTIONAL { ?ax dct:source ?axsrc } OPTIONAL { ?ax kg:quote ?axquote } }
}"""
)


def add_alliance_edges(G: nx.MultiDiGraph, source: KnowledgeGraph, as_of: str | None) -> None:
    """Add the alliance view's edges to ``G`` (used by :func:`alliance_view` and the full view).

    Parameters
    ----------
    G:
        The view being built.
    source:
        A KnowledgeGraph.
    as_of:
        ISO date or ``None``.

    Returns
    -------
    None

    Example
    -------
    >>> from rdflib import Graph
    >>> from kg.views._edges import new_view
    >>> from kg.views._query import as_graph
    >>> G = new_view("x", None); add_alliance_edges(G, as_graph(Graph()), None); len(G)
    0
    """
    bindings = {"asOf": Literal(as_of)} if as_of else {}
    for row in by_evidence(select(source, MEMBERSHIPS, **bindings)):
        add_edge(
            G,
            row["s"],
            KG + "memberOf",
            row["o"],
            source=row["src"],
            quote=row["quote"],
            via=row["via"],
            start=row["start"],
            end=row["end"],
            status=local_name(str(row["status"])) if row["status"] is not None else None,
            status_date=row["statusDate"],
        )
    for row in select(source, DIRECT_MEMBERSHIPS):
        src, quote, from_subject = evidence(row)
        of = row["s"] if from_subject else None
        add_edge(G, row["s"], KG + "memberOf", row["o"], source=src, quote=quote, evidence_of=of)
    add_direct_edges(G, source, [KG + "ledBy"])


def alliance_view(
    source: ViewSource, as_of: Any = None, *, alleged: bool = False
) -> nx.MultiDiGraph:
    """Actors, the organizations they belong to, and who leads those organizations.

    Parameters
    ----------
    source:
        A :class:`kg.graph.KnowledgeGraph` (any backend) or an rdflib Graph.
    as_of:
        A date (``datetime.date`` or ``"YYYY-MM-DD"``): keep the memberships that held on
        that day, each with its status then (see :mod:`kg.views.timefilter`). ``None``: all.
    alleged:
        Also keep what is only alleged or did not occur, marked (:mod:`kg.views.alleged`).

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
    return build("alliance", source, as_of, [add_alliance_edges], NODES, alleged=alleged)


def membership_to_rdf(g: Graph, G: nx.MultiDiGraph, u: str, v: str, d: dict[str, Any]) -> None:
    """Write a ``memberOf`` edge ``via`` a membership back as its ``kg:Membership`` node (the
    inverse of :data:`MEMBERSHIPS`, for :func:`kg.views.convert.view_to_rdf`).

    Parameters
    ----------
    g:
        The RDF being written.
    G:
        The view.
    u, v, d:
        The edge's ends (member, organization) and attributes.

    Returns
    -------
    None

    Example
    -------
    >>> from rdflib import Graph
    >>> g = Graph()
    >>> membership_to_rdf(g, None, "http://a", "http://o", {"via": "http://m", "status": "frozen"})
    >>> sorted(p.split("#")[-1] for p in g.predicates())
    ['member', 'membershipStatus', 'organization', 'type']
    """
    from rdflib import URIRef
    from rdflib.namespace import RDF

    from kg.views._nodes import KIND_NS
    from kg.views._rdf import add_evidence, date_literal, kg_term

    via = URIRef(d["via"])
    g.add((via, RDF.type, kg_term("Membership")))
    g.add((via, kg_term("member"), URIRef(u)))
    g.add((via, kg_term("organization"), URIRef(v)))
    for attr, prop in (("start", "startDate"), ("end", "endDate"), ("status_date", "statusDate")):
        if d.get(attr):
            g.add((via, kg_term(prop), date_literal(d[attr])))
    if d.get("status"):
        g.add((via, kg_term("membershipStatus"), URIRef(KIND_NS + d["status"])))
    add_evidence(g, via, d.get("source"), d.get("quote"))


#: The qualified relations this view writes back as n-ary nodes: relation -> writer.
INVERSES: dict[str, EdgeWriter] = {KG + "memberOf": membership_to_rdf}
