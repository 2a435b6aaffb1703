"""Relationship queries over views: plain functions, networkx style.

Example
-------
>>> from kg.views._fixture import fixture
>>> from kg.views import full_view
>>> from kg.relations import allies, connections
>>> G = full_view(fixture())
>>> [a["label"] for a in allies(G, "Armenia", as_of="2023-09-01")]
['Kazakhstan', 'Russia']
"""

from kg.relations.adversaries import adversaries
from kg.relations.allies import allies, common_organizations
from kg.relations.centrality import centrality
from kg.relations.claims import contested, who_said_what
from kg.relations.paths import connections, format_path

__all__ = [
    "adversaries",
    "allies",
    "centrality",
    "common_organizations",
    "connections",
    "contested",
    "format_path",
    "who_said_what",
]
