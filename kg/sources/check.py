"""SHACL conformance of a batch's new nodes, validated together with the project's graph.

Only results about the new nodes count, while shapes see what they reach of the graph (a
speaker's class, a source's type): :func:`shacl_data` gives the new triples, the schema and
the part of the project's graph within the shapes' scope (:mod:`kg.sources.scope`), or the
whole graph when the shapes leave that scope. A violation is reported at the line of the
item it is about. ``engine="turbo"`` runs pyshacl-turbo (pySHACL's API, in Rust) on the same
data graph, for the new nodes only (its ``focus_nodes``), with its shapes compiled once per
process.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from rdflib import Graph, URIRef

from kg.sources.errors import SourceError

__all__ = [
    "CHUNK",
    "batch_errors",
    "batch_parts",
    "located",
    "shacl_data",
    "shacl_errors",
    "violations",
]


def shacl_errors(
    data: Graph | str, shapes: Graph, focus: dict[str, tuple[Any, Any]], engine: str = "auto"
) -> list[SourceError]:
    """Validate the focus nodes of ``data`` against ``shapes``.

    Parameters
    ----------
    data:
        The ontology, the project's data and the new triples: a Graph, or N-Triples text
        (:func:`shacl_data`).
    shapes:
        The SHACL shapes.
    focus:
        New node IRI -> ``(file path, located YAML node)``, to place each violation.
    engine:
        ``pyshacl``, ``turbo`` (pyshacl-turbo) or ``auto`` (turbo when it is installed).

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
    return located(violations(data, shapes, list(focus), engine), focus)


def violations(
    data: Graph | str, shapes: Graph, focus: list[str], engine: str = "auto"
) -> list[tuple[str, Any, str]]:
    """``(focus node, result path or None, message)`` of each violation about a node of
    ``focus`` (plain values: they cross a process boundary, :mod:`kg.sources.shacl_pool`)."""
    from kg.namespaces import SH

    # Whole-graph validation of the data graph, results kept for the new nodes: pyshacl
    # 0.40's focus_nodes mode misses results of property shapes with sh:or (a quantity's
    # sh:datatype alternatives), and the data graph is already cut to the shapes' scope.
    options: dict[str, Any] = {"inference": "none", "advanced": True, "allow_warnings": True}
    if _engine(engine) == "turbo":
        options.pop("advanced")
        # pyshacl-turbo's focus mode finds the sh:or results pyshacl's misses; validating
        # only the new nodes also keeps the report to their results.
        options["focus_nodes"] = [URIRef(iri) for iri in focus]
        conforms, results, _ = _compiled(shapes).validate(_turbo_input(data), **options)
    else:
        import pyshacl

        if isinstance(data, str):
            data = Graph().parse(data=data, format="nt")
        conforms, results, _ = pyshacl.validate(data, shacl_graph=shapes, **options)
    if conforms:
        return []
    wanted, found = set(focus), []
    for result in results.subjects(SH.resultSeverity, SH.Violation):
        node = results.value(result, SH.focusNode)
        if str(node) not in wanted:
            continue  # the graph's own problems are for `kg validate`
        path = results.value(result, SH.resultPath)
        message = "; ".join(sorted(str(m) for m in results.objects(result, SH.resultMessage)))
        found.append((str(node), str(path) if isinstance(path, URIRef) else None, message))
    return found


def located(
    found: list[tuple[str, Any, str]], focus: dict[str, tuple[Any, Any]]
) -> list[SourceError]:
    """Violations (:func:`violations`) as errors at the line of the item each is about."""
    from kg.namespaces import shorten

    errors = []
    for node, path, message in found:
        where = focus.get(node)
        file, at = where if where else (None, None)
        prop = shorten(URIRef(path)) + ": " if path is not None else ""
        errors.append(
            SourceError(
                f"{shorten(node)}: {prop}{message or 'does not conform to the shapes'}",
                path=file,
                line=getattr(at, "line", None),
                column=getattr(at, "column", None),
            )
        )
    return sorted(errors, key=lambda e: (e.path or "", e.line or 0, e.message))


