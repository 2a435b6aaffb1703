"""Node attributes of a view: label, class, group, dates, Wikidata id, kind, quote.

The nodes to describe are given as a SPARQL pattern binding ``?n`` (built from the properties
the view's edges come from, by :func:`node_pattern`), so only the view's own nodes are looked
up, each once. The query has the shape ``{ SELECT DISTINCT ?n WHERE { pattern } } OPTIONAL
{ ?n ?p ?o FILTER(?p IN (...)) }``: per-node lookups, which rdflib evaluates lazily (its plain
joins of two big parts are nested loops) and Oxigraph plans well. Rows are long-form (one per
property value), so multi-valued properties never multiply rows.

On Oxigraph a large view (:data:`SCAN_MIN_NODES`, :data:`SCAN_NODES_PER_100_TYPED`) skips
that query: it reads each property's triples straight from the store's index
(:meth:`kg.backends.oxigraph.OxigraphBackend.property_triples`) and folds those of its own
nodes into their attributes (:mod:`kg.views._scan`), without the per-node joins or one query
row per value.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import networkx as nx

from kg.namespaces import KIND_IRI, local_name
from kg.views._query import (
    DCT_SOURCE,
    KG_NS,
    PREFIXES,
    RDF_TYPE,
    RDFS_LABEL,
    SKOS_EXACT,
    SKOS_PREF,
    WD_NS,
    lexical_table,
    property_index,
    select,
)

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph

__all__ = [
    "ALL_GROUPS",
    "CLASS_GROUPS",
    "GROUP_OF",
    "KIND_LABELS",
    "KIND_PROPERTIES",
    "FACT_PROPERTIES",
    "Facts",
    "SCAN_MIN_NODES",
    "SCAN_NODES_PER_100_TYPED",
    "add_node_attributes",
    "most_specific",
    "node_pattern",
    "node_query",
    "property_labels",
]

KIND_NS = KIND_IRI

#: kg class local name -> view group, most specific class first: a node's ``cls`` is the
#: first of these it is an instance of (so inferred superclasses never hide the real class).
CLASS_GROUPS: list[tuple[str, str]] = [
    ("MilitaryAlliance", "organization"),
    ("InternationalOrganization", "organization"),
    ("PeacekeepingMission", "force"),
    ("ArmedForce", "force"),
    ("State", "state"),
    ("UnrecognizedState", "state"),
    ("Polity", "state"),
    ("GovernmentBody", "body"),
    ("Person", "person"),
    ("PopulationGroup", "group"),
    ("Region", "place"),
    ("Settlement", "place"),
    ("Corridor", "place"),
    ("Place", "place"),
    ("Agreement", "agreement"),
    ("Obligation", "obligation"),
    ("Event", "event"),
    ("Statement", "statement"),
    ("Opinion", "opinion"),
    ("ReportedFact", "fact"),
    ("Claim", "other"),
    ("Membership", "membership"),
    ("SourceDocument", "source"),
    ("Post", "other"),
    ("Signature", "other"),
    ("Participation", "other"),
    ("Actor", "other"),
]
_RANK = {name: i for i, (name, _) in enumerate(CLASS_GROUPS)}
GROUP_OF = dict(CLASS_GROUPS)
ALL_GROUPS = sorted({group for _, group in CLASS_GROUPS})

# Node properties fetched by the node query, and the node attribute each fills.
_NODE_PROPS = {
    KG_NS + "startDate": "start",
    KG_NS + "endDate": "end",
    KG_NS + "date": "date",
    KG_NS + "dateSigned": "date",
    KG_NS + "dateInForce": "in_force",
    KG_NS + "quote": "quote",
    DCT_SOURCE: "source",
    KG_NS + "eventKind": "kind",
    KG_NS + "statementKind": "kind",
    KG_NS + "agreementStatus": "status",
    KG_NS + "fulfillment": "status",
    KG_NS + "characterization": "characterization",
    # ontology 0.2.0: an event or fact known only from a claim (the claim's IRI), and whether an
    # event happened (occurred, planned, intended, conditional, alleged): never drawn as plain fact
    KG_NS + "allegedBy": "alleged",
    KG_NS + "attestedBy": "alleged",
    KG_NS + "eventStatus": "event_status",
}


def node_pattern(
    both: Iterable[str] = (), subjects: Iterable[str] = (), objects: Iterable[str] = ()
) -> str:
    """A SPARQL group binding ``?n`` to every node a view's edges can touch.

    Parameters
    ----------
    both:
        Local names of kg properties whose subjects and objects are nodes (direct edges).
    subjects:
        Properties whose subjects are nodes (``participation``: the event).
    objects:
        Properties whose objects are nodes (``member``: the actor, not the membership).

    Returns
    -------
    str
        ``{ ?n kg:p ?_0 } UNION { ?_1 kg:p ?n } UNION ...`` (constant text).

    Example
    -------
    >>> node_pattern(both=["ledBy"], objects=["member"])
    '{ ?n kg:ledBy ?_0 } UNION { ?_1 kg:ledBy ?n } UNION { ?_2 kg:member ?n }'
    """
    blocks = []
    for p in both:
        blocks += [f"{{ ?n kg:{p} ?_ }}", f"{{ ?_ kg:{p} ?n }}"]
    blocks += [f"{{ ?n kg:{p} ?_ }}" for p in subjects]
    blocks += [f"{{ ?_ kg:{p} ?n }}" for p in objects]
    return " UNION ".join(b.replace("?_", f"?_{i}") for i, b in enumerate(blocks))


def node_query(pattern: str) -> str:
    """The long-form attribute query for the nodes ``pattern`` binds (see the module doc).

    Parameters
    ----------
    pattern:
        From :func:`node_pattern`.

    Returns
    -------
    str
        SPARQL returning ``?n ?p ?o ?lang`` (``?p`` unbound for a node with no such property).

    Example
    -------
    >>> "SELECT DISTINCT ?n" in node_query(node_pattern(both=["ledBy"]))
    True
    """
    props = ", ".join(f"<{p}>" for p in FACT_PROPERTIES)
    return (
        PREFIXES
        + f"""SELECT ?n ?p ?o ?lang WHERE {{
  {{ SELECT DISTINCT ?n WHERE {{ {pattern} FILTER(isIRI(?n)) }} }}
  OPTIONAL {{ ?n ?p ?o . FILTER(?p IN ({props})) BIND(LANG(?o) AS ?lang) }}
}}"""
    )


#: The properties whose objects are kinds (labelled in the ontology), for ``kind``.
KIND_PROPERTIES = (KG_NS + "eventKind", KG_NS + "statementKind")
#: The labels of the event and statement kinds in use (a few dozen rows).
KIND_LABELS = (
    PREFIXES
    + """SELECT ?c ?label ?lang WHERE {
  { SELECT DISTINCT ?c WHERE { { ?x kg:eventKind ?c } UNION { ?x kg:statementKind ?c } } }
  ?c rdfs:label ?label . BIND(LANG(?label) AS ?lang)
}"""
)


def add_node_attributes(G: nx.MultiDiGraph, source: KnowledgeGraph, pattern: str) -> None:
    """Fill the contract's node attributes for the nodes of ``G`` (two queries).

    Untyped nodes keep ``cls=""``, ``group="other"`` and their local name as label.

    Parameters
    ----------
    G:
        The view, with its edges added.
    source:
        A KnowledgeGraph.
    pattern:
        A SPARQL group binding ``?n`` to (at least) the nodes of ``G``.

    Returns
    -------
    None

    Example
    -------
    >>> from rdflib import Graph
    >>> from kg.views._query import as_graph
    >>> g = as_graph(Graph().parse(format="turtle", data='''
    ... @prefix kg: <https://w3id.org/kg-ir/ontology#> .
    ... <http://x/a> a kg:State, kg:Polity ; kg:ledBy <http://x/b> ;
    ...     <http://www.w3.org/2000/01/rdf-schema#label> "A"@en .'''))
    >>> G = nx.MultiDiGraph(); G.add_node("http://x/a")
    >>> add_node_attributes(G, g, node_pattern(both=["ledBy"])); G.nodes["http://x/a"]
    {'iri': 'http://x/a', 'label': 'A', 'cls': 'State', 'group': 'state'}
    """
    if not len(G):
        return
    read = property_index(source) if len(G) >= SCAN_MIN_NODES else None
    if read is not None:
        typed = read(RDF_TYPE)
        if len(G) * 100 >= SCAN_NODES_PER_100_TYPED * len({n for n, _, _ in typed}):
            from kg.views._scan import scan_into  # the kinds' labels from the index too

            scan_into(G._node, read, typed)  # the node dicts themselves, each written once
            return
    kinds: dict[str, str] = {}
    for row in select(source, KIND_LABELS):
        if row["c"] not in kinds or (row["lang"] or "").lower().startswith("en"):
            kinds[row["c"]] = row["label"]
    facts = _facts(G, source, pattern)
    for n, attrs in G.nodes(data=True):
        attrs.update(_node_attributes(n, facts[n], kinds))


#: On Oxigraph, a view with at least this many nodes per 100 typed resources of the store
#: reads its node facts straight from the property index and keeps its own nodes' (the node
#: query's per-node lookups cost more there: scripts/bench_views.py); a smaller one looks its
#: nodes up. (Typed resources, counted from the ``rdf:type`` triples the scan reads first: a
#: store's size is a scan of its own on Oxigraph.)
SCAN_NODES_PER_100_TYPED = 25
#: Below this many nodes the lookup is quick anyway (and nothing is read from the index).
SCAN_MIN_NODES = 20_000
#: The properties a node's attributes come from, in the order they are read.
FACT_PROPERTIES = [RDF_TYPE, RDFS_LABEL, SKOS_PREF, SKOS_EXACT, *_NODE_PROPS]

#: A node's value of a property: ``(node, object, language)``, as the index reads it.
Value = tuple[str, str, str | None]
#: node -> property -> its values.
Facts = dict[str, dict[str, list[Value]]]


def _facts(G: nx.MultiDiGraph, source: KnowledgeGraph, pattern: str) -> Facts:
    """The facts of every node of ``G`` from the node query (the largest results of a view:
    read by position, no dict per row)."""
    facts: Facts = {n: {} for n in G}
    rows = lexical_table(source, node_query(pattern))[1]
    for n, p, o, lang in rows:
        node_facts = facts.get(str(n))
        if node_facts is None or p is None:
            continue
        value = (str(n), str(o), lang)
        values = node_facts.get(p)
        if values is None:
            node_facts[p] = [value]
        elif value not in values:
            values.append(value)
    return facts


_KG_CUT = len(KG_NS)
_PROP_RANK = {p: i for i, p in enumerate(_NODE_PROPS)}


def _node_attributes(
    n: str, facts: dict[str, list[Value]], kinds: dict[str, str]
) -> dict[str, str]:
    """One node's attributes from its facts (one pass over the properties it has; of two
    properties filling one attribute, the first of :data:`_NODE_PROPS` wins)."""
    types = facts.get(RDF_TYPE)
    cls = _most_specific(types) if types else ""
    attrs = {"iri": n, "label": _label(n, facts), "cls": cls, "group": GROUP_OF.get(cls, "other")}
    exact = facts.get(SKOS_EXACT)
    if exact:
        for _, o, _ in sorted(exact):
            if o.startswith(WD_NS):
                attrs["wikidata"] = local_name(o)
                break
    ranks: dict[str, int] = {}
    for prop, values in facts.items():
        attr = _NODE_PROPS.get(prop)
        if attr is None or ranks.get(attr, len(_PROP_RANK)) < _PROP_RANK[prop]:
            continue
        ranks[attr] = _PROP_RANK[prop]
        o = values[0][1] if len(values) == 1 else min(values)[1]
        if attr == "kind":
            attrs[attr] = kinds[o] if o in kinds else local_name(o)
        elif attr in ("status", "event_status"):
            attrs[attr] = local_name(o)
        else:
            attrs[attr] = o
    if "start" not in attrs and attrs["group"] == "agreement":
        start = attrs.get("in_force") or attrs.get("date")
        if start:
            attrs["start"] = start
    attrs.pop("in_force", None)
    return attrs


def _most_specific(types: list[Value]) -> str:
    """The most specific kg class of the node of ``types`` (see :func:`most_specific`)."""
    return most_specific([o[_KG_CUT:] for _, o, _ in types if o.startswith(KG_NS)])


def most_specific(classes: Sequence[str]) -> str:
    """The most specific of kg classes (local names) in ``CLASS_GROUPS``, else the first by
    name, else ``""`` (inferred superclasses never hide the real class).

    Parameters
    ----------
    classes:
        Local names of a node's kg classes.

    Returns
    -------
    str

    Example
    -------
    >>> most_specific(["Actor", "State", "Polity"]), most_specific(["Zebra", "Ant"])
    ('State', 'Ant')
    """
    if len(classes) == 1:
        return classes[0]
    known = [c for c in classes if c in _RANK]
    if known:
        return min(known, key=_RANK.__getitem__)
    return min(classes) if classes else ""


def _label(n: str, facts: dict[str, list[Value]]) -> str:
    """English label first, then one without a language, then any; else the local name."""

    def rank(value: Value) -> tuple[int, str]:
        lang = (value[2] or "").lower()
        return (0 if lang == "en" or lang.startswith("en-") else 1 if not lang else 2, value[1])

    for prop in (RDFS_LABEL, SKOS_PREF):
        values = facts.get(prop)
        if values:
            return values[0][1] if len(values) == 1 else min(values, key=rank)[1]
    return local_name(n)


def property_labels(source: KnowledgeGraph) -> dict[str, str]:
    """The English (or untagged) ``rdfs:label`` of every declared property (one query).

    Parameters
    ----------
    source:
        A KnowledgeGraph (holding the ontology, normally).

    Returns
    -------
    dict
        Property IRI -> label.

    Example
    -------
    >>> from rdflib import Graph
    >>> from kg.views._query import as_graph
    >>> property_labels(as_graph(Graph().parse(format="turtle", data='''
    ... <http://x/p> a <http://www.w3.org/2002/07/owl#ObjectProperty> ;
    ...     <http://www.w3.org/2000/01/rdf-schema#label> "p"@en .''')))
    {'http://x/p': 'p'}
    """
    kinds = ("owl:ObjectProperty", "owl:DatatypeProperty", "owl:AnnotationProperty", "rdf:Property")
    union = " UNION ".join(f"{{ ?p a {k} ; rdfs:label ?label }}" for k in kinds)
    rows = select(
        source,
        PREFIXES
        + f"""SELECT ?p ?label WHERE {{ {union}
  FILTER(langMatches(lang(?label), "en") || lang(?label) = "") }}""",
    )
    return {str(r["p"]): str(r["label"]) for r in rows}
