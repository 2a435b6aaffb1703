"""GDELT events (2.0: 61 columns; 1.0: 57 or 58) and the 2.0 mentions table, as kg events.

Each row becomes a ``kg:Event`` (``kgr:gdelt_ID``): its CAMEO code (``kg:eventKind
cameo:CODE``, plus the project's kind the code falls under), date, Goldstein scale, tone,
mention/source/article counts, whether it is a root event, its action place (a ``kg:Place``
with GeoNames feature id and coordinates) and its two actors as ``kg:Participation`` with the
role ``cameo:sourceActor`` / ``cameo:targetActor``. A bare country code (``ARM``) is the
graph's own state (:class:`~kg.importers.entities.EntityIndex`); any other actor code
(``ARMGOV``) is a ``kg:Actor`` of that country with its CAMEO actor types. SOURCEURL is the
event's ``dct:source``. Every event says which import run made it and from which row.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from kg.importers import rows as _rows
from kg.importers.cameo import CameoCode, actor_types, event_codes
from kg.importers.ntriples import CAMEO, KG, KGR, lang_literal, literal, safe_iri, slug, typed
from kg.importers.rows import BadValue, RowError

__all__ = ["gdelt_events", "LAYOUTS"]

# Column positions (0-based) shared by both versions: the first 35.
ID, SQLDATE, A1CODE, A1NAME, A1COUNTRY, A1TYPES = 0, 1, 5, 6, 7, (12, 13, 14)
A2CODE, A2NAME, A2COUNTRY, A2TYPES = 15, 16, 17, (22, 23, 24)
ROOT, CODE, GOLDSTEIN, MENTIONS, SOURCES, ARTICLES, TONE = 25, 26, 30, 31, 32, 33, 34

_Layout = tuple[str, int, int, int | None]
#: columns -> (version, first ActionGeo column, geo block width, SOURCEURL column or None)
LAYOUTS: dict[int, _Layout] = {
    61: ("2.0", 51, 8, 60),
    58: ("1.0", 49, 7, 57),
    57: ("1.0", 49, 7, None),
}
NAMES = {ID: "GLOBALEVENTID", SQLDATE: "SQLDATE", CODE: "EventCode", GOLDSTEIN: "GoldsteinScale"}

_T = " <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
_LABEL = " <http://www.w3.org/2000/01/rdf-schema#label> "
_P = {
    name: f" <{KG}{name}> "
    for name in (
        "eventKind",
        "startDate",
        "goldsteinScale",
        "averageTone",
        "mentionCount",
        "sourceCount",
        "articleCount",
        "rootEvent",
        "participation",
        "participationOf",
        "role",
        "place",
        "sourceRecord",
        "datasetCode",
        "cameoActorType",
        "country",
        "countryCode",
        "geonamesFeature",
        "mentionOf",
        "sentence",
        "actor1Offset",
        "actor2Offset",
        "actionOffset",
        "confidence",
    )
}
_SOURCE = " <http://purl.org/dc/terms/source> "
_ID = " <http://purl.org/dc/terms/identifier> "
_GEN = " <http://www.w3.org/ns/prov#wasGeneratedBy> "
_AT = " <http://www.w3.org/ns/prov#generatedAtTime> "
_LAT, _LONG = " <http://schema.org/latitude> ", " <http://schema.org/longitude> "
_MATCH = " <http://www.w3.org/2004/02/skos/core#exactMatch> "
_EVENT, _PART, _ACTOR, _PLACE = (f"<{KG}{c}>" for c in ("Event", "Participation", "Actor", "Place"))
_DOC, _MENTION = f"<{KG}SourceDocument>", f"<{KG}Mention>"
_ROLES = (f"<{CAMEO}sourceActor>", f"<{CAMEO}targetActor>")
_XSD = "http://www.w3.org/2001/XMLSchema#"


def gdelt_events(files: list[str], ctx: Any) -> Iterator[str]:
    """Map GDELT event files to N-Triples, row by row (see the module docs).

    Parameters
    ----------
    files:
        Export files (``.CSV``, ``.zip`` or ``.gz``), 61 or 57/58 tab-separated columns.
    ctx:
        The :class:`~kg.importers.run.ImportContext`; ``ctx.options`` may hold ``since``,
        ``until`` (``YYYYMMDD``), ``countries`` (a set of codes), ``root_only`` and
        ``mentions`` (mention files).

    Returns
    -------
    Iterator[str]
        N-Triples, one chunk per event.
    """
    keep_ids = None
    if ctx.options.get("mentions"):
        from kg.importers.gdelt_mentions import EventIds

        keep_ids = EventIds()
    run = f"<{ctx.run}>"
    try:
        yield from _events(files, ctx, keep_ids, run)
        if keep_ids is not None:
            from kg.importers.gdelt_mentions import gdelt_mentions

            yield from gdelt_mentions(ctx.options["mentions"], ctx, keep_ids)
    finally:
        if keep_ids is not None:
            keep_ids.close()


def _events(files: list[str], ctx: Any, keep_ids: Any, run: str) -> Iterator[str]:
    """The events of ``files``, row by row; their ids added to ``keep_ids`` if given."""
    codes, types = event_codes(), actor_types()
    since, until = ctx.options.get("since"), ctx.options.get("until")
    countries, root_only = ctx.options.get("countries"), ctx.options.get("root_only")
    for path in files:
        for name, stream in _rows.open_members(path):
            shown = name.rsplit("/", 1)[-1]
            for number, f in _rows.tsv_rows(name, stream, ctx.log):
                ctx.rows_read += 1
                layout = LAYOUTS.get(len(f))
                if layout is None:
                    message = (
                        f"expected 61 columns (GDELT 2.0) or 57/58 (GDELT 1.0), found {len(f)}"
                    )
                    ctx.log.add(RowError(name, number, str(len(f)), message))
                    continue
                date = f[SQLDATE]
                if (
                    (since and date < since)
                    or (until and date > until)
                    or (root_only and f[ROOT] != "1")
                    or (
                        countries
                        and f[A1COUNTRY] not in countries
                        and f[A2COUNTRY] not in countries
                    )
                ):
                    ctx.rows_filtered += 1
                    continue
                try:
                    text = _event(f, layout, codes, types, ctx, run, f"{shown}:{number}")
                except BadValue as bad:
                    ctx.log.add(RowError(name, number, bad.column, bad.message))
                    continue
                ctx.rows_imported += 1
                if keep_ids is not None:
                    keep_ids.add(f[ID])
                yield text


def _event(
    f: list[str],
    layout: _Layout,
    codes: dict[str, CameoCode],
    types: frozenset[str],
    ctx: Any,
    run: str,
    record: str,
) -> str:
    eid = f[ID]
    if not eid.isdigit():
        raise BadValue("GLOBALEVENTID", f"not a number: {eid!r}")
    date = f[SQLDATE]
    day = _DAYS.get(date) or _day(date)
    code = codes.get(f[CODE])
    if code is None:
        raise BadValue("EventCode", f"unknown CAMEO event code {f[CODE]!r}")
    e = f"<{KGR}gdelt_{eid}>"
    # the triples every event has, as one string: this loop is the hot path of an import
    out = [
        f'{e}{_T}{_EVENT} .\n{e}{_ID}"{eid}" .\n{e}{_P["startDate"]}"{day}"^^<{_XSD}date> .\n'
        f"{e}{_GEN}{run} .\n{e}{_P['sourceRecord']}{literal(record)} .\n",
        *[e + kind for kind in _kind_lines(code)],
    ]
    _measures(f, e, out)
    names = _participations(f, e, eid, types, ctx, out)
    place = _place(f, layout, ctx, out)
    if place:
        out.append(f"{e}{_P['place']}{place} .\n")
    if layout[3] is not None:
        url = safe_iri(f[layout[3]])
        if url:
            # written with every event, not remembered: a set of every URL would grow with the file
            out.append(f"{e}{_SOURCE}{url} .\n{url}{_T}{_DOC} .\n")
    label = f"{' / '.join(names) or 'GDELT event'}: {code.label} ({day})"
    out.append(f"{e}{_LABEL}{lang_literal(label)} .\n")
    return "".join(out)


def _measures(f: list[str], e: str, out: list[str]) -> None:
    """Goldstein, tone and the counts (checked numbers), and the root-event flag."""
    for col, prop, datatype in _MEASURES:
        value = f[col]
        if value:
            if not _number(value, datatype):
                raise BadValue(_COLUMN_NAMES[col], f"not a number: {value!r}")
            out.append(f'{e}{prop}"{value}"^^<{_XSD}{datatype}> .\n')
    if f[ROOT] == "1":
        out.append(f'{e}{_P["rootEvent"]}"true"^^<{_XSD}boolean> .\n')


def _participations(
    f: list[str], e: str, eid: str, types: frozenset[str], ctx: Any, out: list[str]
) -> list[str]:
    """The two actors' participations (source, target); their names, for the label."""
    names = []
    for slot, (ccol, ncol, kcol, tcols) in enumerate(_ACTORS):
        actor = _actor(f[ccol], f[ncol], f[kcol], [f[c] for c in tcols], types, ctx, out)
        if actor is None:
            continue
        part = f"<{KGR}gdelt_{eid}_a{slot + 1}>"
        out.append(
            f"{e}{_P['participation']}{part} .\n{part}{_T}{_PART} .\n"
            f"{part}{_P['participationOf']}{actor} .\n{part}{_P['role']}{_ROLES[slot]} .\n"
        )
        names.append(f[ncol].title() or f[ccol])
    return names


