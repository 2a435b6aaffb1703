"""The project's graph while a batch is checked: an Oxigraph store, read by index and SPARQL
where it is, never copied into rdflib.

With ``--store`` it is the store folder itself (kept open until the batch is written); else
the project's data files, but those being replaced, parsed into an in-memory store. It is
seen as it will be once the batch's sources replace their earlier versions: a stored triple
about a node a replaced source describes (its ``urn:x-kg:source:`` record) does not count.
Names, owners and source documents are looked up in it on demand, and SHACL gets the part
of it the shapes can reach from the new nodes (:mod:`kg.sources.scope`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.iris import ONTOLOGY_IRI
from kg.sources.errors import SourceError

__all__ = ["ProjectStore"]

DCT_SOURCE = "http://purl.org/dc/terms/source"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
SOURCE_DOCUMENT = ONTOLOGY_IRI + "SourceDocument"
RECORDS = "urn:x-kg:source:"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SUBJECT = "urn:x-kg:subject"  # as kg.sources.write.SUBJECT
# As kg.resolve's: the labels of nodes typed with a kg class; the property says main or not.
_LABELS = """SELECT DISTINCT ?e ?label ?p WHERE {
  ?e a ?t . FILTER(STRSTARTS(STR(?t), "https://w3id.org/kg-ir/ontology#"))
  VALUES ?p { <http://www.w3.org/2000/01/rdf-schema#label>
    <http://www.w3.org/2004/02/skos/core#prefLabel> <http://www.w3.org/2004/02/skos/core#altLabel> }
  ?e ?p ?label
}"""


class ProjectStore:
    """A project's data for checking a batch (see the module's docstring).

    Parameters
    ----------
    store:
        The Oxigraph store.
    replacing:
        Ids of the sources the batch replaces.
    backend:
        The :class:`kg.backends.oxigraph.OxigraphBackend` holding an on-disk store (closed
        by :meth:`close`), or None.

    Returns
    -------
    ProjectStore

    Example
    -------
    >>> s = ox.Store()
    >>> a, p, g = ox.NamedNode("urn:a"), ox.NamedNode("urn:p"), ox.NamedNode("urn:x-kg:source:s1")
    >>> s.add(ox.Quad(a, p, ox.Literal("old")))
    >>> s.add(ox.Quad(g, ox.NamedNode("urn:x-kg:subject"), a, g))
    >>> ProjectStore(s, {"s1"}).has_iri("urn:a"), ProjectStore(s).has_iri("urn:a")
    (False, True)
    """

    def __init__(self, store: ox.Store, replacing: Iterable[str] = (), backend: Any = None) -> None:
        self.store: Any = store
        self.backend = backend
        self.replaced = {ox.NamedNode(RECORDS + r) for r in replacing}
        if self.replaced:
            held = set(store.named_graphs())
            self.replaced &= held
        self._gone: tuple[set[Any], set[tuple[Any, Any, Any]]] | None = None

    @classmethod
    def open(cls, folder: str | Path, replacing: Iterable[str]) -> ProjectStore:
        """The on-disk store ``folder`` (created when missing), held until :meth:`close`."""
        from kg.backends import open_backend

        backend = open_backend("oxigraph", store=str(folder))
        return cls(backend.store, replacing, backend)

    @classmethod
    def from_files(cls, files: Iterable[Path]) -> ProjectStore:
        """The data files parsed into an in-memory store (Oxigraph's parser: offline)."""
        store = ox.Store()
        for path in files:
            fmt = ox.RdfFormat.TRIG if path.suffix == ".trig" else ox.RdfFormat.TURTLE
            try:
                store.load(path=str(path), format=fmt, base_iri=path.resolve().as_uri())
            except (SyntaxError, ValueError, OSError) as exc:
                message = f"cannot read the project's data: {exc}"
                raise SourceError(message, path=str(path)) from None
        return cls(store)

    def close(self) -> None:
        """Release an on-disk store (flushed)."""
        if self.backend is not None:
            self.backend.close()
            self.backend = None
            self.store = None  # the last handle: RocksDB's lock goes with it

    # -- what counts ------------------------------------------------------------------------
    def kept(self, quad: ox.Quad) -> bool:
        """Whether a default-graph triple stays once the replaced sources are removed: its
        subject is not one a replaced source records (:func:`kg.sources.write.recorded`),
        nor is the triple in a replaced record of an earlier kg (full copies)."""
        if not self.replaced:
            return True
        subjects, triples = self._gone if self._gone is not None else self._removed()
        subject = quad.subject
        if subject in subjects:
            return False
        # full-copy records are rare: no triple to build and hash per quad without them
        return not triples or (subject, quad.predicate, quad.object) not in triples

    def _removed(self) -> tuple[set[Any], set[tuple[Any, Any, Any]]]:
        """The subjects the replaced sources record, and the triples of earlier kgs' full-copy
        records: read once (one pass over each replaced record), not once per triple asked
        about (that was replaced sources x labels look-ups: 58 s for 300 sources)."""
        if self._gone is None:
            subject = ox.NamedNode(SUBJECT)
            subjects, triples = set(), set()
            for g in self.replaced:
                for q in self.store.quads_for_pattern(None, None, None, g):
                    if q.subject == g and q.predicate == subject:
                        subjects.add(q.object)
                    elif q.subject != g:  # not the record's own digest (kg.sources.write)
                        triples.add((q.subject, q.predicate, q.object))
            self._gone = (subjects, triples)
        return self._gone

    def out(self, node: Any) -> Iterator[ox.Quad]:
        """The kept triples of subject ``node`` (N-Triples text, an rdflib or Oxigraph term)."""
        term = _ox(node)
        if term is None or isinstance(term, ox.Literal):
            return iter(())
        found = self.store.quads_for_pattern(term, None, None, ox.DefaultGraph())
        return (q for q in found if self.kept(q))

    def into(self, node: Any) -> Iterator[ox.Quad]:
        """The kept triples of object ``node``."""
        term = _ox(node)
        if term is None:
            return iter(())
        found = self.store.quads_for_pattern(None, None, term, ox.DefaultGraph())
        return (q for q in found if self.kept(q))

    def has_iri(self, iri: str) -> bool:
        """Whether a kept triple names ``iri`` (as subject, predicate or object)."""
        node = ox.NamedNode(iri)
        patterns = ((node, None, None), (None, node, None), (None, None, node))
        for s, p, o in patterns:
            for q in self.store.quads_for_pattern(s, p, o, ox.DefaultGraph()):
                if self.kept(q):
                    return True
        return False

    def all_quads(self) -> Iterator[ox.Quad]:
        """Every kept triple (SHACL over the whole graph, for shapes outside the scope)."""
        found = self.store.quads_for_pattern(None, None, None, ox.DefaultGraph())
        return (q for q in found if self.kept(q))

    def subclass_quads(self) -> Iterator[ox.Quad]:
        """Every kept ``rdfs:subClassOf`` triple (the data may extend the class tree)."""
        sub = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#subClassOf")
        found = self.store.quads_for_pattern(None, sub, None, ox.DefaultGraph())
        return (q for q in found if self.kept(q))

    # -- names --------------------------------------------------------------------------------
    def labels(self) -> list[tuple[str, str, bool]]:
        """``(entity, label, is_main)`` for every kept label of a kg-typed entity."""
        rows = []
        for row in self.store.query(_LABELS):
            e, label, p = row["e"], row["label"], row["p"]
            if not isinstance(e, ox.NamedNode):
                continue
            if self.replaced and not self.kept(ox.Quad(e, p, label)):
                continue
            rows.append((e.value, label.value, p.value == RDFS_LABEL))
        return rows

    def wikidata(self) -> dict[str, set[str]]:
        """Wikidata id -> the kept entities linked to it."""
        from kg.resolve import _ALL_WIKIDATA, WD

        out: dict[str, set[str]] = {}
        match = ox.NamedNode("http://www.w3.org/2004/02/skos/core#exactMatch")
        for row in self.store.query(_ALL_WIKIDATA):
            e, wd = row["e"], row["wd"]
            if self.replaced and not self.kept(ox.Quad(e, match, wd)):
                continue
            out.setdefault(wd.value[len(WD) :], set()).add(e.value)
        return out

    def owner(self, iri: str, replacing: set[str]) -> str | None:
        """The source document that describes ``iri`` (``dct:source``), but a replaced one."""
        node = ox.NamedNode(iri)
        found = self.store.quads_for_pattern(
            node, ox.NamedNode(DCT_SOURCE), None, ox.DefaultGraph()
        )
        owners = [str(q.object.value) for q in found if self.kept(q)]
        owners = [o for o in owners if o not in replacing]
        return owners[-1] if owners else None

    def is_document(self, iri: str, replacing: set[str]) -> bool:
        """Whether ``iri`` is a kept source document the batch does not replace."""
        if iri in replacing:
            return False
        quad = ox.Quad(ox.NamedNode(iri), ox.NamedNode(RDF_TYPE), ox.NamedNode(SOURCE_DOCUMENT))
        return quad in self.store and self.kept(quad)


def _ox(term: Any) -> Any:
    """An N-Triples IRI or blank node (``<iri>``, ``_:b``: :mod:`kg.sources.triples`) or an
    rdflib term as Oxigraph's (Oxigraph terms pass through; literals are never asked about
    as N-Triples text)."""
    if type(term) is str:  # not an rdflib term, also a str
        if term[:1] == "<":
            return ox.NamedNode(term[1:-1])
        return ox.BlankNode(term[2:]) if term[:2] == "_:" else None
    if isinstance(term, ox.NamedNode | ox.BlankNode | ox.Literal):
        return term
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        from kg.backends.oxconvert import to_oxigraph

        return to_oxigraph(term)
    return None


def project_names(project: ProjectStore, schema: Any, vocab: Any, replacing: set[str]) -> Any:
    """The names, owners and source documents a batch is compiled against.

    Labels and Wikidata links are read in one query each; whether an IRI, an owner or a
    document exists is asked of the store's index for the few IRIs a batch names.

    Parameters
    ----------
    project:
        The project's store.
    schema:
        The ontology and vocabularies (an rdflib Graph).
    vocab:
        Their :class:`kg.sources.terms.Vocabulary`.
    replacing:
        IRIs of the source documents the batch replaces.

    Returns
    -------
    kg.sources.build.ProjectNames
    """
    from kg.resolve import NameIndex
    from kg.sources.build import ProjectNames

    base = _schema_names(schema)
    wikidata = {k: set(v) for k, v in base.wikidata.items()}
    for qid, iris in project.wikidata().items():
        wikidata.setdefault(qid, set()).update(iris)
    index = NameIndex(base.labels + project.labels(), wikidata)
    index.iris = _Iris(base.iris | index.iris, project)  # type: ignore[assignment]
    return ProjectNames(vocab, index, _Owners(project, replacing), _Documents(project, replacing))


_SCHEMA_NAMES: dict[int, tuple[Any, Any]] = {}


def _schema_names(schema: Any) -> Any:
    from kg.resolve import NameIndex

    if id(schema) not in _SCHEMA_NAMES:
        _SCHEMA_NAMES.clear()
        _SCHEMA_NAMES[id(schema)] = (schema, NameIndex.from_graph(schema))
    return _SCHEMA_NAMES[id(schema)][1]


class _Iris:
    """The IRIs a graph names: known ones, else asked of the store."""

    def __init__(self, known: set[str], project: ProjectStore) -> None:
        self.known, self.project = known, project

    def __contains__(self, iri: object) -> bool:
        return iri in self.known or (isinstance(iri, str) and self.project.has_iri(iri))

    def add(self, iri: str) -> None:
        self.known.add(iri)


class _Owners:
    """IRI -> the source document describing it (``dict.get`` only), asked of the store."""

    def __init__(self, project: ProjectStore, replacing: set[str]) -> None:
        self.project, self.replacing = project, replacing

    def get(self, iri: str, default: str | None = None) -> str | None:
        return self.project.owner(iri, self.replacing) or default


class _Documents:
    """The source documents of the project (``in`` only), asked of the store."""

    def __init__(self, project: ProjectStore, replacing: set[str]) -> None:
        self.project, self.replacing = project, replacing

    def __contains__(self, iri: object) -> bool:
        return isinstance(iri, str) and self.project.is_document(iri, self.replacing)
