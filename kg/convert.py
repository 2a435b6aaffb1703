"""Views back to RDF, and views to GraphML, GEXF and node-link JSON.

:func:`view_to_rdf` writes a view in the ontology's terms, so that building the same view
from its output gives the same graph: every edge keeps its relation (the property IRI, not
a generic "edge"), n-ary edges (``via`` a membership, participation or signature) become
their n-ary nodes again, and each edge's evidence goes on the n-ary node, or, when it is not
the subject's own, on an ``owl:Axiom`` annotation of the triple. (rdflib's
``rdflib_to_networkx_multidigraph`` keeps no attributes and has no way back.) Kinds and roles,
which a view holds by their label, come back as blank-node concepts with that label.

The exports write every attribute as a string (``None`` dropped), so networkx's writers accept
them. In node-link JSON the edge ends are ``from`` and ``to``, because ``source`` is an edge
attribute (the source document).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from kg.errors import BadOptionError
from kg.files import write_text_atomically

KG = "https://w3id.org/kg-ir/ontology#"
KIND = "https://w3id.org/kg-ir/kind/"
WD = "http://www.wikidata.org/entity/"
FORMATS = ("graphml", "gexf", "json")
_CLAIMS = {"statement", "opinion", "fact"}


def _date(value: str) -> Any:
    from rdflib import Literal
    from rdflib.namespace import XSD

    kinds = {4: XSD.gYear, 7: XSD.gYearMonth, 10: XSD.date}
    return Literal(value, datatype=kinds[len(value)]) if len(value) in kinds else Literal(value)


def view_to_rdf(G: Any) -> Any:
    """Write a view as RDF in the ontology's terms (see the module doc).

    Parameters
    ----------
    G:
        A view from :mod:`kg.views`.

    Returns
    -------
    rdflib.Graph
        With the project's prefixes bound. Load it with the ontology to rebuild the view.

    Example
    -------
    >>> from kg.views._fixture import fixture
    >>> from kg.views import alliance_view
    >>> g = view_to_rdf(alliance_view(fixture()))
    >>> print(g.serialize(format="turtle").split("kgr:Membership_Armenia_CSTO a kg:Membership ;")[1]
    ...       .split(".\\n")[0])  # doctest: +NORMALIZE_WHITESPACE
    dct:source kgr:article ;
        kg:member kgr:Armenia ;
        kg:membershipStatus kind:frozen ;
        kg:organization kgr:CSTO ;
        kg:quote "Armenia's membership in the CSTO" ;
        kg:startDate "2002-10-07"^^xsd:date ;
        kg:statusDate "2024-02-22"^^xsd:date
    """
    from rdflib import BNode, Graph, Literal, URIRef
    from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

    from kg.namespaces import bind_prefixes

    g = bind_prefixes(Graph())
    k = lambda local: URIRef(KG + local)  # noqa: E731 - a short local alias reads best here

    def concept(label: str) -> BNode:
        c = BNode()
        g.add((c, RDFS.label, Literal(label, lang="en")))
        return c

    def evidence(node: URIRef, source: Any, quote: Any) -> None:
        if source:
            g.add((node, DCTERMS.source, URIRef(source)))
        if quote:
            g.add((node, k("quote"), Literal(quote)))

    for n, d in G.nodes(data=True):
        s = URIRef(n)
        group = d.get("group")
        if d.get("cls"):
            g.add((s, RDF.type, k(d["cls"])))
        g.add((s, RDFS.label, Literal(d.get("label", n), lang="en")))
        if d.get("wikidata"):
            g.add((s, SKOS.exactMatch, URIRef(WD + d["wikidata"])))
        for attr, prop in (("start", "startDate"), ("end", "endDate")):
            if d.get(attr) and not (group == "agreement" and attr == "start"):
                g.add((s, k(prop), _date(d[attr])))
        if d.get("date"):
            g.add((s, k("dateSigned" if group == "agreement" else "date"), _date(d["date"])))
        if group == "agreement" and d.get("start") and d.get("start") != d.get("date"):
            g.add((s, k("dateInForce"), _date(d["start"])))
        if d.get("kind"):
            prop = "eventKind" if group == "event" else "statementKind"
            g.add((s, k(prop), concept(d["kind"])))
        if d.get("status") and group in ("agreement", "obligation"):
            prop = "agreementStatus" if group == "agreement" else "fulfillment"
            g.add((s, k(prop), URIRef(KIND + d["status"])))
        if d.get("characterization"):
            g.add((s, k("characterization"), Literal(d["characterization"])))
        # an event's status (ontology 0.2) stays with it; kg:allegedBy is an edge of the view
        if d.get("event_status"):
            g.add((s, k("eventStatus"), URIRef(KIND + d["event_status"])))
        evidence(s, d.get("source"), d.get("quote"))

    for u, v, d in G.edges(data=True):
        su, ov, rel = URIRef(u), URIRef(v), d["relation"]
        via = URIRef(d["via"]) if d.get("via") else None
        if via is not None and rel == KG + "memberOf":
            g.add((via, RDF.type, k("Membership")))
            g.add((via, k("member"), su))
            g.add((via, k("organization"), ov))
            for attr, prop in (("start", "startDate"), ("end", "endDate")):
                if d.get(attr):
                    g.add((via, k(prop), _date(d[attr])))
            if d.get("status"):
                g.add((via, k("membershipStatus"), URIRef(KIND + d["status"])))
            if d.get("status_date"):
                g.add((via, k("statusDate"), _date(d["status_date"])))
            evidence(via, d.get("source"), d.get("quote"))
        elif via is not None and rel == KG + "participant":
            g.add((via, RDF.type, k("Participation")))
            g.add((su, k("participation"), via))
            g.add((via, k("participationOf"), ov))
            if d.get("role"):
                g.add((via, k("role"), concept(d["role"])))
            evidence(via, d.get("source"), d.get("quote"))
        elif via is not None and rel in (KG + "signatory", KG + "onBehalfOf"):
            g.add((via, RDF.type, k("Signature")))
            if rel == KG + "signatory":
                g.add((su, k("signature"), via))
                g.add((via, k("signer"), ov))
                if d.get("on_behalf_of"):
                    g.add((via, k("onBehalfOf"), URIRef(d["on_behalf_of"])))
            else:
                g.add((via, k("signer"), su))
                g.add((via, k("onBehalfOf"), ov))
            evidence(via, d.get("source"), d.get("quote"))
        else:
            g.add((su, URIRef(rel), ov))
            own = (G.nodes[u].get("source"), G.nodes[u].get("quote"))
            if (d.get("source"), d.get("quote")) != own:
                ax = BNode()
                g.add((ax, RDF.type, OWL.Axiom))
                g.add((ax, OWL.annotatedSource, su))
                g.add((ax, OWL.annotatedProperty, URIRef(rel)))
                g.add((ax, OWL.annotatedTarget, ov))
                evidence(ax, d.get("source"), d.get("quote"))
    return g


def _plain(G: Any) -> Any:
    """A copy of ``G`` whose attributes are all strings (``None`` dropped)."""
    import networkx as nx

    H = nx.MultiDiGraph()
    H.graph.update({k: str(v) for k, v in G.graph.items() if v is not None})
    for n, d in G.nodes(data=True):
        H.add_node(n, **{k: str(v) for k, v in d.items() if v is not None})
    for u, v, key, d in G.edges(keys=True, data=True):
        H.add_edge(u, v, key=key, **{k: str(val) for k, val in d.items() if val is not None})
    return H


def node_link(G: Any) -> dict[str, Any]:
    """A view as node-link data (JSON-ready), edge ends named ``from`` and ``to``.

    Parameters
    ----------
    G:
        A view.

    Returns
    -------
    dict
        ``{"directed", "multigraph", "graph", "nodes", "edges"}``.

    Example
    -------
    >>> from kg.views._fixture import fixture
    >>> from kg.views import alliance_view
    >>> data = node_link(alliance_view(fixture()))
    >>> e = [e for e in data["edges"] if e["key"] == "ledBy"][0]
    >>> e["from"][-4:], e["to"][-6:], e["source"][-7:]
    ('CSTO', 'Russia', 'article')
    """
    import networkx as nx

    return nx.node_link_data(_plain(G), source="from", target="to", edges="edges")


def from_node_link(data: dict[str, Any]) -> Any:
    """Read node-link data written by :func:`node_link` back into a view.

    Parameters
    ----------
    data:
        The dict (parsed JSON).

    Returns
    -------
    networkx.MultiDiGraph

    Example
    -------
    >>> from kg.views._fixture import fixture
    >>> from kg.views import alliance_view
    >>> G = alliance_view(fixture())
    >>> H = from_node_link(node_link(G))
    >>> sorted(H.edges(keys=True)) == sorted(G.edges(keys=True))
    True
    """
    import networkx as nx

    return nx.node_link_graph(data, source="from", target="to", edges="edges", multigraph=True)


def write_view(G: Any, path: str | Path | None, format: str) -> str | None:
    """Write a view as ``graphml``, ``gexf`` or ``json`` (node-link) to ``path``, atomically.

    Parameters
    ----------
    G:
        A view.
    path:
        The file to write (a temporary file is renamed over it, so a failed write leaves the
        old file whole); ``None`` returns the text instead.
    format:
        One of :data:`FORMATS`.

    Returns
    -------
    str or None
        The text when ``path`` is ``None``.

    Raises
    ------
    BadOptionError
        An unknown format.

    Example
    -------
    >>> from kg.views._fixture import fixture
    >>> from kg.views import alliance_view
    >>> text = write_view(alliance_view(fixture()), None, "graphml")
    >>> "<graphml" in text and 'attr.name="relation"' in text
    True
    >>> write_view(alliance_view(fixture()), None, "yaml")
    Traceback (most recent call last):
    ...
    kg.errors.BadOptionError: unknown format 'yaml': choose from graphml, gexf, json
    """
    if format not in FORMATS:
        raise BadOptionError(f"unknown format {format!r}: choose from {', '.join(FORMATS)}")
    text = _render(G, format)
    if path is None:
        return text
    write_text_atomically(path, text)
    return None


def _render(G: Any, format: str) -> str:
    import io

    import networkx as nx

    if format == "json":
        return json.dumps(node_link(G), ensure_ascii=False, indent=1) + "\n"
    buffer = io.BytesIO()
    writer = nx.write_graphml if format == "graphml" else nx.write_gexf
    writer(_plain(G), buffer)
    return buffer.getvalue().decode("utf-8")
