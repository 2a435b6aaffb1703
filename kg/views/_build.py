"""Turn SPARQL rows into a typed ``networkx.MultiDiGraph``: the shared machinery of the views.

A view is built in two steps. Edge queries (one or a few per view family) return one row per
relation with its evidence; :func:`add_edge` keeps them, keyed by the relation's local name.
Then one node query (:func:`add_node_attributes`) fetches the label, class, dates, Wikidata id,
kind and quote of the nodes of the view's classes, in long form (one row per property value),
so that multi-valued properties never multiply rows.

Every query goes through :func:`select`, which takes either a :class:`kg.graph.KnowledgeGraph`
(any backend) or a plain rdflib ``Graph``; values are bound, never pasted into the text.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import networkx as nx
from rdflib import Literal, URIRef

from kg.views import timefilter

KG_NS = "https://w3id.org/kg-ir/ontology#"
WD_NS = "http://www.wikidata.org/entity/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SKOS_PREF = "http://www.w3.org/2004/02/skos/core#prefLabel"
SKOS_EXACT = "http://www.w3.org/2004/02/skos/core#exactMatch"
DCT_SOURCE = "http://purl.org/dc/terms/source"

PREFIXES = """\
PREFIX kg: <https://w3id.org/kg-ir/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dct: <http://purl.org/dc/terms/>
"""

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
_CLAIM_GROUPS = {"statement", "opinion", "fact"}

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
}


def select(source: Any, sparql: str, **bindings: Any) -> list[dict[str, Any]]:
    """Run a SELECT query on a KnowledgeGraph or an rdflib Graph; rows as dicts of terms.

    Parameters
    ----------
    source:
        A :class:`kg.graph.KnowledgeGraph` (any backend) or an rdflib ``Graph``.
    sparql:
        The query text (prefixes included).
    **bindings:
        Variable name -> rdflib term, bound by the engine, never pasted into the text.

    Returns
    -------
    list[dict]
        One dict per row, variable name -> rdflib term or ``None`` when unbound.

    Example
    -------
    >>> from rdflib import Graph
    >>> g = Graph().parse(data="<http://a> <http://b> 'x' .", format="turtle")
    >>> select(g, "SELECT ?o WHERE { ?s ?p ?o FILTER(?o = ?want) }", want=Literal("x"))
    [{'o': rdflib.term.Literal('x')}]
    """
    from rdflib import Graph

    if isinstance(source, Graph):
        result = source.query(sparql, initBindings=bindings)
        names = [str(v) for v in result.vars]
        return [dict(zip(names, row, strict=True)) for row in result]
    result = source.query(sparql, **bindings)
    return [dict(zip(result.vars, row, strict=True)) for row in result.rows]


def local_name(iri: str) -> str:
    """The part of ``iri`` after its last ``#`` or ``/``.

    Parameters
    ----------
    iri:
        An IRI.

    Returns
    -------
    str

    Example
    -------
    >>> local_name("https://w3id.org/kg-ir/ontology#memberOf"), local_name("http://x/a/B")
    ('memberOf', 'B')
    """
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def text(term: Any) -> str | None:
    """A term's lexical form (``None`` stays ``None``).

    Parameters
    ----------
    term:
        An rdflib term or ``None``.

    Returns
    -------
    str or None

    Example
    -------
    >>> text(Literal("2020-11-09")), text(None)
    ('2020-11-09', None)
    """
    return None if term is None else str(term)


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
    subject's own ``dct:source`` / ``kg:quote`` (``ssrc``, ``squote``).

    Parameters
    ----------
    row:
        A row of :data:`DIRECT_EDGES`.

    Returns
    -------
    tuple
        ``(source, quote)``, either may be ``None``.

    Example
    -------
    >>> evidence({"ax": "_:a", "axsrc": "S", "axquote": None, "ssrc": "T", "squote": "q"})
    ('S', None)
    >>> evidence({"ax": None, "ssrc": "T", "squote": "q"})
    ('T', 'q')
    """
    if row.get("ax") is not None:
        return row.get("axsrc"), row.get("axquote")
    return row.get("ssrc"), row.get("squote")


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


#: Direct triples ``?s ?p ?o`` for the properties bound (one at a time) as ``?p``, with the
#: axiom annotation of the triple, if any, and the subject's own evidence.
DIRECT_EDGES = (
    PREFIXES
    + """SELECT ?s ?o ?ax ?axsrc ?axquote ?ssrc ?squote WHERE {
  ?s ?p ?o . FILTER(isIRI(?o))
  OPTIONAL { ?ax owl:annotatedSource ?s ; owl:annotatedProperty ?p ; owl:annotatedTarget ?o .
             OPTIONAL { ?ax dct:source ?axsrc } OPTIONAL { ?ax kg:quote ?axquote } }
  OPTIONAL { ?s dct:source ?ssrc }
  OPTIONAL { ?s kg:quote ?squote }
}"""
)


