"""SHACL validation of the graph with pyshacl, reported per focus node in readable terms.

pyshacl and owlrl are imported inside :func:`validate`: both are slow to import and only
``kg validate`` needs them. The checks SHACL does not make (unknown terms, dangling
references, bad literals, missing labels) are in :mod:`kg.data_checks`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from kg.namespaces import (
    RDFS,
    SH,
    SKOS,
    shorten,
)
from kg.parsing import parse_files

__all__ = ["label_of", "validate", "ValidationReport", "Violation"]


@dataclass(frozen=True)
class Violation:
    """One SHACL validation result.

    Parameters
    ----------
    focus_node:
        The node that breaks a shape.
    focus_label:
        Its ``rdfs:label`` (English first), else ``skos:prefLabel``, else its prefixed name.
    path:
        The property path, as a prefixed name (``""`` when the shape has none).
    message:
        The shape's ``sh:message`` or pyshacl's description.
    severity:
        ``"Violation"``, ``"Warning"`` or ``"Info"``.
    value:
        The offending value, when the result names one.

    Returns
    -------
    Violation

    Example
    -------
    >>> Violation(URIRef("http://x"), "X", "kg:name", "missing", "Violation").severity
    'Violation'
    """

    focus_node: Node | None
    focus_label: str
    path: str
    message: str
    severity: str
    value: str = ""


@dataclass
class ValidationReport:
    """The outcome of validating a graph against shapes.

    Parameters
    ----------
    conforms:
        True when no result has severity Violation (warnings are allowed).
    violations:
        Every result, violations first, then by label.
    text:
        pyshacl's own text report.

    Returns
    -------
    ValidationReport

    Example
    -------
    >>> ValidationReport(True).violations
    []
    """

    conforms: bool
    violations: list[Violation] = field(default_factory=list)
    text: str = ""


def validate(
    graph: Graph, shapes: Graph | str | Path | Iterable[str | Path], infer: bool = False
) -> ValidationReport:
    """Validate ``graph`` (ontology and data) against SHACL ``shapes``.

    Parameters
    ----------
    graph:
        The data, with the ontology so that ``sh:class`` sees subclasses.
    shapes:
        A shapes graph, or the shapes file(s).
    infer:
        First add the OWL 2 RL closure of ``graph`` (owlrl), so that shapes see inferred
        types and inverse properties.

    Returns
    -------
    ValidationReport

    Example
    -------
    >>> from kg.parsing import parse_text
    >>> shapes = parse_text('''@prefix sh: <http://www.w3.org/ns/shacl#> .
    ...   <http://ex/S> a sh:NodeShape ; sh:targetClass <http://ex/State> ;
    ...     sh:property [ sh:path <http://www.w3.org/2000/01/rdf-schema#label> ;
    ...                   sh:minCount 1 ; sh:message "a state needs a label" ] .''')
    >>> data = parse_text('<http://ex/am> a <http://ex/State> .')
    >>> report = validate(data, shapes)
    >>> report.conforms, [(v.focus_label, v.path, v.message) for v in report.violations]
    (False, [('<http://ex/am>', 'rdfs:label', 'a state needs a label')])
    """
    import pyshacl

    if not isinstance(shapes, Graph):
        paths = [shapes] if isinstance(shapes, str | Path) else list(shapes)
        shapes = parse_files(paths, Graph())
    data = graph
    if infer:
        from kg.inference import owl_rl_closure

        data = Graph()
        data += graph
        data += owl_rl_closure(graph)
    conforms, results, text = pyshacl.validate(
        data,
        shacl_graph=shapes,
        inference="none",
        advanced=True,
        allow_warnings=True,
    )
    violations = [_violation(results, r, data) for r in results.subjects(SH.resultSeverity)]
    order = {"Violation": 0, "Warning": 1, "Info": 2}
    violations.sort(key=lambda v: (order.get(v.severity, 3), v.focus_label, v.path, v.message))
    return ValidationReport(bool(conforms), violations, text)


def _violation(results: Graph, result: Node, data: Graph) -> Violation:
    """Read one ``sh:ValidationResult`` into a Violation, labelling its node from ``data``."""
    focus = results.value(result, SH.focusNode)
    path = results.value(result, SH.resultPath)
    messages = sorted(str(m) for m in results.objects(result, SH.resultMessage))
    severity = results.value(result, SH.resultSeverity)
    value = results.value(result, SH.value)
    return Violation(
        focus_node=focus,
        focus_label=label_of(data, focus),
        path=shorten(path) if isinstance(path, URIRef) else ("(complex path)" if path else ""),
        message="; ".join(messages) or "(no message)",
        severity=str(severity).rsplit("#", 1)[-1] if severity else "Violation",
        value=_show(value),
    )


def label_of(graph: Graph, node: Node | None) -> str:
    """Return a readable name for ``node``: its English label if it has one.

    Parameters
    ----------
    graph:
        Where to look up ``rdfs:label`` and ``skos:prefLabel``.
    node:
        Any node.

    Returns
    -------
    str

    Example
    -------
    >>> from kg.parsing import parse_text
    >>> g = parse_text('<http://ex/am> <http://www.w3.org/2000/01/rdf-schema#label> '
    ...                '"Arménie"@fr, "Armenia"@en .')
    >>> label_of(g, URIRef("http://ex/am"))
    'Armenia'
    """
    if node is None:
        return ""
    for predicate in (RDFS.label, SKOS.prefLabel):
        labels = [o for o in graph.objects(node, predicate) if isinstance(o, Literal)]
        if labels:
            labels.sort(key=lambda lit: (lit.language not in ("en", None), str(lit)))
            return str(labels[0])
    return _show(node)


def _show(node: Node | None) -> str:
    """A node as text: prefixed name, blank node id or literal text."""
    if node is None:
        return ""
    if isinstance(node, URIRef):
        return shorten(node)
    if isinstance(node, BNode):
        return f"_:{node}"
    return str(node)
