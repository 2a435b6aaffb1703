"""Views back to RDF, and views to GraphML, GEXF, node-link JSON, Turtle and a text summary.

:func:`view_to_rdf` writes a view in the ontology's terms, so that building the same view
from its output gives the same graph: every edge keeps its relation (the property IRI, not
a generic "edge"), n-ary edges (``via`` a membership, participation or signature) become
their n-ary nodes again, and each edge's evidence goes on the n-ary node, or, when it is not
the subject's own, on an ``owl:Axiom`` annotation of the triple. (rdflib's
``rdflib_to_networkx_multidigraph`` keeps no attributes and has no way back.)

Each view owns its inverse: the writers of its n-ary edges are in its module's ``INVERSES``
(:data:`kg.views.alliance.INVERSES` ...), next to the query that reads them; node attributes
go back through :func:`kg.views._rdf.node_to_rdf`, direct edges through
:func:`kg.views._direct.direct_edge_to_rdf`. Adding a relation to a view means editing that
view's module only.

The exports write every attribute as a string (``None`` dropped), so networkx's writers accept
them. In node-link JSON the edge ends are ``from`` and ``to``, because ``source`` is an edge
attribute (the source document).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.errors import BadOptionError
from kg.files import write_text_atomically

if TYPE_CHECKING:
    import networkx as nx
    from rdflib import Graph

    from kg.views._rdf import EdgeWriter

__all__ = [
    "FORMATS",
    "edge_writers",
    "from_node_link",
    "node_link",
    "summary",
    "view_to_rdf",
    "write_view",
]

#: ``ttl`` is the view back as RDF (:func:`view_to_rdf`), in Turtle.
FORMATS = ("graphml", "gexf", "json", "ttl")


def edge_writers() -> dict[str, EdgeWriter]:
    """The writers of every view's n-ary edges, by relation IRI (the views' ``INVERSES``).

    Returns
    -------
    dict

    Example
    -------
    >>> sorted(k.split("#")[1] for k in edge_writers())
    ['memberOf', 'onBehalfOf', 'participant', 'signatory']
    """
    from kg.views import agreement, alliance, event, statement

    writers: dict[str, EdgeWriter] = {}
    for module in (alliance, agreement, event, statement):
        writers.update(module.INVERSES)
    return writers


def view_to_rdf(G: nx.MultiDiGraph) -> Graph:
    """Write a view as RDF in the ontology's terms (see the module doc).

    Parameters
    ----------
    G:
        A view from :mod:`kg.views`.

    Returns
    -------
    rdflib.Graph
        With the project's prefixes bound. Load it with the ontology to rebuild the view
        (with the same ``as_of`` and ``alleged``).

    Example
    -------
    >>> from kg.views._fixture import fixture
    >>> from kg.views import alliance_view
    >>> g = view_to_rdf(alliance_view(fixture()))
    >>> print(g.serialize(format="turtle").split("kgr:Membership_Armenia_CSTO a kg:Membership ;")[1]
    ...       .split(".\\n")[0])  # doctest: +NORMALIZE_WHITESPACE
    dct:source kgr:article ;
        kg:member kgr:Armenia ;
        kg:membershipStatus kind:frozen ;
        kg:organization kgr:CSTO ;
        kg:quote "Armenia's membership in the CSTO" ;
        kg:startDate "2002-10-07"^^xsd:date ;
        kg:statusDate "2024-02-22"^^xsd:date
    """
    from rdflib import Graph

    from kg.namespaces import bind_prefixes
    from kg.views._direct import direct_edge_to_rdf
    from kg.views._rdf import node_to_rdf

    g = bind_prefixes(Graph())
    for n, d in G.nodes(data=True):
        node_to_rdf(g, n, d)
    writers = edge_writers()
    for u, v, d in G.edges(data=True):
        write = writers.get(d["relation"], direct_edge_to_rdf) if d.get("via") else None
        (write or direct_edge_to_rdf)(g, G, u, v, d)
    return g


def _plain(G: Any) -> Any:
    """A copy of ``G`` whose attributes are all strings (``None`` dropped)."""
    import networkx as nx

    H = nx.MultiDiGraph()
    H.graph.update({k: str(v) for k, v in G.graph.items() if v is not None})
    for n, d in G.nodes(data=True):
        H.add_node(n, **{k: str(v) for k, v in d.items() if v is not None})
    for u, v, key, d in G.edges(keys=True, data=True):
        H.add_edge(u, v, key=key, **{k: str(val) for k, val in d.items() if val is not None})
    return H


def node_link(G: Any) -> dict[str, Any]:
    """A view as node-link data (JSON-ready), edge ends named ``from`` and ``to``.

    Parameters
    ----------
    G:
        A view.

    Returns
    -------
    dict
        ``{"directed", "multigraph", "graph", "nodes", "edges"}``.

    Example
    -------
    >>> from kg.views._fixture import fixture
    >>> from kg.views import alliance_view
    >>> data = node_link(alliance_view(fixture()))
    >>> e = [e for e in data["edges"] if e["key"] == "ledBy"][0]
    >>> e["from"][-4:], e["to"][-6:], e["source"][-7:]
    ('CSTO', 'Russia', 'article')
    """
    import networkx as nx

    return nx.node_link_data(_plain(G), source="from", target="to", edges="edges")


def from_node_link(data: dict[str, Any]) -> Any:
    """Read node-link data written by :func:`node_link` back into a view.

    Parameters
    ----------
    data:
        The dict (parsed JSON).

    Returns
    -------
    networkx.MultiDiGraph

    Example
    -------
    >>> from kg.views._fixture import fixture
    >>> from kg.views import alliance_view
    >>> G = alliance_view(fixture())
    >>> H = from_node_link(node_link(G))
    >>> sorted(H.edges(keys=True)) == sorted(G.edges(keys=True))
    True
    """
    import networkx as nx

    return nx.node_link_graph(data, source="from", target="to", edges="edges", multigraph=True)


def write_view(G: Any, path: str | Path | None, format: str) -> str | None:
    """Write a view as ``graphml``, ``gexf``, ``json`` (node-link) or ``ttl`` (the view back as
    RDF) to ``path``, atomically.

    Parameters
    ----------
    G:
        A view.
    path:
        The file to write (a temporary file is renamed over it, so a failed write leaves the
        old file whole); ``None`` returns the text instead.
    format:
        One of :data:`FORMATS`.

    Returns
    -------
    str or None
        The text when ``path`` is ``None``.

    Raises
    ------
    BadOptionError
        An unknown format.

    Example
    -------
    >>> from kg.views._fixture import fixture
    >>> from kg.views import alliance_view
    >>> text = write_view(alliance_view(fixture()), None, "graphml")
    >>> "<graphml" in text and 'attr.name="relation"' in text
    True
    >>> write_view(alliance_view(fixture()), None, "yaml")
    Traceback (most recent call last):
    ...
    kg.errors.BadOptionError: unknown format 'yaml': choose from graphml, gexf, json, ttl
    >>> "a kg:Membership" in write_view(alliance_view(fixture()), None, "ttl")
    True
    """
    if format not in FORMATS:
        raise BadOptionError(f"unknown format {format!r}: choose from {', '.join(FORMATS)}")
    text = _render(G, format)
    if path is None:
        return text
    write_text_atomically(path, text)
    return None


def _render(G: Any, format: str) -> str:
    import io

    import networkx as nx

    if format == "json":
        return json.dumps(node_link(G), ensure_ascii=False, indent=1) + "\n"
    if format == "ttl":
        return view_to_rdf(G).serialize(format="turtle")
    buffer = io.BytesIO()
    writer = nx.write_graphml if format == "graphml" else nx.write_gexf
    writer(_plain(G), buffer)
    return buffer.getvalue().decode("utf-8")


def summary(G: Any) -> str:
    """Count a view's nodes per group and edges per relation, as aligned text (``kg view``).

    Parameters
    ----------
    G:
        A view.

    Returns
    -------
    str

    Example
    -------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph(name="alliance", as_of=None)
    >>> G.add_node("a", group="state"); G.add_node("o", group="organization")
    >>> _ = G.add_edge("a", "o", key="memberOf", label="member of")
    >>> print(summary(G))
    alliance view (all time): 2 nodes, 1 edges
    nodes:  organization 1, state 1
    edges:  member of 1
    """
    from collections import Counter

    groups = Counter(d.get("group", "other") for _, d in G.nodes(data=True))
    rels = Counter(d.get("label", k) for _, _, k, d in G.edges(keys=True, data=True))
    when = f"as of {G.graph['as_of']}" if G.graph.get("as_of") else "all time"
    lines = [
        f"{G.graph.get('name')} view ({when}): {len(G)} nodes, {G.number_of_edges()} edges",
        "nodes:  " + ", ".join(f"{g} {n}" for g, n in sorted(groups.items())),
        "edges:  " + ", ".join(f"{r} {n}" for r, n in sorted(rels.items())),
    ]
    return "\n".join(lines)
