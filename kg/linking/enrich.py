"""Pull chosen facts about our linked entities from an external SPARQL endpoint.

``kg enrich`` asks the endpoint (Wikidata's query service by default) for a few properties of
the Wikidata items our entities are ``skos:exactMatch``-linked to, and keeps the answers
apart from the article's facts: they go into one named graph per endpoint, as Wikidata says
them (``wd:Q399 wdt:P1082 2900000``, on Wikidata's IRIs, never on ours), and the named graph
is described in the default graph with ``prov:wasDerivedFrom`` the endpoint,
``prov:generatedAtTime`` and the properties asked for. Each fact also carries an ``owl:Axiom``
annotation with ``prov:wasDerivedFrom`` and ``dct:source`` the endpoint (the project's way to
source one triple), so the attribution survives a store that merges named graphs. Our
entities reach the facts through their links::

    SELECT ?state ?population WHERE {
      ?state skos:exactMatch ?item .
      GRAPH ?g { ?item wdt:P1082 ?population }
      ?g prov:wasDerivedFrom ?endpoint .
    }

The enrichment file (TriG) is rewritten through a temporary file and renamed, after every
answer has been received and checked: a failed request leaves it as it was.
"""

from __future__ import annotations

import datetime
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from rdflib import BNode, Dataset, Graph, Literal, URIRef

from kg.errors import BadOptionError
from kg.iris import GRAPH_IRI
from kg.linking.datasets import DATASETS, LINK_PREDICATE
from kg.linking.http_client import HttpClient
from kg.linking.reconcile_client import WIKIDATA_SPARQL
from kg.linking.sparql import rows_from_json, select, values_rows
from kg.namespaces import DCT, KG, OWL, PROV, RDF, RDFS, WDT, XSD, bind_prefixes

__all__ = [
    "DEFAULT_PROPERTIES",
    "Enrichment",
    "enrichment_graph_iri",
    "ENRICHMENT_GRAPHS",
    "fetch_enrichment",
    "linked_items",
    "PROPERTIES",
    "write_enrichment",
]

#: Property names accepted by ``kg enrich --property`` -> Wikidata properties.
PROPERTIES: dict[str, URIRef] = {
    "population": WDT.P1082,
    "capital": WDT.P36,
    "inception": WDT.P571,
    "member_of": WDT.P463,
    "head_of_state": WDT.P35,
    "head_of_government": WDT.P6,
}
DEFAULT_PROPERTIES = ("population", "capital", "inception")

#: Named graphs of enrichment facts are named under this namespace.
ENRICHMENT_GRAPHS = GRAPH_IRI + "enrichment/"

_QUERY = """\
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?item ?property ?value ?valueLabel WHERE {
  %s
  %s
  ?item ?property ?value .
  OPTIONAL { ?value rdfs:label ?valueLabel FILTER(LANG(?valueLabel) = "en") }
}"""


@dataclass
class Enrichment:
    """The facts pulled from one endpoint, in their own named graph.

    Parameters
    ----------
    graph_iri:
        The named graph's IRI.
    endpoint:
        Where the facts come from.
    facts:
        The named graph's triples (facts and the labels of entity values).
    items:
        The Wikidata items asked about.
    properties:
        The properties asked for.
    answered_items:
        The items the endpoint had facts for.

    Returns
    -------
    Enrichment

    Example
    -------
    >>> Enrichment(URIRef("urn:g"), "http://x/sparql", Graph(), [], []).answered_items
    set()
    """

    graph_iri: URIRef
    endpoint: str
    facts: Graph
    items: list[URIRef]
    properties: list[URIRef]
    answered_items: set[URIRef] = field(default_factory=set)


def enrichment_graph_iri(endpoint: str) -> URIRef:
    """The named graph that holds the facts from ``endpoint``.

    Parameters
    ----------
    endpoint:
        A SPARQL endpoint URL.

    Returns
    -------
    URIRef

    Example
    -------
    >>> enrichment_graph_iri("https://query.wikidata.org/sparql")
    rdflib.term.URIRef('https://w3id.org/kg-ir/graph/enrichment/wikidata')
    >>> enrichment_graph_iri("http://127.0.0.1:7878/query")
    rdflib.term.URIRef('https://w3id.org/kg-ir/graph/enrichment/127.0.0.1:7878/query')
    """
    if endpoint == WIKIDATA_SPARQL:
        return URIRef(ENRICHMENT_GRAPHS + "wikidata")
    parts = urlsplit(endpoint)
    return URIRef(ENRICHMENT_GRAPHS + quote(parts.netloc + parts.path, safe=":/"))


