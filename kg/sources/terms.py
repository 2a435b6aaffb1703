"""What a source file's words mean, read from the ontology itself: its classes, its
properties (with their ranges, hence how a value is read), and its SKOS concepts.

Nothing here lists the ontology's terms by hand, so a term the ontology adds is a field a
source file can use at once: a field is a property's local name (``dateSigned``) or the same
in snake case (``date_signed``), a plural of it (``targets``), a prefixed name
(``dct:title``), or one of the few friendly names in :data:`ALIASES`. The mapping is also
published as a JSON-LD context (:func:`jsonld_context`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from kg.iris import ONTOLOGY_IRI, RESOURCE_IRI

__all__ = ["ALIASES", "Property", "Vocabulary", "jsonld_context", "normalize"]

KG = ONTOLOGY_IRI
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
XSD = "http://www.w3.org/2001/XMLSchema#"
DCT = "http://purl.org/dc/terms/"
SCHEMA = "http://schema.org/"

#: Friendly field name -> the property it means; a tuple means "the one whose domain fits".
ALIASES: dict[str, Any] = {
    "label": RDFS + "label",
    "other_names": SKOS + "altLabel",
    "other_name": SKOS + "altLabel",
    "title": DCT + "title",
    "url": SCHEMA + "url",
    "published": SCHEMA + "datePublished",
    "identifier": DCT + "identifier",
    "language": DCT + "language",
    "license": DCT + "license",
    "licence": DCT + "license",
    "terms_of_use": DCT + "license",
    "post": KG + "speakerPost",
    "kind": ("Kind",),
    "kinds": ("Kind",),
    "status": ("Status",),
    "start": KG + "startDate",
    "end": KG + "endDate",
}

#: Metadata properties of the format that the ontology need not declare (Dublin Core and
#: Wikidata's "retrieved"); the format documents them (docs/sources.md).
EXTRA_PROPERTIES = {
    DCT + "identifier": "text",
    DCT + "language": "text",
    DCT + "creator": "text",
    "http://www.wikidata.org/prop/direct/P813": "date",
}

#: How a value of each kind of property is read.
DATE_TYPES = {XSD + "date", XSD + "gYearMonth", XSD + "gYear", XSD + "dateTime"}
NUMBER_TYPES = {
    XSD + t for t in ("integer", "nonNegativeInteger", "positiveInteger", "int", "long", "decimal")
}


def normalize(name: str) -> str:
    """A name without case, underscores, hyphens or spaces: how names are compared.

    Example
    -------
    >>> normalize("date_signed") == normalize("dateSigned") == normalize("Date Signed")
    True
    """
    return re.sub(r"[\s_\-]", "", str(name)).casefold()


@dataclass(frozen=True)
class Property:
    """One property a field can name: ``iri``, ``kind`` (how values are read), ``domains``.

    ``kind`` is ``ref`` (an entity), ``concept`` (a SKOS concept), ``date``, ``number``,
    ``uri``, ``lang`` (text with the source's language) or ``text``.

    Example
    -------
    >>> Property("https://w3id.org/kg-ir/ontology#speaker", "ref").local
    'speaker'
    """

    iri: str
    kind: str
    domains: frozenset[str] = frozenset()
    range: str | None = None

    @property
    def local(self) -> str:
        """The local name."""
        return re.split(r"[#/]", self.iri)[-1]


@dataclass
class Vocabulary:
    """The ontology's classes, properties and concepts, looked up by the names people write.

    Build it with :meth:`from_graph` from a graph holding the ontology and vocabularies.

    Example
    -------
    >>> from kg.views._fixture import fixture
    >>> v = Vocabulary.from_graph(fixture())
    >>> statement = v.class_iri("Statement")
    >>> v.class_iri("reported_fact").rsplit("#")[-1], v.field("targets", [statement]).local
    ('ReportedFact', 'target')
    >>> v.field("kinds", [v.class_iri("Event")]).local, v.concept("accusation of aggression")[-27:]
    ('eventKind', 'kind/accusationOfAggression')
    """

    classes: dict[str, set[str]] = field(default_factory=dict)
    class_set: set[str] = field(default_factory=set)
    properties: dict[str, Property] = field(default_factory=dict)
    by_field: dict[str, list[Property]] = field(default_factory=dict)
    concepts: dict[str, set[str]] = field(default_factory=dict)
    concept_labels: dict[str, str] = field(default_factory=dict)
    superclasses: dict[str, set[str]] = field(default_factory=dict)
    prefixes: dict[str, str] = field(default_factory=dict)
    # field(name, classes) asked thousands of times a batch, with a handful of distinct keys.
    _fields: dict[tuple[str, tuple[str, ...]], Property | None] = field(
        default_factory=dict, repr=False, compare=False
    )
    _class_names: dict[str, str | None] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_graph(cls, graph: Any) -> Vocabulary:
        """Read the vocabulary from ``graph`` (an rdflib Graph with ontology + vocabularies).

        Parameters
        ----------
        graph:
            The schema graph.

        Returns
        -------
        Vocabulary
        """
        from kg.namespaces import PREFIXES

        v = cls(prefixes={p: str(ns) for p, ns in PREFIXES.items()})
        v.prefixes.setdefault("oa", "http://www.w3.org/ns/oa#")
        rows = graph.query(_SCHEMA_QUERY)
        for term, kind, extra in rows:
            term, kind = str(term), str(kind)
            if kind == "class":
                v._add_class(term)
            elif kind == "super":
                v.superclasses.setdefault(term, set()).add(str(extra))
            elif kind == "concept":
                v._add_concept(term, str(extra) if extra is not None else None)
        props: dict[str, dict[str, Any]] = {}
        for prop, ptype, rng, dom in graph.query(_PROPERTY_QUERY):
            p = props.setdefault(str(prop), {"types": set(), "ranges": set(), "domains": set()})
            p["types"].add(str(ptype))
            if rng is not None:
                p["ranges"].add(str(rng))
            if dom is not None:
                p["domains"].add(str(dom))
        for iri, info in props.items():
            v._add_property(Property(iri, _kind(iri, info), frozenset(info["domains"]), _one(info)))
        for extra in (RDFS + "label", SKOS + "altLabel", SKOS + "prefLabel"):
            v._add_property(Property(extra, "lang"))
        for iri, kind in EXTRA_PROPERTIES.items():
            if iri not in v.properties:
                v._add_property(Property(iri, kind))
        v._close_superclasses()
        return v

    # -- building -----------------------------------------------------------------------
    def _add_class(self, iri: str) -> None:
        self.class_set.add(iri)
        for name in self._names(iri):
            self.classes.setdefault(normalize(name), set()).add(iri)

    def _add_concept(self, iri: str, label: str | None) -> None:
        for name in [*self._names(iri), *([label] if label else [])]:
            self.concepts.setdefault(normalize(name), set()).add(iri)
        if label and iri not in self.concept_labels:
            self.concept_labels[iri] = label

    def _add_property(self, prop: Property) -> None:
        if prop.iri in self.properties and prop.kind == "lang":
            return
        self.properties[prop.iri] = prop
        for name in self._names(prop.iri):
            self.by_field.setdefault(normalize(name), []).append(prop)

    def _names(self, iri: str) -> list[str]:
        local = re.split(r"[#/]", iri)[-1]
        names = [iri, local]
        for prefix, ns in self.prefixes.items():
            if iri.startswith(ns):
                names.append(f"{prefix}:{iri[len(ns) :]}")
        return names

    def _close_superclasses(self) -> None:
        direct = {c: set(s) for c, s in self.superclasses.items()}
        for c in list(direct):
            seen, todo = set(), list(direct[c])
            while todo:
                s = todo.pop()
                if s not in seen:
                    seen.add(s)
                    todo.extend(direct.get(s, ()))
            self.superclasses[c] = seen | {c}

    # -- looking up ---------------------------------------------------------------------
    def class_iri(self, name: str) -> str | None:
        """The class ``name`` means (``State``, ``reported_fact``, ``schema:NewsArticle``)."""
        if name not in self._class_names:
            self._class_names[name] = self._class_iri(name)
        return self._class_names[name]

    def _class_iri(self, name: str) -> str | None:
        hits = self.classes.get(normalize(name), set())
        kg_hits = sorted(h for h in hits if h.startswith(KG))
        found = kg_hits or sorted(hits)
        return found[0] if found else None

    def ancestors(self, iri: str) -> set[str]:
        """The class and all its superclasses."""
        return self.superclasses.get(iri, {iri})

    def field(self, name: str, classes: list[str]) -> Property | None:
        """The property the field ``name`` names on a node of ``classes``, or None."""
        key = (name, tuple(classes))
        if key not in self._fields:
            self._fields[key] = self._field(name, classes)
        return self._fields[key]

    def _field(self, name: str, classes: list[str]) -> Property | None:
        alias = ALIASES.get(name) if name in ALIASES else ALIASES.get(name.lower())
        if isinstance(alias, tuple):
            return self._by_suffix(alias[0], classes)
        if isinstance(alias, str):
            return self.properties.get(alias)
        for candidate in _singulars(name):
            props = self.by_field.get(normalize(candidate))
            if props:
                kg_props = [p for p in props if p.iri.startswith(KG)]
                return (kg_props or props)[0]
        return None

    def _by_suffix(self, suffix: str, classes: list[str]) -> Property | None:
        ancestors = set().union(*(self.ancestors(c) for c in classes)) if classes else set()
        found = [
            p for p in self.properties.values() if p.iri.startswith(KG) and p.local.endswith(suffix)
        ]
        fitting = [p for p in found if p.domains & ancestors]
        return fitting[0] if fitting else None

    def concept(self, name: str) -> str | None:
        """The SKOS concept ``name`` means (local name, prefixed name or label)."""
        hits = sorted(self.concepts.get(normalize(name), set()))
        kind = [h for h in hits if "/kind/" in h]
        found = kind or hits
        return found[0] if found else None

    def field_names(self) -> list[str]:
        """Every field name a source file may use (for did-you-mean)."""
        names = set(ALIASES)
        for prop in self.properties.values():
            if prop.iri.startswith(KG):
                names.add(_snake(prop.local))
        return sorted(names)

    def class_names(self) -> list[str]:
        """Every class name (kg classes by local name, others prefixed)."""
        return sorted({n for ns in self.classes for n in [ns]})

    def concept_names(self) -> list[str]:
        """Every concept's local name."""
        return sorted({re.split(r"[#/]", c)[-1] for cs in self.concepts.values() for c in cs})


def _singulars(name: str) -> list[str]:
    out = [name]
    if name.endswith("ies"):
        out.append(name[:-3] + "y")
    if name.endswith("s"):
        out.append(name[:-1])
    return out


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def _one(info: dict[str, Any]) -> str | None:
    ranges = sorted(info["ranges"])
    return ranges[0] if ranges else None


def _kind(iri: str, info: dict[str, Any]) -> str:
    types, ranges = info["types"], info["ranges"]
    if OWL + "ObjectProperty" in types:
        return "concept" if SKOS + "Concept" in ranges else "ref"
    if ranges & DATE_TYPES or re.search(r"(^date|Date|^when)", re.split(r"[#/]", iri)[-1]):
        return "date"
    if ranges & NUMBER_TYPES:
        return "number"
    if XSD + "boolean" in ranges:
        return "bool"
    if XSD + "anyURI" in ranges or iri == SCHEMA + "url":
        return "uri"
    if RDF + "langString" in ranges or iri in (DCT + "title", RDFS + "label"):
        return "lang"
    if OWL + "DatatypeProperty" in types and not ranges:
        return "untyped"  # read by the YAML value: 30 is an integer, true a boolean
    if OWL + "AnnotationProperty" in types and not ranges:
        return "annotation"  # text, or a kgr: name (kg:accordingTo names a claim)
    return "text"


_SCHEMA_QUERY = """
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?term ?kind ?extra WHERE {
  { { ?term a owl:Class } UNION { ?term a rdfs:Class } FILTER(isIRI(?term)) BIND("class" AS ?kind) }
  UNION { ?term rdfs:subClassOf ?extra . FILTER(isIRI(?term) && isIRI(?extra))
          BIND("super" AS ?kind) }
  UNION { ?term a skos:Concept . BIND("concept" AS ?kind)
          OPTIONAL { ?term skos:prefLabel ?extra FILTER(langMatches(lang(?extra), "en")) } }
  UNION { ?term a skos:Concept ; skos:altLabel ?extra . BIND("concept" AS ?kind) }
}"""

# A union range or domain (owl:unionOf) is read as its members.
_PROPERTY_QUERY = """
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
SELECT ?p ?type ?range ?domain WHERE {
  VALUES ?type { owl:ObjectProperty owl:DatatypeProperty owl:AnnotationProperty rdf:Property }
  ?p a ?type . FILTER(isIRI(?p))
  OPTIONAL { ?p rdfs:range ?r . OPTIONAL { ?r owl:unionOf/rdf:rest*/rdf:first ?u }
             BIND(COALESCE(?u, ?r) AS ?range) }
  OPTIONAL { ?p rdfs:domain ?d . OPTIONAL { ?d owl:unionOf/rdf:rest*/rdf:first ?du }
             BIND(COALESCE(?du, ?d) AS ?domain) }
}"""


def jsonld_context(vocabulary: Vocabulary) -> dict[str, Any]:
    """A JSON-LD context that reads a source file's fields as the ontology's properties.

    References become ``@id`` values in ``kgr:``, dates and numbers keep their datatypes, so
    a source file written as JSON is also RDF for other tools (without the checks and the
    quote anchoring that ``kg add`` does).

    Parameters
    ----------
    vocabulary:
        From :meth:`Vocabulary.from_graph`.

    Returns
    -------
    dict
        ``{"@context": {...}}``.

    Example
    -------
    >>> from kg.views._fixture import fixture
    >>> ctx = jsonld_context(Vocabulary.from_graph(fixture()))["@context"]
    >>> ctx["speaker"], ctx["id"], ctx["type"]
    ({'@id': 'kg:speaker', '@type': '@id'}, '@id', '@type')
    """
    ctx: dict[str, Any] = {p: ns for p, ns in vocabulary.prefixes.items()}
    ctx.update({"@vocab": KG, "@base": RESOURCE_IRI, "id": "@id"})
    ctx["type"] = "@type"
    types = {"ref": "@id", "concept": "@id", "uri": XSD + "anyURI"}
    for prop in vocabulary.properties.values():
        if not prop.iri.startswith(KG):
            continue
        entry: dict[str, Any] = {"@id": f"kg:{prop.local}"}
        if prop.kind in types:
            entry["@type"] = types[prop.kind]
        elif prop.kind == "number":
            entry["@type"] = XSD + "integer"
        ctx[_snake(prop.local)] = entry
    for name, target in ALIASES.items():
        if isinstance(target, str):
            ctx[name] = {"@id": target}
    for name in ("label", "title", "other_names", "other_name"):
        ctx[name] = {"@id": ctx[name]["@id"], "@language": "en"}
    ctx["other_names"]["@container"] = "@set"
    return {"@context": ctx}
