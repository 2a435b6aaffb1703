"""Name an entity the way a user would: by label, IRI, prefixed name or Wikidata id.

``resolve(source, "Armenia")``, ``resolve(source, "kgr:Armenia")``, ``resolve(source, "Q399")``
and ``resolve(source, "https://w3id.org/kg-ir/resource/Armenia")`` all give the same IRI. A
label matches ``rdfs:label``, ``skos:prefLabel`` or ``skos:altLabel`` ignoring case; when
several entities match, one whose ``rdfs:label`` matches wins if it is the only such one.
An unknown or ambiguous name raises :class:`kg.errors.KgError` listing the close matches
(rapidfuzz). ``source`` is a KnowledgeGraph, an rdflib Graph, or a view (networkx graph).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from kg.errors import KgError
from kg.namespaces import ONTOLOGY_IRI, sparql_prefixes

WD = "http://www.wikidata.org/entity/"
_QID = re.compile(r"^(?:wd:)?(Q\d+)$", re.IGNORECASE)
_FULL_IRI = re.compile(r"^[a-z][a-z0-9+.-]*://\S+$", re.IGNORECASE)

_PREFIXES = sparql_prefixes("rdfs", "skos")
# Entities are the nodes typed with a class of the kg ontology (not the ontology's own terms,
# not SKOS concepts): all labels, with whether the label is the main one.
_LABELS = (
    _PREFIXES
    + """SELECT DISTINCT ?e ?label ?main WHERE {
  ?e a ?t . FILTER(STRSTARTS(STR(?t), "https://w3id.org/kg-ir/ontology#"))
  { ?e rdfs:label ?label BIND(true AS ?main) }
  UNION { ?e skos:prefLabel ?label BIND(false AS ?main) }
  UNION { ?e skos:altLabel ?label BIND(false AS ?main) }
}"""
)
_BY_WIKIDATA = (
    "SELECT DISTINCT ?e WHERE { ?e <http://www.w3.org/2004/02/skos/core#exactMatch> ?wd }"
)
_EXISTS = "ASK { { ?e ?p ?o } UNION { ?s ?p ?e } }"


__all__ = ["NameIndex", "UnknownEntityError", "resolve"]


class UnknownEntityError(KgError):
    """A name that matches no entity, or several.

    Example
    -------
    >>> isinstance(UnknownEntityError("unknown entity 'x'"), KgError)
    True
    """


def resolve(source: Any, name: str) -> str:
    """The IRI of the entity ``name`` designates.

    Parameters
    ----------
    source:
        A :class:`kg.graph.KnowledgeGraph`, an rdflib Graph, or a view (networkx graph
        whose nodes carry ``iri``, ``label`` and ``wikidata``).
    name:
        A label ("Armenia", "CSTO"), a full IRI (with or without ``<>``), a prefixed name
        (``kgr:Armenia``) or a Wikidata id (``Q399``, ``wd:Q399``).

    Returns
    -------
    str
        The entity's IRI.

    Raises
    ------
    UnknownEntityError
        ``unknown entity 'Armenai' (did you mean: Armenia <kgr:Armenia>, ...)`` or
        ``ambiguous name 'Baku': ...``.

    Example
    -------
    >>> from kg.views._fixture import fixture
    >>> g = fixture()
    >>> resolve(g, "armenia") == resolve(g, "Q399") == resolve(g, "kgr:Armenia")
    True
    >>> resolve(g, "CSTO")
    'https://w3id.org/kg-ir/resource/CSTO'
    >>> resolve(g, "Armenai")
    Traceback (most recent call last):
    ...
    kg.resolve.UnknownEntityError: unknown entity 'Armenai' (did you mean: Armenia <kgr:Armenia>...)
    >>> resolve(g, "Baku")
    Traceback (most recent call last):
    ...
    kg.resolve.UnknownEntityError: ambiguous name 'Baku': Azerbaijan <kgr:Azerbaijan>, ...
    """
    from kg.namespaces import expand, shorten

    name = " ".join(str(name).split())
    if not name:
        raise UnknownEntityError("empty entity name")
    if _is_view(source):
        return _resolve_in_view(source, name)
    iri = _as_iri(name, expand)
    if iri is not None:
        if not _select(source, _EXISTS, ask=True, e=_uri(iri)):
            raise UnknownEntityError(f"unknown entity {shorten(iri)}: not in the graph")
        return iri
    qid = _QID.match(name)
    if qid:
        rows = _select(source, _BY_WIKIDATA, wd=_uri(WD + qid.group(1).upper()))
        if len(rows) == 1:
            return str(rows[0]["e"])
        if not rows:
            raise UnknownEntityError(f"no entity is linked to Wikidata {qid.group(1).upper()}")
        return _pick(name, [(str(r["e"]), str(r["e"]), True) for r in rows])
    labels = [(str(r["e"]), str(r["label"]), bool(r["main"])) for r in _select(source, _LABELS)]
    return _pick(name, labels)


def _pick(name: str, labels: list[tuple[str, str, bool]]) -> str:
    """Choose among (iri, label, is_main_label) by an exact (case-blind) label match."""
    from kg.namespaces import shorten

    wanted = name.casefold()
    hits = [(iri, main) for iri, label, main in labels if label.casefold() == wanted]
    iris = sorted({iri for iri, _ in hits})
    if len(iris) == 1:
        return iris[0]
    if iris:
        main = sorted({iri for iri, is_main in hits if is_main})
        if len(main) == 1:
            return main[0]
        listed = ", ".join(f"{_label_of(iri, labels)} <{shorten(iri)}>" for iri in iris[:8])
        raise UnknownEntityError(f"ambiguous name {name!r}: {listed}; give an IRI to choose")
    raise UnknownEntityError(f"unknown entity {name!r}{_suggest(name, labels)}")


def _suggest(name: str, labels: list[tuple[str, str, bool]]) -> str:
    from rapidfuzz import fuzz, process

    from kg.namespaces import shorten

    choices = {i: label for i, (_, label, _) in enumerate(labels)}
    found = process.extract(name, choices, scorer=fuzz.WRatio, limit=None, score_cutoff=60)
    # equal scores in label order, not in the store's row order (which varies run to run)
    found = sorted(found, key=lambda f: (-f[1], f[0], labels[f[2]][0]))[:12]
    seen: list[str] = []
    for _, _, i in found:
        iri = labels[i][0]
        if iri not in seen:
            seen.append(iri)
    if not seen:
        return ""
    listed = ", ".join(f"{_label_of(iri, labels)} <{shorten(iri)}>" for iri in seen[:5])
    return f" (did you mean: {listed}?)"


def _label_of(iri: str, labels: list[tuple[str, str, bool]]) -> str:
    mains = sorted(label for i, label, main in labels if i == iri and main)
    others = sorted(label for i, label, main in labels if i == iri)
    return (mains or others or [iri])[0]


def _is_view(source: Any) -> bool:
    return hasattr(source, "nodes") and hasattr(source, "adj")


def _resolve_in_view(G: Any, name: str) -> str:
    from kg.namespaces import expand

    iri = _as_iri(name, expand)
    if iri is not None:
        if iri not in G:
            raise UnknownEntityError(
                f"unknown entity {name}: not in the {G.graph.get('name')} view"
            )
        return iri
    qid = _QID.match(name)
    if qid:
        hits = [n for n, d in G.nodes(data=True) if d.get("wikidata") == qid.group(1).upper()]
        if len(hits) == 1:
            return hits[0]
    labels = [(str(n), str(d.get("label", n)), True) for n, d in G.nodes(data=True)]
    return _pick(name, labels)


def _as_iri(name: str, expand: Any) -> str | None:
    if name.startswith("<") and name.endswith(">"):
        return name[1:-1]
    if ":" not in name:
        return None  # a label: neither an IRI nor a prefixed name (the common case)
    if _FULL_IRI.match(name):
        return name
    term = expand(name)
    return str(term) if term is not None else None


def _uri(iri: str) -> Any:
    from rdflib import URIRef

    if any(c.isspace() or c in '<>"{}|^`\\' for c in iri):
        raise UnknownEntityError(f"not a valid IRI: {iri!r}")
    return URIRef(iri)


def _select(source: Any, sparql: str, ask: bool = False, **bindings: Any) -> Any:
    from rdflib import Graph

    if isinstance(source, Graph):
        result = source.query(sparql, initBindings=bindings)
        if ask:
            return bool(result.askAnswer)
        names = [str(v) for v in result.vars or ()]
        return [dict(zip(names, row, strict=True)) for row in result]  # type: ignore[arg-type]
    result = source.query(sparql, **bindings)
    if ask:
        return bool(result.boolean)
    return [dict(zip(result.vars, row, strict=True)) for row in result.rows]


class NameIndex:
    """Names of a graph's entities, read once, to resolve many names quickly (as :func:`resolve`).

    ``kg add`` resolves thousands of names against the project's graph; one query for all
    labels beats one query per name. Names can be added (the entities a source file
    declares) so that they resolve too.

    Parameters
    ----------
    labels:
        ``(iri, label, is_main_label)`` triples.
    wikidata:
        Wikidata id (``Q399``) -> the IRIs linked to it.
    iris:
        Every IRI the graph describes or mentions.

    Returns
    -------
    NameIndex

    Example
    -------
    >>> from kg.views._fixture import fixture
    >>> index = NameIndex.from_graph(fixture())
    >>> index.resolve("armenia") == index.resolve("Q399") == index.resolve("kgr:Armenia")
    True
    >>> index.add("https://w3id.org/kg-ir/resource/Valdoria", "Valdoria")
    >>> index.resolve("valdoria")
    'https://w3id.org/kg-ir/resource/Valdoria'
    >>> index.resolve("Armenai")
    Traceback (most recent call last):
    ...
    kg.resolve.UnknownEntityError: unknown entity 'Armenai' (did you mean: Armenia <kgr:Armenia>...)
    """

    def __init__(
        self,
        labels: Iterable[tuple[str, str, bool]] = (),
        wikidata: dict[str, set[str]] | None = None,
        iris: set[str] | None = None,
    ) -> None:
        self.labels: list[tuple[str, str, bool]] = []
        self.by_label: dict[str, list[tuple[str, bool]]] = {}
        self.wikidata = wikidata or {}
        self.iris = set(iris or ())
        for iri, label, main in labels:
            self.add(iri, label, main)

    @classmethod
    def from_graph(cls, source: Any) -> NameIndex:
        """Read the names of ``source`` (a KnowledgeGraph or an rdflib Graph).

        Parameters
        ----------
        source:
            The graph.

        Returns
        -------
        NameIndex
        """
        from rdflib import Graph

        if isinstance(source, Graph):
            return cls(*_read_rdflib(source))
        labels = [(str(r["e"]), str(r["label"]), bool(r["main"])) for r in _select(source, _LABELS)]
        wikidata: dict[str, set[str]] = {}
        for row in _select(source, _ALL_WIKIDATA):
            wikidata.setdefault(str(row["wd"])[len(WD) :], set()).add(str(row["e"]))
        iris = {str(r["e"]) for r in _select(source, _ALL_IRIS)}
        return cls(labels, wikidata, iris)

    def add(self, iri: str, label: str, main: bool = True) -> None:
        """Make ``label`` a name of ``iri``.

        Parameters
        ----------
        iri, label, main:
            The entity, one of its names, and whether it is its main label.
        """
        self.labels.append((iri, label, main))
        self.by_label.setdefault(" ".join(label.split()).casefold(), []).append((iri, main))
        self.iris.add(iri)

    def lookup(self, name: str) -> str | None:
        """The IRI ``name`` designates, or None when it names nothing here (no suggestions
        are computed, so a miss is cheap); an ambiguous name still raises.

        Parameters
        ----------
        name:
            As for :meth:`resolve`.

        Returns
        -------
        str or None
        """
        from kg.namespaces import expand

        name = " ".join(str(name).split())
        iri = _as_iri(name, expand)
        if iri is not None:
            return iri if iri in self.iris else None
        qid = _QID.match(name)
        if qid:
            hits = self.wikidata.get(qid.group(1).upper())
            return self.resolve(name) if hits else None
        if name.casefold() not in self.by_label:
            return None
        return self.resolve(name)

    def resolve(self, name: str) -> str:
        """The IRI ``name`` designates; see :func:`resolve` for the names understood.

        Parameters
        ----------
        name:
            Label, other name, IRI, prefixed name or Wikidata id.

        Returns
        -------
        str

        Raises
        ------
        UnknownEntityError
            Unknown (with close matches) or ambiguous.
        """
        from kg.namespaces import expand, shorten

        name = " ".join(str(name).split())
        if not name:
            raise UnknownEntityError("empty entity name")
        iri = _as_iri(name, expand)
        if iri is not None:
            if iri not in self.iris:
                raise UnknownEntityError(f"unknown entity {shorten(iri)}: not in the graph")
            return iri
        qid = _QID.match(name)
        if qid:
            linked = sorted(self.wikidata.get(qid.group(1).upper(), ()))
            if len(linked) == 1:
                return linked[0]
            if not linked:
                raise UnknownEntityError(f"no entity is linked to Wikidata {qid.group(1).upper()}")
            return _pick(name, [(h, h, True) for h in linked])
        hits = self.by_label.get(name.casefold())
        if hits and len({iri for iri, _ in hits}) == 1:
            return hits[0][0]
        return _pick(name, self.labels)


_ALL_WIKIDATA = """SELECT DISTINCT ?e ?wd WHERE {
  ?e <http://www.w3.org/2004/02/skos/core#exactMatch> ?wd .
  FILTER(STRSTARTS(STR(?wd), "http://www.wikidata.org/entity/Q"))
}"""
_ALL_IRIS = """SELECT DISTINCT ?e WHERE {
  { ?e ?p ?o } UNION { ?s ?p ?e } FILTER(isIRI(?e))
}"""


def _read_rdflib(graph: Any) -> tuple[list, dict, set]:
    """What :meth:`NameIndex.from_graph` reads, straight from an rdflib Graph's index (a
    SPARQL union over every triple is slow on rdflib)."""
    from rdflib import RDF, RDFS, SKOS, URIRef

    kg = ONTOLOGY_IRI
    entities = {s for s, t in graph.subject_objects(RDF.type) if str(t).startswith(kg)}
    labels = []
    for predicate, main in ((RDFS.label, True), (SKOS.prefLabel, False), (SKOS.altLabel, False)):
        for s, label in graph.subject_objects(predicate):
            if s in entities:
                labels.append((str(s), str(label), main))
    wikidata: dict[str, set[str]] = {}
    for s, o in graph.subject_objects(SKOS.exactMatch):
        if str(o).startswith(WD + "Q"):
            wikidata.setdefault(str(o)[len(WD) :], set()).add(str(s))
    iris = {str(t) for t in graph.subjects() if isinstance(t, URIRef)}
    iris |= {str(t) for t in graph.objects() if isinstance(t, URIRef)}
    return labels, wikidata, iris
