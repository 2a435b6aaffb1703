"""Candidates for our entities in an external dataset, with scores.

Two sources of candidates, one interface (``candidates(queries) -> {key: [Candidate]}``):

- :class:`SparqlCandidates` asks a SPARQL endpoint (Wikidata's query service by default) for
  items whose label or alias is exactly one of the label's variants, in one query per batch,
  labels sent as escaped literals;
- :class:`ReconciliationServiceCandidates` asks a W3C Reconciliation API v0.2 service
  (OpenRefine's protocol), e.g. another ``kg serve``.

Both score every candidate the same way (:mod:`kg.linking.candidates`), so that one threshold
means the same for both.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from rdflib import Literal, URIRef

from kg.linking.candidates import (
    TYPE_PENALTY,
    WIKIDATA_TYPES,
    Candidate,
    ReconQuery,
    mark_matches,
    score_candidate,
)
from kg.linking.datasets import DATASETS
from kg.linking.http_client import ExternalServiceError, HttpClient
from kg.linking.sparql import rows_from_json, values_rows
from kg.namespaces import KG

WIKIDATA_SPARQL = "https://query.wikidata.org/sparql"
_WD = DATASETS["wikidata"].namespace

__all__ = [
    "TYPE_PENALTY",
    "WIKIDATA_SPARQL",
    "WIKIDATA_TYPES",
    "Candidate",
    "ReconQuery",
    "ReconciliationServiceCandidates",
    "SparqlCandidates",
    "mark_matches",
    "score_candidate",
]

_SPARQL_CANDIDATES = """\
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX wdt: <http://www.wikidata.org/prop/direct/>
PREFIX schema: <http://schema.org/>
SELECT ?key ?item ?name ?type ?description WHERE {
  %s
  { ?item rdfs:label ?q } UNION { ?item skos:altLabel ?q }
  { ?item rdfs:label ?name } UNION { ?item skos:altLabel ?name }
  FILTER(LANG(?name) = LANG(?q))
  OPTIONAL { ?item wdt:P31 ?type }
  OPTIONAL { ?item schema:description ?description FILTER(LANG(?description) = LANG(?q)) }
}"""


@dataclass
class SparqlCandidates:
    """Candidates from a SPARQL endpoint holding Wikidata-shaped data.

    Parameters
    ----------
    endpoint:
        The SPARQL endpoint (Wikidata's query service by default).
    http:
        The HTTP client (User-Agent, rate limit, retries, cache).
    language:
        The language tag of the labels to match.
    limit:
        Most candidates kept per query.
    batch:
        Labels per SPARQL request.

    Returns
    -------
    SparqlCandidates

    Example
    -------
    >>> SparqlCandidates().endpoint
    'https://query.wikidata.org/sparql'
    """

    endpoint: str = WIKIDATA_SPARQL
    http: HttpClient = field(default_factory=HttpClient)
    language: str = "en"
    limit: int = 5
    batch: int = 20
    expected_types: dict[URIRef, tuple[str, ...]] = field(default_factory=lambda: WIKIDATA_TYPES)

    @property
    def method(self) -> str:
        """How candidates are found, for the provenance of the links made from them."""
        return "SPARQL exact label/alias match, rapidfuzz token_sort_ratio"

    def candidates(
        self, queries: Sequence[ReconQuery], threshold: float = 90.0
    ) -> dict[str, list[Candidate]]:
        """Find and score candidates for each query.

        Parameters
        ----------
        queries:
            What to look for.
        threshold:
            The least score of a ``match``.

        Returns
        -------
        dict[str, list[Candidate]]
            Query key -> candidates, best first.

        Example
        -------
        >>> SparqlCandidates("http://127.0.0.1:9/sparql").candidates([])
        {}
        """
        found: dict[str, dict[str, dict[str, set]]] = {q.key: {} for q in queries}
        for start in range(0, len(queries), self.batch):
            chunk = queries[start : start + self.batch]
            rows = [
                (Literal(str(i)), Literal(v, lang=self.language))
                for i, q in enumerate(chunk)
                for v in q.variants()
            ]
            if not rows:
                continue
            text = _SPARQL_CANDIDATES % values_rows(["key", "q"], rows)
            answer = self.http.sparql(self.endpoint, text)
            for row in rows_from_json(answer):
                try:
                    query = chunk[int(str(row.get("key")))]
                except (ValueError, IndexError):
                    continue
                if not isinstance(row.get("item"), URIRef) or "name" not in row:
                    continue
                item = found[query.key].setdefault(
                    str(row["item"]), {"names": set(), "types": set(), "desc": set()}
                )
                item["names"].add(str(row["name"]))
                if isinstance(row.get("type"), URIRef):
                    item["types"].add(str(row["type"]))
                if "description" in row:
                    item["desc"].add(str(row["description"]))
        return {q.key: self._score(q, found[q.key], threshold) for q in queries}

    def _score(
        self, query: ReconQuery, items: dict[str, dict[str, set]], threshold: float
    ) -> list[Candidate]:
        kinds = self.expected_types.get(query.kind, ()) if query.kind is not None else ()
        expected = [_WD + t for t in kinds]
        scored = []
        for iri, item in items.items():
            types = sorted(item["types"])
            score, name = score_candidate(query, sorted(item["names"]), types, expected)
            scored.append(Candidate(iri, name, score, tuple(types), min(item["desc"], default="")))
        return mark_matches(scored, threshold)[: self.limit]


@dataclass
class ReconciliationServiceCandidates:
    """Candidates from a W3C Reconciliation Service API v0.2 endpoint.

    Parameters
    ----------
    url:
        The service root (its GET answers the manifest).
    http:
        The HTTP client.
    limit:
        Most candidates asked for per query.
    type_ids:
        Our class -> the service's type id to send; by default Wikidata's classes when the
        service's identifier space is Wikidata's, our own class names when it is a kg graph.

    Returns
    -------
    ReconciliationServiceCandidates

    Example
    -------
    >>> ReconciliationServiceCandidates("http://127.0.0.1:8000/reconcile").method
    'W3C Reconciliation API v0.2, rescored with rapidfuzz token_sort_ratio'
    """

    url: str
    http: HttpClient = field(default_factory=HttpClient)
    limit: int = 5
    type_ids: dict[URIRef, str] | None = None
    _manifest: dict[str, Any] | None = field(default=None, repr=False)

    @property
    def method(self) -> str:
        """How candidates are found, for the provenance of the links made from them."""
        return "W3C Reconciliation API v0.2, rescored with rapidfuzz token_sort_ratio"

    def manifest(self) -> dict[str, Any]:
        """Fetch and check the service manifest (``versions``, ``identifierSpace`` ...).

        Parameters
        ----------
        None

        Returns
        -------
        dict
            The manifest.

        Example
        -------
        >>> ReconciliationServiceCandidates("ftp://x").manifest()
        Traceback (most recent call last):
        ...
        kg.linking.http_client.ExternalServiceError: ftp://x: not an http(s) address
        """
        if self._manifest is None:
            manifest = self.http.get_json(self.url)
            if not isinstance(manifest, dict):
                raise ExternalServiceError("the manifest is not a JSON object", path=self.url)
            for key in ("name", "identifierSpace", "schemaSpace"):
                if not isinstance(manifest.get(key), str):
                    raise ExternalServiceError(f"the manifest has no {key!r}", path=self.url)
            versions = manifest.get("versions", ["0.1"])
            if not isinstance(versions, list) or not any(str(v).startswith("0.") for v in versions):
                raise ExternalServiceError(
                    f"unsupported reconciliation versions {versions!r}", path=self.url
                )
            self._manifest = manifest
        return self._manifest

    def candidates(
        self, queries: Sequence[ReconQuery], threshold: float = 90.0
    ) -> dict[str, list[Candidate]]:
        """Send the queries as one batch and rescore the answers.

        Parameters
        ----------
        queries:
            What to look for.
        threshold:
            The least score of a ``match``.

        Returns
        -------
        dict[str, list[Candidate]]
            Query key -> candidates, best first.

        Example
        -------
        >>> c = ReconciliationServiceCandidates("http://127.0.0.1:9/r", HttpClient(cache_dir=None,
        ...                                     retries=0))
        >>> c.candidates([ReconQuery("k", "Baku")])
        Traceback (most recent call last):
        ...
        kg.linking.http_client.ExternalServiceError: http://127.0.0.1:9/r: cannot connect ...
        """
        manifest = self.manifest()
        space = manifest["identifierSpace"]
        type_ids = self.type_ids if self.type_ids is not None else _default_type_ids(manifest)
        batch: dict[str, dict[str, Any]] = {}
        for i, query in enumerate(queries):
            q: dict[str, Any] = {"query": query.label, "limit": self.limit}
            if query.kind in type_ids:
                q["type"] = type_ids[query.kind]
            batch[f"q{i}"] = q
        if not batch:
            return {}
        answer = self.http.post_json(self.url, {"queries": json.dumps(batch)})
        if not isinstance(answer, dict):
            raise ExternalServiceError("the answer to a batch is not a JSON object", path=self.url)
        results = {}
        for i, query in enumerate(queries):
            entry = answer.get(f"q{i}")
            if not isinstance(entry, dict) or not isinstance(entry.get("result"), list):
                raise ExternalServiceError(
                    f"the answer has no result list for query q{i}", path=self.url
                )
            scored = []
            for item in entry["result"]:
                if not isinstance(item, dict) or not isinstance(item.get("id"), str):
                    raise ExternalServiceError(f"a candidate for q{i} has no id", path=self.url)
                iri = item["id"] if "://" in item["id"] else space + item["id"]
                types = tuple(
                    _expand(str(t.get("id")), manifest["schemaSpace"])
                    for t in item.get("type") or []
                    if isinstance(t, dict) and isinstance(t.get("id"), str)
                )
                names = [str(item.get("name") or item["id"])]
                expected = (
                    [_expand(type_ids[query.kind], manifest["schemaSpace"])]
                    if query.kind in type_ids
                    else []
                )
                score, name = score_candidate(query, names, types, expected)
                scored.append(
                    Candidate(iri, name, score, types, str(item.get("description") or ""))
                )
            results[query.key] = mark_matches(scored, threshold)[: self.limit]
        return results


def _default_type_ids(manifest: dict[str, Any]) -> dict[URIRef, str]:
    if manifest.get("schemaSpace") == str(KG):
        return {cls: cls[len(str(KG)) :] for cls in WIKIDATA_TYPES}
    if manifest.get("identifierSpace") == _WD:
        return {cls: types[0] for cls, types in WIKIDATA_TYPES.items()}
    return {}


def _expand(type_id: str, schema_space: str) -> str:
    return type_id if "://" in type_id else schema_space + type_id
