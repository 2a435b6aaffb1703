"""The index a reconciliation service answers from: the graph's labelled entities.

Built once (four plain SPARQL queries through ``KnowledgeGraph.query``, so any backend
works): each entity's labels (``rdfs:label`` first, then ``skos:altLabel``), its classes with
their superclasses, and its ``kg:`` property values. A query is scored with rapidfuzz's
``token_sort_ratio`` against the preprocessed labels of the entities of the requested types
(``process.extract``, in C); an alias counts :data:`ALIAS_PENALTY` points less than a label;
with properties, 70% name and 30% the share of properties whose value agrees. ``match`` is
set on a clear winner at or above :data:`MATCH_THRESHOLD`.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any

from rdflib import Literal, URIRef

from kg.errors import KgError
from kg.linking.candidates import Candidate, mark_matches
from kg.linking.reconcile_queries import CLASS_LABELS, ENTITIES, SUPERCLASSES, VALUES
from kg.linking.sparql import select
from kg.namespaces import KG, KGR, shorten

__all__ = ["MATCH_THRESHOLD", "Entry", "ReconciliationError", "ReconciliationIndex"]

MATCH_THRESHOLD = 90.0
#: Points taken off a match on an alias (skos:altLabel) rather than a label (rdfs:label).
ALIAS_PENALTY = 5.0
MAX_QUERIES = 200
MAX_LIMIT = 100
DEFAULT_LIMIT = 10


class ReconciliationError(KgError, ValueError):
    """A reconciliation request that is not well-formed (answered HTTP 400); also a
    :class:`ValueError`.

    Example
    -------
    >>> str(ReconciliationError("q0: limit must be a positive integer"))
    'q0: limit must be a positive integer'
    """


@dataclass
class Entry:
    """One entity of the index: labels, types (with superclasses) and property values."""

    iri: URIRef
    labels: list[str] = field(default_factory=list)
    types: set[URIRef] = field(default_factory=set)
    asserted: set[URIRef] = field(default_factory=set)
    main_labels: int = 0
    values: dict[str, set[str]] = field(default_factory=dict)


@dataclass
class ReconciliationIndex:
    """The graph's labelled entities, ready to be matched against reconciliation queries.

    Parameters
    ----------
    entries:
        Entity IRI -> :class:`Entry`.
    class_labels:
        Class IRI -> its label, for the ``type`` objects of the answers.

    Returns
    -------
    ReconciliationIndex

    Example
    -------
    >>> from rdflib import Graph
    >>> g = Graph().parse(format="turtle", data='''
    ... @prefix kg: <https://w3id.org/kg-ir/ontology#> .
    ... @prefix kgr: <https://w3id.org/kg-ir/resource/> .
    ... @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
    ... kgr:Armenia a kg:State ; rdfs:label "Armenia"@en ; kg:memberOf kgr:CSTO .
    ... kgr:CSTO a kg:MilitaryAlliance ; rdfs:label "CSTO"@en .''')
    >>> index = ReconciliationIndex.from_graph(g)
    >>> answer = index.reconcile({"q0": {"query": "armenia", "type": "State",
    ...                                  "properties": [{"pid": "memberOf", "v": {"id": "CSTO"}}]}})
    >>> [(r["id"], r["score"], r["match"]) for r in answer["q0"]["result"]]
    [('Armenia', 100.0, True)]
    """

    entries: dict[URIRef, Entry]
    class_labels: dict[URIRef, str]
    superclasses: dict[URIRef, set[URIRef]] = field(default_factory=dict)
    _tables: dict[frozenset, tuple[list, list]] = field(default_factory=dict, repr=False)

    @classmethod
    def from_graph(cls, graph: Any) -> ReconciliationIndex:
        """Build the index with four SPARQL queries on ``graph``.

        Parameters
        ----------
        graph:
            A ``kg.KnowledgeGraph`` or an rdflib graph.

        Returns
        -------
        ReconciliationIndex

        Example
        -------
        >>> from rdflib import Graph
        >>> ReconciliationIndex.from_graph(Graph()).entries
        {}
        """
        schema = cls.schema_of(graph)
        supers = schema.superclasses
        entries: dict[URIRef, Entry] = {}
        for row in select(graph, ENTITIES):
            entity, cls_iri = row["entity"], row["class"]
            entry = entries.get(entity) or entries.setdefault(entity, Entry(entity))
            label = str(row["label"])
            if label not in entry.labels:
                entry.labels.append(label)
            entry.asserted.add(cls_iri)
            entry.types |= supers.setdefault(cls_iri, {cls_iri})
        for entry in entries.values():
            entry.main_labels = len(entry.labels)
        for row in select(graph, VALUES):
            found = entries.get(row["entity"])
            if found is None or not isinstance(row.get("o"), URIRef | Literal):
                continue
            prop, value = str(row["p"]), str(row["o"])
            found.values.setdefault(prop, set()).add(value)
            if prop.endswith("#altLabel") and value not in found.labels:
                found.labels.append(value)
        # An entity value is also matched by its labels ("memberOf": "CSTO").
        by_text = {str(iri): entry for iri, entry in entries.items()}
        for entry in entries.values():
            for values in entry.values.values():
                for value in list(values):
                    other = by_text.get(value)
                    if other is not None:
                        values.update(other.labels[: other.main_labels])
        return cls(entries, schema.class_labels, supers)

    @classmethod
    def schema_of(cls, graph: Any) -> ReconciliationIndex:
        """An index of the ontology's classes only (no entities): what the manifest needs.

        Two small queries over the class tree, whatever the graph's size.

        Example
        -------
        >>> from rdflib import Graph
        >>> ReconciliationIndex.schema_of(Graph()).manifest("http://h")["defaultTypes"][0]
        {'id': 'State', 'name': 'kg:State'}
        """
        supers: dict[URIRef, set[URIRef]] = {}
        for row in select(graph, SUPERCLASSES):
            supers.setdefault(row["class"], {row["class"]}).add(row["super"])
        labels = {r["class"]: str(r["label"]) for r in select(graph, CLASS_LABELS)}
        return cls({}, labels, supers)

    def manifest(self, base_url: str) -> dict[str, Any]:
        """The service manifest, with view and preview URLs under ``base_url``.

        Parameters
        ----------
        base_url:
            The server's root, e.g. ``http://127.0.0.1:8000``.

        Returns
        -------
        dict

        Example
        -------
        >>> ReconciliationIndex({}, {}).manifest("http://127.0.0.1:8000")["identifierSpace"]
        'https://w3id.org/kg-ir/resource/'
        """
        base = base_url.rstrip("/")
        defaults = [KG.State, KG.InternationalOrganization, KG.Person, KG.Place, KG.Event]
        return {
            "versions": ["0.2"],
            "name": "kg: international relations knowledge graph",
            "identifierSpace": str(KGR),
            "schemaSpace": str(KG),
            "defaultTypes": [self._type(t) for t in defaults],
            "view": {"url": str(KGR) + "{{id}}"},
            "preview": {"url": base + "/reconcile/preview?id={{id}}", "width": 400, "height": 120},
        }

    def reconcile(self, queries: Any) -> dict[str, Any]:
        """Answer a batch of reconciliation queries.

        Parameters
        ----------
        queries:
            The decoded ``queries`` object: key -> query object.

        Returns
        -------
        dict
            key -> ``{"result": [...]}``.

        Raises
        ------
        ReconciliationError
            Naming the key and the field that is wrong.

        Example
        -------
        >>> ReconciliationIndex({}, {}).reconcile({"q0": {"query": "x", "limit": -1}})
        Traceback (most recent call last):
        ...
        kg.linking.reconcile_index.ReconciliationError: q0: limit must be a positive integer
        """
        if not isinstance(queries, dict) or not queries:
            raise ReconciliationError("queries must be a non-empty JSON object of keyed queries")
        if len(queries) > MAX_QUERIES:
            raise ReconciliationError(f"at most {MAX_QUERIES} queries per batch")
        return {key: {"result": self._answer(key, q)} for key, q in queries.items()}

    def preview(self, identifier: str) -> str | None:
        """A small HTML card for one entity (every text escaped).

        Parameters
        ----------
        identifier:
            The entity's id (local name under ``kgr:``) or full IRI.

        Returns
        -------
        str or None
            ``None`` for an unknown entity.

        Example
        -------
        >>> ReconciliationIndex({}, {}).preview("Atlantis") is None
        True
        """
        entry = self.entries.get(self._iri(identifier))
        if entry is None:
            return None
        types = ", ".join(sorted(self.class_labels.get(t, shorten(t)) for t in entry.types))
        return (
            "<!doctype html><html><body style='font:14px sans-serif;margin:4px'>"
            f"<b>{html.escape(entry.labels[0])}</b><br><small>{html.escape(types)}</small><br>"
            f"<code>{html.escape(str(entry.iri))}</code></body></html>"
        )

    # -- internals ---------------------------------------------------------------------------

    def _answer(self, key: str, query: Any) -> list[dict[str, Any]]:
        if isinstance(query, str):  # the old short form: just the text
            query = {"query": query}
        if not isinstance(query, dict):
            raise ReconciliationError(f"{key}: a query must be a JSON object")
        text = query.get("query", "")
        props = query.get("properties") or []
        if not isinstance(text, str) or (not text.strip() and not props):
            raise ReconciliationError(f"{key}: query must be a non-empty string")
        limit = query.get("limit", DEFAULT_LIMIT)
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
            raise ReconciliationError(f"{key}: limit must be a positive integer")
        types = query.get("type")
        types = [types] if isinstance(types, str) else types or []
        if not isinstance(types, list) or not all(isinstance(t, str) for t in types):
            raise ReconciliationError(f"{key}: type must be a type id or a list of them")
        if not isinstance(props, list) or not all(
            isinstance(p, dict) and isinstance(p.get("pid"), str) and "v" in p for p in props
        ):
            raise ReconciliationError(f"{key}: properties must be a list of {{pid, v}} objects")
        wanted = frozenset(self._type_iri(t) for t in types)
        limit = min(limit, MAX_LIMIT)
        if text.strip():
            scored = self._by_name(text, wanted, limit)
        else:  # properties only: every entity of the types is a candidate
            scored = {e.iri: (0.0, e.labels[0]) for e in self._of_types(wanted)}
        candidates = []
        for iri, (name_score, name) in scored.items():
            score = name_score
            if props:
                entry = self.entries[iri]
                agree = sum(self._agrees(entry, p["pid"], p["v"]) for p in props) / len(props)
                score = 100.0 * agree if not text.strip() else 0.7 * name_score + 30.0 * agree
            if score > 0:
                candidates.append(Candidate(str(iri), name, round(score, 1)))
        ranked = mark_matches(candidates, MATCH_THRESHOLD)[:limit]
        return [self._result(c) for c in ranked]

    def _by_name(self, text: str, wanted: frozenset, limit: int) -> dict[URIRef, tuple[float, str]]:
        """Best name score per entity, for the entities whose labels score highest."""
        from rapidfuzz import fuzz, process, utils

        choices, owners = self._label_table(wanted)
        # Enough label hits to fill ``limit`` entities even when some share them.
        hits = process.extract(
            utils.default_process(text),
            choices,
            scorer=fuzz.token_sort_ratio,
            processor=None,
            limit=max(4 * limit, 50),
        )
        best: dict[URIRef, tuple[float, str]] = {}
        for _, raw, position in hits:
            iri, label, alias = owners[position]
            score = raw - ALIAS_PENALTY if alias else raw  # "Baku" names the city first
            if score > best.get(iri, (-1.0, ""))[0]:
                best[iri] = (score, label)
        return best

    def _label_table(self, wanted: frozenset) -> tuple[list[str], list[tuple[URIRef, str, bool]]]:
        """Preprocessed labels of the entities of ``wanted`` types, and whose each one is."""
        from rapidfuzz import utils

        if wanted not in self._tables:
            choices, owners = [], []
            for entry in self._of_types(wanted):
                for i, label in enumerate(entry.labels):
                    choices.append(utils.default_process(label))
                    owners.append((entry.iri, label, i >= entry.main_labels))
            self._tables[wanted] = (choices, owners)
        return self._tables[wanted]

    def _of_types(self, wanted: frozenset) -> list[Entry]:
        return [e for e in self.entries.values() if not wanted or wanted & e.types]

    def _agrees(self, entry: Entry, pid: str, value: Any) -> bool:
        from rapidfuzz import fuzz, utils

        have = entry.values.get(self._property_iri(pid), set())
        wanted = value if isinstance(value, list) else [value]
        for v in wanted:
            if isinstance(v, dict) and isinstance(v.get("id"), str):
                if str(self._iri(v["id"])) in have or v["id"] in have:
                    return True
            elif (
                isinstance(v, str | int | float)
                and not isinstance(v, bool)
                and any(fuzz.ratio(str(v), h, processor=utils.default_process) >= 90 for h in have)
            ):
                return True
        return False

    def _result(self, candidate: Candidate) -> dict[str, Any]:
        entry = self.entries[URIRef(candidate.id)]
        most_specific = [
            c
            for c in entry.asserted
            if not any(o != c and c in self.superclasses.get(o, ()) for o in entry.asserted)
        ]
        return {
            "id": self._id(entry.iri),
            "name": entry.labels[0],
            "score": candidate.score,
            "match": candidate.match,
            "type": [self._type(t) for t in sorted(most_specific)],
            "description": ", ".join(
                self.class_labels.get(t, shorten(t)) for t in sorted(most_specific)
            ),
        }

    def _type(self, cls: URIRef) -> dict[str, str]:
        return {"id": str(cls)[len(str(KG)) :], "name": self.class_labels.get(cls, shorten(cls))}

    @staticmethod
    def _iri(identifier: str) -> URIRef:
        return URIRef(identifier if "://" in identifier else str(KGR) + identifier)

    @staticmethod
    def _id(iri: URIRef) -> str:
        return str(iri)[len(str(KGR)) :] if str(iri).startswith(str(KGR)) else str(iri)

    @staticmethod
    def _type_iri(type_id: str) -> URIRef:
        return URIRef(type_id if "://" in type_id else str(KG) + type_id.removeprefix("kg:"))

    @staticmethod
    def _property_iri(pid: str) -> str:
        if "://" in pid:
            return pid
        if pid.startswith("skos:"):
            return "http://www.w3.org/2004/02/skos/core#" + pid[5:]
        return str(KG) + pid.removeprefix("kg:")
