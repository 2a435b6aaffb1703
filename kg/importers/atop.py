"""ATOP's alliance-level and member-level CSVs as agreements, alliances, memberships and
obligations.

An ATOP alliance (``atopid``) becomes the treaty (``kgr:atop_ID``, a ``kg:Agreement`` whose
parties are its members, signed on its begin date at the precision the row gives) and the
alliance it founds (``kgr:atop_ID_alliance``, a ``kg:MilitaryAlliance``) with one
``kg:Membership`` per member (COW codes landed on the graph's states through
``data/crosswalks/countries.csv``). Each obligation the row codes (defence, offence,
neutrality, non-aggression, consultation) is a ``kg:Obligation`` of each member under the
treaty, with its conditions. A member-level file gives each member's own dates and
obligations; an alliance-level file gives them for all members (``mem1 ... memN``).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterator
from typing import Any

from kg.importers.ntriples import (
    GENERATED_BY,
    IDENTIFIER,
    KGR,
    KIND,
    LABEL,
    SOURCE,
    A,
    iri,
    kg_term,
    lang_literal,
    literal,
    triple,
    typed,
)
from kg.importers.rows import BadValue, mapped_csv_rows

__all__ = ["atop_alliances", "OBLIGATIONS", "CONDITIONS"]

#: ATOP column -> (obligation type concept, the column saying it is conditional)
OBLIGATIONS = {
    "defense": ("defenceObligation", "defcon"),
    "offense": ("offenceObligation", "offcon"),
    "neutral": ("neutralityObligation", "neucon"),
    "nonagg": ("nonAggressionObligation", None),
    "consul": ("consultationObligation", "concon"),
}
#: member-level condition columns (suffix after the obligation prefix) -> the condition in words
CONDITIONS = {
    "coadv": "only against a named adversary",
    "coloc": "only in a named location",
    "cocon": "only in a named conflict",
    "conum": "only if the adversary's number is met",
    "codem": "only if the ally complies with demands",
    "conpr": "only if the ally did not provoke the attack",
    "coatt": "only if the ally is attacked",
    "coreq": "only at the ally's request",
}
_PREFIX = {"defense": "def", "offense": "off", "neutral": "neu", "consul": "con"}
_DATASET = iri(KGR + "dataset_atop")


def atop_alliances(files: list[str], ctx: Any) -> Iterator[str]:
    """Map ATOP CSV files (alliance- or member-level, told apart by their header) to N-Triples.

    Parameters
    ----------
    files:
        ATOP CSVs.
    ctx:
        The :class:`~kg.importers.run.ImportContext`.

    Returns
    -------
    Iterator[str]
    """
    run = iri(ctx.run)

    def alliance(row: dict[str, str], level: str, record: str) -> str:
        return _alliance(row, level, ctx, run, record)

    return mapped_csv_rows(files, ctx, _level, alliance)


def _level(row: dict[str, str]) -> str:
    """``member`` or ``alliance``, from the file's columns."""
    level = "member" if "member" in row else "alliance" if "mem1" in row else ""
    if not level or "atopid" not in row:
        raise BadValue("atopid", "not an ATOP file: no atopid with member or mem1 columns")
    return level


def _date(row: dict[str, str], year: str, month: str, day: str) -> tuple[str, str] | None:
    """ATOP's year/month/day columns at their precision; None when the year is empty or 0."""
    y = row.get(year, "").strip()
    if not y or y in ("0", "-9", "."):
        return None
    if not y.isdigit():
        raise BadValue(year, f"not a year: {y!r}")
    m_text, d_text = row.get(month, "").strip(), row.get(day, "").strip()
    m = int(m_text) if m_text.isdigit() else 0
    d = int(d_text) if d_text.isdigit() else 0
    if 1 <= m <= 12 and d >= 1:
        try:
            return _dt.date(int(y), m, d).isoformat(), "date"
        except ValueError:
            raise BadValue(day, f"not a date: {y}-{m}-{d}") from None
    if 1 <= m <= 12:
        return f"{int(y):04d}-{m:02d}", "gYearMonth"
    return f"{int(y):04d}", "gYear"


def _flag(row: dict[str, str], column: str | None) -> bool:
    value = row.get(column or "", "").strip()
    if value not in ("", "0", "1", ".", "-9"):
        raise BadValue(column or "-", f"not 0 or 1: {value!r}")
    return value == "1"


