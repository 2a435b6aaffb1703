"""The interface every triple store behind a KnowledgeGraph implements.

A backend holds RDF and answers SPARQL; everything else (named queries, statistics,
validation, views, the command line) is written once against this interface.
Implementations: ``memory`` (rdflib), ``oxigraph`` (embedded store) and ``remote`` (a SPARQL
1.1 endpoint).

Beyond the abstract methods, a backend declares its optional capabilities on the class,
each with a default that works everywhere, so callers never probe with ``getattr``:

- :attr:`Backend.reads_index` / :meth:`Backend.property_triples`: one property's triples
  as text. The default runs one SELECT query; a store that reads them straight from its
  index (Oxigraph) overrides both, and the views then read large graphs that way.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, ClassVar

from rdflib import Graph

from kg.errors import BadOptionError
from kg.results import QueryResult

__all__ = ["EXPORT_FORMATS", "Backend", "PropertyTriple", "rdflib_format"]

#: A row of :meth:`Backend.property_triples`: subject, object (IRI, lexical form or ``_:id``)
#: and the object's language (``None`` for an IRI or blank node, ``""`` for a plain literal).
PropertyTriple = tuple[str, str, str | None]

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

    Optional capabilities are class attributes and methods with a default (see the module
    doc): :attr:`reads_index` and :meth:`property_triples`.

    Example
    -------
    >>> from kg.backends.memory import MemoryBackend
    >>> b = MemoryBackend()
    >>> isinstance(b, Backend)
    True
    >>> b.update('INSERT DATA { <http://a> <http://p> "x"@en, <http://b> }')
    >>> b.reads_index, sorted(b.property_triples("http://p"))
    (False, [('http://a', 'http://b', None), ('http://a', 'x', 'en')])
    """

    #: The name ``open_backend`` knows this backend by.
    kind: ClassVar[str] = ""

    #: Capability: :meth:`property_triples` reads the store's index directly (no query rows),
    #: so it is cheaper than a query's rows. The default (``False``) answers it by a query.
    reads_index: ClassVar[bool] = False

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

    def property_triples(
        self, prop: str, *, iri_subjects: bool = True, iri_objects: bool = False
    ) -> list[PropertyTriple]:
        """Every triple of ``prop`` (in the graph SPARQL reads) as ``(subject, object,
        language)`` text; the default runs one SELECT with ``?p`` bound.

        Parameters
        ----------
        prop:
            The property IRI.
        iri_subjects, iri_objects:
            Keep only the triples whose subject (object) is an IRI.

        Returns
        -------
        list[PropertyTriple]
            A blank node is ``_:id``; the language is ``None`` for an IRI or blank node
            object and ``""`` for a literal without one.

        Example
        -------
        >>> from kg.backends.memory import MemoryBackend
        >>> b = MemoryBackend()
        >>> b.update('INSERT DATA { <http://a> <http://p> "x", <http://b> . _:c <http://p> 1 }')
        >>> sorted(b.property_triples("http://p", iri_objects=True))
        [('http://a', 'http://b', None)]
        >>> len(b.property_triples("http://p", iri_subjects=False))
        3
        """
        from rdflib import URIRef

        keep = [f"isIRI(?{v})" for v, only in (("s", iri_subjects), ("o", iri_objects)) if only]
        where = f"FILTER({' && '.join(keep)}) " if keep else ""
        sparql = f"SELECT ?s ?o ?lang WHERE {{ ?s ?p ?o . {where}BIND(LANG(?o) AS ?lang) }}"
        rows = self.query(sparql, {"p": URIRef(prop)}).lexical_rows()
        return [(str(s), str(o), lang) for s, o, lang in rows]

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
