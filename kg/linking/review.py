"""The review file: proposed links a person checks before any is applied.

``kg link --propose FILE`` writes one row per candidate: our entity, the candidate, its score
and a ``decision`` column, pre-filled with ``accept`` only for a clear match at or above the
threshold. :func:`read_review` checks an edited file row by row; a row below its threshold
may be accepted only with a reviewer's name (``reviewer`` column), so no link under the
threshold is ever applied without review. The rows are proposed by :mod:`kg.linking.propose`;
applying the file is :mod:`kg.linking.accept`.
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
from kg.linking.datasets import DATASETS

__all__ = [
    "COLUMNS",
    "DECISIONS",
    "read_review",
    "ReviewFileError",
    "ReviewRow",
    "TEXT_COLUMNS",
    "write_review",
]

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
    values: dict[str, Any] = {
        c: ("" if record[c] is None else str(record[c]).strip()) for c in COLUMNS
    }
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
