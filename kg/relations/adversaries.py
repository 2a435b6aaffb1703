"""Adversaries: who fought whom, and who accused whom.

Two polities are adversaries when

- they took opposite sides in a conflict event (war, offensive, armed conflict, blockade):
  attacker against defender, the initiator against another participant, or any two
  participants unless they share a role or one of them is a third party (mediator,
  observer, peacekeeper, host, delegation, signatory);
- or one accused or criticised the other (a claim of kind accusation, accusation of
  aggression or criticism whose speaker acts for one and whose target acts for the other).

Bodies, forces and persons count for the polity they act for (``kg:country``, posts).
"""

from __future__ import annotations

from typing import Any

from kg.relations._common import CLAIM_GROUPS, KG, label, node, polity_of, targets
from kg.views.alleged import is_fact

__all__ = ["ACCUSING_KINDS", "adversaries", "CONFLICT_KINDS", "THIRD_PARTY_ROLES"]

CONFLICT_KINDS = {"armed conflict", "war", "military offensive", "blockade"}
ACCUSING_KINDS = {"accusation", "accusation of aggression", "criticism"}
THIRD_PARTY_ROLES = {"mediator", "observer", "peacekeeper", "host", "delegation", "signatory"}


def adversaries(G: Any, state: str) -> list[dict[str, Any]]:
    """The polities opposed to ``state`` in conflicts or accusations, with the evidence.

    Parameters
    ----------
    G:
        The full view (it holds events, claims and who acts for whom).
    state:
        IRI, prefixed name, label or Wikidata id.

    Returns
    -------
    list[dict]
        One per adversary, sorted by label: ``adversary``, ``label`` and ``evidence``, a
        list of ``{"why", "via", "via_label", "quote"}`` (``via`` being the event or claim).

    Example
    -------
    >>> from kg.views._fixture import fixture
    >>> from kg.views import full_view
    >>> [found] = adversaries(full_view(fixture()), "Armenia")
    >>> found["label"], sorted(e["why"] for e in found["evidence"])
    ('Azerbaijan', ['accused by Armenia', 'belligerent against belligerent'])
    """
    me = node(G, state)
    evidence: dict[str, list[dict]] = {}

    def note(other: str | None, why: str, via: str) -> None:
        if other is None or other == me:
            return
        item = {"why": why, "via": via, "via_label": label(G, via), "quote": _quote(G, via)}
        if item not in evidence.setdefault(other, []):
            evidence[other].append(item)

    for e, d in G.nodes(data=True):
        # an alleged or not-occurred event (in a view built with alleged=True) is no evidence
        if d.get("group") == "event" and d.get("kind") in CONFLICT_KINDS and is_fact(d):
            sides = _sides(G, e)
            for mine in [r for p, r in sides if p == me]:
                for p, theirs in sides:
                    if p != me and _opposed(mine, theirs):
                        note(p, f"{mine} against {theirs}", e)
        elif d.get("group") in CLAIM_GROUPS and d.get("kind") in ACCUSING_KINDS:
            speakers = {polity_of(G, s) for s in targets(G, e, "speaker")}
            aimed = {polity_of(G, t) for t in targets(G, e, "target")}
            if me in speakers:
                for other in aimed:
                    note(other, f"accused by {label(G, me)}", e)
            if me in aimed:
                for other in speakers:
                    note(other, f"accused {label(G, me)}", e)
    return sorted(
        ({"adversary": a, "label": label(G, a), "evidence": ev} for a, ev in evidence.items()),
        key=lambda r: r["label"],
    )


def _sides(G: Any, e: str) -> list[tuple[str, str]]:
    """(polity, role) for each participant of event ``e``; the initiator's role is "initiator"."""
    sides = []
    for _, p, d in G.out_edges(e, data=True):
        rel = d.get("relation")
        if rel == KG + "initiator":
            role = "initiator"
        elif rel == KG + "participant":
            role = d.get("role") or "participant"
        else:
            continue
        polity = polity_of(G, p)
        if polity is not None:
            sides.append((polity, role))
    return sides


def _opposed(a: str, b: str) -> bool:
    if a in THIRD_PARTY_ROLES or b in THIRD_PARTY_ROLES:
        return False
    if {a, b} == {"attacker", "defender"} or (a == b == "belligerent"):
        return True
    if "initiator" in (a, b):
        return {a, b} != {"initiator", "attacker"}
    return a != b or a == "participant"


def _quote(G: Any, via: str) -> str | None:
    return G.nodes[via].get("quote") if via in G else None
