"""``kg stats`` counts kept at load time as a VoID description, for stores reached over HTTP.

Counting ten million triples over SPARQL takes minutes, and no version of a remote store can
be read over the protocol. So ``kg load --endpoint`` counts once after loading and writes the
counts, in VoID (`Describing Linked Datasets <https://www.w3.org/TR/void/>`_), into a stats
graph of their own next to the loaded graph: ``void:triples``, ``void:entities`` and one
``void:classPartition`` (``void:class``, ``void:entities``) per class; the counts VoID has no
term for (``states``, ``quotes`` ... of :meth:`kg.graph.KnowledgeGraph.stats`) as
``kgs:count [ kgs:key "states" ; rdf:value 33333 ]``. The description names the loads it
counted (a digest of the load records, :func:`kg.backends.graph_store.records_graph`): it is
current while the records are the same. kg's own writes through the remote backend drop it;
a write by another client is not seen (run ``kg load --endpoint`` again to recount).

The same form fits any store: :func:`void_ntriples` writes it, :func:`stats_from_void` reads it
back from ``(subject, predicate, object)`` string triples.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

__all__ = [
    "VOID",
    "kept_store_stats",
    "loads_digest",
    "stats_from_void",
    "stats_graph",
    "void_ntriples",
]

VOID = "http://rdfs.org/ns/void#"
#: kg's own terms for what VoID does not name
KGS = "urn:x-kg:stats#"
RDF_VALUE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#value"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_INT = "http://www.w3.org/2001/XMLSchema#integer"
_DEFAULT = "urn:x-kg:default-graph"


def stats_graph(graph: str | None) -> str:
    """The graph holding the VoID description of ``graph`` (None: the default graph).

    Example
    -------
    >>> stats_graph(None)
    'urn:x-kg:void'
    >>> stats_graph("https://example.org/g")
    'urn:x-kg:void:17a9812f3fddc015'
    """
    if graph is None:
        return "urn:x-kg:void"
    return f"urn:x-kg:void:{hashlib.sha256(graph.encode()).hexdigest()[:16]}"


def loads_digest(digests: Iterable[str]) -> str:
    """One digest naming a set of loaded files (their SHA-256 digests, in any order).

    Example
    -------
    >>> loads_digest(["b", "a"]) == loads_digest(["a", "b"])
    True
    """
    return hashlib.sha256("\n".join(sorted(set(digests))).encode()).hexdigest()


def _number(value: int) -> str:
    return f'"{int(value)}"^^<{_INT}>'


def _literal(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _class_iri(name: str) -> str:
    from kg.namespaces import expand

    if name.startswith("<") and name.endswith(">"):
        return name[1:-1]
    iri = expand(name) if ":" in name else None
    return str(iri) if iri is not None else name


def void_ntriples(stats: dict[str, Any], graph: str | None, loads: str) -> str:
    """The VoID description of ``stats`` (as :meth:`KnowledgeGraph.stats` returns them).

    Parameters
    ----------
    stats:
        The counts; ``classes`` maps prefixed (or full) class names to entity counts.
    graph:
        The graph described (None: the default graph).
    loads:
        :func:`loads_digest` of the loads counted.

    Returns
    -------
    str
        N-Triples (no blank nodes: every store takes them in any request).

    Example
    -------
    >>> text = void_ntriples({"triples": 5, "entities": 2, "states": 1,
    ...                       "classes": {"kg:State": 1}}, "urn:g", "d1")
    >>> "<http://rdfs.org/ns/void#triples>" in text, text.count("\\n")
    (True, 11)
    """
    dataset = graph or _DEFAULT
    lines = [
        f"<{dataset}> <{RDF_TYPE}> <{VOID}Dataset> .",
        f"<{dataset}> <{KGS}loads> {_literal(loads)} .",
        f"<{dataset}> <{VOID}triples> {_number(stats.get('triples', 0))} .",
        f"<{dataset}> <{VOID}entities> {_number(stats.get('entities', 0))} .",
    ]
    for i, (key, value) in enumerate(stats.items()):
        if key in ("triples", "entities", "classes") or not isinstance(value, int):
            continue
        node = f"<{stats_graph(graph)}#count-{i:03d}>"
        lines += [
            f"<{dataset}> <{KGS}count> {node} .",
            f"{node} <{KGS}key> {_literal(key)} .",
            f"{node} <{RDF_VALUE}> {_number(value)} .",
        ]
    for i, (name, count) in enumerate(stats.get("classes", {}).items()):
        node = f"<{stats_graph(graph)}#class-{i}>"
        lines += [
            f"<{dataset}> <{VOID}classPartition> {node} .",
            f"{node} <{VOID}class> <{_class_iri(name)}> .",
            f"{node} <{KGS}name> {_literal(name)} .",  # as kg stats prints it (read back fast)
            f"{node} <{VOID}entities> {_number(count)} .",
        ]
    return "".join(line + "\n" for line in lines)


def stats_from_void(
    triples: Iterable[tuple[str, str, str]], graph: str | None
) -> tuple[dict[str, Any], str] | None:
    """Read back what :func:`void_ntriples` wrote: the stats and the loads digest.

    Parameters
    ----------
    triples:
        ``(subject, predicate, object)`` as plain strings (IRIs without brackets, literal
        values without quotes).
    graph:
        The graph described.

    Returns
    -------
    tuple of (dict, str) or None
        None when there is no description of ``graph``.

    Example
    -------
    >>> import pyoxigraph as ox
    >>> text = void_ntriples({"triples": 5, "entities": 2, "states": 1,
    ...                       "classes": {"kg:State": 1}}, "urn:g", "d1")
    >>> rows = [(t.subject.value, t.predicate.value, t.object.value)
    ...         for t in ox.parse(text.encode(), ox.RdfFormat.N_TRIPLES)]
    >>> stats_from_void(rows, "urn:g")
    ({'triples': 5, 'entities': 2, 'states': 1, 'classes': {'kg:State': 1}}, 'd1')
    """
    dataset = graph or _DEFAULT
    about: dict[str, dict[str, str]] = {}
    parts: list[str] = []
    counts: list[str] = []
    for s, p, o in triples:
        about.setdefault(s, {})[p] = o
        if s == dataset and p == f"{VOID}classPartition":
            parts.append(o)
        elif s == dataset and p == f"{KGS}count":
            counts.append(o)
    top = about.get(dataset, {})
    if f"{KGS}loads" not in top:
        return None
    stats: dict[str, Any] = {
        "triples": int(top.get(f"{VOID}triples", 0)),
        "entities": int(top.get(f"{VOID}entities", 0)),
    }
    for node in sorted(counts):
        stats[about[node][f"{KGS}key"]] = int(about[node][RDF_VALUE])
    classes = [(_class_name(about[n]), int(about[n][f"{VOID}entities"])) for n in parts]
    stats["classes"] = dict(sorted(classes, key=lambda item: (-item[1], item[0])))
    return stats, top[f"{KGS}loads"]


def _class_name(partition: dict[str, str]) -> str:
    """The class of a partition as kg stats prints it (``kg:State``)."""
    name = partition.get(f"{KGS}name")
    if name is not None:
        return name
    from kg.namespaces import shorten  # a description written before kgs:name was

    return shorten(partition[f"{VOID}class"])


def kept_store_stats(folder: str) -> dict[str, Any] | None:
    """The counts ``kg load`` kept in the Oxigraph store at ``folder``, if current, read
    without importing rdflib (what ``kg --store PATH stats`` prints first).

    Parameters
    ----------
    folder:
        A store folder (opened read-only: a kg serve may hold it).

    Returns
    -------
    dict or None
        None without current counts, or when the folder cannot be read as a store (ask
        :meth:`kg.graph.KnowledgeGraph.stats`, which says why).

    Example
    -------
    >>> import tempfile
    >>> kept_store_stats(tempfile.mkdtemp()) is None
    True
    """
    from pathlib import Path

    from kg.backends.oxigraph_load import open_store
    from kg.backends.oxigraph_stats import stored_counts
    from kg.errors import KgError

    if not (Path(folder) / "CURRENT").is_file():  # no RocksDB store there (yet)
        return None
    try:
        store = open_store(folder, read_only=True)
    except KgError:
        return None
    try:
        return stored_counts(store)
    finally:
        del store
