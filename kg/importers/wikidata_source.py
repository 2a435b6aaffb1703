"""Reading Wikidata: statements (with qualifiers and ranks) from a SPARQL endpoint or entity
JSON, as plain records.

Memberships, heads of state and government and treaty dates are read from the full
statements (``p:P463`` / ``ps:P463`` with ``pqv:P580`` / ``pqv:P582`` and
``wikibase:rank``), never from the truthy ``wdt:`` triples, so their dates and precision
survive. Both routes give the same records: :class:`Item` and :class:`Claim`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from kg.errors import KgError

__all__ = ["Item", "Claim", "wikidata_date", "items_from_json", "items_from_sparql", "QID"]

QID = re.compile(r"^Q[1-9][0-9]*$")
WD = "http://www.wikidata.org/entity/"
#: properties read as claims: memberships, heads of state/government, treaty signatories,
#: parties (country), signing (inception) and entry into force (start time)
PROPERTIES = ("P463", "P35", "P6", "P1891", "P17", "P571", "P580")


@dataclass
class Claim:
    """One statement: its id, property, value (a Q-id or a date), qualifiers and rank."""

    id: str
    prop: str
    value: str
    start: tuple[str, str] | None = None
    end: tuple[str, str] | None = None
    rank: str = "normal"


@dataclass
class Item:
    """A Wikidata item: label, classes (P31) and the claims kg reads."""

    qid: str
    label: str = ""
    classes: set[str] = field(default_factory=set)
    claims: list[Claim] = field(default_factory=list)


def wikidata_date(value: str, precision: int | str | None) -> tuple[str, str] | None:
    """A Wikidata time at its precision: (lexical form, XSD datatype), or None.

    Parameters
    ----------
    value:
        ``+2003-09-18T00:00:00Z`` (JSON) or ``2003-09-18T00:00:00Z`` (SPARQL).
    precision:
        11 day, 10 month, 9 year (``None``: day).

    Example
    -------
    >>> wikidata_date("+2003-09-18T00:00:00Z", 11), wikidata_date("1992-05-15T00:00:00Z", 9)
    (('2003-09-18', 'date'), ('1992', 'gYear'))
    """
    match = re.match(r"^\+?(-?\d{4,})-(\d{2})-(\d{2})", value or "")
    if not match:
        return None
    y, m, d = match.groups()
    p = int(precision) if precision not in (None, "") else 11
    if p >= 11 and m != "00" and d != "00":
        return f"{y}-{m}-{d}", "date"
    if p == 10 and m != "00":
        return f"{y}-{m}", "gYearMonth"
    if p <= 9 and p >= 7:
        return y, "gYear"
    return None


# -- entity JSON ---------------------------------------------------------------------------


def items_from_json(path: str) -> Iterator[Item]:
    """The items of an entity JSON file: a ``wbgetentities`` answer, one entity, or a dump.

    Parameters
    ----------
    path:
        The file; a dump (``[`` then one entity a line) is read line by line.

    Returns
    -------
    Iterator[Item]

    Raises
    ------
    KgError
        ``FILE:LINE: not JSON ...``.
    """
    with open(path, encoding="utf-8") as stream:
        head = stream.read(1)
        while head and head.isspace():
            head = stream.read(1)
        if head == "[":
            for number, line in enumerate(stream, 1):
                line = line.strip().rstrip(",")
                if line in ("", "]"):
                    continue
                yield _item(_loads(line, path, number))
            return
        text = head + stream.read()
    doc = _loads(text, path, 1)
    entities = doc.get("entities") if isinstance(doc, dict) else None
    for entity in entities.values() if isinstance(entities, dict) else [doc]:
        if isinstance(entity, dict) and QID.match(str(entity.get("id", ""))):
            yield _item(entity)


def _loads(text: str, path: str, line: int) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise KgError(
            f"not JSON ({exc.msg}, column {exc.colno})", path=path, line=line + exc.lineno - 1
        ) from None


def _item(entity: dict) -> Item:
    item = Item(str(entity["id"]), ((entity.get("labels") or {}).get("en") or {}).get("value", ""))
    claims = entity.get("claims") or {}
    for c in claims.get("P31", []):
        value = _snak_value(c.get("mainsnak"))
        if value:
            item.classes.add(value)
    for prop in PROPERTIES:
        for c in claims.get(prop, []):
            value = _snak_value(c.get("mainsnak"))
            if value is None:
                continue
            q = c.get("qualifiers") or {}
            item.claims.append(
                Claim(
                    str(c.get("id", "")).replace("$", "-"),  # as in Wikidata RDF
                    prop,
                    value,
                    _qualifier(q, "P580"),
                    _qualifier(q, "P582"),
                    c.get("rank", "normal"),
                )
            )
    return item


def _snak_value(snak: dict | None) -> str | None:
    if not snak or snak.get("snaktype") != "value":
        return None
    value = (snak.get("datavalue") or {}).get("value")
    if isinstance(value, dict) and "id" in value:
        return str(value["id"])
    if isinstance(value, dict) and "time" in value:
        return f"{value['time']}|{value.get('precision', 11)}"
    return None


def _qualifier(qualifiers: dict, prop: str) -> tuple[str, str] | None:
    for snak in qualifiers.get(prop, []):
        value = (snak.get("datavalue") or {}).get("value")
        if isinstance(value, dict) and "time" in value:
            return wikidata_date(value["time"], value.get("precision"))
    return None


# -- SPARQL --------------------------------------------------------------------------------

_PREFIXES = """PREFIX wd: <http://www.wikidata.org/entity/>
PREFIX wdt: <http://www.wikidata.org/prop/direct/>
PREFIX p: <http://www.wikidata.org/prop/>
PREFIX ps: <http://www.wikidata.org/prop/statement/>
PREFIX psv: <http://www.wikidata.org/prop/statement/value/>
PREFIX pqv: <http://www.wikidata.org/prop/qualifier/value/>
PREFIX wikibase: <http://wikiba.se/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""
_ITEMS = """SELECT ?item ?label ?class WHERE { VALUES ?item { %s }
  OPTIONAL { ?item rdfs:label ?label FILTER(lang(?label) = "en") }
  OPTIONAL { ?item wdt:P31 ?class } }"""
_CLAIM = """{ ?item p:%(p)s ?st . ?st ps:%(p)s ?value ; wikibase:rank ?rank . BIND("%(p)s" AS ?prop)
    OPTIONAL { ?st psv:%(p)s [ wikibase:timeValue ?time ; wikibase:timePrecision ?timeP ] } }"""
_CLAIMS = """SELECT ?item ?st ?prop ?value ?rank ?start ?startP ?end ?endP ?time ?timeP WHERE {
  VALUES ?item { %s }
  %s
  OPTIONAL { ?st pqv:P580 [ wikibase:timeValue ?start ; wikibase:timePrecision ?startP ] }
  OPTIONAL { ?st pqv:P582 [ wikibase:timeValue ?end ; wikibase:timePrecision ?endP ] }
}"""
_TREATIES = """SELECT DISTINCT ?treaty WHERE { VALUES ?item { %s }
  ?treaty wdt:P31 wd:Q131569 . { ?treaty wdt:P1891 ?item } UNION { ?treaty wdt:P17 ?item } }"""


def items_from_sparql(endpoint: str, qids: Iterable[str], client: Any) -> list[Item]:
    """Ask a Wikidata-shaped endpoint for the items, their claims, and the treaties they signed.

    Parameters
    ----------
    endpoint:
        The SPARQL endpoint.
    qids:
        The items to read (checked to be Q-ids, so the ``VALUES`` blocks hold only them).
    client:
        An :class:`kg.linking.http_client.HttpClient` (User-Agent, backoff, cache).

    Returns
    -------
    list[Item]
        The items, then the treaties and the organizations and persons their claims name.
    """
    wanted = sorted({q for q in qids if QID.match(q)})
    items = _read(endpoint, wanted, client)
    values = " ".join(f"wd:{q}" for q in wanted)
    treaties = (
        [_qid(r["treaty"]) for r in _rows(client.sparql(endpoint, _PREFIXES + _TREATIES % values))]
        if wanted
        else []
    )
    more = _read(endpoint, [t for t in treaties if t and t not in items], client)
    items.update(more)
    named = {c.value for i in items.values() for c in i.claims if QID.match(c.value)} - set(items)
    items.update(_read(endpoint, sorted(named), client, claims=False))
    return list(items.values())


def _read(endpoint: str, qids: list[str], client: Any, claims: bool = True) -> dict[str, Item]:
    items: dict[str, Item] = {}
    for start in range(0, len(qids), 200):  # keep each query small enough for a public endpoint
        values = " ".join(f"wd:{q}" for q in qids[start : start + 200])
        for r in _rows(client.sparql(endpoint, _PREFIXES + _ITEMS % values)):
            item = items.setdefault(_qid(r["item"]), Item(_qid(r["item"])))
            item.label = item.label or r.get("label", "")
            if r.get("class"):
                item.classes.add(_qid(r["class"]))
        if not claims:
            continue
        union = "\n  UNION ".join(_CLAIM % {"p": p} for p in PROPERTIES)
        for r in _rows(client.sparql(endpoint, _PREFIXES + _CLAIMS % (values, union))):
            item = items.setdefault(_qid(r["item"]), Item(_qid(r["item"])))
            value = _qid(r["value"]) if r["value"].startswith(WD) else None
            if value is None and r.get("time"):
                value = f"{r['time']}|{r.get('timeP', 11)}"
            if value is None:
                continue
            rank = r.get("rank", "").rsplit("#", 1)[-1].replace("Rank", "").lower() or "normal"
            start_d = wikidata_date(r["start"], r.get("startP")) if r.get("start") else None
            end_d = wikidata_date(r["end"], r.get("endP")) if r.get("end") else None
            claim = Claim(r["st"].rsplit("/", 1)[-1], r["prop"], value, start_d, end_d, rank)
            if claim not in item.claims:
                item.claims.append(claim)
    return items


def _rows(answer: dict) -> list[dict[str, str]]:
    return [{k: v.get("value", "") for k, v in b.items()} for b in answer["results"]["bindings"]]


def _qid(value: str) -> str:
    return value.rsplit("/", 1)[-1]
