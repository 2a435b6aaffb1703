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
from collections.abc import Iterator
from typing import Any

from kg.importers import rows as _rows
from kg.importers.ntriples import KG, KGR, KIND, iri, lang_literal, literal, triple, typed
from kg.importers.rows import RowError

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
_T = iri("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_LABEL = iri("http://www.w3.org/2000/01/rdf-schema#label")
_ID = iri("http://purl.org/dc/terms/identifier")
_GEN = iri("http://www.w3.org/ns/prov#wasGeneratedBy")
_SOURCE = iri("http://purl.org/dc/terms/source")


def _k(name: str) -> str:
    return iri(KG + name)


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
    for path in files:
        for name, stream in _rows.open_members(path):
            shown = name.rsplit("/", 1)[-1]
            level = None
            for number, row in _rows.csv_rows(name, stream, ctx.log):
                if level is None:
                    level = "member" if "member" in row else "alliance" if "mem1" in row else ""
                    if not level or "atopid" not in row:
                        message = "not an ATOP file: no atopid with member or mem1 columns"
                        ctx.log.add(RowError(name, 1, "atopid", message))
                        break
                ctx.rows_read += 1
                try:
                    text = _alliance(row, level, ctx, run, f"{shown}:{number}")
                except _Bad as bad:
                    ctx.log.add(RowError(name, number, bad.column, bad.message))
                    continue
                ctx.rows_imported += 1
                yield text


class _Bad(Exception):
    def __init__(self, column: str, message: str):
        self.column, self.message = column, message


def _date(row: dict[str, str], year: str, month: str, day: str) -> tuple[str, str] | None:
    """ATOP's year/month/day columns at their precision; None when the year is empty or 0."""
    y = row.get(year, "").strip()
    if not y or y in ("0", "-9", "."):
        return None
    if not y.isdigit():
        raise _Bad(year, f"not a year: {y!r}")
    m, d = row.get(month, "").strip(), row.get(day, "").strip()
    m = int(m) if m.isdigit() else 0
    d = int(d) if d.isdigit() else 0
    if 1 <= m <= 12 and d >= 1:
        try:
            return _dt.date(int(y), m, d).isoformat(), "date"
        except ValueError:
            raise _Bad(day, f"not a date: {y}-{m}-{d}") from None
    if 1 <= m <= 12:
        return f"{int(y):04d}-{m:02d}", "gYearMonth"
    return f"{int(y):04d}", "gYear"


def _flag(row: dict[str, str], column: str | None) -> bool:
    value = row.get(column or "", "").strip()
    if value not in ("", "0", "1", ".", "-9"):
        raise _Bad(column or "-", f"not 0 or 1: {value!r}")
    return value == "1"


def _alliance(row: dict[str, str], level: str, ctx: Any, run: str, record: str) -> str:
    aid = row["atopid"].strip()
    if not aid.isdigit():
        raise _Bad("atopid", f"not an ATOP id: {aid!r}")
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
            raise _Bad(
                "member" if level == "member" else "mem", f"unknown COW country code {code!r}"
            )
        add(minted)
        states.append((code, iri(state)))
    if ctx.once(treaty):
        for t in (
            (treaty, _T, _k("Agreement")),
            (treaty, _ID, literal(f"ATOP {aid}")),
            (treaty, _LABEL, lang_literal(f"ATOP alliance treaty {aid}")),
            (alliance, _T, _k("MilitaryAlliance")),
            (alliance, _k("foundingDocument"), treaty),
            (alliance, _LABEL, lang_literal(f"ATOP alliance {aid}")),
            (treaty, _SOURCE, iri(KGR + "dataset_atop")),
            (alliance, _SOURCE, iri(KGR + "dataset_atop")),
            (treaty, _GEN, run),
            (treaty, _k("sourceRecord"), literal(record)),
        ):
            add(triple(*t))
        if level == "alliance" and begin:
            add(triple(treaty, _k("dateSigned"), typed(*begin)))
    for code, state in states:
        _member(aid, code, state, treaty, alliance, begin, end, row, level, run, record, add)
    return "".join(out)


def _member(aid, code, state, treaty, alliance, begin, end, row, level, run, record, add) -> None:
    m = iri(f"{KGR}atop_{aid}_member_{code}")
    for t in (
        (treaty, _k("party"), state),
        (m, _T, _k("Membership")),
        (m, _k("member"), state),
        (m, _k("organization"), alliance),
        (m, _GEN, run),
        (m, _k("sourceRecord"), literal(record)),
        (m, _SOURCE, iri(KGR + "dataset_atop")),
        (m, _k("membershipStatus"), iri(KIND + ("ended" if end else "active"))),
    ):
        add(triple(*t))
    if begin:
        add(triple(m, _k("startDate"), typed(*begin)))
    if end:
        add(triple(m, _k("endDate"), typed(*end)))
    for column, (concept, conditional) in OBLIGATIONS.items():
        if not _flag(row, column):
            continue
        o = iri(f"{KGR}atop_{aid}_{code}_{column}")
        for t in (
            (o, _T, _k("Obligation")),
            (o, _k("obligedParty"), state),
            (o, _k("underAgreement"), treaty),
            (o, _k("obligationType"), iri(KIND + concept)),
            (o, _SOURCE, iri(KGR + "dataset_atop")),
            (o, _LABEL, lang_literal(f"{concept[:-10]} obligation of COW {code} under ATOP {aid}")),
            (o, _GEN, run),
        ):
            add(triple(*t))
        if _flag(row, conditional):
            add(
                triple(o, _k("obligationCondition"), literal("conditional (ATOP codes conditions)"))
            )
        prefix = _PREFIX.get(column)
        for suffix, words in CONDITIONS.items() if prefix and level == "member" else ():
            if row.get(prefix + suffix, "").strip() not in ("", "0", ".", "-9"):
                add(triple(o, _k("obligationCondition"), literal(words)))
