"""Who said what, and which claims about one event conflict."""

from __future__ import annotations

from itertools import combinations
from typing import Any

from kg.relations._common import CLAIM_GROUPS, KG, claim_record, label, node, polity_of, targets

__all__ = ["contested", "who_said_what"]


def _claims(G: Any) -> list[str]:
    return [n for n, d in G.nodes(data=True) if d.get("group") in CLAIM_GROUPS]


def who_said_what(G: Any, about: str | None = None, speaker: str | None = None) -> list[dict]:
    """The claims in a view, optionally only those about one entity or by one speaker.

    Parameters
    ----------
    G:
        The statement view (or the full view).
    about:
        Keep the claims ``kg:about`` this entity (IRI, prefixed name, label, Wikidata id).
    speaker:
        Keep the statements by this speaker, or by a body or person acting for it when it
        is a state (the full view knows who acts for whom).

    Returns
    -------
    list[dict]
        Claim records (see :func:`kg.relations._common.claim_record`), by date then label;
        undated claims (the author's opinions) last.

    Example
    -------
    >>> from kg.views._fixture import fixture
    >>> from kg.views import full_view
    >>> G = full_view(fixture())
    >>> [(c["speaker_label"], c["kind"]) for c in who_said_what(G, about="kgr:Offensive2023")]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('Ministry of Foreign Affairs of Armenia', 'accusation of aggression'),
     ('Government of Azerbaijan', 'announcement'), ('Maria Zakharova', 'policy statement')]
    >>> [c["label"] for c in who_said_what(G, speaker="Armenia")]
    ["Armenian MFA calls Baku's actions a widescale aggression"]
    """
    about_n = node(G, about) if about is not None else None
    speaker_n = node(G, speaker) if speaker is not None else None
    out = []
    for c in _claims(G):
        if about_n is not None and about_n not in targets(G, c, "about"):
            continue
        if speaker_n is not None:
            said = targets(G, c, "speaker")
            if speaker_n not in said and speaker_n not in {polity_of(G, s) for s in said}:
                continue
        out.append(claim_record(G, c))
    return sorted(out, key=lambda r: (r["date"] is None, r["date"] or "", r["label"]))


def contested(G: Any, event: str | None = None) -> list[dict[str, Any]]:
    """Claims about the same event that conflict.

    Two claims about an event conflict when one ``kg:contradicts`` the other, or when they
    are statements by speakers acting for different polities that name the event in
    different words (``kg:characterization``: "local anti-terrorism measures" against
    "widescale aggression").

    Parameters
    ----------
    G:
        The statement view, or the full view (needed for the speakers' polities).
    event:
        One event (IRI, prefixed name, label, Wikidata id); ``None``: every event.

    Returns
    -------
    list[dict]
        One per contested event: ``event``, ``label``, ``claims`` (claim records of the
        claims in conflict) and ``pairs`` (``(claim, claim, reasons)``, reasons being
        "contradicts", "characterization" or both, comma-separated).

    Example
    -------
    >>> from kg.views._fixture import fixture
    >>> from kg.views import full_view
    >>> [found] = contested(full_view(fixture()), "kgr:Offensive2023")
    >>> sorted(c["speaker_label"] for c in found["claims"])
    ['Government of Azerbaijan', 'Ministry of Foreign Affairs of Armenia']
    >>> found["pairs"][0][2]
    'contradicts, characterization'
    """
    wanted = node(G, event) if event is not None else None
    by_event: dict[str, set[str]] = {}
    for c in _claims(G):
        for e in targets(G, c, "about"):
            if wanted is None and G.nodes[e].get("group") != "event":
                continue
            if wanted is None or e == wanted:
                by_event.setdefault(e, set()).add(c)
    out = []
    for e, claims in sorted(by_event.items()):
        pairs = _conflicts(G, sorted(claims))
        if pairs:
            involved = sorted({c for a, b, _ in pairs for c in (a, b)})
            out.append(
                {
                    "event": e,
                    "label": label(G, e),
                    "claims": [claim_record(G, c) for c in involved],
                    "pairs": pairs,
                }
            )
    return out


def _conflicts(G: Any, claims: list[str]) -> list[tuple[str, str, str]]:
    pairs = []
    for a, b in combinations(claims, 2):
        rels = {d.get("relation") for _, v, d in G.out_edges(a, data=True) if v == b}
        rels |= {d.get("relation") for _, v, d in G.out_edges(b, data=True) if v == a}
        reasons = ["contradicts"] if KG + "contradicts" in rels else []
        ca, cb = G.nodes[a].get("characterization"), G.nodes[b].get("characterization")
        sa, sb = _sides(G, a), _sides(G, b)
        if ca and cb and ca.casefold() != cb.casefold() and sa and sb and sa != sb:
            reasons.append("characterization")
        if reasons:
            pairs.append((a, b, ", ".join(reasons)))
    return pairs


def _sides(G: Any, c: str) -> frozenset:
    return frozenset(filter(None, (polity_of(G, s) for s in targets(G, c, "speaker"))))
