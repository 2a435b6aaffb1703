"""Evidence in a source file: quotes anchored in the text (kg:quote and Web Annotation
selectors), links to external datasets, and axiom annotations on single triples.

A mixin of :class:`kg.sources.build.Batch`, which has the name lookup these need.
"""

from __future__ import annotations

import hashlib
import time
from typing import TYPE_CHECKING, Any

from kg.sources.anchor import anchor_quote
from kg.sources.model import Item
from kg.sources.terms import KG, RDF, SKOS
from kg.sources.triples import Triples, bnode, iri_ref, literal
from kg.sources.values import as_list, is_annotated, located_error, scalar_text
from kg.sources.yamlio import YMap, YScalar

if TYPE_CHECKING:
    from kg.sources.build import Compiled
    from kg.sources.model import SourceFile

__all__ = ["Evidence", "add_selectors"]

OA = "http://www.w3.org/ns/oa#"
OWL = "http://www.w3.org/2002/07/owl#"
DCT = "http://purl.org/dc/terms/"
XSD = "http://www.w3.org/2001/XMLSchema#"
WD = "http://www.wikidata.org/entity/"


class Evidence:
    """Quotes, external links and annotations, for :class:`kg.sources.build.Batch`."""

    anchor_seconds: float
    source_ref: Any  # kg.sources.naming.Naming.source_ref
    field: Any  # kg.sources.build.Batch.field

    def quote(
        self, sf: SourceFile, node: Any, value: Any, g: Triples, source: str, compiled: Compiled
    ) -> None:
        """Add ``kg:quote`` and its Web Annotation selectors, after finding it in the text."""
        shown = str(sf.path)
        occurrence = 1
        if isinstance(value, YMap):
            occurrence = int(
                scalar_text(value.get("occurrence") or YScalar(1, "1", 0, 0), "a number", shown)
            )
            value = value.get("text")
        text = scalar_text(value, "the quoted words", shown)
        if source != sf.iri:
            raise located_error(
                "a quote is checked against this source's text; this item has another source",
                value,
                shown,
            )
        if sf.text is None:
            raise located_error(
                "a quote needs the source's text (text or text_file under source)", value, shown
            )
        started = time.perf_counter()
        try:
            anchor = anchor_quote(sf.text, text, occurrence)
        except ValueError as exc:
            raise located_error(str(exc), value, shown) from None
        finally:
            self.anchor_seconds += time.perf_counter() - started
        g.add((node, iri_ref(KG + "quote"), literal(text)))
        add_selectors(g, node, iri_ref(sf.iri), anchor)
        compiled.quotes += 1

    def _wikidata(
        self, sf: SourceFile, node: Any, value: Any, g: Triples, source: str, compiled: Compiled
    ) -> None:
        raw = value.get("value") if is_annotated(value) else value
        qid = scalar_text(raw, "a Wikidata id", str(sf.path)).removeprefix("wd:")
        if qid[:1] not in "Qq" or not qid[1:].isdigit():
            raise located_error(
                f"{qid!r} is not a Wikidata id (Q followed by digits)", raw, str(sf.path)
            )
        obj = iri_ref(WD + qid.upper())
        g.add((node, iri_ref(SKOS + "exactMatch"), obj))
        if is_annotated(value):
            self.annotate(sf, node, iri_ref(SKOS + "exactMatch"), obj, value, g, source, compiled)

    def _same_as(
        self, sf: SourceFile, node: Any, value: Any, g: Triples, source: str, compiled: Compiled
    ) -> None:
        raw = value.get("value") if is_annotated(value) else value
        text = scalar_text(raw, "an IRI", str(sf.path))
        if not text.startswith(("http://", "https://")) or any(c.isspace() for c in text):
            raise located_error(f"{text!r} is not an http(s) IRI", raw, str(sf.path))
        obj = iri_ref(text)
        g.add((node, iri_ref(SKOS + "exactMatch"), obj))
        if is_annotated(value):
            self.annotate(sf, node, iri_ref(SKOS + "exactMatch"), obj, value, g, source, compiled)

    def annotate(
        self,
        sf: SourceFile,
        node: Any,
        prop: Any,
        obj: Any,
        value: YMap,
        g: Triples,
        source: str,
        compiled: Compiled,
    ) -> None:
        """An OWL 2 axiom annotation on one triple: its own source, quote, note, or any
        field the ontology has for annotations (``reason``, ``date_qualifier`` ...)."""
        axiom = bnode("ax" + _digest(node, prop, obj))
        g.add((axiom, iri_ref(RDF + "type"), iri_ref(OWL + "Axiom")))
        g.add((axiom, iri_ref(OWL + "annotatedSource"), node))
        g.add((axiom, iri_ref(OWL + "annotatedProperty"), prop))
        g.add((axiom, iri_ref(OWL + "annotatedTarget"), obj))
        own = source
        if value.get("source") is not None:
            own = self.source_ref(sf, value.get("source"))
        g.add((axiom, iri_ref(DCT + "source"), iri_ref(own)))
        item = Item("annotation", value, axiom[2:], [OWL + "Axiom"], [], True)
        for key, v in value.items.items():
            if key in ("value", "lang", "datatype", "source"):
                continue
            if key in ("quote", "quotes"):
                for quote in as_list(v):
                    self.quote(sf, axiom, quote, g, own, compiled)
                continue
            self.field(sf, item, axiom, key, v, g, own, compiled)


