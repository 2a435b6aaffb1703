"""Apply a reviewed file: add the accepted links, each with PROV-O provenance.

Accepted links go to a separate links file (``data/links.ttl`` by default), each triple
``<entity> skos:exactMatch <candidate>`` annotated with an ``owl:Axiom`` (the project's way to
source one triple) that says who (``prov:wasAttributedTo``), when (``prov:generatedAtTime``)
and how (``prov:wasGeneratedBy`` an activity, ``dct:source`` the service, ``kg:note`` the
method and score). The file is written through a temporary file and renamed, after every row
has been checked, so a bad row or a failure leaves it as it was.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef

from kg.files import write_text_atomically
from kg.linking.datasets import DATASETS, LINK_PREDICATE
from kg.linking.review import ReviewFileError, ReviewRow, read_review
from kg.namespaces import DCT, KG, OWL, PROV, RDF, RDFS, XSD, bind_prefixes

__all__ = ["AcceptReport", "accept_links", "default_agent"]


@dataclass
class AcceptReport:
    """What :func:`accept_links` did.

    Parameters
    ----------
    written:
        (entity, candidate) pairs newly linked.
    already:
        Pairs that were linked already.
    skipped:
        Rows rejected or left undecided.
    path:
        The links file.

    Returns
    -------
    AcceptReport

    Example
    -------
    >>> AcceptReport([], [], 2, Path("links.ttl")).skipped
    2
    """

    written: list[tuple[str, str]]
    already: list[tuple[str, str]]
    skipped: int
    path: Path


def accept_links(
    graph: Any,
    review: str | Path,
    links_path: str | Path,
    *,
    agent: str,
    when: datetime.datetime | None = None,
) -> AcceptReport:
    """Apply the accepted rows of a review file to the links file, with provenance.

    Parameters
    ----------
    graph:
        Our graph (``kg.KnowledgeGraph`` or rdflib graph), to check the entities exist and
        to find links made before.
    review:
        The review file.
    links_path:
        The Turtle file links are added to (created if missing).
    agent:
        Who applies the file; a row's ``reviewer`` takes precedence for that row.
    when:
        The time recorded (default: now, UTC).

    Returns
    -------
    AcceptReport

    Raises
    ------
    ReviewFileError
        A bad row, an unknown entity, or two different links for one entity and dataset; then
        nothing is written.

    Example
    -------
    >>> import tempfile
    >>> from kg.linking.review import COLUMNS, ReviewRow, write_review
    >>> from kg.namespaces import KG, KGR
    >>> g = Graph().add((KGR.Moscow, RDF.type, KG.Settlement))
    >>> d = Path(tempfile.mkdtemp())
    >>> row = dict.fromkeys(COLUMNS, "") | {
    ...     "entity": str(KGR.Moscow), "dataset": "wikidata", "score": 100.0, "threshold": 90.0,
    ...     "candidate": "http://www.wikidata.org/entity/Q649", "decision": "accept"}
    >>> _ = write_review([ReviewRow(**row)], d / "review.csv")
    >>> report = accept_links(g, d / "review.csv", d / "links.ttl", agent="A. Curator")
    >>> report.written, report.skipped
    ([('https://w3id.org/kg-ir/resource/Moscow', 'http://www.wikidata.org/entity/Q649')], 0)
    >>> "A. Curator" in (d / "links.ttl").read_text()
    True
    """
    from kg.linking.identifiers import entity_links

    when = when or datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    known = {str(e.entity): e for e in entity_links(graph)}
    links_path = Path(links_path)
    links = Graph()
    if links_path.exists():
        from kg.parsing import parse_file

        links = parse_file(links_path, Graph())
    chosen, skipped = _chosen_rows(graph, review, known, links)
    written, already = [], []
    activity = _activity(links, review, agent, when) if chosen else BNode()
    for (entity, _dataset), (_line, row) in chosen.items():
        triple = (URIRef(entity), LINK_PREDICATE, URIRef(row.candidate))
        in_graph = entity in known and row.candidate in known[entity].links.get(row.dataset, [])
        if in_graph or triple in links:
            already.append((entity, row.candidate))
            continue
        links.add(triple)
        _annotate(links, triple, row, activity, agent, when)
        written.append((entity, row.candidate))
    if written:
        write_text_atomically(links_path, links.serialize(format="turtle"))
    return AcceptReport(written, already, skipped, links_path)


def _chosen_rows(
    graph: Any, review: str | Path, known: dict[str, Any], links: Graph
) -> tuple[dict[tuple[str, str], tuple[int, ReviewRow]], int]:
    """The accepted rows by (entity, dataset), each checked, and how many rows were not.

    Raises
    ------
    ReviewFileError
        An unknown entity, two links for one entity and dataset, or one that differs from
        the link the entity has.
    """
    from kg.linking.sparql import select

    exists = {
        str(r["s"])
        for r in select(graph, "SELECT DISTINCT ?s WHERE { ?s a ?c }")
        if isinstance(r.get("s"), URIRef)
    }
    chosen: dict[tuple[str, str], tuple[int, ReviewRow]] = {}
    skipped = 0
    for line, row in read_review(review):
        if row.decision != "accept":
            skipped += 1
            continue
        if row.entity not in exists:
            raise ReviewFileError(f"unknown entity {row.entity}", path=review, line=line)
        key = (row.entity, row.dataset)
        if key in chosen and chosen[key][1].candidate != row.candidate:
            raise ReviewFileError(
                f"two {row.dataset} links accepted for {row.entity} (also line {chosen[key][0]})",
                path=review,
                line=line,
            )
        before = known.get(row.entity)
        linked = (before.links.get(row.dataset, []) if before else []) + [
            str(o)
            for o in links.objects(URIRef(row.entity), LINK_PREDICATE)
            if DATASETS[row.dataset].identifier(str(o))
        ]
        if linked and row.candidate not in linked:
            raise ReviewFileError(
                f"{row.entity} is already linked to {linked[0]} in {row.dataset}",
                path=review,
                line=line,
            )
        chosen[key] = (line, row)
    return chosen, skipped


def _activity(links: Graph, review: str | Path, agent: str, when: datetime.datetime) -> BNode:
    """The prov:Activity of this acceptance (``kg link --accept FILE``), added to ``links``."""
    activity = BNode()
    bind_prefixes(links)
    links.add((activity, RDF.type, PROV.Activity))
    links.add((activity, RDFS.label, Literal(f"kg link --accept {Path(review).name}")))
    links.add((activity, PROV.startedAtTime, Literal(when.isoformat(), datatype=XSD.dateTime)))
    links.add((activity, PROV.wasAssociatedWith, _agent(links, agent)))
    return activity


def default_agent() -> str:
    """Who accepts links when no one is named: ``$KG_AGENT``, else the login name.

    Returns
    -------
    str
        ``"unknown"`` when the login name cannot be found either.

    Example
    -------
    >>> import os
    >>> os.environ["KG_AGENT"] = "A. Curator"
    >>> default_agent()
    'A. Curator'
    >>> del os.environ["KG_AGENT"]
    """
    import getpass
    import os

    if os.environ.get("KG_AGENT"):
        return os.environ["KG_AGENT"]
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def _annotate(links: Graph, triple, row: ReviewRow, activity, agent: str, when) -> None:
    """Record who, when and how for one link, on an owl:Axiom annotation of the triple."""
    axiom = BNode()
    subject, predicate, target = triple
    links.add((axiom, RDF.type, OWL.Axiom))
    links.add((axiom, OWL.annotatedSource, subject))
    links.add((axiom, OWL.annotatedProperty, predicate))
    links.add((axiom, OWL.annotatedTarget, target))
    who = row.reviewer or agent
    links.add((axiom, PROV.wasAttributedTo, _agent(links, who)))
    links.add((axiom, PROV.generatedAtTime, Literal(when.isoformat(), datatype=XSD.dateTime)))
    links.add((axiom, PROV.wasGeneratedBy, activity))
    if row.source.startswith(("http://", "https://")):
        links.add((axiom, DCT.source, URIRef(row.source)))
    review = "reviewed by " + row.reviewer if row.reviewer else "accepted as a clear match"
    links.add(
        (
            axiom,
            KG.note,
            Literal(
                f"{row.method}; score {row.score:g} (threshold {row.threshold:g}) for "
                f"{row.candidate_label!r} from {row.source}; {review}."
            ),
        )
    )


def _agent(links: Graph, name: str) -> BNode | URIRef:
    """The agent node called ``name`` in ``links`` (one per name)."""
    for node in links.subjects(RDFS.label, Literal(name)):
        if isinstance(node, BNode | URIRef) and (node, RDF.type, PROV.Agent) in links:
            return node
    node = BNode()
    links.add((node, RDF.type, PROV.Agent))
    links.add((node, RDFS.label, Literal(name)))
    return node
