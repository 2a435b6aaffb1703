"""Propose links for review, and apply the reviewed file with PROV-O provenance.

``kg link --propose FILE`` writes one row per candidate: our entity, the candidate, its score
and a ``decision`` column, pre-filled with ``accept`` only for a clear match at or above the
threshold. ``kg link --accept FILE`` applies the rows whose decision is ``accept``. A row
below its threshold is applied only when a reviewer signed it (``reviewer`` column): no link
under the threshold is ever written without review.

Accepted links go to a separate links file (``data/links.ttl`` by default), each triple
``<entity> skos:exactMatch <candidate>`` annotated with an ``owl:Axiom`` (the project's way to
source one triple) that says who (``prov:wasAttributedTo``), when (``prov:generatedAtTime``)
and how (``prov:wasGeneratedBy`` an activity, ``dct:source`` the service, ``kg:note`` the
method and score). The file is written through a temporary file and renamed, so a failure
leaves it as it was.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import os
import tempfile
from collections.abc import Sequence
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef

from kg.errors import BadOptionError, KgError
from kg.linking.datasets import DATASETS, LINK_PREDICATE
from kg.linking.identifiers import EntityLinks
from kg.linking.reconcile_client import ReconQuery
from kg.namespaces import DCT, KG, OWL, PROV, RDF, RDFS, XSD, bind_prefixes

DECISIONS = ("accept", "reject", "")


class ReviewFileError(KgError):
    """A review file that cannot be applied (the location says which row).

    Example
    -------
    >>> str(ReviewFileError("unknown decision 'yes'", path="r.csv", line=3))
    "r.csv:3: unknown decision 'yes'"
    """


@dataclass
class ReviewRow:
    """One proposed link, as written to and read from the review file.

    Parameters
    ----------
    entity:
        Our entity's IRI.
    label, kind:
        Its label and class (for the reviewer's eyes).
    dataset:
        The dataset name (``wikidata``).
    candidate, candidate_label, candidate_description:
        The candidate's canonical IRI, label and description (empty: no candidate found).
    score, threshold:
        The candidate's score and the threshold in force when it was proposed.
    match:
        ``yes`` when it was the clear match.
    decision:
        ``accept``, ``reject`` or empty (undecided).
    reviewer:
        Who reviewed the row; required to accept a row below the threshold.
    source, method:
        The service asked and how candidates were found and scored.

    Returns
    -------
    ReviewRow
    """

    entity: str
    label: str
    kind: str
    dataset: str
    candidate: str
    candidate_label: str
    candidate_description: str
    score: float
    threshold: float
    match: str
    decision: str
    reviewer: str
    source: str
    method: str


COLUMNS = [f.name for f in fields(ReviewRow)]


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
    >>> from kg.linking.reconcile_client import Candidate
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
        base = {
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
    >>> e = EntityLinks(URIRef("https://w3id.org/kg-ir/resource/CSTO"), "CSTO", KG.State)
    >>> recon_queries([e], {str(e.entity): ["Collective Security Treaty"]})[0].variants()
    ['CSTO', 'Collective Security Treaty']
    """
    aliases = aliases or {}
    return [
        ReconQuery(str(e.entity), e.label, e.kind, tuple(aliases.get(str(e.entity), ())))
        for e in entities
    ]


def write_review(rows: Sequence[ReviewRow], path: str | Path) -> Path:
    """Write the review file, CSV or JSON by its extension, atomically.

    Parameters
    ----------
    rows:
        The proposals.
    path:
        ``*.csv`` or ``*.json``.

    Returns
    -------
    Path

    Example
    -------
    >>> d = Path(tempfile.mkdtemp())
    >>> _ = write_review([], d / "r.csv")
    >>> (d / "r.csv").read_text().split(",")[:3]
    ['entity', 'label', 'kind']
    """
    path = Path(path)
    fmt = _format_of(path)
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow(asdict(row))
        text = out.getvalue()
    else:
        text = json.dumps([asdict(row) for row in rows], indent=2, ensure_ascii=False) + "\n"
    write_text_atomically(path, text)
    return path


def read_review(path: str | Path) -> list[tuple[int, ReviewRow]]:
    """Read and check a review file.

    Parameters
    ----------
    path:
        A file written by :func:`write_review`, edited by a reviewer.

    Returns
    -------
    list[tuple[int, ReviewRow]]
        Each row with its line number (CSV) or 1-based position (JSON).

    Raises
    ------
    ReviewFileError
        ``path:line: what is wrong``, for the first bad row.

    Example
    -------
    >>> d = Path(tempfile.mkdtemp()); p = d / "r.csv"
    >>> _ = p.write_text("entity,label\\nx,y\\n")
    >>> read_review(p)
    Traceback (most recent call last):
    ...
    kg.linking.review.ReviewFileError: /.../r.csv:1: missing columns: kind, dataset, ...
    """
    path = Path(path)
    fmt = _format_of(path)
    if not path.exists():
        raise ReviewFileError("no such file", path=path)
    text = path.read_text(encoding="utf-8-sig")
    if fmt == "csv":
        reader = csv.DictReader(io.StringIO(text))
        missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise ReviewFileError(f"missing columns: {', '.join(missing)}", path=path, line=1)
        raw = []
        for record in reader:
            raw.append((reader.line_num, record))
    else:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ReviewFileError(
                f"malformed JSON ({exc.msg})", path=path, line=exc.lineno
            ) from None
        if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
            raise ReviewFileError("expected a JSON list of row objects", path=path)
        raw = list(enumerate(data, start=1))
    return [(line, _check_row(record, path, line)) for line, record in raw]


def _check_row(record: dict[str, Any], path: Path, line: int) -> ReviewRow:
    missing = [c for c in COLUMNS if c not in record]
    if missing:
        raise ReviewFileError(f"missing fields: {', '.join(missing)}", path=path, line=line)
    values = {c: ("" if record[c] is None else str(record[c]).strip()) for c in COLUMNS}
    for name in ("score", "threshold"):
        try:
            values[name] = float(values[name])
        except ValueError:
            raise ReviewFileError(
                f"{name} is not a number: {values[name]!r}", path=path, line=line
            ) from None
    values["decision"] = values["decision"].lower()
    if values["decision"] not in DECISIONS:
        raise ReviewFileError(
            f"unknown decision {values['decision']!r} (use accept, reject or leave it empty)",
            path=path,
            line=line,
        )
    if values["dataset"] not in DATASETS:
        raise ReviewFileError(f"unknown dataset {values['dataset']!r}", path=path, line=line)
    row = ReviewRow(**values)
    if row.decision == "accept":
        if not row.candidate:
            raise ReviewFileError("accepted row has no candidate", path=path, line=line)
        if DATASETS[row.dataset].identifier(row.candidate) is None:
            raise ReviewFileError(
                f"{row.candidate} is not a canonical {DATASETS[row.dataset].title} IRI",
                path=path,
                line=line,
            )
        if row.score < row.threshold and not row.reviewer:
            raise ReviewFileError(
                f"score {row.score:g} is below the threshold {row.threshold:g}: accepting it "
                "needs a reviewer's name in the reviewer column",
                path=path,
                line=line,
            )
    return row


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
    """
    from kg.linking.identifiers import entity_links
    from kg.linking.sparql import select

    rows = read_review(review)
    when = when or datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    known = {str(e.entity): e for e in entity_links(graph)}
    exists = {
        str(r["s"])
        for r in select(graph, "SELECT DISTINCT ?s WHERE { ?s a ?c }")
        if isinstance(r.get("s"), URIRef)
    }
    links_path = Path(links_path)
    links = Graph()
    if links_path.exists():
        from kg.parsing import parse_file

        links = parse_file(links_path, Graph())
    chosen: dict[tuple[str, str], tuple[int, ReviewRow]] = {}
    skipped = 0
    for line, row in rows:
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
    written, already = [], []
    activity = BNode()
    if chosen:
        bind_prefixes(links)
        links.add((activity, RDF.type, PROV.Activity))
        links.add((activity, RDFS.label, Literal(f"kg link --accept {Path(review).name}")))
        links.add((activity, PROV.startedAtTime, Literal(when.isoformat(), datatype=XSD.dateTime)))
        links.add((activity, PROV.wasAssociatedWith, _agent(links, agent)))
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
        if (node, RDF.type, PROV.Agent) in links:
            return node
    node = BNode()
    links.add((node, RDF.type, PROV.Agent))
    links.add((node, RDFS.label, Literal(name)))
    return node


def write_text_atomically(path: str | Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same folder, then rename.

    Parameters
    ----------
    path:
        The destination; its folder is created if missing.
    text:
        UTF-8 text.

    Returns
    -------
    None

    Example
    -------
    >>> d = Path(tempfile.mkdtemp())
    >>> write_text_atomically(d / "a" / "x.txt", "hi")
    >>> (d / "a" / "x.txt").read_text(), [p.name for p in (d / "a").iterdir()]
    ('hi', ['x.txt'])
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _format_of(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".json"):
        raise BadOptionError(f"{path}: a review file must end in .csv or .json, not {suffix!r}")
    return suffix[1:]


def _short(iri: Any) -> str:
    if iri is None:
        return ""
    from kg.namespaces import shorten

    return shorten(str(iri))
