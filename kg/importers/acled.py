"""ACLED's CSV export as kg events (data whose terms forbid redistribution: marked so).

Each row becomes a ``kg:Event`` (``kgr:acled_EVENTID``) with its date at the row's precision
(``time_precision`` 3 is a month: ``xsd:gYearMonth``), its ACLED event type and sub-type as
kinds (concepts written once per import, the type mapped to the project's kinds where one
fits), its place (location, coordinates, the state from the ISO numeric code), its actors as
participations (actor1 the source, actor2 the target, associated actors beside them), the
fatalities as a ``kg:Quantity`` and the notes. A state's own forces ("Military Forces of
Armenia (2018-)") are linked to that state with ``kg:country``.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterator
from typing import Any

from kg.importers import rows as _rows
from kg.importers.ntriples import (
    CAMEO,
    KG,
    KGR,
    KIND,
    iri,
    lang_literal,
    literal,
    slug,
    triple,
    typed,
)
from kg.importers.rows import RowError

__all__ = ["acled_events", "REQUIRED", "EVENT_TYPE_KINDS"]

REQUIRED = (
    "event_id_cnty",
    "event_date",
    "event_type",
    "sub_event_type",
    "actor1",
    "actor2",
    "iso",
    "country",
    "location",
    "latitude",
    "longitude",
    "fatalities",
)
#: ACLED event types -> the project's event kind they fall under (none for the others).
EVENT_TYPE_KINDS = {
    "Battles": "armedConflict",
    "Explosions/Remote violence": "armedConflict",
    "Strategic developments": None,
    "Violence against civilians": None,
    "Protests": None,
    "Riots": None,
}
_T = iri("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_LABEL = iri("http://www.w3.org/2000/01/rdf-schema#label")
_CONCEPT = iri("http://www.w3.org/2004/02/skos/core#Concept")
_BROADER = iri("http://www.w3.org/2004/02/skos/core#broader")
_BROAD_MATCH = iri("http://www.w3.org/2004/02/skos/core#broadMatch")
_SOURCE = iri("http://purl.org/dc/terms/source")
_ID = iri("http://purl.org/dc/terms/identifier")
_GEN = iri("http://www.w3.org/ns/prov#wasGeneratedBy")
_LAT, _LONG = iri("http://schema.org/latitude"), iri("http://schema.org/longitude")
_FORCES = re.compile(r"^(?:Military|Police) Forces of (.+?)(?: \(\d{4}-\d{0,4}\))?(?: \[.*\])?$")


def _k(name: str) -> str:
    return iri(KG + name)


def acled_events(files: list[str], ctx: Any) -> Iterator[str]:
    """Map ACLED CSV files to N-Triples, row by row (see the module docs).

    Parameters
    ----------
    files:
        ACLED exports (CSV with the header row; ``.zip``/``.gz`` accepted).
    ctx:
        The :class:`~kg.importers.run.ImportContext`.

    Returns
    -------
    Iterator[str]
    """
    run = iri(ctx.run)
    source = iri(KGR + "dataset_acled")
    for path in files:
        for name, stream in _rows.open_members(path):
            shown = name.rsplit("/", 1)[-1]
            first = True
            for number, row in _rows.csv_rows(name, stream, ctx.log):
                if first:
                    first = False
                    missing = [c for c in REQUIRED if c not in row]
                    if missing:
                        ctx.log.add(
                            RowError(
                                name,
                                1,
                                missing[0],
                                "missing ACLED column(s): " + ", ".join(missing),
                            )
                        )
                        break
                ctx.rows_read += 1
                try:
                    text = _event(row, ctx, run, source, f"{shown}:{number}")
                except _Bad as bad:
                    ctx.log.add(RowError(name, number, bad.column, bad.message))
                    continue
                ctx.rows_imported += 1
                yield text


class _Bad(Exception):
    def __init__(self, column: str, message: str):
        self.column, self.message = column, message


def _date(row: dict[str, str]) -> tuple[str, str]:
    text = row["event_date"].strip()
    for fmt in ("%Y-%m-%d", "%d %B %Y", "%d-%B-%Y"):
        try:
            day = _dt.datetime.strptime(text, fmt).date()
            break
        except ValueError:
            continue
    else:
        raise _Bad("event_date", f"not a date: {text!r}")
    if row.get("time_precision", "").strip() == "3":
        return day.strftime("%Y-%m"), "gYearMonth"
    return day.isoformat(), "date"


def _event(row: dict[str, str], ctx: Any, run: str, source: str, record: str) -> str:
    eid = row["event_id_cnty"].strip()
    if not eid:
        raise _Bad("event_id_cnty", "empty event id")
    date, datatype = _date(row)
    fatalities = row["fatalities"].strip() or "0"
    if not fatalities.isdigit():
        raise _Bad("fatalities", f"not a whole number: {fatalities!r}")
    try:
        lat, long = float(row["latitude"]), float(row["longitude"])
    except ValueError:
        raise _Bad(
            "latitude", f"not coordinates: {row['latitude']!r}, {row['longitude']!r}"
        ) from None
    if not (-90 <= lat <= 90 and -180 <= long <= 180):
        raise _Bad("latitude", f"coordinates out of range: {lat}, {long}")
    iso = row["iso"].strip()
    state, minted = ctx.index.state(numeric=iso) if iso.isdigit() else (None, "")
    if state is None:
        raise _Bad("iso", f"unknown ISO 3166 numeric country code {iso!r}")
    e = iri(f"{KGR}acled_{slug(eid)}")
    out = [minted]
    add = out.append
    for t in (
        (e, _T, _k("Event")),
        (e, _ID, literal(eid)),
        (e, _k("startDate"), typed(date, datatype)),
        (e, _GEN, run),
        (e, _k("sourceRecord"), literal(record)),
        (e, _SOURCE, source),
    ):
        add(triple(*t))
    kind = _kinds(row, ctx, add)
    add(triple(e, _k("eventKind"), kind))
    add(triple(e, _k("place"), _place(row, state, lat, long, ctx, add)))
    sides = (
        ("actor1", "assoc_actor_1", "inter1", "sourceActor"),
        ("actor2", "assoc_actor_2", "inter2", "targetActor"),
    )
    n = 0
    for main, assoc, inter, role in sides:
        names = [row[main].strip()] + [a.strip() for a in row.get(assoc, "").split(";")]
        for k, actor_name in enumerate(names):
            if not actor_name:
                continue
            n += 1
            actor = _actor(actor_name, row.get(inter, "") if k == 0 else "", ctx, add)
            part = iri(f"{KGR}acled_{slug(eid)}_a{n}")
            add(triple(e, _k("participation"), part))
            add(triple(part, _T, _k("Participation")))
            add(triple(part, _k("participationOf"), actor))
            add(triple(part, _k("role"), iri(CAMEO + role)))
    q = iri(f"{KGR}acled_{slug(eid)}_fatalities")
    add(triple(e, _k("quantity"), q))
    add(triple(q, _T, _k("Quantity")))
    add(triple(q, _k("numericValue"), typed(fatalities, "integer")))
    add(triple(q, _k("counts"), iri(KIND + "livesLost")))
    if row.get("notes", "").strip():
        add(triple(e, _k("note"), literal(row["notes"].strip())))
    if row.get("source", "").strip():
        add(triple(e, _k("note"), literal(f"ACLED source: {row['source'].strip()}")))
    what = row["sub_event_type"].strip() or row["event_type"].strip()
    label = f"{what} in {row['location'].strip()} ({date})"
    add(triple(e, _LABEL, lang_literal(label)))
    return "".join(out)


def _kinds(row: dict[str, str], ctx: Any, add) -> str:
    etype, sub = row["event_type"].strip(), row["sub_event_type"].strip()
    if etype not in EVENT_TYPE_KINDS:
        raise _Bad("event_type", f"unknown ACLED event type {etype!r}")
    t = iri(f"{KGR}acled_type_{slug(etype)}")
    if ctx.once(t):
        add(triple(t, _T, _CONCEPT))
        add(triple(t, _LABEL, lang_literal(etype)))
        if EVENT_TYPE_KINDS[etype]:
            add(triple(t, _BROAD_MATCH, iri(KIND + EVENT_TYPE_KINDS[etype])))
    if not sub:
        return t
    s = iri(f"{KGR}acled_type_{slug(sub)}")
    if ctx.once(s):
        add(triple(s, _T, _CONCEPT))
        add(triple(s, _LABEL, lang_literal(sub)))
        add(triple(s, _BROADER, t))
    return s


def _place(row, state: str, lat: float, long: float, ctx: Any, add) -> str:
    key = "_".join(slug(row.get(c, "")) for c in ("iso", "admin1", "admin2", "location"))
    p = iri(f"{KGR}acled_place_{key}")
    if ctx.once(p):
        add(triple(p, _T, _k("Place")))
        add(triple(p, _LABEL, lang_literal(row["location"].strip() or row["country"].strip())))
        add(triple(p, _k("country"), iri(state)))  # kg:locatedIn links places to places
        add(triple(p, _LAT, typed(repr(lat), "decimal")))
        add(triple(p, _LONG, typed(repr(long), "decimal")))
    return p


def _actor(name: str, inter: str, ctx: Any, add) -> str:
    a = iri(f"{KGR}acled_actor_{slug(name)}")
    if ctx.once(a):
        add(triple(a, _T, _k("Actor")))
        add(triple(a, _LABEL, lang_literal(name)))
        if inter.strip():
            add(triple(a, _k("datasetCode"), literal(f"inter {inter.strip()}")))
        forces = _FORCES.match(name)
        if forces:
            state = ctx.index.by_name.get(forces.group(1).casefold())
            if state:
                add(triple(a, _k("country"), iri(state)))
    return a