#: Triples ``?x ?inv ?y`` of an inverse property (``?inv`` bound), read as ``?y ?p ?x``.
INVERSE_EDGES = (
    PREFIXES
    + """SELECT ?s ?o ?ax ?axsrc ?axquote ?ssrc ?squote WHERE {
  ?o ?inv ?s . FILTER(isIRI(?s))
  OPTIONAL { ?ax owl:annotatedSource ?o ; owl:annotatedProperty ?inv ; owl:annotatedTarget ?s .
             OPTIONAL { ?ax dct:source ?axsrc } OPTIONAL { ?ax kg:quote ?axquote } }
  OPTIONAL { ?o dct:source ?ssrc }
  OPTIONAL { ?o kg:quote ?squote }
}"""
)


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
    >>> list(G.edges(keys=True, data="source"))
    [('http://x/m', 'http://x/a', 'country', 'http://x/s')]
    """
    inverses = inverses or {}
    for prop in properties:
        rows = select(source, DIRECT_EDGES, p=URIRef(prop))
        if prop in inverses:
            rows += select(source, INVERSE_EDGES, inv=URIRef(inverses[prop]))
        # A multi-valued quote or source gives several rows per triple: keep one, the same
        # on every backend (a quoted one first, then the smallest).
        best: dict[tuple[str, str], tuple] = {}
        for row in rows:
            src, quote = evidence(row)
            rank = (quote is None, str(quote or ""), str(src or ""))
            pair = (str(row["s"]), str(row["o"]))
            if pair not in best or rank < best[pair][0]:
                best[pair] = (rank, src, quote)
        for (u, v), (_, src, quote) in best.items():
            if any(d["relation"] == prop for d in (G.get_edge_data(u, v) or {}).values()):
                continue
            add_edge(G, u, prop, v, source=src, quote=quote)


def _class_filter(groups: Iterable[str]) -> str:
    wanted = set(groups)
    names = [name for name, group in CLASS_GROUPS if group in wanted]
    return ", ".join(f"kg:{name}" for name in names)


def node_query(groups: Iterable[str]) -> str:
    """The long-form node query for the classes of ``groups`` (constant text, no user input).

    Parameters
    ----------
    groups:
        View groups, e.g. ``["state", "organization"]``.

    Returns
    -------
    str
        SPARQL returning ``?n ?p ?o``.

    Example
    -------
    >>> "kg:MilitaryAlliance" in node_query(["organization"])
    True
    """
    # One UNION block per property, before the class test: rdflib evaluates this form
    # several times faster than ``?n ?p ?o FILTER(?p IN (...))`` (see scripts/bench_views.py).
    props = [RDF_TYPE, RDFS_LABEL, SKOS_PREF, SKOS_EXACT, *_NODE_PROPS]
    union = "\n  UNION ".join(f"{{ ?n <{p}> ?o BIND(<{p}> AS ?p) }}" for p in props)
    return (
        PREFIXES
        + f"""SELECT ?n ?p ?o WHERE {{
  {{ {union} }}
  ?n a ?t . FILTER(?t IN ({_class_filter(groups)}))
}}"""
    )


#: The labels of the event and statement kinds in use (a few dozen rows).
KIND_LABELS = (
    PREFIXES
    + """SELECT DISTINCT ?c ?label WHERE {
  { ?x kg:eventKind ?c } UNION { ?x kg:statementKind ?c }
  ?c rdfs:label ?label .
}"""
)


def add_node_attributes(G: nx.MultiDiGraph, source: Any, groups: Iterable[str]) -> None:
    """Fill the contract's node attributes for the nodes of ``G`` (one query).

    Nodes of other classes (or untyped) keep ``cls=""``, ``group="other"`` and their local
    name as label.

    Parameters
    ----------
    G:
        The view, with its edges added.
    source:
        KnowledgeGraph or rdflib Graph.
    groups:
        The groups of the classes whose attributes to fetch.

    Returns
    -------
    None

    Example
    -------
    >>> from rdflib import Graph
    >>> g = Graph().parse(format="turtle", data='''@prefix kg: <https://w3id.org/kg-ir/ontology#> .
    ... <http://x/a> a kg:State, kg:Polity ;
    ...     <http://www.w3.org/2000/01/rdf-schema#label> "A"@en .''')
    >>> G = new_view("x", None); G.add_node("http://x/a")
    >>> add_node_attributes(G, g, ["state"]); G.nodes["http://x/a"]
    {'iri': 'http://x/a', 'label': 'A', 'cls': 'State', 'group': 'state'}
    """
    groups = list(groups)
    facts: dict[str, dict[str, list]] = {}
    kinds: dict[str, str] = {}
    if {"event", *_CLAIM_GROUPS} & set(groups):
        for row in select(source, KIND_LABELS):
            label = row["label"]
            if str(row["c"]) not in kinds or (getattr(label, "language", None) or "").startswith(
                "en"
            ):
                kinds[str(row["c"])] = str(label)
    for row in select(source, node_query(groups)):
        n = str(row["n"])
        if n in G:
            o = row["o"]
            facts.setdefault(n, {}).setdefault(str(row["p"]), []).append((o, kinds.get(str(o))))
    for n in G.nodes:
        G.nodes[n].update(_node_attributes(n, facts.get(n, {})))


def _node_attributes(n: str, facts: dict[str, list]) -> dict[str, str]:
    classes = [local_name(str(o)) for o, _ in facts.get(RDF_TYPE, []) if str(o).startswith(KG_NS)]
    known = sorted((c for c in classes if c in _RANK), key=_RANK.__getitem__)
    cls = known[0] if known else (sorted(classes)[0] if classes else "")
    attrs = {"iri": n, "label": _label(n, facts), "cls": cls, "group": GROUP_OF.get(cls, "other")}
    for o, _ in facts.get(SKOS_EXACT, []):
        if str(o).startswith(WD_NS):
            attrs["wikidata"] = local_name(str(o))
            break
    for prop, attr in _NODE_PROPS.items():
        values = facts.get(prop)
        if not values or attr in attrs:
            continue
        o, olabel = min(values, key=lambda v: str(v[0]))
        if attr == "kind":
            attrs[attr] = str(olabel) if olabel is not None else local_name(str(o))
        elif attr == "status":
            attrs[attr] = local_name(str(o))
        else:
            attrs[attr] = str(o)
    if "start" not in attrs and attrs.get("group") == "agreement":
        start = attrs.get("in_force") or attrs.get("date")
        if start:
            attrs["start"] = start
    attrs.pop("in_force", None)
    return attrs


def _label(n: str, facts: dict[str, list]) -> str:
    """English label first, then one without a language, then any; else the local name."""

    def rank(o: Literal) -> tuple[int, str]:
        lang = (o.language or "").lower()
        return (0 if lang == "en" or lang.startswith("en-") else 1 if not lang else 2, str(o))

    for prop in (RDFS_LABEL, SKOS_PREF):
        values = [o for o, _ in facts.get(prop, []) if isinstance(o, Literal)]
        if values:
            return str(min(values, key=rank))
    return local_name(n)


def relation_labels(G: nx.MultiDiGraph, source: Any) -> None:
    """Set each edge's ``label`` to its property's English ``rdfs:label`` (one query).

    Edges whose property has no label in the store keep the local name.

    Parameters
    ----------
    G:
        The view.
    source:
        KnowledgeGraph or rdflib Graph (holding the ontology, normally).

    Returns
    -------
    None

    Example
    -------
    >>> from rdflib import Graph
    >>> g = Graph().parse(format="turtle", data='''@prefix kg: <https://w3id.org/kg-ir/ontology#> .
    ... kg:memberOf a <http://www.w3.org/2002/07/owl#ObjectProperty> ;
    ...     <http://www.w3.org/2000/01/rdf-schema#label> "member of"@en .''')
    >>> G = new_view("x", None); _ = add_edge(G, "http://a", KG_NS + "memberOf", "http://b")
    >>> relation_labels(G, g); G.edges["http://a", "http://b", "memberOf"]["label"]
    'member of'
    """
    wanted = {d["relation"] for _, _, d in G.edges(data=True)}
    if not wanted:
        return
    rows = select(
        source,
        PREFIXES
        + """SELECT ?p ?label WHERE { ?p a ?type ; rdfs:label ?label .
  FILTER(?type IN (owl:ObjectProperty, owl:DatatypeProperty, owl:AnnotationProperty, rdf:Property))
  FILTER(langMatches(lang(?label), "en") || lang(?label) = "") }""",
    )
    labels = {str(r["p"]): str(r["label"]) for r in rows if str(r["p"]) in wanted}
    for _, _, data in G.edges(data=True):
        data["label"] = labels.get(data["relation"], data["label"])


def finish(G: nx.MultiDiGraph, source: Any, groups: Iterable[str]) -> nx.MultiDiGraph:
    """Fill node attributes and relation labels, then cut to ``G.graph["as_of"]``.

    Parameters
    ----------
    G:
        The view with its edges.
    source:
        KnowledgeGraph or rdflib Graph.
    groups:
        The groups whose node attributes to fetch.

    Returns
    -------
    networkx.MultiDiGraph
        ``G`` itself.

    Example
    -------
    >>> from rdflib import Graph
    >>> finish(new_view("x", None), Graph(), ["state"]).number_of_nodes()
    0
    """
    add_node_attributes(G, source, groups)
    relation_labels(G, source)
    if G.graph.get("as_of"):
        timefilter.prune(G, G.graph["as_of"])
    return G
