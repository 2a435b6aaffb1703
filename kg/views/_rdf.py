"""Small writers shared by the views' inverses (views back to RDF, :mod:`kg.views.convert`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeAlias

from kg.namespaces import ONTOLOGY_IRI

if TYPE_CHECKING:
    import networkx as nx
    from rdflib import BNode, Graph, Literal, URIRef

__all__ = ["EdgeWriter", "add_evidence", "concept", "date_literal", "kg_term", "node_to_rdf"]

#: Writes one view edge back as RDF: ``(rdf, view, u, v, attributes)``. Each view module
#: lists its own in ``INVERSES`` (relation IRI -> writer) for the edges it builds from n-ary
#: nodes; direct edges all go back through :func:`kg.views._direct.direct_edge_to_rdf`.
EdgeWriter: TypeAlias = "Callable[[Graph, nx.MultiDiGraph, str, str, dict[str, Any]], None]"

KG = ONTOLOGY_IRI


def kg_term(local: str) -> URIRef:
    """The ontology term ``kg:local``.

    Example
    -------
    >>> str(kg_term("memberOf"))
    'https://w3id.org/kg-ir/ontology#memberOf'
    """
    from rdflib import URIRef

    return URIRef(KG + local)


def date_literal(value: str) -> Literal:
    """An ISO date (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``) as a typed literal.

    Example
    -------
    >>> [date_literal(v).datatype.split("#")[1] for v in ("2023", "2023-09", "2023-09-19")]
    ['gYear', 'gYearMonth', 'date']
    """
    from rdflib import Literal
    from rdflib.namespace import XSD

    kinds = {4: XSD.gYear, 7: XSD.gYearMonth, 10: XSD.date}
    return Literal(value, datatype=kinds[len(value)]) if len(value) in kinds else Literal(value)


def concept(g: Graph, label: str) -> BNode:
    """A blank-node concept with this English label (a view holds kinds and roles by label).

    Example
    -------
    >>> from rdflib import Graph
    >>> g = Graph(); _ = concept(g, "attacker"); [str(o) for o in g.objects()]
    ['attacker']
    """
    from rdflib import BNode, Literal
    from rdflib.namespace import RDFS

    c = BNode()
    g.add((c, RDFS.label, Literal(label, lang="en")))
    return c


def add_evidence(g: Graph, node: Any, source: str | None, quote: str | None) -> None:
    """Put the evidence (``dct:source``, ``kg:quote``) on ``node``.

    Example
    -------
    >>> from rdflib import Graph, URIRef
    >>> g = Graph(); add_evidence(g, URIRef("http://n"), "http://doc", "words"); len(g)
    2
    """
    from rdflib import Literal, URIRef
    from rdflib.namespace import DCTERMS

    if source:
        g.add((node, DCTERMS.source, URIRef(source)))
    if quote:
        g.add((node, kg_term("quote"), Literal(quote)))


def node_to_rdf(g: Graph, n: str, d: dict[str, Any]) -> None:
    """Write a view node's attributes back in the ontology's terms (the inverse of
    :func:`kg.views._nodes.add_node_attributes`, for :func:`kg.views.convert.view_to_rdf`).

    Kinds, which a view holds by their label, come back as blank-node concepts with that
    label; an alleged node names its claim again (``kg:allegedBy``).

    Parameters
    ----------
    g:
        The RDF being written.
    n, d:
        The node key (its IRI) and attributes.

    Returns
    -------
    None

    Example
    -------
    >>> from rdflib import Graph
    >>> g = Graph()
    >>> node_to_rdf(g, "http://x/e", {"label": "E", "cls": "Event", "group": "event",
    ...             "start": "2023-09-19", "event_status": "alleged", "alleged": "http://x/c"})
    >>> sorted(p.split("#")[-1] for p in g.predicates())
    ['allegedBy', 'eventStatus', 'label', 'startDate', 'type']
    """
    from rdflib import Literal, URIRef
    from rdflib.namespace import RDF, RDFS, SKOS

    from kg.views._nodes import KIND_NS, WD_NS

    s, group, agreement = URIRef(n), d.get("group"), d.get("group") == "agreement"
    if d.get("cls"):
        g.add((s, RDF.type, kg_term(d["cls"])))
    g.add((s, RDFS.label, Literal(d.get("label", n), lang="en")))
    if d.get("wikidata"):
        g.add((s, SKOS.exactMatch, URIRef(WD_NS + d["wikidata"])))
    # an agreement's start is its entry into force (else its signing): see _node_attributes
    dates = [("end", "endDate"), ("date", "dateSigned" if agreement else "date")]
    if not agreement:
        dates.append(("start", "startDate"))
    elif d.get("start") and d.get("start") != d.get("date"):
        dates.append(("start", "dateInForce"))
    for attr, prop in dates:
        if d.get(attr):
            g.add((s, kg_term(prop), date_literal(d[attr])))
    if d.get("kind"):
        prop = "eventKind" if group == "event" else "statementKind"
        g.add((s, kg_term(prop), concept(g, d["kind"])))
    if d.get("status") and group in ("agreement", "obligation"):
        prop = "agreementStatus" if agreement else "fulfillment"
        g.add((s, kg_term(prop), URIRef(KIND_NS + d["status"])))
    if d.get("event_status"):
        g.add((s, kg_term("eventStatus"), URIRef(KIND_NS + d["event_status"])))
    if d.get("characterization"):
        g.add((s, kg_term("characterization"), Literal(d["characterization"])))
    if d.get("alleged"):
        g.add((s, kg_term("allegedBy"), URIRef(d["alleged"])))
    add_evidence(g, s, d.get("source"), d.get("quote"))
