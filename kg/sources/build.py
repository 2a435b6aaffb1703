"""Turn source files into triples, checking every name, term, date and quote on the way.

Two passes over a batch of files: first every file's items are declared (their IRIs and
names), so that a file can name what it or another file of the batch declares; then each
item's fields become triples. A name is looked up in its own file first, then in the batch,
then in the project's graph (:class:`kg.resolve.NameIndex`). Errors are collected, each
located at its line and column; nothing is written unless there are none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from kg.namespaces import RESOURCE_IRI
from kg.resolve import NameIndex
from kg.sources.errors import SourceError
from kg.sources.evidence import Evidence
from kg.sources.model import (
    ITEM_SPECIAL,
    Item,
    SourceFile,
    id_from_label,
    item_list,
    local_id,
)
from kg.sources.naming import AlreadyReported, Naming
from kg.sources.terms import KG, RDF, Vocabulary
from kg.sources.triples import Triples, iri_ref
from kg.sources.values import (
    as_list,
    is_annotated,
    located_error,
    read_literal,
    scalar_text,
    suggest,
)
from kg.sources.yamlio import YMap, YScalar

__all__ = ["Batch", "Compiled", "ProjectNames"]

DCT = "http://purl.org/dc/terms/"
SOURCE_DOCUMENT = KG + "SourceDocument"


@dataclass
class ProjectNames:
    """What the project's graph already holds: its names, and who describes each node
    (``owners.get(iri)``; ``iri in documents``: a dict and a set, or look-ups of a store)."""

    vocab: Vocabulary
    names: NameIndex
    owners: Any = field(default_factory=dict)
    documents: Any = field(default_factory=set)


@dataclass
class Compiled:
    """One file's outcome: its triples (reviewed items only) and counts."""

    file: SourceFile
    graph: Triples
    nodes: dict[str, Item]
    reviewed: int = 0
    skipped: int = 0
    quotes: int = 0