_ACTORS = ((A1CODE, A1NAME, A1COUNTRY, A1TYPES), (A2CODE, A2NAME, A2COUNTRY, A2TYPES))
_DAYS: dict[str, str] = {}
_KIND_LINES: dict[str, list[str]] = {}


def _day(text: str) -> str:
    """``YYYYMMDD`` checked and written ``YYYY-MM-DD`` (remembered: a file has few days)."""
    if len(text) != 8 or not text.isdigit() or not _valid_date(text):
        raise BadValue("SQLDATE", f"not a date (YYYYMMDD): {text!r}")
    if len(_DAYS) < 100_000:
        _DAYS[text] = f"{text[:4]}-{text[4:6]}-{text[6:]}"
    return f"{text[:4]}-{text[4:6]}-{text[6:]}"


def _kind_lines(code: CameoCode) -> list[str]:
    """The predicate-object part of a code's ``kg:eventKind`` triples, made once per code."""
    lines = _KIND_LINES.get(code.code)
    if lines is None:
        kinds = (code.concept, *code.kinds)
        lines = _KIND_LINES[code.code] = [f"{_P['eventKind']}<{k}> .\n" for k in kinds]
    return lines


_MEASURES = (
    (GOLDSTEIN, _P["goldsteinScale"], "decimal"),
    (TONE, _P["averageTone"], "decimal"),
    (MENTIONS, _P["mentionCount"], "integer"),
    (SOURCES, _P["sourceCount"], "integer"),
    (ARTICLES, _P["articleCount"], "integer"),
)
_COLUMN_NAMES = {
    GOLDSTEIN: "GoldsteinScale",
    TONE: "AvgTone",
    MENTIONS: "NumMentions",
    SOURCES: "NumSources",
    ARTICLES: "NumArticles",
}


