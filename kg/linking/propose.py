"""Proposing links: candidates for our entities, as the rows of a review file.

``kg link --propose FILE``: :func:`propose` asks a candidate source (a SPARQL endpoint or a
reconciliation service) about the entities not yet linked and gives one
:class:`~kg.linking.review.ReviewRow` per candidate, pre-accepted only for a clear match at or
above the threshold; :func:`kg.linking.review.write_review` writes them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from kg.errors import BadOptionError
from kg.linking.candidates import ReconQuery
from kg.linking.datasets import DATASETS
from kg.linking.identifiers import EntityLinks
from kg.linking.review import ReviewRow

__all__ = ["proposal_rows", "propose", "recon_queries"]


def proposal_rows(
    entities: Sequence[EntityLinks],
    candidates: dict[str, list],
    *,
    dataset: str,
    threshold: float,
    source: str,
    method: str,
    per_entity: int = 3,
) -> list[ReviewRow]:
    """Turn candidates into review rows, pre-accepting only clear matches over the threshold.

    Parameters
    ----------
    entities:
        The entities that were looked up (see :func:`recon_queries`).
    candidates:
        Entity IRI -> scored candidates, best first (a reconciliation client's answer).
    dataset:
        The dataset name.
    threshold:
        The least score of a match.
    source, method:
        For the row's provenance columns.
    per_entity:
        Most candidates listed per entity.

    Returns
    -------
    list[ReviewRow]
        Entities without a candidate get one row with an empty candidate.

    Example
    -------
    >>> from kg.linking.candidates import Candidate
    >>> from rdflib import URIRef
    >>> from kg.namespaces import KG
    >>> e = EntityLinks(URIRef("https://w3id.org/kg-ir/resource/Baku"), "Baku", KG.Settlement)
    >>> c = [Candidate("http://www.wikidata.org/entity/Q9248", "Baku", 100.0, match=True),
    ...      Candidate("http://www.wikidata.org/entity/Q9", "Bakus", 88.9)]
    >>> rows = proposal_rows([e], {str(e.entity): c}, dataset="wikidata", threshold=90,
    ...                      source="local", method="test")
    >>> [(r.candidate.rsplit("/", 1)[1], r.score, r.decision) for r in rows]
    [('Q9248', 100.0, 'accept'), ('Q9', 88.9, '')]
    """
    rows = []
    for entity in entities:
        found = candidates.get(str(entity.entity), [])[:per_entity]
        base: dict[str, Any] = {
            "entity": str(entity.entity),
            "label": entity.label,
            "kind": _short(entity.kind),
            "dataset": dataset,
            "threshold": float(threshold),
            "reviewer": "",
            "source": source,
            "method": method,
        }
        if not found:
            rows.append(
                ReviewRow(
                    **base,
                    candidate="",
                    candidate_label="",
                    candidate_description="",
                    score=0.0,
                    match="",
                    decision="",
                )
            )
        for cand in found:
            clear = cand.match and cand.score >= threshold
            rows.append(
                ReviewRow(
                    **base,
                    candidate=cand.id,
                    candidate_label=cand.name,
                    candidate_description=cand.description,
                    score=float(cand.score),
                    match="yes" if clear else "",
                    decision="accept" if clear else "",
                )
            )
    return rows


def propose(
    graph: Any,
    source: Any,
    *,
    dataset: str = "wikidata",
    threshold: float = 90.0,
    entities: Sequence[str] | None = None,
) -> list[ReviewRow]:
    """Look up candidates for entities of ``graph`` and return the rows of a review file.

    Parameters
    ----------
    graph:
        Our graph.
    source:
        A candidate source: :class:`~kg.linking.reconcile_client.SparqlCandidates` or
        :class:`~kg.linking.reconcile_client.ReconciliationServiceCandidates` (whose
        ``identifierSpace`` must be ``dataset``'s namespace).
    dataset:
        The dataset links are proposed to (a name of :data:`kg.linking.datasets.DATASETS`).
    threshold:
        The least score of a pre-accepted clear match.
    entities:
        IRIs of the entities to look up; default every linkable entity not yet linked to
        ``dataset``.

    Returns
    -------
    list[ReviewRow]
        Pass them to :func:`write_review`.

    Raises
    ------
    BadOptionError
        An entity that is not a linkable entity of the graph, or a service of another dataset.

    Example
    -------
    >>> from rdflib import Graph
    >>> from kg.linking.reconcile_client import SparqlCandidates
    >>> propose(Graph(), SparqlCandidates("http://127.0.0.1:9/sparql"), entities=["urn:x"])
    Traceback (most recent call last):
    ...
    kg.errors.BadOptionError: not a linkable entity of the graph: urn:x
    """
    from kg.linking.identifiers import entity_links
    from kg.linking.sparql import select

    target = DATASETS[dataset]
    reports = entity_links(graph)
    if entities:
        wanted = {str(e) for e in entities}
        unknown = wanted - {str(r.entity) for r in reports}
        if unknown:
            raise BadOptionError(f"not a linkable entity of the graph: {sorted(unknown)[0]}")
        reports = [r for r in reports if str(r.entity) in wanted]
    else:
        reports = [r for r in reports if not r.links.get(dataset) and r.kind is not None]
    where = getattr(source, "endpoint", None) or source.url
    if hasattr(source, "manifest"):
        space = source.manifest()["identifierSpace"]
        if space != target.namespace:
            raise BadOptionError(
                f"{where} reconciles against {space}, not {target.title} ({target.namespace}): "
                "choose the matching dataset or service"
            )
    aliases: dict[str, list[str]] = {}
    query = "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
    for row in select(graph, query + "SELECT ?s ?alt WHERE { ?s skos:altLabel ?alt }"):
        aliases.setdefault(str(row["s"]), []).append(str(row["alt"]))
    found = source.candidates(recon_queries(reports, aliases), threshold)
    return proposal_rows(
        reports, found, dataset=dataset, threshold=threshold, source=where, method=source.method
    )


def recon_queries(entities: Sequence[EntityLinks], aliases: dict[str, list[str]] | None = None):
    """Build the reconciliation queries for ``entities`` (key: the entity's IRI).

    Parameters
    ----------
    entities:
        From :func:`kg.linking.identifiers.entity_links`.
    aliases:
        Entity IRI -> other labels.

    Returns
    -------
    list[ReconQuery]

    Example
    -------
    >>> from rdflib import URIRef
    >>> from kg.namespaces import KG
    >>> e = EntityLinks(URIRef("https://w3id.org/kg-ir/resource/CSTO"), "CSTO", KG.State)
    >>> recon_queries([e], {str(e.entity): ["Collective Security Treaty"]})[0].variants()
    ['CSTO', 'Collective Security Treaty']
    """
    aliases = aliases or {}
    return [
        ReconQuery(str(e.entity), e.label, e.kind, tuple(aliases.get(str(e.entity), ())))
        for e in entities
    ]


def _short(iri: Any) -> str:
    if iri is None:
        return ""
    from kg.namespaces import shorten

    return shorten(str(iri))
