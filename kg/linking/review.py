"""The review file: proposed links a person checks before any is applied.

``kg link --propose FILE`` writes one row per candidate: our entity, the candidate, its score
and a ``decision`` column, pre-filled with ``accept`` only for a clear match at or above the
threshold. :func:`read_review` checks an edited file row by row; a row below its threshold
may be accepted only with a reviewer's name (``reviewer`` column), so no link under the
threshold is ever applied without review. Applying the file is :mod:`kg.linking.accept`.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

from kg.errors import BadOptionError, KgError
from kg.files import write_text_atomically
from kg.linking.candidates import ReconQuery
from kg.linking.datasets import DATASETS
from kg.linking.identifiers import EntityLinks

DECISIONS = ("accept", "reject", "")


class ReviewFileError(KgError, ValueError):
    """A review file that cannot be applied (the location says which row); also a
    :class:`ValueError`.

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
#: Columns holding text from our labels or an external service, shown to a reviewer only.
TEXT_COLUMNS = ("label", "candidate_label", "candidate_description")
#: First characters that make a spreadsheet treat a cell as a formula (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


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
    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> _ = write_review([], d / "r.csv")
    >>> (d / "r.csv").read_text().split(",")[:3]
    ['entity', 'label', 'kind']

    Text from outside that a spreadsheet would run as a formula is written quoted:

    >>> _csv_safe("=cmd|' /C calc'!A0"), _csv_safe("Baku")
    ("'=cmd|' /C calc'!A0", 'Baku')
    """
    path = Path(path)
    fmt = _format_of(path)
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            record = asdict(row)
            for name in TEXT_COLUMNS:
                record[name] = _csv_safe(record[name])
            writer.writerow(record)
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
    >>> import tempfile
    >>> import tempfile
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
    for name in TEXT_COLUMNS:
        values[name] = _csv_unsafe(values[name])
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


def _csv_safe(text: str) -> str:
    """Quote a cell a spreadsheet would run as a formula, by prefixing ``'``."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def _csv_unsafe(text: str) -> str:
    """Undo :func:`_csv_safe`."""
    return text[1:] if text.startswith("'") and text[1:].startswith(_FORMULA_START) else text


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
