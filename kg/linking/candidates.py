"""What reconciliation looks for and finds, and how a candidate is scored.

One scoring for every source of candidates, so that one threshold means the same whatever
service was asked: rapidfuzz's ``token_sort_ratio`` between our label (or its best variant)
and the candidate's best label, 0-100, minus :data:`TYPE_PENALTY` when the candidate's types
are known and none is one we expect for our class. :func:`mark_matches` flags a clear winner.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from rdflib import URIRef

from kg.linking.identifiers import label_variants
from kg.namespaces import KG

__all__ = [
    "Candidate",
    "mark_matches",
    "ReconQuery",
    "score_candidate",
    "TYPE_PENALTY",
    "WIKIDATA_TYPES",
]

#: Points taken off a candidate whose types are known and none is expected for our class.
TYPE_PENALTY = 25.0

#: Our classes -> the Wikidata classes (P31 values) a matching item is expected to have.
WIKIDATA_TYPES: dict[URIRef, tuple[str, ...]] = {
    KG.State: ("Q3624078", "Q6256"),  # sovereign state, country
    KG.UnrecognizedState: ("Q15634554", "Q3624078", "Q6256"),  # state with limited recognition
    KG.MilitaryAlliance: ("Q1127126", "Q484652", "Q245065"),  # military alliance, IO, IGO
    KG.InternationalOrganization: ("Q484652", "Q245065", "Q1127126"),
    KG.Person: ("Q5",),  # human
    KG.Settlement: ("Q515", "Q5119", "Q1549591", "Q486972", "Q3957", "Q532"),  # city, capital ...
}


@dataclass(frozen=True)
class ReconQuery:
    """What to find: one of our entities, by label and class.

    Parameters
    ----------
    key:
        Identifies the query in the batch (our entity's IRI is a good key).
    label:
        The label to look for.
    kind:
        Our class (``kg:State``), used to prefer candidates of the expected type.
    aliases:
        Other labels of the entity.

    Returns
    -------
    ReconQuery

    Example
    -------
    >>> ReconQuery("k", "Evlakh (Yevlakh)", aliases=("Yevlax",)).variants()
    ['Evlakh (Yevlakh)', 'Evlakh', 'Yevlakh', 'Yevlax']
    """

    key: str
    label: str
    kind: URIRef | None = None
    aliases: tuple[str, ...] = ()

    def variants(self) -> list[str]:
        """The label, its parts around a parenthesis, and the aliases, without repeats."""
        seen: list[str] = []
        for text in (self.label, *self.aliases):
            for variant in label_variants(text):
                if variant and variant not in seen:
                    seen.append(variant)
        return seen


@dataclass(frozen=True)
class Candidate:
    """A candidate match in the external dataset.

    Parameters
    ----------
    id:
        Its canonical IRI.
    name:
        Its best-matching label.
    score:
        0-100 (see the module docstring).
    types:
        Its classes, as IRIs.
    description:
        A short description, if the source gave one.
    match:
        True when this candidate is the clear winner: at or above the threshold, of an
        expected type, and ahead of every other candidate.

    Returns
    -------
    Candidate

    Example
    -------
    >>> Candidate("http://www.wikidata.org/entity/Q399", "Armenia", 100.0).match
    False
    """

    id: str
    name: str
    score: float
    types: tuple[str, ...] = ()
    description: str = ""
    match: bool = False


def score_candidate(
    query: ReconQuery, names: Sequence[str], types: Sequence[str], expected: Sequence[str]
) -> tuple[float, str]:
    """Score one candidate for ``query`` and pick its best-matching name.

    Parameters
    ----------
    query:
        What we look for.
    names:
        The candidate's labels and aliases.
    types:
        The candidate's class IRIs (empty when unknown).
    expected:
        The class IRIs a match should have (empty: no type check).

    Returns
    -------
    tuple[float, str]
        The score (0-100, rounded to 0.1) and the name that gave it.

    Example
    -------
    >>> q = ReconQuery("x", "Republic of Artsakh (Nagorno-Karabakh Republic)")
    >>> score_candidate(q, ["Republic of Artsakh", "Artsakh"], [], [])
    (100.0, 'Republic of Artsakh')
    >>> score_candidate(ReconQuery("x", "Armenia"), ["Armenia"], ["http://t/City"], ["http://t/State"])
    (75.0, 'Armenia')
    """
    from rapidfuzz import fuzz, utils  # lazy

    best, best_name = 0.0, names[0] if names else ""
    for variant in query.variants():
        for name in names:
            score = fuzz.token_sort_ratio(variant, name, processor=utils.default_process)
            if score > best:
                best, best_name = score, name
    if types and expected and not set(types) & set(expected):
        best -= TYPE_PENALTY
    return round(max(best, 0.0), 1), best_name


def mark_matches(candidates: list[Candidate], threshold: float) -> list[Candidate]:
    """Sort candidates best first and flag the clear winner as ``match``.

    Parameters
    ----------
    candidates:
        Scored candidates for one query.
    threshold:
        The least score of a match.

    Returns
    -------
    list[Candidate]

    Example
    -------
    >>> a, b = Candidate("wd:a", "A", 100.0), Candidate("wd:b", "A", 100.0)
    >>> [c.match for c in mark_matches([a, b], 90)], mark_matches([a], 90)[0].match
    ([False, False], True)
    """
    ordered = sorted(candidates, key=lambda c: (-c.score, c.id))
    if not ordered:
        return ordered
    top = ordered[0]
    clear = top.score >= threshold and (len(ordered) == 1 or ordered[1].score < top.score)
    return [_replace(c, match=(clear and c is top)) for c in ordered]


def _replace(candidate: Candidate, **changes: Any) -> Candidate:
    return replace(candidate, **changes)
