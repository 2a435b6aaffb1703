"""``as_of``: keep only what held on a given day.

Dates are compared as ISO strings, so a partial date (``2006``, ``2006-08``) stands for its
first day: a membership that starts in "2006-08" holds on 2006-08-01, and one that ends in
"2012" is over from 2012-01-01 on (the cautious reading of an end).

What holds on day D:

- a relation with ``start``/``end``: ``start <= D`` (if known) and ``D < end`` (if known);
- a membership: as above, and its status on D is not "ended". The data records the current
  status and the day it took effect (``kg:statusDate``); before that day the membership is
  taken as "active". A *frozen* membership still holds (the member has not left) and stays in
  the alliance view with ``status="frozen"``; :func:`kg.relations.allies` does not count it.
- an event: it had begun (``start`` or ``date`` <= D);
- a claim: it had been made (``date`` <= D);
- an agreement: it was concluded (status not "neverConcluded"), had been signed or entered
  into force (``start`` <= D, if known) and had not ended (``D < end``, if known);
- an obligation: its agreement holds;
- an alleged event or fact (in a view built with ``alleged=True``): the claim alleging it
  had been made.

Views push the simple cuts into SPARQL (``?asOf`` bound); :func:`prune` applies all of them
to a built view, so a view built for all time can be cut later.
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Any

from kg.errors import BadOptionError

__all__ = ["as_of_string", "edge_holds", "edge_status", "holds", "node_holds", "prune", "status_at"]

_ISO = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_TIMED_GROUPS = {"event", "statement", "opinion", "fact"}


def as_of_string(value: Any) -> str | None:
    """Normalise an ``as_of`` argument to an ISO date string.

    Parameters
    ----------
    value:
        ``None``, a ``datetime.date`` / ``datetime``, or a string ``YYYY-MM-DD`` (also
        ``YYYY-MM`` or ``YYYY``).

    Returns
    -------
    str or None

    Raises
    ------
    BadOptionError
        For anything else, e.g. ``"yesterday"``.

    Example
    -------
    >>> as_of_string(_dt.date(2023, 9, 1)), as_of_string("2024"), as_of_string(None)
    ('2023-09-01', '2024', None)
    >>> as_of_string("1 Sept 2023")
    Traceback (most recent call last):
    ...
    kg.errors.BadOptionError: bad date '1 Sept 2023': expected YYYY-MM-DD
    """
    if value is None:
        return None
    if isinstance(value, _dt.datetime):
        value = value.date()
    if isinstance(value, _dt.date):
        return value.isoformat()
    text = str(value).strip()
    if not _ISO.match(text):
        raise BadOptionError(f"bad date {text!r}: expected YYYY-MM-DD")
    if len(text) == 10:
        try:
            _dt.date.fromisoformat(text)
        except ValueError as exc:
            raise BadOptionError(f"bad date {text!r}: {exc}") from None
    return text


def holds(start: str | None, end: str | None, as_of: str | None) -> bool:
    """Whether something from ``start`` to ``end`` (either unknown) holds on ``as_of``.

    Parameters
    ----------
    start, end:
        ISO dates (partial allowed) or ``None``.
    as_of:
        ISO date, or ``None`` (always holds).

    Returns
    -------
    bool

    Example
    -------
    >>> holds("2006-08", "2012-12-20", "2010-01-01"), holds("2006-08", "2012-12-20", "2013-01-01")
    (True, False)
    >>> holds(None, None, "1900-01-01"), holds("2024", None, "2023-12-31")
    (True, False)
    """
    if as_of is None:
        return True
    if start is not None and str(start) > as_of:
        return False
    return not (end is not None and str(end) <= as_of)


def status_at(status: str | None, status_date: str | None, as_of: str | None) -> str | None:
    """A membership's status on ``as_of``, from its current status and when that began.

    Parameters
    ----------
    status:
        The current status's local name ("active", "frozen", "ended") or ``None``.
    status_date:
        The day the current status took effect, or ``None`` (always had it).
    as_of:
        ISO date, or ``None`` (the current status).

    Returns
    -------
    str or None

    Example
    -------
    >>> status_at("frozen", "2024-02-22", "2023-09-01")
    'active'
    >>> status_at("frozen", "2024-02-22", "2024-03-01")
    'frozen'
    >>> status_at("frozen", "2024-02-22", None)
    'frozen'
    """
    if status is None or as_of is None or status_date is None or status_date <= as_of:
        return status
    return "active"


def edge_status(data: dict, as_of: str | None) -> str | None:
    """A membership edge's status on ``as_of``; an "ended" one without a status date ends
    on its ``end`` date.

    Parameters
    ----------
    data:
        The edge's attributes (``status``, ``status_date``, ``end``).
    as_of:
        ISO date or ``None``.

    Returns
    -------
    str or None

    Example
    -------
    >>> edge_status({"status": "ended", "end": "2012-12-20"}, "2010-01-01")
    'active'
    >>> edge_status({"status": "ended"}, "2010-01-01")
    'ended'
    """
    status, since = data.get("status"), data.get("status_date")
    if since is None and status == "ended":
        since = data.get("end")
    return status_at(status, since, as_of)


def edge_holds(data: dict, as_of: str | None) -> bool:
    """Whether an edge (its ``start``, ``end`` and membership ``status``) holds on ``as_of``.

    Parameters
    ----------
    data:
        The edge's attributes.
    as_of:
        ISO date or ``None``.

    Returns
    -------
    bool

    Example
    -------
    >>> edge_holds({"start": "2002", "status": "ended", "status_date": "2012-12-20"}, "2010-05-01")
    True
    >>> edge_holds({"start": "2002", "status": "ended", "status_date": "2012-12-20"}, "2013-05-01")
    False
    """
    if not holds(data.get("start"), data.get("end"), as_of):
        return False
    return edge_status(data, as_of) != "ended"


def node_holds(attrs: dict, as_of: str | None) -> bool:
    """Whether a node (event, claim, agreement) holds on ``as_of``; other nodes always do.

    Parameters
    ----------
    attrs:
        The node's attributes (``group``, ``start``, ``end``, ``date``, ``status``).
    as_of:
        ISO date or ``None``.

    Returns
    -------
    bool

    Example
    -------
    >>> node_holds({"group": "event", "start": "2023-09-19"}, "2023-09-01")
    False
    >>> node_holds({"group": "agreement", "status": "neverConcluded"}, "2023-09-01")
    False
    >>> node_holds({"group": "state"}, "1900-01-01")
    True
    """
    group = attrs.get("group")
    if as_of is None:
        return True
    if group in _TIMED_GROUPS:
        return holds(attrs.get("start") or attrs.get("date"), None, as_of)
    if group == "agreement":
        if attrs.get("status") == "neverConcluded":
            return False
        return holds(attrs.get("start"), attrs.get("end"), as_of)
    return True


def prune(G: Any, as_of: str) -> Any:
    """Cut a view, in place, to what held on ``as_of`` (see the module doc).

    Edges that do not hold are removed, nodes that do not hold are removed with their edges,
    and so are nodes left with no edge by the cut. Membership edges get their ``status`` on
    ``as_of``.

    Parameters
    ----------
    G:
        A view (``networkx.MultiDiGraph``).
    as_of:
        ISO date.

    Returns
    -------
    networkx.MultiDiGraph
        ``G``, with ``G.graph["as_of"] = as_of``.

    Example
    -------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph(name="x", as_of=None)
    >>> G.add_edge("a", "o", key="memberOf", start="2006-08", end="2012-12-20")
    'memberOf'
    >>> G.add_edge("b", "o", key="memberOf", start="2002-10-07")
    'memberOf'
    >>> sorted(prune(G, "2003-01-01").nodes)
    ['b', 'o']
    """
    day = as_of_string(as_of)
    before = {n for n in G if G.degree(n)}
    gone = {n for n, attrs in G.nodes(data=True) if not node_holds(attrs, day)}
    # An obligation stands or falls with the agreement that creates it, and an alleged event
    # or fact (kept only when asked for) with the claim alleging it: on a day before the claim
    # was made, nothing alleged it yet.
    for u, v, data in G.edges(data=True):
        if v in gone and str(data.get("relation", "")).endswith("#underAgreement"):
            gone.add(u)
    gone.update(n for n, attrs in G.nodes(data=True) if attrs.get("alleged") in gone)
    G.remove_nodes_from(gone)
    cut = [(u, v, k) for u, v, k, d in G.edges(keys=True, data=True) if not edge_holds(d, day)]
    G.remove_edges_from(cut)
    for _, _, data in G.edges(data=True):
        if "status" in data:
            data["status"] = edge_status(data, day)
    G.remove_nodes_from([n for n in before if n in G and not G.degree(n)])
    G.graph["as_of"] = day
    return G
