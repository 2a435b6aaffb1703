"""``kg export-source``: a source of the graph written back as a source file.

The source's nodes (``dct:source`` it) become entities and claims; the nodes they name
from other sources come along with their own ``source:``, and those sources under
``sources:``, so that the file adds to a fresh project with the same triples. A triple's
axiom annotation becomes an annotated value (``{value: ..., source: ..., note: ...}``); a
literal that the format would not read back as it is (another language, another datatype)
is written with its ``lang`` or ``datatype``.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef

from kg.namespaces import RESOURCE_IRI
from kg.sources.dates import parse_date
from kg.sources.terms import DCT, KG, RDF, SKOS, Vocabulary, _snake

__all__ = ["export_source", "to_yaml"]

OWL = "http://www.w3.org/2002/07/owl#"
KGR = RESOURCE_IRI
WD = "http://www.wikidata.org/entity/"
_CLAIM_ROOTS: tuple[str, ...] = ("Claim", "Event", "Agreement", "Membership", "Obligation")
_CLAIM_ROOTS += ("Participation",)
_CLAIM_ROOTS += ("Signature", "RequiredAction", "Quantity", "Wording")
_NARY = ("Membership", "Participation", "Signature")


def export_source(
    graph: Graph, source: str, *, text_file: str | None = None, out: str | Path | None = None
) -> str:
    """The YAML of source ``source`` of ``graph``.

    Parameters
    ----------
    graph:
        An rdflib Graph with the ontology, the vocabularies and the data.
    source:
        The source document's IRI.
    text_file:
        The source's text file, written as ``text_file`` relative to ``out``.
    out:
        Where the YAML will be written.

    Returns
    -------
    str
    """
    vocab = Vocabulary.from_graph(graph)
    exporter = _Exporter(graph, URIRef(source), vocab)
    doc = exporter.document()
    if text_file:
        base = Path(out).parent if out else Path.cwd()
        doc["source"]["text_file"] = os.path.relpath(Path(text_file).resolve(), base.resolve())
    header = f"# {source} exported by `kg export-source` (see docs/sources.md)\n"
    return header + to_yaml(doc)


class _Exporter:
    def __init__(self, graph: Graph, source: URIRef, vocab: Vocabulary) -> None:
        self.g, self.source, self.vocab = graph, source, vocab
        self.axioms: dict[tuple, list[Any]] = {}
        for axiom in graph.subjects(URIRef(RDF + "type"), URIRef(OWL + "Axiom")):
            key = (
                graph.value(axiom, URIRef(OWL + "annotatedSource")),
                graph.value(axiom, URIRef(OWL + "annotatedProperty")),
                graph.value(axiom, URIRef(OWL + "annotatedTarget")),
            )
            self.axioms.setdefault(key, []).append(axiom)
        self.lang = "en"

    def document(self) -> dict[str, Any]:
        g = self.g
        own = sorted(
            s for s in g.subjects(URIRef(DCT + "source"), self.source) if isinstance(s, URIRef)
        )
        todo, seen = list(own), set(own) | {self.source}
        background, documents = [], []
        while todo:
            node = todo.pop(0)
            for ref in self._references(node):
                if ref in seen or not str(ref).startswith(KGR):
                    continue
                seen.add(ref)
                if (ref, URIRef(RDF + "type"), URIRef(KG + "SourceDocument")) in g:
                    documents.append(ref)
                else:
                    background.append(ref)
                    todo.append(ref)
        meta = self._source_meta()
        entities: list[dict[str, Any]] = []
        claims: list[dict[str, Any]] = []
        for node in own + sorted(background):
            (claims if self._is_claim(node) else entities).append(self.node(node))
        doc: dict[str, Any] = {"source": meta}
        if documents:
            doc["sources"] = [self.node(d, document=True) for d in sorted(documents)]
        doc["entities"], doc["claims"] = entities, claims
        return doc

    def _references(self, node: URIRef) -> list[URIRef]:
        refs = [o for _, p, o in self.g.triples((node, None, None)) if isinstance(o, URIRef)]
        # The n-ary nodes about a node (its memberships ...) come along: shapes on the node
        # may need them (kg:memberOf needs a membership).
        # One quoted from another source's text cannot be checked here, so it stays out.
        for s in self.g.subjects(None, node):
            if isinstance(s, URIRef) and self._is_nary(s) and self._checkable(s):
                refs.append(s)
        refs = [o for o in refs if not self._is_class(o)]
        for (s, _, _), axioms in self.axioms.items():
            if s == node:
                for axiom in axioms:
                    refs += [
                        o
                        for _, _, o in self.g.triples((axiom, None, None))
                        if isinstance(o, URIRef)
                    ]
        return refs

    def _checkable(self, node: URIRef) -> bool:
        own = self.g.value(node, URIRef(DCT + "source")) in (self.source, None)
        return own or self.g.value(node, URIRef(KG + "quote")) is None

    def _is_nary(self, node: URIRef) -> bool:
        for cls in self.g.objects(node, URIRef(RDF + "type")):
            if any(a.rsplit("#", 1)[-1] in _NARY for a in self.vocab.ancestors(str(cls))):
                return True
        return False

    def _is_class(self, iri: URIRef) -> bool:
        return str(iri) in self.vocab.class_set

    def _is_claim(self, node: URIRef) -> bool:
        for cls in self.g.objects(node, URIRef(RDF + "type")):
            if any(a.rsplit("#", 1)[-1] in _CLAIM_ROOTS for a in self.vocab.ancestors(str(cls))):
                return True
        return False

    def _source_meta(self) -> dict[str, Any]:
        fields = self.node(self.source, document=True)
        fields.pop("type", None)
        types = self._specific(sorted(self.g.objects(self.source, URIRef(RDF + "type"))))
        types = [t for t in types if str(t) != KG + "SourceDocument"]
        meta: dict[str, Any] = {"id": str(self.source)[len(KGR) :]}
        if types:
            meta["type"] = self._names(sorted(types))
        meta.update(fields)
        if meta.get("label") == meta.get("title"):
            meta.pop("label", None)  # the format's default label is the title
        return meta

    def node(self, node: URIRef, document: bool = False) -> dict[str, Any]:
        g = self.g
        out: dict[str, Any] = {"id": str(node)[len(KGR) :]}
        types = self._specific(sorted(g.objects(node, URIRef(RDF + "type"))))
        if types and not document:
            out["type"] = self._names(types)
        elif document:
            extra = [
                t
                for t in self._specific([*types, URIRef(KG + "SourceDocument")])
                if str(t) != KG + "SourceDocument"
            ]
            if extra:
                out["type"] = self._names(extra)
        classes = [str(t) for t in types]
        if not document and node != self.source and g.value(node, URIRef(DCT + "source")) is None:
            out["source"] = None
        fields: dict[str, list[Any]] = {}
        for p in sorted(set(g.predicates(node, None)), key=str):
            if str(p) == RDF + "type":
                continue
            for o in sorted(g.objects(node, p)):  # type: ignore[type-var]
                key, value = self._field(node, p, o, classes)
                if key is not None:
                    fields.setdefault(key, []).append(value)
        for key, values in fields.items():
            out[key] = (
                values[0] if len(values) == 1 and key not in ("quote", "other_names") else values
            )
        return out

    def _field(self, node: Any, p: Any, o: Any, classes: list[str]) -> tuple[str | None, Any]:
        p_iri = str(p)
        if p_iri == DCT + "source":
            return (None, None) if o == self.source else ("source", self._ref(o))
        if p_iri == KG + "quote":
            return "quote", str(o)
        if p_iri == SKOS + "exactMatch":
            key = "wikidata" if str(o).startswith(WD) else "same_as"
            value: Any = str(o)[len(WD) :] if key == "wikidata" else str(o)
        else:
            key = self._key(p_iri, classes)
            value = self._value(p_iri, o)
        annotations = self.axioms.get((node, p, o))
        if annotations:
            value = self._annotated(value, annotations[0])
        return key, value

    def _key(self, p_iri: str, classes: list[str]) -> str:
        if p_iri in _FRIENDLY:
            return _FRIENDLY[p_iri]
        if p_iri.startswith(KG):
            name = _snake(p_iri[len(KG) :])
            prop = self.vocab.field(name, classes)
            if prop is not None and prop.iri == p_iri:
                return name
            return f"kg:{p_iri[len(KG) :]}"
        from kg.namespaces import shorten

        return shorten(p_iri)

    def _value(self, p_iri: str, o: Any) -> Any:
        prop = self.vocab.properties.get(p_iri)
        if isinstance(o, URIRef):
            if prop is not None and prop.kind == "concept":
                return re.split(r"[#/]", str(o))[-1]
            return self._ref(o)
        if isinstance(o, Literal):
            return self._literal(prop, o)
        return str(o)

    def _ref(self, o: URIRef) -> str:
        from kg.namespaces import shorten

        short = shorten(str(o))
        return short if not short.startswith("<") else str(o)

    def _literal(self, prop: Any, o: Literal) -> Any:
        """The literal as the format reads it back, or with its lang/datatype when it differs."""
        text = str(o)
        kind = prop.kind if prop is not None else "text"
        expected = None
        try:
            if kind == "date":
                d = parse_date(text)
                expected = Literal(d.lexical, datatype=URIRef(d.datatype))
            elif kind == "number" and re.fullmatch(r"-?\d+", text):
                expected = Literal(
                    text, datatype=URIRef("http://www.w3.org/2001/XMLSchema#integer")
                )
                if o == expected:
                    return int(text)
            elif (
                kind in ("number", "untyped")
                and o.datatype is not None
                and str(o.datatype).endswith("#integer")
                and re.fullmatch(r"-?\d+", text)
            ):
                return int(text)
            elif kind == "bool" and text in ("true", "false"):
                if o == Literal(text, datatype=URIRef("http://www.w3.org/2001/XMLSchema#boolean")):
                    return text == "true"
            elif kind == "lang":
                expected = Literal(text, lang=self.lang)
            elif kind == "uri":
                expected = Literal(text, datatype=URIRef("http://www.w3.org/2001/XMLSchema#anyURI"))
            else:
                expected = Literal(text)
        except ValueError:
            expected = None
        if expected is not None and expected == o and expected.language == o.language:
            if kind == "annotation" and re.fullmatch(r"kgr:\S+|<\S+>", text):
                return {"value": text, "datatype": "http://www.w3.org/2001/XMLSchema#string"}
            return text
        if o.language:
            return {"value": text, "lang": o.language}
        if o.datatype is not None:
            return {"value": text, "datatype": str(o.datatype)}
        return {"value": text, "datatype": "http://www.w3.org/2001/XMLSchema#string"}

    def _annotated(self, value: Any, axiom: BNode) -> dict[str, Any]:
        out: dict[str, Any] = dict(value) if isinstance(value, dict) else {"value": value}
        for p in sorted(set(self.g.predicates(axiom, None)), key=str):
            if str(p).startswith(OWL) or str(p) == RDF + "type":
                continue
            for o in sorted(self.g.objects(axiom, p)):  # type: ignore[type-var]
                if str(p) == DCT + "source":
                    if o != self.source or "source" not in out:
                        out["source"] = self._ref(URIRef(str(o)))
                elif str(p) == KG + "quote":
                    out.setdefault("quote", []).append(str(o))
                else:
                    key = self._key(str(p), [OWL + "Axiom"])
                    v = self._value(str(p), o)
                    out[key] = v if key not in out else [*_list(out[key]), v]
        return out

    def _specific(self, types: list[Any]) -> list[Any]:
        """Leave out a type that another of the node's types implies (a loaded graph holds the
        rdf:type closure of the class tree; the file need not say it)."""
        implied = set()
        for t in types:
            implied |= self.vocab.ancestors(str(t)) - {str(t)}
        return [t for t in types if str(t) not in implied]

    def _names(self, types: list[Any]) -> Any:
        from kg.namespaces import shorten

        names = [str(t)[len(KG) :] if str(t).startswith(KG) else shorten(str(t)) for t in types]
        return names[0] if len(names) == 1 else names


def _friendly() -> dict[str, str]:
    """Property IRI -> the friendly field name the format reads it from."""
    from kg.sources.meta import META_FIELDS
    from kg.sources.terms import ALIASES

    out = {}
    for name, target in ALIASES.items():
        if isinstance(target, str) and target not in out and not target.startswith(KG):
            out[target] = name
    for name, candidates in META_FIELDS.items():
        for iri, _ in candidates:
            out.setdefault(iri, name)
    return out


_FRIENDLY = _friendly()


def _list(v: Any) -> list[Any]:
    return v if isinstance(v, list) else [v]


def to_yaml(value: Any, indent: int = 0) -> str:
    """Block-style YAML for dicts, lists and scalars (strings double-quoted when needed).

    Example
    -------
    >>> print(to_yaml({"a": [1, "x y"], "b": {"c": True}}), end="")
    a:
      - 1
      - "x y"
    b:
      c: true
    """
    from kg.sources.draft import _scalar

    pad = " " * indent
    lines = []
    if isinstance(value, dict):
        for k, v in value.items():
            if isinstance(v, dict | list) and v:
                lines.append(f"{pad}{k}:")
                lines.append(to_yaml(v, indent + 2).rstrip("\n"))
            else:
                lines.append(f"{pad}{k}: {_one(v)}")
    elif isinstance(value, list):
        for v in value:
            if isinstance(v, dict) and v:
                body = to_yaml(v, indent + 2).rstrip("\n")
                lines.append(f"{pad}- {body.lstrip()}")
            elif isinstance(v, list) and v:
                lines.append(f"{pad}-")
                lines.append(to_yaml(v, indent + 2).rstrip("\n"))
            else:
                lines.append(f"{pad}- {_one(v)}")
    else:
        lines.append(pad + _one(value))
    _ = _scalar
    return "\n".join(lines) + "\n"


def _one(v: Any) -> str:
    from kg.sources.draft import _scalar

    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if v == [] or v == {}:
        return "[]" if v == [] else "{}"
    return _scalar(v)
