"""The project's own IRIs as plain strings: the one place they are written.

Nothing is imported here, so N-Triples writers and SPARQL text (the importers, source files)
use these without loading rdflib; :mod:`kg.namespaces` builds its rdflib Namespaces from them.

Example
-------
>>> RESOURCE_IRI + "Armenia"
'https://w3id.org/kg-ir/resource/Armenia'
>>> kg_prefix()
'PREFIX kg: <https://w3id.org/kg-ir/ontology#>\\n'
"""

from __future__ import annotations

__all__ = [
    "CAMEO_IRI",
    "GRAPH_IRI",
    "KIND_IRI",
    "ONTOLOGY_IRI",
    "RESOURCE_IRI",
    "SITE_IRI",
    "kg_prefix",
]

#: The project's site; every IRI below is under it.
SITE_IRI = "https://w3id.org/kg-ir"
#: The ontology's terms (``kg:``).
ONTOLOGY_IRI = SITE_IRI + "/ontology#"
#: Entities and claims (``kgr:``).
RESOURCE_IRI = SITE_IRI + "/resource/"
#: SKOS concepts: kinds, statuses, qualifiers (``kind:``).
KIND_IRI = SITE_IRI + "/kind/"
#: CAMEO event and actor codes (``cameo:``).
CAMEO_IRI = SITE_IRI + "/cameo/"
#: Named graphs kg writes (enrichments, an article's graph).
GRAPH_IRI = SITE_IRI + "/graph/"


def kg_prefix() -> str:
    """The ``PREFIX kg:`` line SPARQL text written without rdflib starts with.

    Returns
    -------
    str
        One newline-terminated line.
    """
    return f"PREFIX kg: <{ONTOLOGY_IRI}>\n"
