"""Every kind of a claim or event, from the graph (a view keeps one ``kind`` per node)."""

from __future__ import annotations

from typing import Any

from kg.namespaces import sparql_prefixes

__all__ = ["claim_kinds"]

_KINDS = (
    sparql_prefixes("kg", "skos")
    + """SELECT ?node ?kind ?label WHERE {
  { ?node kg:statementKind ?kind } UNION { ?node kg:eventKind ?kind }
  OPTIONAL { ?kind skos:prefLabel ?label FILTER(LANGMATCHES(LANG(?label), "en")) }
}
"""
)


def claim_kinds(graph: Any) -> dict[str, list[str]]:
    """The English labels of every statement kind and event kind, per node.

    Parameters
    ----------
    graph:
        A :class:`~kg.graph.KnowledgeGraph`.

    Returns
    -------
    dict[str, list[str]]
        Node IRI -> its kinds' labels (the local name where a kind has none), sorted.

    Example
    -------
    >>> from kg.backends.memory import MemoryBackend
    >>> from kg.graph import KnowledgeGraph
    >>> g = KnowledgeGraph(MemoryBackend())
    >>> g.update('''PREFIX kg: <https://w3id.org/kg-ir/ontology#>
    ...   INSERT DATA { <http://ex/s> kg:statementKind <http://ex/denial>, <http://ex/threat> }''')
    >>> claim_kinds(g)
    {'http://ex/s': ['denial', 'threat']}
    """
    from kg.namespaces import local_name

    found: dict[str, set[str]] = {}
    for node, kind, label in graph.query(_KINDS).rows:
        found.setdefault(str(node), set()).add(
            str(label) if label is not None else local_name(kind)
        )
    return {node: sorted(kinds) for node, kinds in sorted(found.items())}