class Batch(Evidence, Naming):
    """Compile a batch of source files against a project.

    Parameters
    ----------
    files:
        Read with :func:`kg.sources.model.read_source_file`.
    project:
        The project's names and vocabulary.

    Returns
    -------
    Batch
        ``.compile()`` gives one :class:`Compiled` per file and the errors found.
    """

    def __init__(self, files: list[SourceFile], project: ProjectNames) -> None:
        self.files = files
        self.project = project
        self.vocab = project.vocab
        self.errors: list[SourceError] = []
        self.names = NameIndex()
        self.declared: dict[str, tuple[SourceFile, Item | None]] = {}
        self.local: dict[str, NameIndex] = {}
        self.anchor_seconds = 0.0
        self.resolve_seconds = 0.0
        self.lookups: dict[tuple[int, str], str | None] = {}
        self.broken: set[str] = set()
        self.unreviewed: set[str] = set()

    # -- pass 1 ---------------------------------------------------------------------------
    def declare(self) -> None:
        """Declare every file's source, background sources, entities and claims."""
        for sf in self.files:
            index = NameIndex()
            self.local[sf.source_id] = index
            self._guard(lambda sf=sf: self._claim_iri(sf.iri, sf, sf.meta))
            index.add(sf.iri, sf.source_id)
            for section, default in (
                ("sources", "SourceDocument"),
                ("entities", None),
                ("claims", None),
            ):
                nodes = (
                    self._guard(lambda sf=sf, s=section: item_list(sf.doc, s, str(sf.path))) or []
                )
                for n, node in enumerate(nodes, start=1):
                    item = self._guard(
                        lambda s=section, node=node, n=n, sf=sf, d=default: self._item(
                            sf, s, node, n, d
                        )
                    )
                    if item is None:
                        self._broken(node)
                        continue
                    (sf.background if section == "sources" else sf.items).append(item)
                    if not item.reviewed:
                        self.unreviewed.add(item.iri)
                    for name in item.names:
                        index.add(item.iri, name)
                        self.names.add(item.iri, name)

    def _item(self, sf: SourceFile, section: str, node: YMap, n: int, default: str | None) -> Item:
        shown = str(sf.path)
        classes = self._classes(node, shown, default)
        label = node.get("label")
        if node.get("id") is not None:
            iri = local_id(node.get("id"), shown)
        elif isinstance(label, YScalar) and id_from_label(str(label.value)):
            iri = RESOURCE_IRI + id_from_label(str(label.value))
        else:
            iri = f"{RESOURCE_IRI}{sf.source_id}_{section[:-1]}{n}"
        names = [iri.rsplit("/", 1)[-1]]
        for key in ("label", "other_names", "other_name"):
            names += [
                scalar_text(v, "a name", shown)
                for v in as_list(node.get(key))
                if not isinstance(v, YMap)
            ]
        reviewed = node.get("reviewed")
        item = Item(section, node, iri, classes, names, reviewed is None or reviewed.value is True)
        self._claim_iri(iri, sf, node)
        return item

    def _classes(self, node: YMap, shown: str, default: str | None) -> list[str]:
        given = as_list(node.get("type")) + as_list(node.get("types"))
        if not given and default is None:
            raise located_error(
                "an item needs a type (e.g. type: State, type: statement)", node, shown
            )
        out = [SOURCE_DOCUMENT] if default == "SourceDocument" else []
        for value in given:
            name = scalar_text(value, "a class name", shown)
            iri = self.vocab.class_iri(name)
            if iri is None:
                names = sorted(
                    {c.rsplit("#", 1)[-1] for c in self.vocab.class_set if c.startswith(KG)}
                )
                raise located_error(f"unknown type {name!r}{suggest(name, names)}", value, shown)
            if iri not in out:
                out.append(iri)
        return out

    def _claim_iri(self, iri: str, sf: SourceFile, where: Any) -> None:
        from kg.namespaces import shorten

        if iri in self.declared:
            other = self.declared[iri][0]
            raise located_error(
                f"{shorten(iri)} is declared twice (also in {other.path})", where, str(sf.path)
            )
        owner = self.project.owners.get(iri)
        if (
            owner is not None
            and owner != sf.iri
            or (iri in self.project.documents and iri != sf.iri)
        ):
            by = f" by {shorten(owner)}" if owner else ""
            raise located_error(
                f"{shorten(iri)} is already described{by} in the project; name it instead of"
                " declaring it, or give this one another id",
                where,
                str(sf.path),
            )
        self.declared[iri] = (sf, None)

    # -- pass 2 ---------------------------------------------------------------------------
    def compile(self) -> tuple[list[Compiled], list[SourceError]]:
        """Declare, then build every file; return the compiled files and all errors."""
        self.declare()
        out = []
        for sf in self.files:
            compiled = Compiled(sf, Triples(), {})
            scratch = Triples()  # unreviewed items are checked too, but not kept
            self._guard(lambda sf=sf, c=compiled: self._source_node(sf, c.graph))
            for item in [*sf.background, *sf.items]:
                sink = compiled if item.reviewed else Compiled(sf, scratch, {})
                before = len(self.errors)
                self._node(sf, item, sink.graph, sink)
                if item.reviewed:
                    compiled.nodes[item.iri] = item
                    compiled.reviewed += len(self.errors) == before
                else:
                    compiled.skipped += 1
            out.append(compiled)
        return out, self.errors

    def _source_node(self, sf: SourceFile, g: Triples) -> None:
        from kg.sources.meta import source_triples

        source_triples(self, sf, g)

    def _node(self, sf: SourceFile, item: Item, g: Triples, compiled: Compiled) -> None:
        node = iri_ref(item.iri)
        for cls in item.classes:
            g.add((node, iri_ref(RDF + "type"), iri_ref(cls)))
        source = sf.iri
        given = item.node.get("source")
        # `source: null` says the node names no document (a curation activity, say).
        unsourced = isinstance(given, YScalar) and given.value is None
        if item.section != "sources" and not unsourced:
            if given is not None:
                source = self._guard(lambda: self.source_ref(sf, given)) or sf.iri
            g.add((node, iri_ref(DCT + "source"), iri_ref(source)))
        for key, value in item.node.items.items():
            if key in ITEM_SPECIAL:
                continue
            self._guard(
                lambda k=key, v=value: self.field(sf, item, node, k, v, g, source, compiled)
            )
        for value in as_list(item.node.get("wikidata")):
            self._guard(lambda v=value: self._wikidata(sf, node, v, g, source, compiled))
        for value in as_list(item.node.get("same_as")):
            self._guard(lambda v=value: self._same_as(sf, node, v, g, source, compiled))
        for value in as_list(item.node.get("quote")) + as_list(item.node.get("quotes")):
            self._guard(lambda v=value: self.quote(sf, node, v, g, source, compiled))

    def field(
        self,
        sf: SourceFile,
        item: Item,
        node: Any,
        key: str,
        value: Any,
        g: Triples,
        source: str,
        compiled: Compiled,
    ) -> None:
        """Add the triples of one field of ``item``."""
        shown = str(sf.path)
        prop = self.vocab.field(key, item.classes)
        if prop is None:
            line, column = item.node.key_pos[key]
            kind = self._kind_name(item)
            raise SourceError(
                f"unknown field {key!r} for {kind}{suggest(key, self.vocab.field_names())}",
                path=shown,
                line=line,
                column=column,
            )
        for v in as_list(value):
            self._guard(lambda v=v: self._value(sf, item, node, prop, v, g, source, compiled))

    def _value(
        self,
        sf: SourceFile,
        item: Item,
        node: Any,
        prop: Any,
        v: Any,
        g: Triples,
        source: str,
        compiled: Compiled,
    ) -> None:
        shown = str(sf.path)
        annotated = is_annotated(v)
        raw = v.get("value") if annotated else v
        obj: Any
        if prop.kind in ("ref", "concept") and isinstance(raw, YMap) and "type" in raw.items:
            obj = iri_ref(self._inline(sf, item, prop, raw, g, compiled))
        elif prop.kind == "ref" or (prop.kind == "annotation" and _names_node(raw)):
            obj = iri_ref(self.ref(sf, raw, item))
        elif prop.kind == "concept":
            obj = iri_ref(self.concept(sf, raw))
        else:
            obj = read_literal(
                prop,
                v if isinstance(v, YMap) and not _has_annotation(v) else raw,
                sf.language,
                shown,
            )
        g.add((node, iri_ref(prop.iri), obj))
        if annotated and _has_annotation(v):
            self.annotate(sf, node, iri_ref(prop.iri), obj, v, g, source, compiled)

    def _inline(
        self, sf: SourceFile, parent: Item, prop: Any, raw: YMap, g: Triples, compiled: Compiled
    ) -> str:
        n = len(g.objects(iri_ref(parent.iri), iri_ref(prop.iri))) + 1
        if raw.get("id") is None:
            iri = f"{parent.iri}_{prop.local}{n}"
        else:
            iri = local_id(raw.get("id"), str(sf.path))
        classes = self._classes(raw, str(sf.path), None)
        item = Item(parent.section, raw, iri, classes, [], parent.reviewed, parent)
        self._claim_iri(iri, sf, raw)
        self._node(sf, item, g, compiled)
        if parent.reviewed:
            compiled.nodes[iri] = item
        return iri

    def _kind_name(self, item: Item) -> str:
        local = item.classes[0].rsplit("#", 1)[-1].rsplit("/", 1)[-1] if item.classes else "item"
        return f"a {local}"

    def _guard(self, action: Any) -> Any:
        try:
            return action()
        except AlreadyReported:
            return None
        except SourceError as exc:
            self.errors.append(exc)
            return None

    def _broken(self, node: YMap) -> None:
        """Remember the names of an item that failed, so that naming it is not a second error."""
        for key in ("id", "label", "other_names"):
            for value in as_list(node.get(key)):
                if isinstance(value, YScalar) and value.value is not None:
                    self.broken.add(" ".join(str(value.raw).split()).casefold())


def _names_node(value: Any) -> bool:
    """Whether an annotation value is a node's name (``kgr:X`` or ``<IRI>``), not text."""
    text = getattr(value, "value", None)
    return isinstance(text, str) and bool(re.fullmatch(r"kgr:[A-Za-z_][\w.\-]*|<[^<>\s]+>", text))


def _has_annotation(value: Any) -> bool:
    return isinstance(value, YMap) and bool(set(value.items) - {"value", "lang", "datatype"})
