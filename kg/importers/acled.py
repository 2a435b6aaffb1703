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
from collections.abc import Callable, Iterator
from typing import Any

from kg.importers.ntriples import (
    CAMEO,
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
    slug,
    triple,
    typed,
)
from kg.importers.rows import BadValue, mapped_csv_rows

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
_CONCEPT = iri("http://www.w3.org/2004/02/skos/core#Concept")
_BROADER = iri("http://www.w3.org/2004/02/skos/core#broader")
_BROAD_MATCH = iri("http://www.w3.org/2004/02/skos/core#broadMatch")
_LAT, _LONG = iri("http://schema.org/latitude"), iri("http://schema.org/longitude")
_FORCES = re.compile(r"^(?:Military|Police) Forces of (.+?)(?: \(\d{4}-\d{0,4}\))?(?: \[.*\])?$")


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
    run, source = iri(ctx.run), iri(KGR + "dataset_acled")

    def event(row: dict[str, str], _: None, record: str) -> str:
        return _event(row, ctx, run, source, record)

    return mapped_csv_rows(files, ctx, _check_header, event)


def _check_header(row: dict[str, str]) -> None:
    missing = [c for c in REQUIRED if c not in row]
    if missing:
        raise BadValue(missing[0], "missing ACLED column(s): " + ", ".join(missing))


def _date(row: dict[str, str]) -> tuple[str, str]:
    text = row["event_date"].strip()
    for fmt in ("%Y-%m-%d", "%d %B %Y", "%d-%B-%Y"):
        try:
            day = _dt.datetime.strptime(text, fmt).date()
            break
        except ValueError:
            continue
    else:
        raise BadValue("event_date", f"not a date: {text!r}")
    if row.get("time_precision", "").strip() == "3":
        return day.strftime("%Y-%m"), "gYearMonth"
    return day.isoformat(), "date"


def _event(row: dict[str, str], ctx: Any, run: str, source: str, record: str) -> str:
    eid = row["event_id_cnty"].strip()
    if not eid:
        raise BadValue("event_id_cnty", "empty event id")
    date, datatype = _date(row)
    fatalities = row["fatalities"].strip() or "0"
    if not fatalities.isdigit():
        raise BadValue("fatalities", f"not a whole number: {fatalities!r}")
    lat, long = _coordinates(row)
    iso = row["iso"].strip()
    state, minted = ctx.index.state(numeric=iso) if iso.isdigit() else (None, "")
    if state is None:
        raise BadValue("iso", f"unknown ISO 3166 numeric country code {iso!r}")
    e = iri(f"{KGR}acled_{slug(eid)}")
    out = [minted]
    add = out.append
    for t in (
        (e, A, kg_term("Event")),
        (e, IDENTIFIER, literal(eid)),
        (e, kg_term("startDate"), typed(date, datatype)),
        (e, GENERATED_BY, run),
        (e, kg_term("sourceRecord"), literal(record)),
        (e, SOURCE, source),
        (e, kg_term("eventKind"), _kinds(row, ctx, add)),
        (e, kg_term("place"), _place(row, state, lat, long, ctx, add)),
    ):
        add(triple(*t))
    _participations(row, e, eid, ctx, add)
    q = iri(f"{KGR}acled_{slug(eid)}_fatalities")
    add(triple(e, kg_term("quantity"), q))
    add(triple(q, A, kg_term("Quantity")))
    add(triple(q, kg_term("numericValue"), typed(fatalities, "integer")))
    add(triple(q, kg_term("counts"), iri(KIND + "livesLost")))
    if row.get("notes", "").strip():
        add(triple(e, kg_term("note"), literal(row["notes"].strip())))
    if row.get("source", "").strip():
        add(triple(e, kg_term("note"), literal(f"ACLED source: {row['source'].strip()}")))
    what = row["sub_event_type"].strip() or row["event_type"].strip()
    label = f"{what} in {row['location'].strip()} ({date})"
    add(triple(e, LABEL, lang_literal(label)))
    return "".join(out)


