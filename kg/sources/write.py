"""Write compiled sources: one Turtle file each, atomically, or into an Oxigraph store in one
transaction. Same triples as already stored: nothing is written.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

__all__ = ["source_graph_name", "turtle", "write_files", "write_store"]

OA = "http://www.w3.org/ns/oa#"


def source_graph_name(source_id: str) -> str:
    """The named graph recording which triples of a store came from a source.

    Example
    -------
    >>> source_graph_name("tribune-1")
    'urn:x-kg:source:tribune-1'
    """
    return f"urn:x-kg:source:{source_id}"


def turtle(graph: Any, header: str = "") -> bytes:
    """Turtle with the project's prefixes (and ``oa:``), after an optional comment header.

    Example
    -------
    >>> from rdflib import Graph
    >>> turtle(Graph(), "# x").startswith(b"# x")
    True
    """
    from kg.namespaces import bind_prefixes

    bind_prefixes(graph)
    graph.bind("oa", OA)
    body = graph.serialize(format="turtle").encode()
    return (header.rstrip("\n") + "\n\n").encode() + body if header else body


def write_files(compiled: list[Any], targets: dict[str, Path]) -> list[dict[str, Any]]:
    """Write each compiled source to its target file, unless the file holds the same triples.

    All files are staged first and renamed only when every one is ready.

    Parameters
    ----------
    compiled:
        :class:`kg.sources.build.Compiled` per source.
    targets:
        Source id -> output file.

    Returns
    -------
    list[dict]
        One result per source.
    """
    from rdflib.compare import isomorphic

    from kg.files import write_bytes_atomically
    from kg.parsing import parse_file
    from kg.sources.add import _result

    results, pending = [], []
    for c in compiled:
        target = targets[c.file.source_id]
        status = "wrote"
        if target.exists():
            from rdflib import Graph

            old = parse_file(target, Graph())
            if isomorphic(old, c.graph):
                results.append(_result(c, target, "unchanged"))
                continue
            status = "replaced"
        header = (
            f"# Written by `kg add {c.file.path.name}`: the source {c.file.source_id}."
            " Edit the source file, not this one."
        )
        pending.append((target, turtle(c.graph, header)))
        results.append(_result(c, target, status))
    for target, data in pending:
        write_bytes_atomically(target, data)
    return results


def write_store(compiled: list[Any], store: str | Path) -> list[dict[str, Any]]:
    """Replace each source's triples in an Oxigraph store, all in one update (one transaction).

    Each source's triples are also kept in its own named graph (:func:`source_graph_name`),
    so that the next version of the source removes exactly them, and nothing another source
    also states.

    Parameters
    ----------
    compiled:
        :class:`kg.sources.build.Compiled` per source.
    store:
        The store folder.

    Returns
    -------
    list[dict]
        One result per source.
    """
    from rdflib import Graph
    from rdflib.compare import isomorphic

    from kg.backends import open_backend
    from kg.sources.add import _result

    backend = open_backend("oxigraph", store=str(store))
    try:
        parts, results = [], []
        held = {str(g.value) for g in backend.store.named_graphs()}
        for c in compiled:
            name = source_graph_name(c.file.source_id)
            old = _stored(backend, name) if name in held else Graph()
            target = f"{store} graph <{name}>"
            if len(old) and isomorphic(old, _canonical(c.graph)):
                results.append(_result(c, target, "unchanged"))
                continue
            parts.append((name, c.graph, bool(len(old))))
            results.append(_result(c, target, "replaced" if len(old) else "wrote"))
        if any(replacing for _, _, replacing in parts):
            # Deleting and inserting in one transaction needs one SPARQL update.
            text = [_replace(name, g.serialize(format="nt")) for name, g, _ in parts]
            backend.update(" ;\n".join(text))
        elif parts:
            _extend(backend.store, parts)
    finally:
        backend.close()
    return results


def _extend(store: Any, parts: list[tuple[str, Any, bool]]) -> None:
    """Insert new sources' triples, and their record graphs, in one transaction (pyoxigraph's
    ``Store.extend`` writes all or nothing), without a SPARQL text to parse."""
    import pyoxigraph as ox

    from kg.backends.oxconvert import to_oxigraph

    quads, default = [], ox.DefaultGraph()
    for name, graph, _ in parts:
        record = ox.NamedNode(name)
        for s, p, o in graph:
            s, p, o = to_oxigraph(s), to_oxigraph(p), to_oxigraph(o)
            quads.append(ox.Quad(s, p, o, default))
            quads.append(ox.Quad(s, p, o, record))
    store.extend(quads)


def _stored(backend: Any, name: str) -> Any:
    """The triples of the named graph ``name``, read as N-Triples straight from Oxigraph (its
    terms converted to rdflib would lose datatypes such as xsd:nonNegativeInteger)."""
    import pyoxigraph as ox
    from rdflib import Graph

    data = backend.store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(name))
    graph = Graph()
    if data:
        graph.parse(data=data.decode(), format="nt")
    return Graph().__iadd__((s, p, _plain(o)) for s, p, o in graph)


def _plain(term: Any) -> Any:
    """A literal as Oxigraph stores it: "x"^^xsd:string is "x" (RDF 1.1 makes them one),
    and integer subtypes (xsd:nonNegativeInteger) are xsd:integer."""
    from rdflib import Literal, URIRef

    xsd = "http://www.w3.org/2001/XMLSchema#"
    if not isinstance(term, Literal) or term.datatype is None:
        return term
    if str(term.datatype) == xsd + "string":
        return Literal(str(term))
    if str(term.datatype) in _INTEGER_TYPES:
        return Literal(str(term), datatype=URIRef(xsd + "integer"))
    return term


_INTEGER_TYPES = {
    "http://www.w3.org/2001/XMLSchema#" + t
    for t in ("nonNegativeInteger", "positiveInteger", "nonPositiveInteger", "negativeInteger")
}


def _canonical(graph: Any) -> Any:
    from rdflib import Graph

    return Graph().__iadd__((s, p, _plain(o)) for s, p, o in graph)


def _replace(name: str, nt: str) -> str:
    """SPARQL Update text replacing one source's triples (built from N-Triples we wrote)."""
    return f"""DELETE {{ ?s ?p ?o }} WHERE {{
  GRAPH <{name}> {{ ?s ?p ?o }}
  FILTER NOT EXISTS {{ GRAPH ?other {{ ?s ?p ?o }}
    FILTER(?other != <{name}> && STRSTARTS(STR(?other), "urn:x-kg:source:")) }}
}} ;
DROP SILENT GRAPH <{name}> ;
INSERT DATA {{
{nt}
GRAPH <{name}> {{
{nt}
}}
}}"""
