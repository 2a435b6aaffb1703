"""The CAMEO vocabulary (``ontology/cameo.ttl``) as the importers need it.

Imports write the vocabulary beside their rows (a few thousand triples), so that a file
written by ``kg import`` and loaded with ``kg --add`` carries the labels of its codes, and a
store it is loaded into has them; the loader of the project's schema stays as it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from kg.installed import INSTALLED_ROOT
from kg.iris import CAMEO_IRI, KIND_IRI

__all__ = ["CAMEO_TTL", "CameoCode", "event_codes", "actor_types", "vocabulary_ntriples"]

CAMEO_TTL = INSTALLED_ROOT / "ontology" / "cameo.ttl"
_NS = CAMEO_IRI
_KIND = KIND_IRI


@dataclass(frozen=True)
class CameoCode:
    """A CAMEO event code: its concept, label and the event kinds of the project it falls under."""

    code: str
    concept: str
    label: str
    kinds: tuple[str, ...]


@cache
def _graph() -> Any:
    from rdflib import Graph

    return Graph().parse(CAMEO_TTL, format="turtle")


@cache
def event_codes() -> dict[str, CameoCode]:
    """Every CAMEO event code of ``ontology/cameo.ttl``, by its notation.

    Example
    -------
    >>> codes = event_codes()
    >>> codes["193"].label, codes["193"].kinds
    ('fight with small arms and light weapons', ('https://w3id.org/kg-ir/kind/offensive',))
    >>> len(codes)
    280
    """
    from rdflib.namespace import SKOS

    g = _graph()

    out = {}
    for concept, code in g.subject_objects(SKOS.notation):
        concept = str(concept)
        if not concept.startswith(_NS) or concept.startswith(_NS + "actor_"):
            continue
        label = str(g.value(_ref(concept), SKOS.prefLabel))
        kinds = sorted(
            str(k)
            for rel in (SKOS.exactMatch, SKOS.broadMatch)
            for k in g.objects(_ref(concept), rel)
            if str(k).startswith(_KIND) and str(k)[len(_KIND) :] in _EVENT_KINDS
        )
        out[str(code)] = CameoCode(str(code), concept, label, tuple(kinds))
    return out


# The event kinds of ontology/vocabularies.ttl (statement kinds are not kg:eventKind values).
_EVENT_KINDS = {
    "armedConflict",
    "war",
    "offensive",
    "blockade",
    "ceasefire",
    "surrender",
    "meeting",
    "signing",
    "deployment",
    "withdrawal",
    "mediation",
    "dissolution",
    "policyChange",
}


def _ref(iri: str) -> Any:
    from rdflib import URIRef

    return URIRef(iri)


@cache
def actor_types() -> frozenset[str]:
    """The CAMEO actor type codes the vocabulary has (``GOV``, ``MIL`` ...).

    Example
    -------
    >>> {"GOV", "MIL", "REB"} <= actor_types()
    True
    """
    from rdflib.namespace import SKOS

    return frozenset(
        str(code)
        for concept, code in _graph().subject_objects(SKOS.notation)
        if str(concept).startswith(_NS + "actor_")
    )


@cache
def vocabulary_ntriples() -> str:
    """``ontology/cameo.ttl`` as N-Triples, written at the head of each import.

    Example
    -------
    >>> "<https://w3id.org/kg-ir/cameo/193>" in vocabulary_ntriples()
    True
    """
    return _graph().serialize(format="nt")
