"""SHACL conformance of a batch's new nodes, validated together with the project's graph.

Only results about the new nodes count, while shapes see the whole graph (a speaker's
class, a source's type). A violation is reported at the line of the item it is about.
``engine="turbo"`` runs pyshacl-turbo (pySHACL's API, in Rust), which validates only the
new nodes (``focus_nodes``).
"""

from __future__ import annotations

from typing import Any

from rdflib import Graph, URIRef

from kg.sources.errors import SourceError

__all__ = ["shacl_errors"]


def shacl_errors(
    data: Graph, shapes: Graph, focus: dict[str, tuple[Any, Any]], engine: str = "pyshacl"
) -> list[SourceError]:
    """Validate the focus nodes of ``data`` against ``shapes``.

    Parameters
    ----------
    data:
        The ontology, the project's data and the new triples.
    shapes:
        The SHACL shapes.
    focus:
        New node IRI -> ``(file path, located YAML node)``, to place each violation.
    engine:
        ``pyshacl`` or ``turbo`` (pyshacl-turbo).

    Returns
    -------
    list[SourceError]
        One per violation: ``file:line:column: <node>: <property>: <message>``.

    Example
    -------
    >>> from kg.parsing import parse_text
    >>> shapes = parse_text('''@prefix sh: <http://www.w3.org/ns/shacl#> .
    ...   <http://ex/S> a sh:NodeShape ; sh:targetClass <http://ex/State> ;
    ...     sh:property [ sh:path <http://www.w3.org/2000/01/rdf-schema#label> ;
    ...                   sh:minCount 1 ; sh:message "a state needs a label" ] .''')
    >>> data = parse_text('<http://ex/am> a <http://ex/State> .')
    >>> from kg.sources.yamlio import YScalar
    >>> focus = {"http://ex/am": ("s.yaml", YScalar("", "", 4, 3))}
    >>> [str(e) for e in shacl_errors(data, shapes, focus)]
    ['s.yaml:4:3: <http://ex/am>: rdfs:label: a state needs a label']
    """
    if not focus:
        return []
    from kg.namespaces import SH, shorten

    validate = _engine(engine)
    # pyshacl 0.40's focus_nodes mode misses results of property shapes with sh:or (a
    # quantity's sh:datatype alternatives), so with pyshacl the whole graph is validated and
    # the results kept for the new nodes; pyshacl-turbo's focus mode finds them.
    options = {"focus_nodes": [URIRef(iri) for iri in focus]} if engine == "turbo" else {}
    conforms, results, _ = validate(
        data, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True, **options
    )
    if conforms:
        return []
    errors = []
    for result in results.subjects(SH.resultSeverity, SH.Violation):
        node = results.value(result, SH.focusNode)
        if str(node) not in focus:
            continue  # the graph's own problems are for `kg validate`
        path = results.value(result, SH.resultPath)
        message = "; ".join(sorted(str(m) for m in results.objects(result, SH.resultMessage)))
        where = focus.get(str(node))
        file, located = where if where else (None, None)
        prop = shorten(path) + ": " if isinstance(path, URIRef) else ""
        errors.append(
            SourceError(
                f"{shorten(str(node))}: {prop}{message or 'does not conform to the shapes'}",
                path=file,
                line=getattr(located, "line", None),
                column=getattr(located, "column", None),
            )
        )
    return sorted(errors, key=lambda e: (e.path or "", e.line or 0, e.message))


def _engine(name: str) -> Any:
    if name == "turbo":
        import pyshacl_turbo

        return pyshacl_turbo.validate
    import pyshacl

    return pyshacl.validate
