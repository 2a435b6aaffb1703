"""The source document's own node: its metadata, as the ontology's properties."""

from __future__ import annotations

from typing import Any

from kg.sources.errors import SourceError
from kg.sources.terms import DCT, KG, RDF, RDFS, Property
from kg.sources.triples import iri_ref, literal
from kg.sources.values import as_list, located_error, read_literal, scalar_text, suggest

__all__ = ["META_FIELDS", "source_triples"]

#: Fields of the ``source`` section that are not properties, or whose property depends on
#: what the ontology defines (the first defined one is used).
META_FIELDS: dict[str, list[tuple[str, str]]] = {
    "author": [(KG + "author", "text"), (DCT + "creator", "text")],
    "accessed": [
        (KG + "dateAccessed", "date"),
        ("http://www.wikidata.org/prop/direct/P813", "date"),
    ],
    "language": [(DCT + "language", "text")],
}
_NOT_PROPERTIES = {"id", "text", "text_file", "type", "types"}


def source_triples(batch: Any, sf: Any, g: Any) -> None:
    """Add the source document's triples to ``g``.

    Parameters
    ----------
    batch:
        The :class:`kg.sources.build.Batch` (its vocabulary and name lookup).
    sf:
        The :class:`kg.sources.model.SourceFile`.
    g:
        The graph to add to.

    Raises
    ------
    SourceError
        An unknown field or a bad value (the first one; the batch collects the rest).
    """
    shown, meta, vocab = str(sf.path), sf.meta, batch.vocab
    node = iri_ref(sf.iri)
    g.add((node, iri_ref(RDF + "type"), iri_ref(KG + "SourceDocument")))
    classes = [KG + "SourceDocument"]
    for value in as_list(meta.get("type")) + as_list(meta.get("types")):
        name = scalar_text(value, "a class name", shown)
        iri = vocab.class_iri(name)
        if iri is None:
            raise located_error(f"unknown type {name!r}", value, shown)
        g.add((node, iri_ref(RDF + "type"), iri_ref(iri)))
        classes.append(iri)
    has_label = "label" in meta.items
    for key, value in meta.items.items():
        if key in _NOT_PROPERTIES:
            continue
        prop = _meta_property(key, vocab) or vocab.field(key, classes)
        if prop is None:
            line, column = meta.key_pos[key]
            names = sorted({*vocab.field_names(), *META_FIELDS, *_NOT_PROPERTIES})
            raise SourceError(
                f"unknown field {key!r} for the source{suggest(key, names)}",
                path=shown,
                line=line,
                column=column,
            )
        for v in as_list(value):
            batch._guard(lambda v=v, p=prop: _add(batch, sf, g, node, p, v))
    if not has_label and "title" in meta.items:
        title = scalar_text(meta.get("title"), "a title", shown)
        g.add((node, iri_ref(RDFS + "label"), literal(title, lang=sf.language)))


def _add(batch: Any, sf: Any, g: Any, node: str, prop: Property, v: Any) -> None:
    shown = str(sf.path)
    if prop.kind == "ref":
        g.add((node, iri_ref(prop.iri), iri_ref(batch.ref(sf, v))))
    elif prop.kind == "concept":
        g.add((node, iri_ref(prop.iri), iri_ref(batch.concept(sf, v))))
    else:
        g.add((node, iri_ref(prop.iri), read_literal(prop, v, sf.language, shown)))


def _meta_property(key: str, vocab: Any) -> Property | None:
    for iri, kind in META_FIELDS.get(key, []):
        if iri in vocab.properties or iri == META_FIELDS[key][-1][0]:
            known = vocab.properties.get(iri)
            return Property(iri, known.kind if known else kind)
    return None