def _digest(*terms: str) -> str:
    return hashlib.sha1("\x1f".join(terms).encode()).hexdigest()[:16]


def add_selectors(g: Triples, body: str, source: str, anchor: Any) -> None:
    """Add a Web Annotation linking ``body`` to the quoted span of ``source``.

    Parameters
    ----------
    g:
        The triples to add to.
    body:
        The node the quote is evidence for (an N-Triples term).
    source:
        The source document (an N-Triples term).
    anchor:
        A :class:`kg.sources.anchor.Anchor`.

    Example
    -------
    >>> from kg.sources.anchor import anchor_quote
    >>> g = Triples(); add_selectors(g, "<urn:c>", "<urn:s>", anchor_quote("a b c", "b"))
    >>> [o for _, p, o in g if p == iri_ref(OA + "start")]
    ['"2"^^<http://www.w3.org/2001/XMLSchema#nonNegativeInteger>']
    """
    exact = literal(anchor.exact)
    key = _digest(body, exact, str(anchor.start))
    annotation, target = bnode("an" + key), bnode("tg" + key)
    quote_sel, position_sel = bnode("tq" + key), bnode("tp" + key)
    a = iri_ref(RDF + "type")
    g.add((annotation, a, iri_ref(OA + "Annotation")))
    g.add((annotation, iri_ref(OA + "motivatedBy"), iri_ref(OA + "describing")))
    g.add((annotation, iri_ref(OA + "hasBody"), body))
    g.add((annotation, iri_ref(OA + "hasTarget"), target))
    g.add((target, a, iri_ref(OA + "SpecificResource")))
    g.add((target, iri_ref(OA + "hasSource"), source))
    g.add((target, iri_ref(OA + "hasSelector"), quote_sel))
    g.add((target, iri_ref(OA + "hasSelector"), position_sel))
    g.add((quote_sel, a, iri_ref(OA + "TextQuoteSelector")))
    g.add((quote_sel, iri_ref(OA + "exact"), exact))
    g.add((quote_sel, iri_ref(OA + "prefix"), literal(anchor.prefix)))
    g.add((quote_sel, iri_ref(OA + "suffix"), literal(anchor.suffix)))
    g.add((position_sel, a, iri_ref(OA + "TextPositionSelector")))
    nonneg = XSD + "nonNegativeInteger"
    g.add((position_sel, iri_ref(OA + "start"), literal(str(anchor.start), datatype=nonneg)))
    g.add((position_sel, iri_ref(OA + "end"), literal(str(anchor.end), datatype=nonneg)))
