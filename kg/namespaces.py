"""The namespaces of the project and the vocabularies it aligns to, with their prefixes.

One table (:data:`PREFIXES`) drives everything: binding prefixes on graphs before they are
serialized, shortening IRIs to prefixed names in tables (``kgr:Armenia``) and expanding
prefixed names the user types (``kg query ... --param state=kgr:Armenia``).
"""

from __future__ import annotations

import rdflib.namespace as _rdflib_ns
from rdflib import Graph, Namespace, URIRef

# The project's own namespaces are written once, as plain strings, in kg.iris (SPARQL text and
# N-Triples writers use those without rdflib); KG ... are the same as rdflib Namespaces.
from kg.iris import CAMEO_IRI, KIND_IRI, ONTOLOGY_IRI, RESOURCE_IRI

KG = Namespace(ONTOLOGY_IRI)
KGR = Namespace(RESOURCE_IRI)
KIND = Namespace(KIND_IRI)
CAMEO = Namespace(CAMEO_IRI)
ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("http://schema.org/")
SEM = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
WD = Namespace("http://www.wikidata.org/entity/")
WDT = Namespace("http://www.wikidata.org/prop/direct/")
# Plain Namespaces (not rdflib's DefinedNamespace) so that every term is allowed and no
# warning is raised for terms rdflib does not list. Note ``DCT["format"]``: ``DCT.format``
# is ``str.format``.
PROV = Namespace(str(_rdflib_ns.PROV))
TIME = Namespace(str(_rdflib_ns.TIME))
SKOS = Namespace(str(_rdflib_ns.SKOS))
DCT = Namespace(str(_rdflib_ns.DCTERMS))
OWL = Namespace(str(_rdflib_ns.OWL))
RDF = Namespace(str(_rdflib_ns.RDF))
RDFS = Namespace(str(_rdflib_ns.RDFS))
XSD = Namespace(str(_rdflib_ns.XSD))
SH = Namespace(str(_rdflib_ns.SH))

__all__ = [
    "CAMEO",
    "CAMEO_IRI",
    "DCT",
    "KG",
    "KGR",
    "KIND",
    "KIND_IRI",
    "ONTOLOGY_IRI",
    "ORG",
    "OWL",
    "PREFIXES",
    "PROV",
    "RDF",
    "RDFS",
    "RESOURCE_IRI",
    "SCHEMA",
    "SEM",
    "SH",
    "SKOS",
    "TIME",
    "WD",
    "WDT",
    "XSD",
    "bind_prefixes",
    "local_name",
    "expand",
    "shorten",
    "sparql_prefixes",
]

#: prefix -> namespace, in the order prefixes are tried when shortening an IRI.
PREFIXES: dict[str, Namespace] = {
    "kg": KG,
    "kgr": KGR,
    "kind": KIND,
    "cameo": CAMEO,
    "org": ORG,
    "prov": PROV,
    "schema": SCHEMA,
    "sem": SEM,
    "time": TIME,
    "skos": SKOS,
    "dct": DCT,
    "wd": WD,
    "wdt": WDT,
    "owl": OWL,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
    "sh": SH,
}

# Longest namespace first, so that an IRI in a namespace nested in another one gets the
# more specific prefix.
_BY_LENGTH = sorted(PREFIXES.items(), key=lambda item: -len(item[1]))


def bind_prefixes(graph: Graph) -> Graph:
    """Bind the project's prefixes on ``graph`` (replacing rdflib's defaults for them).

    Parameters
    ----------
    graph:
        Any rdflib Graph or Dataset.

    Returns
    -------
    Graph
        The same graph, for chaining.

    Example
    -------
    >>> g = bind_prefixes(Graph())
    >>> g.add((KGR.Armenia, RDF.type, KG.State)) and None
    >>> "kgr:Armenia a kg:State" in g.serialize(format="turtle")
    True
    """
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    return graph


def sparql_prefixes(*prefixes: str) -> str:
    """The SPARQL ``PREFIX`` lines for the given prefixes of :data:`PREFIXES` (default all).

    Parameters
    ----------
    *prefixes:
        Prefix names such as ``"kg"``, ``"rdfs"``.

    Returns
    -------
    str
        One ``PREFIX name: <iri>`` line each, newline-terminated.

    Raises
    ------
    KeyError
        A prefix that is not in :data:`PREFIXES`.

    Example
    -------
    >>> print(sparql_prefixes("kg", "kgr"), end="")
    PREFIX kg: <https://w3id.org/kg-ir/ontology#>
    PREFIX kgr: <https://w3id.org/kg-ir/resource/>
    """
    return "".join(f"PREFIX {p}: <{PREFIXES[p]}>\n" for p in prefixes or PREFIXES)


def shorten(iri: str) -> str:
    """Write ``iri`` as a prefixed name if a known prefix covers it, else as ``<iri>``.

    Parameters
    ----------
    iri:
        A full IRI.

    Returns
    -------
    str
        ``"prefix:local"`` when the local part is a simple name, else ``"<iri>"``.

    Example
    -------
    >>> shorten("https://w3id.org/kg-ir/resource/Armenia")
    'kgr:Armenia'
    >>> shorten("http://example.org/x")
    '<http://example.org/x>'
    """
    for prefix, namespace in _BY_LENGTH:
        if iri.startswith(namespace):
            local = iri[len(namespace) :]
            if local and all(c.isalnum() or c in "_-." for c in local) and local[-1] != ".":
                return f"{prefix}:{local}"
    return f"<{iri}>"


def expand(name: str) -> URIRef | None:
    """Expand a prefixed name such as ``kgr:Armenia`` to a full IRI.

    Parameters
    ----------
    name:
        ``prefix:local`` with one of the prefixes of :data:`PREFIXES`.

    Returns
    -------
    URIRef or None
        ``None`` when ``name`` is not a prefixed name with a known prefix.

    Example
    -------
    >>> expand("kgr:Armenia")
    rdflib.term.URIRef('https://w3id.org/kg-ir/resource/Armenia')
    >>> expand("Armenia") is None, expand("http://x") is None
    (True, True)
    """
    prefix, sep, local = name.partition(":")
    if not sep or prefix not in PREFIXES or local.startswith("//"):
        return None
    if not local or any(c.isspace() or c in '<>"{}|^`\\' for c in local):
        return None
    return PREFIXES[prefix][local]


def local_name(iri: str) -> str:
    """The last segment of an IRI (after its last ``#``, else its last ``/``); the IRI itself
    when it has none.

    Parameters
    ----------
    iri:
        An IRI.

    Returns
    -------
    str

    Example
    -------
    >>> local_name("https://w3id.org/kg-ir/ontology#memberOf"), local_name("http://x/a/B")
    ('memberOf', 'B')
    >>> local_name("urn:x")
    'urn:x'
    """
    for sep in ("#", "/"):
        if sep in iri:
            tail = iri.rsplit(sep, 1)[1]
            if tail:
                return tail
    return iri
