"""Names in a source file: the entity, source document or concept a name designates.

A mixin of :class:`kg.sources.build.Batch`: a name is looked up in its own file, then in
the batch, then in the project's graph (:class:`kg.resolve.NameIndex`).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from kg.resolve import UnknownEntityError, _pick
from kg.sources.errors import SourceError
from kg.sources.values import located_error, scalar_text, suggest

if TYPE_CHECKING:
    from kg.sources.model import Item, SourceFile

__all__ = ["AlreadyReported", "Naming"]


class AlreadyReported(SourceError):
    """A name of an item whose own error is already reported: not a second error."""


class Naming:
    """Name look-ups for :class:`kg.sources.build.Batch` (which holds the indexes)."""

    broken: set[str]
    local: dict[str, Any]
    names: Any
    project: Any
    declared: dict[str, Any]
    files: list[Any]
    unreviewed: set[str]
    vocab: Any
    resolve_seconds: float
    lookups: dict[tuple[int, str], str | None]  # (index, name) -> IRI, once a batch

    # -- names ----------------------------------------------------------------------------
    def ref(self, sf: SourceFile, value: Any, item: Item | None = None) -> str:
        """The IRI a name designates: this file, then the batch, then the project's graph."""
        started = time.perf_counter()
        try:
            return self._ref(sf, value, item)
        finally:
            self.resolve_seconds += time.perf_counter() - started

    def _ref(self, sf: SourceFile, value: Any, item: Item | None) -> str:
        shown = str(sf.path)
        name = scalar_text(value, "the name of an entity", shown)
        if " ".join(name.split()).casefold().removeprefix("kgr:") in self.broken:
            raise AlreadyReported(name)
        for index in (self.local[sf.source_id], self.names, self.project.names):
            key = (id(index), name)  # the indexes do not change once the batch is declared
            if key in self.lookups:
                iri = self.lookups[key]
            else:
                try:
                    iri = self.lookups[key] = index.lookup(name)
                except UnknownEntityError as exc:
                    raise located_error(exc.message, value, shown) from None
            if iri is not None:
                self._check_reviewed(sf, iri, value, item)
                return iri
        try:
            return self.project.names.resolve(name)
        except UnknownEntityError as exc:
            message = exc.message
            if message.startswith("unknown entity '"):
                labels = self.local[sf.source_id].labels + self.project.names.labels
                try:
                    _pick(name, labels)
                except UnknownEntityError as combined:
                    message = combined.message
            hint = "" if message.startswith("ambiguous") else "; declare it under entities"
            raise located_error(message + hint, value, shown) from None

    def _check_reviewed(self, sf: SourceFile, iri: str, value: Any, item: Item | None) -> None:
        if item is None or not item.reviewed or iri not in self.unreviewed:
            return
        for other in [*sf.items, *sf.background]:
            if other.iri == iri and not other.reviewed:
                from kg.namespaces import shorten

                raise located_error(
                    f"{shorten(iri)} is not reviewed (reviewed: false), so a reviewed item cannot"
                    " name it; review it too",
                    value,
                    str(sf.path),
                )

    def source_ref(self, sf: SourceFile, value: Any) -> str:
        """The source document a ``source:`` field names."""
        iri = self.ref(sf, value)
        declared = self.declared.get(iri)
        is_doc = (
            iri in self.project.documents
            or iri == sf.iri
            or any(i.iri == iri for f in self.files for i in f.background)
            or (declared is not None and declared[0].iri == iri)
        )
        if not is_doc:
            from kg.namespaces import shorten

            raise located_error(f"{shorten(iri)} is not a source document", value, str(sf.path))
        return iri

    def concept(self, sf: SourceFile, value: Any) -> str:
        """The SKOS concept a kind, role or status names."""
        shown = str(sf.path)
        name = scalar_text(value, "a kind, role or status", shown)
        iri = self.vocab.concept(name)
        if iri is None:
            raise located_error(
                f"unknown concept {name!r}{suggest(name, self.vocab.concept_names())}", value, shown
            )
        return iri