def _coordinates(row: dict[str, str]) -> tuple[float, float]:
    try:
        lat, long = float(row["latitude"]), float(row["longitude"])
    except ValueError:
        raise BadValue(
            "latitude", f"not coordinates: {row['latitude']!r}, {row['longitude']!r}"
        ) from None
    if not (-90 <= lat <= 90 and -180 <= long <= 180):
        raise BadValue("latitude", f"coordinates out of range: {lat}, {long}")
    return lat, long


_SIDES = (
    ("actor1", "assoc_actor_1", "inter1", "sourceActor"),
    ("actor2", "assoc_actor_2", "inter2", "targetActor"),
)


def _participations(
    row: dict[str, str], e: str, eid: str, ctx: Any, add: Callable[[str], None]
) -> None:
    """Actor 1 the source, actor 2 the target, their associated actors beside them."""
    n = 0
    for main, assoc, inter, role in _SIDES:
        names = [row[main].strip()] + [a.strip() for a in row.get(assoc, "").split(";")]
        for k, actor_name in enumerate(names):
            if not actor_name:
                continue
            n += 1
            actor = _actor(actor_name, row.get(inter, "") if k == 0 else "", ctx, add)
            part = iri(f"{KGR}acled_{slug(eid)}_a{n}")
            add(triple(e, kg_term("participation"), part))
            add(triple(part, A, kg_term("Participation")))
            add(triple(part, kg_term("participationOf"), actor))
            add(triple(part, kg_term("role"), iri(CAMEO + role)))


def _kinds(row: dict[str, str], ctx: Any, add: Callable[[str], None]) -> str:
    etype, sub = row["event_type"].strip(), row["sub_event_type"].strip()
    if etype not in EVENT_TYPE_KINDS:
        raise BadValue("event_type", f"unknown ACLED event type {etype!r}")
    t = iri(f"{KGR}acled_type_{slug(etype)}")
    if ctx.once(t):
        add(triple(t, A, _CONCEPT))
        add(triple(t, LABEL, lang_literal(etype)))
        kind = EVENT_TYPE_KINDS[etype]
        if kind:
            add(triple(t, _BROAD_MATCH, iri(KIND + kind)))
    if not sub:
        return t
    s = iri(f"{KGR}acled_type_{slug(sub)}")
    if ctx.once(s):
        add(triple(s, A, _CONCEPT))
        add(triple(s, LABEL, lang_literal(sub)))
        add(triple(s, _BROADER, t))
    return s


def _place(
    row: dict[str, str], state: str, lat: float, long: float, ctx: Any, add: Callable[[str], None]
) -> str:
    key = "_".join(slug(row.get(c, "")) for c in ("iso", "admin1", "admin2", "location"))
    p = iri(f"{KGR}acled_place_{key}")
    if ctx.once(p):
        add(triple(p, A, kg_term("Place")))
        add(triple(p, LABEL, lang_literal(row["location"].strip() or row["country"].strip())))
        add(triple(p, kg_term("country"), iri(state)))  # kg:locatedIn links places to places
        add(triple(p, _LAT, typed(repr(lat), "decimal")))
        add(triple(p, _LONG, typed(repr(long), "decimal")))
    return p


def _actor(name: str, inter: str, ctx: Any, add: Callable[[str], None]) -> str:
    a = iri(f"{KGR}acled_actor_{slug(name)}")
    if ctx.once(a):
        add(triple(a, A, kg_term("Actor")))
        add(triple(a, LABEL, lang_literal(name)))
        if inter.strip():
            add(triple(a, kg_term("datasetCode"), literal(f"inter {inter.strip()}")))
        forces = _FORCES.match(name)
        if forces:
            state = ctx.index.by_name.get(forces.group(1).casefold())
            if state:
                add(triple(a, kg_term("country"), iri(state)))
    return a