def _engine(name: str) -> str:
    """``auto`` is ``turbo`` when pyshacl-turbo is installed, else ``pyshacl``."""
    if name != "auto":
        return name
    try:
        import pyshacl_turbo  # noqa: F401
    except ImportError:
        return "pyshacl"
    return "turbo"


def _turbo_input(data: Graph | str) -> Any:
    """N-Triples text as pyshacl-turbo's native input (its parser reads it in Rust), else a
    pyoxigraph Store it reads natively too: given text, pyshacl-turbo would first decode it
    into an rdflib Graph, in Python, the slowest part of its validation."""
    if not isinstance(data, str):
        return data
    try:
        from pyshacl_turbo.rdf import Input

        return Input(data, "nt", None, {})
    except ImportError:  # a pyshacl-turbo without that class: its public Store input
        import pyoxigraph as ox

        store = ox.Store()
        store.load(input=data, format=ox.RdfFormat.N_TRIPLES)
        return store


_COMPILED: dict[int, tuple[Graph, Any]] = {}


def _compiled(shapes: Graph) -> Any:
    """pyshacl-turbo's compiled shapes, once per shapes graph (``advanced`` as for pyshacl)."""
    if id(shapes) not in _COMPILED:
        import pyshacl_turbo

        _COMPILED.clear()
        _COMPILED[id(shapes)] = (shapes, pyshacl_turbo.compile_shapes(shapes, advanced=True))
    return _COMPILED[id(shapes)][1]


#: Sources per SHACL call: pyshacl-turbo's time grows faster than its data graph (400
#: sources: 25 s in one call, 15 s in four), and each call sees its sources' whole scope.
CHUNK = 50


def batch_errors(
    project: Any, schema_nt: str, shapes: Graph, compiled: list[Any], engine: str = "auto"
) -> list[SourceError]:
    """SHACL errors of a compiled batch, validated :data:`CHUNK` sources at a time with
    pyshacl-turbo (in one call with pySHACL).

    Each call's data graph is the schema and the scope of its sources' new nodes in the
    project's graph *and the whole batch* (a speaker another file of the batch declares), so
    each node gets the verdict it would get in one call; shapes outside the scope get the
    whole graph and the whole batch in one call.

    Parameters
    ----------
    project:
        The :class:`kg.sources.project_store.ProjectStore`.
    schema_nt:
        The ontology and vocabularies as N-Triples.
    shapes:
        The shapes.
    compiled:
        :class:`kg.sources.build.Compiled` per source.
    engine:
        As for :func:`shacl_errors`.

    Returns
    -------
    list[SourceError]
    """
    errors: list[SourceError] = []
    for data, focus in batch_parts(project, schema_nt, shapes, compiled, engine):
        errors += shacl_errors(data, shapes, focus, engine=engine)
    return sorted(errors, key=lambda e: (e.path or "", e.line or 0, e.message))


def batch_parts(
    project: Any, schema_nt: str, shapes: Graph, compiled: list[Any], engine: str = "auto"
) -> Iterator[tuple[str, dict[str, tuple[Any, Any]]]]:
    """The data graph and the focus nodes of each SHACL call of a batch (see
    :func:`batch_errors`, which validates them here; :mod:`kg.sources.shacl_pool` in a
    second process)."""
    from kg.sources.scope import supported

    # pySHACL's cost is mostly per call (it loads the shapes and walks every target each
    # time): 200 sources took 129 s in four calls, about 46 s in one (an earlier run). It gets
    # the batch in one.
    chunked = _supported(shapes, supported) and _engine(engine) == "turbo"
    chunk = CHUNK if chunked else max(len(compiled), 1)
    index = _BatchIndex([c.graph for c in compiled]) if chunk < len(compiled) else None
    cache: dict[str, list[Any]] = {}  # the project's triples of a node, asked once a batch
    for start in range(0, len(compiled), chunk):
        part = compiled[start : start + chunk]
        focus = _focus(part)
        graphs = [c.graph for c in part]
        yield shacl_data(project, schema_nt, shapes, set(focus), graphs, index, cache), focus


