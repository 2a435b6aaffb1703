"""Allies and shared organizations, from the alliance view (or the full view).

An *ally* of a state on a day is a co-member of a military alliance (``kg:MilitaryAlliance``)
where both memberships hold and are **active** that day. A frozen membership is still a
membership (the member has not left; :func:`common_organizations` lists it) but not an
alliance: the member has suspended its part, so it neither gives nor receives allies.
"""

from __future__ import annotations

from typing import Any

from kg.errors import BadOptionError
from kg.relations._common import KG, label, node
from kg.views.timefilter import as_of_string, edge_holds, edge_status

__all__ = ["NotAStateError", "allies", "common_organizations", "members"]


class NotAStateError(BadOptionError):
    """Allies were asked of something that is not a state (an alliance, a person ...)."""


def _memberships(G: Any, n: str, as_of: str | None) -> list[tuple[str, dict]]:
    """(organization, edge data) for each membership of ``n`` that holds on ``as_of``."""
    out = []
    for _, org, d in G.out_edges(n, data=True):
        if d.get("relation") == KG + "memberOf" and edge_holds(d, as_of):
            out.append((org, d))
    return out


def _status(d: dict, as_of: str | None) -> str:
    return edge_status(d, as_of) or "active"


def allies(G: Any, state: str, as_of: Any = None) -> list[dict[str, Any]]:
    """The states allied with ``state`` through a military alliance on ``as_of``.

    Parameters
    ----------
    G:
        The alliance view (or the full view), built for all time or for ``as_of``.
    state:
        The state: IRI, prefixed name, label or Wikidata id.
    as_of:
        A date (``"YYYY-MM-DD"`` or ``datetime.date``); default the view's ``as_of``, and
        for a view built for all time, the current statuses.

    Returns
    -------
    list[dict]
        One per (ally, alliance), sorted by ally label: ``ally``, ``label``,
        ``organization``, ``organization_label``, ``start`` (of the ally's membership),
        ``quote`` and ``source`` (the evidence of the ally's membership).

    Raises
    ------
    NotAStateError
        When ``state`` is a node of ``G`` that is not a state; for an organization the
        message names its members. An IRI that is not in ``G`` has no allies.

    Example
    -------
    >>> from kg.views._fixture import fixture
    >>> from kg.views import alliance_view
    >>> G = alliance_view(fixture())
    >>> [a["label"] for a in allies(G, "Armenia", as_of="2023-09-01")]
    ['Kazakhstan', 'Russia']
    >>> allies(G, "Armenia", as_of="2024-03-01")
    []
    >>> [a["label"] for a in allies(G, "Russia", as_of="2010-01-01")]
    ['Armenia', 'Kazakhstan', 'Uzbekistan']
    >>> try:
    ...     allies(G, "kgr:CSTO", as_of="2023-09-01")
    ... except NotAStateError as error:
    ...     print(str(error).replace("; ", ";\\n"))
    Collective Security Treaty Organization (kgr:CSTO) is not a state but a military alliance;
    its members on 2023-09-01: Armenia, Kazakhstan, Russia;
    ask for the allies of one of them
    """
    as_of = as_of_string(as_of) or G.graph.get("as_of")
    if state.startswith(("http://", "https://")) and state not in G:
        return []  # in no alliance (the caller knows whether it is a state at all)
    me = node(G, state)
    _require_state(G, me, as_of)
    found = []
    for org, mine in _memberships(G, me, as_of):
        if G.nodes[org].get("cls") != "MilitaryAlliance" or _status(mine, as_of) != "active":
            continue
        for other, _, d in G.in_edges(org, data=True):
            if other == me or d.get("relation") != KG + "memberOf":
                continue
            if edge_holds(d, as_of) and _status(d, as_of) == "active":
                found.append(
                    {
                        "ally": other,
                        "label": label(G, other),
                        "organization": org,
                        "organization_label": label(G, org),
                        "start": d.get("start"),
                        "quote": d.get("quote"),
                        "source": d.get("source"),
                    }
                )
    return sorted(found, key=lambda a: (a["label"], a["organization_label"]))


def members(G: Any, organization: str, as_of: Any = None) -> list[dict[str, Any]]:
    """The members of an organization on ``as_of``, with each membership's status.

    Parameters
    ----------
    G:
        The alliance view (or the full view).
    organization:
        IRI, prefixed name, label or Wikidata id.
    as_of:
        A date, or ``None`` for the view's ``as_of`` (all time: the current statuses).

    Returns
    -------
    list[dict]
        ``member``, ``label``, ``status`` ("active", "frozen" ...), sorted by label.

    Example
    -------
    >>> from kg.views._fixture import fixture
    >>> from kg.views import alliance_view
    >>> [(m["label"], m["status"]) for m in members(alliance_view(fixture()), "kgr:CSTO")][:2]
    [('Armenia', 'frozen'), ('Kazakhstan', 'active')]
    """
    as_of = as_of_string(as_of) or G.graph.get("as_of")
    org = node(G, organization)
    found = [
        {"member": m, "label": label(G, m), "status": _status(d, as_of)}
        for m, _, d in G.in_edges(org, data=True)
        if d.get("relation") == KG + "memberOf" and edge_holds(d, as_of)
    ]
    return sorted(found, key=lambda m: m["label"])


def _require_state(G: Any, n: str, as_of: str | None) -> None:
    """Raise NotAStateError, naming an organization's members, unless ``n`` is a state."""
    from kg.namespaces import shorten

    data = G.nodes[n]
    if data.get("group") == "state":
        return
    cls = data.get("cls") or "thing"
    what = "".join(f" {c.lower()}" if c.isupper() else c for c in cls).strip()
    article = "an" if what[:1] in "aeiou" else "a"
    message = f"{label(G, n)} ({shorten(n)}) is not a state but {article} {what}"
    found = members(G, n, as_of)
    if found:
        when = f" on {as_of}" if as_of else ""
        names = ", ".join(
            m["label"] + ("" if m["status"] == "active" else f" ({m['status']})") for m in found
        )
        message += f"; its members{when}: {names}; ask for the allies of one of them"
    raise NotAStateError(message)


def common_organizations(G: Any, a: str, b: str, as_of: Any = None) -> list[dict[str, Any]]:
    """The organizations both ``a`` and ``b`` belong to on ``as_of``, with each one's status.

    Parameters
    ----------
    G:
        The alliance view (or the full view).
    a, b:
        Two actors (IRI, prefixed name, label or Wikidata id).
    as_of:
        A date, or ``None`` for the view's ``as_of`` (all time: the current statuses).

    Returns
    -------
    list[dict]
        ``organization``, ``label``, ``status_a``, ``status_b`` ("active", "frozen").

    Example
    -------
    >>> from kg.views._fixture import fixture
    >>> from kg.views import alliance_view
    >>> G = alliance_view(fixture())
    >>> found = common_organizations(G, "Armenia", "Russia")
    >>> [(o["label"], o["status_a"], o["status_b"]) for o in found]
    [('Collective Security Treaty Organization', 'frozen', 'active')]
    """
    as_of = as_of_string(as_of) or G.graph.get("as_of")
    na, nb = node(G, a), node(G, b)
    theirs = {org: d for org, d in _memberships(G, nb, as_of)}
    out = []
    for org, d in _memberships(G, na, as_of):
        if org in theirs:
            out.append(
                {
                    "organization": org,
                    "label": label(G, org),
                    "status_a": _status(d, as_of),
                    "status_b": _status(theirs[org], as_of),
                }
            )
    return sorted(out, key=lambda o: o["label"])
