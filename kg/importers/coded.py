"""Coded events (GDELT, ACLED) that may be the same happening as an event of the graph.

A dataset's coded events are never merged into the graph's own events: they stand beside
them. :func:`coded_events` finds those dated within an event's span (a day either side) that
name one of its participants or its initiator, so the statements about the event and what
the event data coded can be read together (``kg contested``).
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from kg.iris import kg_prefix

__all__ = ["coded_events"]

_EVENT = (
    kg_prefix()
    + """SELECT ?start ?end ?actor WHERE {
  ?event kg:startDate ?start . OPTIONAL { ?event kg:endDate ?end }
  OPTIONAL { { ?event kg:participant|kg:initiator ?actor }
             UNION { ?event kg:participation/kg:participationOf ?actor } }
}"""
)
_CODED = (
    kg_prefix()
    + """PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dct: <http://purl.org/dc/terms/>
SELECT ?coded ?label ?date ?notation ?dataset ?source ?record ?who ?country WHERE {
  ?coded a kg:Event ; kg:startDate ?date ; prov:wasGeneratedBy ?run ; kg:participation ?part .
  FILTER(STR(?date) >= ?low && STR(?date) <= ?high)
  ?run prov:used ?dataset .
  ?part kg:participationOf ?who . OPTIONAL { ?who kg:country ?country }
  OPTIONAL { ?coded rdfs:label ?label }
  OPTIONAL { ?coded kg:eventKind ?code . ?code skos:notation ?notation }
  OPTIONAL { ?coded dct:source ?source } OPTIONAL { ?coded kg:sourceRecord ?record }
}"""
)


def coded_events(graph: Any, event: str) -> list[dict[str, Any]]:
    """Imported coded events near ``event``: on its dates (a day either side), naming its actors.

    Parameters
    ----------
    graph:
        A :class:`kg.graph.KnowledgeGraph`.
    event:
        The event's IRI.

    Returns
    -------
    list[dict]
        ``coded``, ``label``, ``date``, ``code`` (the CAMEO code when coded in CAMEO),
        ``dataset``, ``source``, ``record``, by date.

    Example
    -------
    >>> from kg.graph import KnowledgeGraph
    >>> from kg.backends.memory import MemoryBackend
    >>> coded_events(KnowledgeGraph(MemoryBackend()), "https://w3id.org/kg-ir/resource/x")
    []
    """
    from rdflib import Literal, URIRef

    rows = graph.query(_EVENT, event=URIRef(event)).lexical_rows()
    if not rows:
        return []
    start = _day(rows[0][0], first=True)
    end = _day(rows[0][1] or rows[0][0], first=False)
    actors = {r[2] for r in rows if r[2]}
    if start is None or end is None or not actors:
        return []
    low, high = (
        (start - _dt.timedelta(days=1)).isoformat(),
        (end + _dt.timedelta(days=1)).isoformat(),
    )
    found: dict[str, dict[str, Any]] = {}
    answer = graph.query(_CODED, low=Literal(low), high=Literal(high + "~"))
    for (
        coded,
        label,
        date,
        notation,
        dataset,
        source,
        record,
        who,
        country,
    ) in answer.lexical_rows():
        if coded == event or (who not in actors and country not in actors):
            continue
        item = found.setdefault(coded, {
            "coded": coded, "label": label, "date": date, "code": notation,
            "dataset": dataset, "source": source, "record": record,
        })  # fmt: skip
        item["code"] = item["code"] or notation
    return sorted(found.values(), key=lambda r: (r["date"], r["coded"]))


def _day(text: str | None, *, first: bool) -> _dt.date | None:
    if not text:
        return None
    try:
        if len(text) >= 10:
            return _dt.date.fromisoformat(text[:10])
        if len(text) == 7:
            y, m = int(text[:4]), int(text[5:7])
            if first:
                return _dt.date(y, m, 1)
            return _dt.date(y + (m == 12), m % 12 + 1, 1) - _dt.timedelta(days=1)
        return _dt.date(int(text[:4]), 1 if first else 12, 1 if first else 31)
    except ValueError:
        return None