def linked_items(graph: Any) -> dict[URIRef, list[URIRef]]:
    """Our entities' Wikidata items: item -> our entities linked to it.

    Parameters
    ----------
    graph:
        Our graph.

    Returns
    -------
    dict[URIRef, list[URIRef]]

    Example
    -------
    >>> g = Graph().parse(format="turtle", data='''
    ... <https://w3id.org/kg-ir/resource/Baku> <http://www.w3.org/2004/02/skos/core#exactMatch>
    ...     <http://www.wikidata.org/entity/Q9248> , <https://sws.geonames.org/587084/> .''')
    >>> linked_items(g)
    {rdflib.term.URIRef('http://www.wikidata.org/entity/Q9248'): [rdflib.term.URIRef('https://w3id.org/kg-ir/resource/Baku')]}
    """
    wikidata = DATASETS["wikidata"]
    items: dict[URIRef, list[URIRef]] = {}
    for row in select(graph, "SELECT ?s ?o WHERE { ?s ?p ?o }", p=LINK_PREDICATE):
        target = row.get("o")
        if isinstance(target, URIRef) and wikidata.identifier(str(target)):
            items.setdefault(target, []).append(row["s"])
    return dict(sorted(items.items()))


def fetch_enrichment(
    graph: Any,
    *,
    endpoint: str = WIKIDATA_SPARQL,
    properties: Sequence[str] = DEFAULT_PROPERTIES,
    http: HttpClient | None = None,
    batch: int = 50,
) -> Enrichment:
    """Ask ``endpoint`` for ``properties`` of every linked Wikidata item.

    Parameters
    ----------
    graph:
        Our graph (only its links are read).
    endpoint:
        The SPARQL endpoint.
    properties:
        Names from :data:`PROPERTIES`.
    http:
        The HTTP client (User-Agent, rate limit, retries, cache).
    batch:
        Items per request.

    Returns
    -------
    Enrichment

    Raises
    ------
    ExternalServiceError
        The endpoint failed or answered something that is not SPARQL JSON; nothing is kept.

    Example
    -------
    >>> fetch_enrichment(Graph(), properties=["area"])
    Traceback (most recent call last):
    ...
    kg.errors.BadOptionError: unknown property 'area' (known: capital, head_of_government, ...)
    """
    unknown = [p for p in properties if p not in PROPERTIES]
    if unknown or not properties:
        known = ", ".join(sorted(PROPERTIES))
        raise BadOptionError(f"unknown property {(unknown or [''])[0]!r} (known: {known})")
    wanted = [PROPERTIES[p] for p in dict.fromkeys(properties)]
    items = list(linked_items(graph))
    http = http or HttpClient()
    facts = bind_prefixes(Graph())
    answered: set[URIRef] = set()
    asked = set(items)
    for start in range(0, len(items), batch):
        chunk = items[start : start + batch]
        text = _QUERY % (
            values_rows(["item"], [(i,) for i in chunk]),
            values_rows(["property"], [(p,) for p in wanted]),
        )
        for row in rows_from_json(http.sparql(endpoint, text)):
            item, prop, value = row.get("item"), row.get("property"), row.get("value")
            # Keep only what was asked: an endpoint's extra rows are not ours to store.
            if item not in asked or prop not in wanted or not isinstance(value, URIRef | Literal):
                continue
            assert isinstance(item, URIRef) and isinstance(prop, URIRef)  # asked, wanted
            facts.add((item, prop, value))
            answered.add(item)
            label = row.get("valueLabel")
            if isinstance(value, URIRef) and isinstance(label, Literal):
                facts.add((value, RDFS.label, label))
    return Enrichment(enrichment_graph_iri(endpoint), endpoint, facts, items, wanted, answered)


