"""The interface every triple store behind a KnowledgeGraph implements.

A backend holds RDF and answers SPARQL; everything else (named queries, statistics,
validation, the command line) is written once against this interface. Implementations:
``memory`` (rdflib, here), and later ``oxigraph`` (embedded store) and ``remote``
(a SPARQL 1.1 endpoint).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, ClassVar

from rdflib import Graph

from kg.errors import BadOptionError
from kg.results import QueryResult

#: export format name (as typed on the command line) -> rdflib serializer name.
EXPORT_FORMATS = {
    "ttl": "turtle",
    "nt": "nt",
    "nq": "nquads",
    "trig": "trig",
    "jsonld": "json-ld",
    "xml": "xml",
}


def rdflib_format(name: str) -> str:
    """Return rdflib's serializer name for an export format name.

    Parameters
    ----------
    name:
        One of ``ttl nt nq trig jsonld xml`` (rdflib's own names are accepted too).

    Returns
    -------
    str

    Example
    -------
    >>> rdflib_format("ttl"), rdflib_format("nquads")
    ('turtle', 'nquads')
    >>> rdflib_format("yaml")
    Traceback (most recent call last):
    ...
    kg.errors.BadOptionError: unknown RDF format 'yaml' (known: ttl, nt, nq, trig, jsonld, xml)
    """
    if name in EXPORT_FORMATS:
        return EXPORT_FORMATS[name]
    if name in EXPORT_FORMATS.values():
        return name
    known = ", ".join(EXPORT_FORMATS)
    raise BadOptionError(f"unknown RDF format {name!r} (known: {known})")


class Backend(ABC):
    """A store of RDF triples that answers SPARQL queries.

    Implementations must make :meth:`load` all-or-nothing (a file that fails to parse
    leaves the store as it was), turn their SPARQL parser's errors into
    :class:`kg.errors.SparqlSyntaxError` (with the line when known), and bind values as
    terms, never by pasting text into the query (see :mod:`kg.backends.bindings`).

    Example
    -------
    >>> from kg.backends.memory import MemoryBackend
    >>> isinstance(MemoryBackend(), Backend)
    True
    """

    #: The name ``open_backend`` knows this backend by.
    kind: ClassVar[str] = ""

    @abstractmethod
    def load(self, paths: Sequence[str | Path]) -> int:
        """Load RDF files, all or nothing; return the number of triples in the store after."""

    @abstractmethod
    def add_graph(self, graph: Graph) -> int:
        """Add every triple of an rdflib Graph; return the number of triples after."""

    @abstractmethod
    def query(self, sparql: str, bindings: Mapping[str, Any] | None = None) -> QueryResult:
        """Run a SPARQL SELECT/ASK/CONSTRUCT/DESCRIBE query with variables bound to values."""

    def update(self, sparql: str) -> None:
        """Run a SPARQL 1.1 Update (INSERT DATA, DELETE/INSERT ... WHERE, CLEAR ...).

        The default refuses: a backend that can write overrides it.
        """
        raise BadOptionError(f"the {self.kind or 'this'} backend does not support SPARQL Update")

    @abstractmethod
    def __len__(self) -> int:
        """The number of triples (of quads, for stores with named graphs)."""

    @abstractmethod
    def serialize(self, format: str = "ttl") -> bytes:
        """Write the whole store in an export format (see :data:`EXPORT_FORMATS`)."""

    @abstractmethod
    def to_rdflib(self) -> Graph:
        """Return the content as an rdflib Graph (for pyshacl, owlrl); treat it as read-only."""

    def close(self) -> None:  # noqa: B027 - optional hook, not abstract: most stores hold nothing
        """Release files and connections; the default has none to release."""

    def __enter__(self) -> Backend:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
