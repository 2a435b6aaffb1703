"""Helpers shared by the relationship queries: naming nodes, finding an actor's polity."""

from __future__ import annotations

from typing import Any

from kg.namespaces import ONTOLOGY_IRI as KG

CLAIM_GROUPS = {"statement", "opinion", "fact"}


def node(G: Any, name: str) -> str:
    """The node of ``G`` that ``name`` designates (IRI, prefixed name, label or Wikidata id).

    Parameters
    ----------
    G:
        A view.
    name:
        See :func:`kg.resolve.resolve`.

    Returns
    -------
    str
        The node key (IRI).

    Example
    -------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph(name="x"); G.add_node("http://x/a", label="A")
    >>> node(G, "a"), node(G, "http://x/a")
    ('http://x/a', 'http://x/a')
    """
    if name in G:
        return name
    from kg.resolve import resolve

    return resolve(G, name)


def label(G: Any, n: str) -> str:
    """A node's label (its IRI when it has none).

    Parameters
    ----------
    G:
        A view.
    n:
        A node key.

    Returns
    -------
    str

    Example
    -------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph(); G.add_node("http://x/a", label="A")
    >>> label(G, "http://x/a"), label(G, "http://x/b")
    ('A', 'http://x/b')
    """
    return G.nodes[n].get("label", n) if n in G else n


def targets(G: Any, n: str, relation: str) -> list[str]:
    """The nodes ``n`` points to through ``relation`` (a kg property's local name), sorted.

    Parameters
    ----------
    G:
        A view.
    n:
        A node key.
    relation:
        Local name, e.g. ``"about"``.

    Returns
    -------
    list[str]

    Example
    -------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph(); _ = G.add_edge("s", "e", key="about", relation=KG + "about")
    >>> targets(G, "s", "about")
    ['e']
    """
    wanted = KG + relation
    return sorted({v for _, v, d in G.out_edges(n, data=True) if d.get("relation") == wanted})


def polity_of(G: Any, n: str, depth: int = 4) -> str | None:
    """The polity an actor acts for: itself if a state, else through ``country``,
    ``postIn``/``holds`` (a person's post) links in the view.

    Parameters
    ----------
    G:
        A view with structural edges (the full view).
    n:
        An actor.
    depth:
        How many links to follow at most.

    Returns
    -------
    str or None

    Example
    -------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("s", group="state"); G.add_node("b", group="body")
    >>> _ = G.add_edge("b", "s", key="country", relation=KG + "country")
    >>> polity_of(G, "b"), polity_of(G, "s")
    ('s', 's')
    """
    seen = {n}
    frontier = [n]
    for _ in range(depth + 1):
        nxt = []
        for m in frontier:
            if m in G and G.nodes[m].get("group") == "state":
                return m
            for rel in ("country", "holds", "postIn"):
                for t in targets(G, m, rel) if m in G else []:
                    if t not in seen:
                        seen.add(t)
                        nxt.append(t)
        frontier = nxt
    return None


def claim_record(G: Any, c: str) -> dict[str, Any]:
    """A claim node as a plain dict: who said it, when, about what, with its quote.

    Parameters
    ----------
    G:
        A view holding claims (the statement view or the full view).
    c:
        A claim node.

    Returns
    -------
    dict
        ``claim``, ``label``, ``cls``, ``kind``, ``date``, ``speaker``, ``speaker_label``,
        ``about``, ``target``, ``characterization``, ``quote``, ``source``, and ``alleged``
        (the claim alleging it, for an alleged fact: only in a view built with
        ``alleged=True``; else ``None``).

    Example
    -------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph(); G.add_node("c", label="C", cls="Opinion", quote="q")
    >>> claim_record(G, "c")["quote"]
    'q'
    """
    d = G.nodes[c]
    speakers = targets(G, c, "speaker")
    return {
        "claim": c,
        "label": d.get("label", c),
        "cls": d.get("cls"),
        "kind": d.get("kind"),
        "date": d.get("date"),
        "speaker": speakers[0] if speakers else None,
        "speaker_label": label(G, speakers[0]) if speakers else None,
        "about": targets(G, c, "about"),
        "target": targets(G, c, "target"),
        "characterization": d.get("characterization"),
        "quote": d.get("quote"),
        "source": d.get("source"),
        "alleged": d.get("alleged"),
    }
