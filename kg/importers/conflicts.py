"""Where sources disagree: the same membership or the same agreement dated differently.

Imports never overwrite: a Wikidata membership is its own ``kg:Membership`` node beside the
article's, a Wikidata date on an existing agreement carries its own ``owl:Axiom``. So a
disagreement is two values that both stand, each with its source, and :func:`conflicts`
finds them. Dates are compared at the coarser precision: ``2003`` agrees with
``2003-09-18``; ``2002-10-07`` does not.
"""

from __future__ import annotations

from itertools import combinations
from typing import Any

from kg.iris import kg_prefix

__all__ = ["conflicts", "dates_disagree"]

_PREFIXES = (
    kg_prefix()
    + """PREFIX dct: <http://purl.org/dc/terms/>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""
)
_MEMBERSHIPS = (
    _PREFIXES
    + """SELECT ?m ?member ?org ?p ?date ?src ?memberLabel ?orgLabel WHERE {
  ?m a kg:Membership ; kg:member ?member ; kg:organization ?org .
  VALUES ?p { kg:startDate kg:endDate }
  ?m ?p ?date . OPTIONAL { ?m dct:source ?src }
  OPTIONAL { ?member rdfs:label ?memberLabel FILTER(langMatches(lang(?memberLabel), "en")) }
  OPTIONAL { ?org rdfs:label ?orgLabel FILTER(langMatches(lang(?orgLabel), "en")) }
}"""
)
# a date's source: its axiom's if it has one, else its subject's
_DATES = (
    _PREFIXES
    + """SELECT ?s ?p ?date ?src ?label WHERE {
  VALUES ?p { kg:dateSigned kg:dateInForce kg:startDate kg:endDate }
  ?s ?p ?date . FILTER NOT EXISTS { ?s a kg:Membership } FILTER(isIRI(?s))
  OPTIONAL { ?a owl:annotatedSource ?s ; owl:annotatedProperty ?p ; owl:annotatedTarget ?date ;
             dct:source ?axiomSrc }
  OPTIONAL { ?s dct:source ?ownSrc }
  BIND(COALESCE(?axiomSrc, ?ownSrc) AS ?src)
  OPTIONAL { ?s rdfs:label ?label FILTER(langMatches(lang(?label), "en")) }
}"""
)


def dates_disagree(a: str, b: str) -> bool:
    """Whether two dates (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``) disagree at the coarser precision.

    Example
    -------
    >>> dates_disagree("2003", "2003-09-18"), dates_disagree("2002-10-07", "2003-09-18")
    (False, True)
    """
    n = min(len(a), len(b))
    return a[:n] != b[:n]


def conflicts(graph: Any) -> list[dict[str, Any]]:
    """Facts two sources give differently, both kept: membership dates, agreement and event dates.

    Parameters
    ----------
    graph:
        A :class:`kg.graph.KnowledgeGraph`.

    Returns
    -------
    list[dict]
        ``subject``, ``label``, ``property``, and the two sides: ``a``/``b`` (the node holding
        each value), ``value_a``/``value_b``, ``source_a``/``source_b``.

    Example
    -------
    >>> from kg.graph import KnowledgeGraph
    >>> from kg.backends.memory import MemoryBackend
    >>> conflicts(KnowledgeGraph(MemoryBackend()))
    []
    """
    out = []
    groups: dict[tuple, list[tuple]] = {}
    for m, member, org, p, date, src, ml, ol in graph.query(_MEMBERSHIPS).lexical_rows():
        label = f"{ml or member}'s membership in {ol or org}"
        groups.setdefault((member, org, p, label), []).append((m, date, src))
    for (member, _org, p, label), values in sorted(groups.items()):
        out += _pairs(member, label, p, values, by_node=True)
    dated: dict[tuple, list[tuple]] = {}
    for s, p, date, src, label in graph.query(_DATES).lexical_rows():
        dated.setdefault((s, p, label or s), []).append((s, date, src))
    for (s, p, label), values in sorted(dated.items()):
        out += _pairs(s, label, p, values, by_node=False)
    return out


def _pairs(
    subject: str, label: str, prop: str, values: list[tuple], *, by_node: bool
) -> list[dict]:
    found = []
    seen = set()
    for (na, va, sa), (nb, vb, sb) in combinations(sorted(set(values)), 2):
        if sa == sb or (by_node and na == nb) or not dates_disagree(va, vb):
            continue
        key = (va, vb, sa, sb)
        if key in seen:
            continue
        seen.add(key)
        found.append(
            {
                "subject": subject,
                "label": label,
                "property": prop,
                "a": na,
                "b": nb,
                "value_a": va,
                "value_b": vb,
                "source_a": sa,
                "source_b": sb,
            }
        )
    return found