def _actor(
    code: str,
    name: str,
    country: str,
    kinds: list[str],
    types: frozenset[str],
    ctx: Any,
    out: list[str],
) -> str | None:
    if not code:
        return None
    known = ctx.cache.get((code, country))
    if known is not None:
        return known
    state, minted = ctx.index.state(alpha3=country) if country else (None, "")
    if minted:
        out.append(minted)
    if state is not None and code == country:
        return ctx.keep((code, country), f"<{state}>")
    a = f"<{KGR}gdelt_actor_{slug(code)}>"
    if ctx.once(a):
        out += [a, _T, _ACTOR, " .\n", a, _LABEL, lang_literal(name.title() or code), " .\n"]
        out += [a, _P["datasetCode"], literal(code), " .\n"]
        if state is not None:
            out += [a, _P["country"], f"<{state}>", " .\n"]
        elif country:
            out += [a, _P["countryCode"], literal(country), " .\n"]
        for kind in kinds:
            if kind in types:
                out += [a, _P["cameoActorType"], f"<{CAMEO}actor_{kind}>", " .\n"]
    return ctx.keep((code, country), a)


def _place(f: list[str], layout: _Layout, ctx: Any, out: list[str]) -> str | None:
    start, width = layout[1], layout[2]
    geo = f[start : start + width]
    feature, name = geo[-1], geo[1]
    if not feature and not name:
        return None
    # a whole country (type 1) is a place of its own (kg:place ranges over places, and a
    # state is an actor), named so that it is never taken for the state, which it belongs to
    state = ctx.index.by_name.get(name.casefold()) if geo[0] == "1" else None
    p = f"<{KGR}gdelt_place_{slug(feature or name)}>"
    if ctx.once(p):
        label = f"{name} (the whole country)" if geo[0] == "1" else name or feature
        out += [p, _T, _PLACE, " .\n", p, _LABEL, lang_literal(label), " .\n"]
        if state is not None:
            out += [p, _P["country"], f"<{state}>", " .\n"]
        if geo[2]:
            out += [p, _P["countryCode"], literal(geo[2]), " .\n"]
        lat, long = geo[-3], geo[-2]
        if lat and long and _number(lat, "decimal") and _number(long, "decimal"):
            out += [
                p,
                _LAT,
                typed(lat, "decimal"),
                " .\n",
                p,
                _LONG,
                typed(long, "decimal"),
                " .\n",
            ]
        if feature:
            out += [p, _P["geonamesFeature"], literal(feature), " .\n"]
            if feature.isdigit():
                out += [p, _MATCH, f"<https://sws.geonames.org/{feature}/>", " .\n"]
    return p


def _valid_date(text: str) -> bool:
    import datetime

    try:
        datetime.date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        return False
    return True


def _number(text: str, datatype: str) -> bool:
    """An ``xsd:integer`` or ``xsd:decimal`` lexical form (no exponent, nan or inf)."""
    if datatype == "integer":
        return text.lstrip("-").isdigit()
    return _DECIMAL.fullmatch(text) is not None


_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