def _alliance(row: dict[str, str], level: str, ctx: Any, run: str, record: str) -> str:
    aid = row["atopid"].strip()
    if not aid.isdigit():
        raise BadValue("atopid", f"not an ATOP id: {aid!r}")
    treaty, alliance = iri(f"{KGR}atop_{aid}"), iri(f"{KGR}atop_{aid}_alliance")
    out: list[str] = []
    add = out.append
    if level == "member":
        members = [row["member"].strip()]
        begin = _date(row, "yrent", "moent", "dayent")
        end = _date(row, "yrexit", "moexit", "dayexit")
    else:
        members = [
            row[c].strip()
            for c in row
            if c.startswith("mem") and c[3:].isdigit() and row[c].strip()
        ]
        begin = _date(row, "begyr", "begmo", "begday")
        end = _date(row, "endyr", "endmo", "endday")
    states = []
    for code in members:
        state, minted = ctx.index.state(cow=code) if code.isdigit() else (None, "")
        if state is None:
            raise BadValue(
                "member" if level == "member" else "mem", f"unknown COW country code {code!r}"
            )
        add(minted)
        states.append((code, iri(state)))
    if ctx.once(treaty):
        for t in (
            (treaty, A, kg_term("Agreement")),
            (treaty, IDENTIFIER, literal(f"ATOP {aid}")),
            (treaty, LABEL, lang_literal(f"ATOP alliance treaty {aid}")),
            (alliance, A, kg_term("MilitaryAlliance")),
            (alliance, kg_term("foundingDocument"), treaty),
            (alliance, LABEL, lang_literal(f"ATOP alliance {aid}")),
            (treaty, SOURCE, _DATASET),
            (alliance, SOURCE, _DATASET),
            (treaty, GENERATED_BY, run),
            (treaty, kg_term("sourceRecord"), literal(record)),
        ):
            add(triple(*t))
        if level == "alliance" and begin:
            add(triple(treaty, kg_term("dateSigned"), typed(*begin)))
    for code, state in states:
        _member(aid, code, state, treaty, alliance, begin, end, row, level, run, record, add)
    return "".join(out)


_Date = tuple[str, str] | None


def _member(
    aid: str,
    code: str,
    state: str,
    treaty: str,
    alliance: str,
    begin: _Date,
    end: _Date,
    row: dict[str, str],
    level: str,
    run: str,
    record: str,
    add: Callable[[str], None],
) -> None:
    """One member's membership of the alliance and its obligations under the treaty."""
    m = iri(f"{KGR}atop_{aid}_member_{code}")
    for t in (
        (treaty, kg_term("party"), state),
        (m, A, kg_term("Membership")),
        (m, kg_term("member"), state),
        (m, kg_term("organization"), alliance),
        (m, GENERATED_BY, run),
        (m, kg_term("sourceRecord"), literal(record)),
        (m, SOURCE, _DATASET),
        (m, kg_term("membershipStatus"), iri(KIND + ("ended" if end else "active"))),
    ):
        add(triple(*t))
    if begin:
        add(triple(m, kg_term("startDate"), typed(*begin)))
    if end:
        add(triple(m, kg_term("endDate"), typed(*end)))
    for column, (concept, conditional) in OBLIGATIONS.items():
        if not _flag(row, column):
            continue
        o = iri(f"{KGR}atop_{aid}_{code}_{column}")
        for t in (
            (o, A, kg_term("Obligation")),
            (o, kg_term("obligedParty"), state),
            (o, kg_term("underAgreement"), treaty),
            (o, kg_term("obligationType"), iri(KIND + concept)),
            (o, SOURCE, _DATASET),
            (o, LABEL, lang_literal(f"{concept[:-10]} obligation of COW {code} under ATOP {aid}")),
            (o, GENERATED_BY, run),
        ):
            add(triple(*t))
        if _flag(row, conditional):
            add(
                triple(
                    o,
                    kg_term("obligationCondition"),
                    literal("conditional (ATOP codes conditions)"),
                )
            )
        prefix = _PREFIX.get(column)
        if prefix is None or level != "member":
            continue
        for suffix, words in CONDITIONS.items():
            if row.get(prefix + suffix, "").strip() not in ("", "0", ".", "-9"):
                add(triple(o, kg_term("obligationCondition"), literal(words)))