def write_enrichment(
    enrichment: Enrichment,
    path: str | Path,
    *,
    when: datetime.datetime | None = None,
) -> Path:
    """Store ``enrichment`` as its named graph in the TriG file ``path``, replacing an older one.

    Other named graphs in the file (other endpoints) are kept. The named graph is described
    in the default graph: ``prov:wasDerivedFrom`` and ``dct:source`` the endpoint,
    ``prov:generatedAtTime``, ``prov:wasGeneratedBy`` a ``kg enrich`` activity, and a note
    naming the properties.

    Parameters
    ----------
    enrichment:
        From :func:`fetch_enrichment`.
    path:
        A ``.trig`` file (created if missing), written atomically.
    when:
        The time recorded (default now, UTC).

    Returns
    -------
    Path

    Example
    -------
    >>> import tempfile
    >>> from kg.namespaces import WD
    >>> facts = Graph().add((WD.Q399, WDT.P36, WD.Q1953))
    >>> e = Enrichment(enrichment_graph_iri("http://127.0.0.1:7878/query"),
    ...                "http://127.0.0.1:7878/query", facts, [WD.Q399], [WDT.P36])
    >>> path = write_enrichment(e, Path(tempfile.mkdtemp()) / "enrichment.trig")
    >>> "prov:wasDerivedFrom <http://127.0.0.1:7878/query>" in path.read_text()
    True
    """
    from kg.files import write_text_atomically
    from kg.parsing import parse_file

    path = Path(path)
    if path.suffix.lower() != ".trig":
        raise BadOptionError(
            f"{path}: enrichment is written as TriG (.trig), to keep its named graph"
        )
    when = when or datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    store = Dataset()
    if path.exists():
        parse_file(path, store)
    name = enrichment.graph_iri
    store.remove_graph(store.graph(name))
    default = store.default_graph
    for triple in list(default.triples((name, None, None))):
        _remove_description(default, triple)
    _add_facts(store.graph(name), enrichment, when)
    _describe(default, enrichment, when)
    bind_prefixes(store)
    with warnings.catch_warnings():  # rdflib's TriG serializer calls its own deprecated API
        warnings.filterwarnings("ignore", category=DeprecationWarning, module="rdflib")
        text = store.serialize(format="trig")
    write_text_atomically(path, text)
    return path


def _add_facts(target: Graph, enrichment: Enrichment, when: datetime.datetime) -> None:
    """The facts into their named graph, each with its own attribution."""
    endpoint = URIRef(enrichment.endpoint)
    stamp = Literal(when.isoformat(), datatype=XSD.dateTime)
    for triple in sorted(enrichment.facts):
        target.add(triple)
        # Per-triple attribution too (the project's owl:Axiom convention), so that a store
        # that merges named graphs (the in-memory backend) still says where a fact is from.
        axiom = BNode()
        target.add((axiom, RDF.type, OWL.Axiom))
        target.add((axiom, OWL.annotatedSource, triple[0]))
        target.add((axiom, OWL.annotatedProperty, triple[1]))
        target.add((axiom, OWL.annotatedTarget, triple[2]))
        target.add((axiom, PROV.wasDerivedFrom, endpoint))
        target.add((axiom, DCT.source, endpoint))
        target.add((axiom, PROV.generatedAtTime, stamp))


def _describe(default: Graph, enrichment: Enrichment, when: datetime.datetime) -> None:
    """The named graph described in the default graph: derived from the endpoint, when, how."""
    name, endpoint = enrichment.graph_iri, URIRef(enrichment.endpoint)
    stamp = Literal(when.isoformat(), datatype=XSD.dateTime)
    activity = BNode()
    default.add((name, RDF.type, PROV.Entity))
    default.add((name, PROV.wasDerivedFrom, endpoint))
    default.add((name, DCT.source, endpoint))
    default.add((name, PROV.generatedAtTime, stamp))
    default.add((name, PROV.wasGeneratedBy, activity))
    default.add((activity, RDF.type, PROV.Activity))
    default.add((activity, RDFS.label, Literal("kg enrich")))
    default.add((activity, PROV.used, endpoint))
    props = ", ".join(p.n3(bind_prefixes(Graph()).namespace_manager) for p in enrichment.properties)
    note = (
        f"Facts as {enrichment.endpoint} states them ({props}) for "
        f"{len(enrichment.items)} linked Wikidata items, on Wikidata's IRIs; "
        "not facts of the article."
    )
    default.add((name, KG.note, Literal(note)))


def _remove_description(default: Graph, triple) -> None:
    """Remove one triple describing an old named graph, and its activity node if it has one."""
    default.remove(triple)
    obj = triple[2]
    if isinstance(obj, BNode):
        for t in list(default.triples((obj, None, None))):
            default.remove(t)