def _focus(compiled: list[Any]) -> dict[str, tuple[Any, Any]]:
    """New node IRI -> (file, located YAML node): the sources and their reviewed items."""
    focus = {}
    for c in compiled:
        focus[c.file.iri] = (str(c.file.path), c.file.meta)
        for iri, item in c.nodes.items():
            focus[iri] = (str(c.file.path), item.node)
    return focus


class _BatchIndex:
    """The batch's triples by subject and by object (N-Triples terms), so that a chunk's
    scope reaches the triples of the other chunks too."""

    def __init__(self, parts: list[Any]) -> None:
        self.by_subject: dict[str, list[Any]] = {}
        self.by_object: dict[str, list[Any]] = {}
        # By object, IRIs only: the scope asks what points at a focus node (an IRI).
        for part in parts:
            for t in part:
                self.by_subject.setdefault(t[0], []).append(t)
                if t[2][:1] == "<":
                    self.by_object.setdefault(t[2], []).append(t)

    def out(self, node: str) -> list[Any]:
        return self.by_subject.get(node, [])

    def into(self, node: str) -> list[Any]:
        return self.by_object.get(node, [])


def shacl_data(
    project: Any,
    schema_nt: str,
    shapes: Graph,
    focus: set[str],
    new: list[Any],
    batch: _BatchIndex | None = None,
    cache: dict[str, list[Any]] | None = None,
) -> str:
    """The data graph SHACL validates new nodes in, as N-Triples text.

    Parameters
    ----------
    project:
        The :class:`kg.sources.project_store.ProjectStore`.
    schema_nt:
        The ontology and vocabularies as N-Triples.
    shapes:
        The shapes (to check they stay within :mod:`kg.sources.scope`).
    focus:
        The new nodes' IRIs.
    new:
        Their sources' triples (:class:`kg.sources.triples.Triples`, one per source).
    batch:
        The rest of the batch, when ``new`` is a part of it.
    cache:
        Node -> its kept triples in the project, kept across the parts of a batch.

    Returns
    -------
    str
        The schema, the stored (and batch) triples within the shapes' scope of the new nodes
        (every stored triple when the shapes leave that scope) and the new triples.
    """
    from kg.sources.scope import reach, supported

    if _supported(shapes, supported):
        triples = (t for part in new for t in part)
        # The batch's blank nodes are its own: the store renames every blank node it holds.
        fresh = {t[0] for part in new for t in part if t[0][:2] == "_:"}
        known = cache if cache is not None else {}

        def out(node: str) -> list[tuple[str, str, str]]:
            own = batch.out(node) if batch else []
            if node[:2] == "_:" and (node in fresh or own):
                return [*own]
            if node not in known:
                known[node] = _terms(project.out(node))
            return [*known[node], *own]

        def into(node: str) -> list[tuple[str, str, str]]:
            return [*_terms(project.into(node)), *(batch.into(node) if batch else ())]

        stored = [*reach(focus, triples, out, into), *_terms(project.subclass_quads())]
    else:
        stored = _terms(project.all_quads())
    lines = "".join(f"{s} {p} {o} .\n" for s, p, o in stored)
    return schema_nt + lines + "".join(part.ntriples() for part in new)


def _terms(quads: Any) -> list[tuple[str, str, str]]:
    """Oxigraph quads as triples of N-Triples terms (Oxigraph prints its terms so)."""
    return [(str(q.subject), str(q.predicate), str(q.object)) for q in quads]


_SUPPORTED: dict[int, tuple[Graph, bool]] = {}


def _supported(shapes: Graph, check: Any) -> bool:
    if id(shapes) not in _SUPPORTED:
        _SUPPORTED.clear()
        _SUPPORTED[id(shapes)] = (shapes, check(shapes))
    return _SUPPORTED[id(shapes)][1]
