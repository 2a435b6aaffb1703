"""What SHACL needs to see to validate a batch's new nodes: the new triples and the part of
the project's graph the shapes can reach from them, instead of the whole graph.

A SHACL engine validating a focus node F reads only what the shapes' paths and constraints
reach from F. For a shapes graph in the fragment below, that is within this *scope*:

- every triple whose subject or object is F (level 0: out and in);
- every triple whose subject is a node one step from F, either way (level 1: out), so a
  value's ``rdf:type`` (``sh:class``), ``skos:inScheme`` (``sh:node``) or a membership's
  organization (a SPARQL constraint reaching ``?m kg:member $this``);
- the schema (ontology, vocabularies) and every ``rdfs:subClassOf`` triple, for targets and
  ``sh:class``.

:func:`supported` checks a shapes graph against the fragment: property paths that are an IRI,
an alternative of IRIs, or (from the focus node only) the inverse of either; a node's own
triples read (``sh:class``, nested shapes, ``sh:closed``) only at levels 0 and 1; SPARQL
constraints only on node shapes, whose triple patterns, joined from ``$this``, stay within
the scope; and only the SHACL Core terms listed here. Validating the scope then gives every
focus node the same results as validating the whole graph, and :mod:`kg.sources.check`
keeps only the focus nodes' results, as before. For shapes outside the fragment ``kg add``
validates the whole graph instead (nothing is assumed). ``tests/test_sources_scope.py``
compares both on bad inputs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from rdflib import RDF, Graph, URIRef, Variable
from rdflib.collection import Collection

__all__ = ["reach", "supported"]

SH = "http://www.w3.org/ns/shacl#"
SUBCLASS = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
RDFS_CLASS = "http://www.w3.org/2000/01/rdf-schema#Class"
# Constraint and metadata terms that read nothing beyond the value itself (or just count).
_LOCAL = {
    SH + t
    for t in str.split(
        "datatype nodeKind in hasValue pattern flags minLength maxLength languageIn uniqueLang "
        "minInclusive maxInclusive minExclusive maxExclusive minCount maxCount message "
        "severity name description order group deactivated defaultValue "
        "qualifiedMinCount qualifiedMaxCount qualifiedValueShapesDisjoint "
        "targetClass targetNode targetSubjectsOf targetObjectsOf ignoredProperties prefixes"
    )
}
_NESTED = {SH + t for t in ("node", "not", "and", "or", "xone")}
_READS_NODE = {SH + "class", SH + "closed"}


def supported(shapes: Graph) -> bool:
    """Whether every shape stays within the scope (see the module's docstring).

    Parameters
    ----------
    shapes:
        The SHACL shapes graph.

    Returns
    -------
    bool

    Example
    -------
    >>> from kg.parsing import parse_text
    >>> ok = parse_text('''@prefix sh: <http://www.w3.org/ns/shacl#> .
    ...   <urn:S> a sh:NodeShape ; sh:targetClass <urn:C> ;
    ...     sh:property [ sh:path <urn:p> ; sh:class <urn:D> ] .''')
    >>> deep = parse_text('''@prefix sh: <http://www.w3.org/ns/shacl#> .
    ...   <urn:S> a sh:NodeShape ; sh:targetClass <urn:C> ;
    ...     sh:property [ sh:path ( <urn:p> <urn:q> ) ; sh:class <urn:D> ] .''')
    >>> supported(ok), supported(deep)
    (True, False)
    """
    shapes_with_targets = {
        s
        for p in ("targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf")
        for s in shapes.subjects(URIRef(SH + p), None)
    }
    shapes_with_targets |= set(shapes.subjects(RDF.type, URIRef(RDFS_CLASS)))
    return all(_shape(shapes, s, 0, set()) for s in shapes_with_targets)


def _shape(g: Graph, shape: Any, level: int, seen: set[tuple[Any, int]]) -> bool:
    if (shape, level) in seen:
        return True
    seen.add((shape, level))
    if (shape, URIRef(SH + "path"), None) in g:
        return _property(g, shape, level, seen)
    for p, o in g.predicate_objects(shape):
        ps = str(p)
        if not ps.startswith(SH) or ps in _LOCAL:
            continue
        if ps == SH + "property":
            if not _property(g, o, level, seen):
                return False
        elif ps in _NESTED:
            if not all(_shape(g, s, level, seen) for s in _members(g, p, o)):
                return False
        elif ps in _READS_NODE:
            if level > 1:
                return False
        elif ps == SH + "sparql":
            if level != 0 or not _sparql(g, o):
                return False
        else:
            return False  # a SHACL term not analysed here: validate the whole graph
    return True


def _property(g: Graph, shape: Any, level: int, seen: set[tuple[Any, int]]) -> bool:
    path = g.value(shape, URIRef(SH + "path"))
    direction = _path(g, path)
    if direction is None or (direction == "in" and level != 0) or level > 1:
        return False
    values = level + 1
    for p, o in g.predicate_objects(shape):
        ps = str(p)
        if ps == SH + "path" or not ps.startswith(SH) or ps in _LOCAL:
            continue
        if ps in _NESTED or ps == SH + "qualifiedValueShape":
            if not all(_shape(g, s, values, seen) for s in _members(g, p, o)):
                return False
        elif ps == SH + "class":
            if values > 1:
                return False
        elif ps in {SH + t for t in ("equals", "disjoint", "lessThan", "lessThanOrEquals")}:
            if level > 1:
                return False
        else:
            return False
    return True


def _path(g: Graph, path: Any) -> str | None:
    """``out`` for an IRI or an alternative of IRIs, ``in`` for their inverse, else None."""
    if isinstance(path, URIRef):
        return "out"
    alternatives = g.value(path, URIRef(SH + "alternativePath"))
    if alternatives is not None:
        members = list(Collection(g, alternatives))
        return "out" if members and all(isinstance(m, URIRef) for m in members) else None
    inverse = g.value(path, URIRef(SH + "inversePath"))
    if inverse is not None and _path(g, inverse) == "out":
        return "in"
    return None


def _members(g: Graph, p: Any, o: Any) -> list[Any]:
    if str(p) in (SH + "and", SH + "or", SH + "xone"):
        return list(Collection(g, o))
    return [o]


def _sparql(g: Graph, constraint: Any) -> bool:
    """Whether a SPARQL constraint's triple patterns stay within the scope of ``$this``."""
    from rdflib.plugins.sparql import prepareQuery

    select = g.value(constraint, URIRef(SH + "select"))
    if select is None:
        return False
    prefixes = "".join(
        f"PREFIX {g.value(d, URIRef(SH + 'prefix'))}: <{g.value(d, URIRef(SH + 'namespace'))}>\n"
        for holder in g.objects(constraint, URIRef(SH + "prefixes"))
        for d in g.objects(holder, URIRef(SH + "declare"))
    )
    try:
        query = prepareQuery(prefixes + str(select))
    except Exception:  # noqa: BLE001 - a query we cannot read is one we cannot bound
        return False
    patterns: list[tuple[Any, Any, Any]] = []
    if not _patterns(query.algebra, patterns):
        return False
    return _within_scope(patterns)


def _patterns(node: Any, out: list[tuple[Any, Any, Any]]) -> bool:
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(node, CompValue):
        if node.name in ("ServiceGraphPattern", "Graph"):
            return False
        if node.name == "BGP":
            out.extend(tuple(t) for t in node["triples"])
        elif node.name == "TriplesBlock":  # inside EXISTS: flat lists of s p o s p o ...
            for flat in node["triples"]:
                out.extend(tuple(flat[i : i + 3]) for i in range(0, len(flat), 3))
        return all(_patterns(dict.get(node, k), out) for k in list(node.keys()))
    if isinstance(node, list | tuple):
        return all(_patterns(v, out) for v in node)
    return True


def _within_scope(patterns: list[tuple[Any, Any, Any]]) -> bool:
    """Each pattern must read out of level 0 or 1, or into level 0 (``$this``)."""
    levels: dict[Any, int] = {Variable("this"): 0}
    todo = list(patterns)
    changed = True
    while todo and changed:
        changed = False
        for pattern in list(todo):
            s, p, o = pattern
            if not isinstance(p, URIRef | Variable):
                return False  # a property path in a pattern
            if levels.get(s, 9) <= 1:
                if isinstance(o, Variable):
                    levels[o] = min(levels.get(o, 9), levels[s] + 1)
            elif levels.get(o, 9) == 0:
                if isinstance(s, Variable):
                    levels[s] = min(levels.get(s, 9), 1)
            else:
                continue
            todo.remove(pattern)
            changed = True
    return not todo


def reach(
    focus: Iterable[str],
    new: Iterable[tuple[str, str, str]],
    out: Callable[[str], Iterable[tuple[str, str, str]]],
    into: Callable[[str], Iterable[tuple[str, str, str]]],
) -> list[tuple[str, str, str]]:
    """The stored triples within the scope of the focus nodes (see the module's docstring).

    Terms are N-Triples text (``<iri>``, ``_:b``, ``"x"@en``: :mod:`kg.sources.triples`).

    Parameters
    ----------
    focus:
        The new nodes' IRIs (plain).
    new:
        The new triples: they are in the data graph already; their neighbours of the focus
        nodes count as level 1.
    out, into:
        The stored triples with a given subject, or object (an N-Triples term).

    Returns
    -------
    list
        Stored triples, without duplicates.

    Example
    -------
    >>> stored = [("<urn:s>", "<urn:speaker>", "<urn:am>"),
    ...           ("<urn:am>", "<urn:type>", "<urn:State>"),
    ...           ("<urn:am>", "<urn:borders>", "<urn:az>"),
    ...           ("<urn:az>", "<urn:type>", "<urn:State>")]
    >>> out = lambda n: [t for t in stored if t[0] == n]
    >>> into = lambda n: [t for t in stored if t[2] == n]
    >>> new = [("<urn:c>", "<urn:speaker>", "<urn:am>")]
    >>> sorted(t[2] for t in reach(["urn:c"], new, out, into))
    ['<urn:State>', '<urn:az>']
    """
    from kg.sources.triples import iri_ref, is_literal

    nodes = {iri_ref(f) for f in focus}
    found: dict[tuple[str, str, str], None] = {}
    neighbours: set[str] = set()
    for s, _, o in new:
        if s in nodes and not is_literal(o):
            neighbours.add(o)
        if o in nodes:
            neighbours.add(s)
    for node in nodes:
        for t in out(node):
            found[t] = None
            if not is_literal(t[2]):
                neighbours.add(t[2])
        for t in into(node):
            found[t] = None
            neighbours.add(t[0])
    for node in neighbours - nodes:
        for t in out(node):
            found[t] = None
    return list(found)
