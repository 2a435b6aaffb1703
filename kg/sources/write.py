"""Write compiled sources: one Turtle file each, atomically, or into an on-disk Oxigraph store
all or nothing (a staged copy, bulk loaded, renamed into place). Same triples as already
stored: nothing is written.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

__all__ = ["digest", "source_graph_name", "stored_digest", "turtle", "write_files", "write_store"]

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
            if isomorphic(old, c.graph.to_graph()):
                results.append(_result(c, target, "unchanged"))
                continue
            status = "replaced"
        header = (
            f"# Written by `kg add {c.file.path.name}`: the source {c.file.source_id}."
            " Edit the source file, not this one."
        )
        pending.append((target, turtle(c.graph.to_graph(), header)))
        results.append(_result(c, target, status))
    for target, data in pending:
        write_bytes_atomically(target, data)
    return results


def write_store(
    compiled: list[Any],
    project: Any,
    folder: str | Path,
    tree: Any = None,
    verdict: Any = None,
) -> list[dict[str, Any]]:
    """Replace each source's triples in an on-disk Oxigraph store, all or nothing.

    Each source keeps a record, its named graph (:func:`source_graph_name`), listing the
    subjects of its triples (``<record> <urn:x-kg:subject> ?s``), so that its next version
    removes exactly its triples: every triple kg add writes is about a node of its own source
    (its items, its document, their axioms and selectors), which no other source may
    describe. A few sources (under :data:`STAGED` triples) are written in one transaction:
    one ``Store.load`` of N-Quads, or one SPARQL update deleting and inserting when a source
    is replaced. More are written in a staged copy of the store (a checkpoint: hard links,
    taken in milliseconds): one SPARQL update deletes what replaced sources held, one bulk
    load of N-Quads adds every new triple and record, and only then is the copy renamed into
    place, as ``kg load`` does (:mod:`kg.backends.oxigraph_load`). Any failure before the
    rename leaves the store exactly as it was. Oxigraph's bulk loader is several times
    faster than its transactional ``Store.load`` of the same N-Quads, whose cost grows
    faster than the batch.

    Parameters
    ----------
    compiled:
        :class:`kg.sources.build.Compiled` per source.
    project:
        The :class:`kg.sources.project_store.ProjectStore` holding the store open; it is
        closed before the staged copy replaces the store.
    folder:
        The store's folder.
    tree:
        The ontology's class tree (:func:`kg.inference.class_tree`): each source's triples
        are written with the superclass types they imply, as ``kg load`` writes them; default
        the tree of the ``rdfs:subClassOf`` triples the store holds.
    verdict:
        Called (no arguments) before anything replaces or changes the store, to raise what
        a check running meanwhile found (:mod:`kg.sources.shacl_pool`); then nothing is
        written.

    Returns
    -------
    list[dict]
        One result per source.
    """
    import pyoxigraph as ox

    from kg.backends.oxigraph_stats import drop_counts
    from kg.inference import closure_ntriples, oxigraph_class_tree
    from kg.sources.add import _result, _shown

    store, where = project.store, _shown(folder)
    held = set(store.named_graphs())
    parts, results = [], []
    # each source's triples with the superclass types they imply, as kg load adds them, so
    # that ?x a kg:Claim finds what kg add wrote
    if tree is None:
        tree = oxigraph_class_tree(store)

    def closed(nt: str) -> str:
        return nt + closure_ntriples(nt, tree)

    texts = [(c, closed(c.graph.ntriples())) for c in compiled]
    sums = [digest(nt) for _, nt in texts]
    # A stored source whose record keeps the digest of these very triples is unchanged: one
    # look-up, not a read of its ~250 stored triples. The others (changed, or recorded by a
    # kg without digests) are compared triple by triple, all in one scratch store, a named
    # graph each: what Oxigraph would store, against what it holds (see _same).
    same_sum = [
        ox.NamedNode(name := source_graph_name(c.file.source_id)) in held
        and stored_digest(store, name) == d
        for (c, _), d in zip(texts, sums, strict=True)
    ]
    scratch = _scratch([t for t, s in zip(texts, same_sum, strict=True) if not s], held)
    for (c, nt), d, same in zip(texts, sums, same_sum, strict=True):
        name = source_graph_name(c.file.source_id)
        replacing = ox.NamedNode(name) in held
        target = f"{where} graph <{name}>"
        if same or (replacing and _same(recorded(store, name), scratch, name)):
            results.append(_result(c, target, "unchanged", shown=True))
            continue
        parts.append((name, nt, _record(c.graph, name, d), replacing))
        results.append(_result(c, target, "replaced" if replacing else "wrote", shown=True))
    update = " ;\n".join(_delete(name) for name, *_, replacing in parts if replacing)
    text = "".join(nt + rec for _, nt, rec, _ in parts)
    check = verdict or (lambda: None)
    if parts and text.count("\n") < STAGED:
        # a few sources: one transaction in the store itself is cheaper than a staged copy
        check()
        if update:
            store.update(update + " ;\n" + _insert_data(parts))
        else:
            store.load(input=text, format=ox.RdfFormat.N_QUADS)
        drop_counts(store)  # the counts and first pages kg load kept are stale now
    elif parts:
        store = None  # no handle may outlive the rename: RocksDB would write into the new folder
        _staged_write(project, Path(folder), update, text, check)
    else:
        check()
    return results


#: From this many triples on, a store is written through a staged copy (bulk loaded), below
#: it in one transaction of the store (one source: about 250 triples; a staged copy costs
#: opening and closing a second RocksDB store, a tenth of a second or more).
STAGED = 20_000


def _insert_data(parts: list[tuple[str, str, str, bool]]) -> str:
    """One SPARQL ``INSERT DATA`` of the sources' triples and records (N-Triples we wrote)."""
    blocks = []
    for name, nt, record, _ in parts:
        inside = "".join(line.rsplit(" ", 2)[0] + " .\n" for line in record.splitlines())
        blocks.append(f"{nt}GRAPH <{name}> {{\n{inside}}}\n")
    return "INSERT DATA {\n" + "".join(blocks) + "}"


def _staged_write(project: Any, folder: Path, update: str, nquads: str, check: Any = None) -> None:
    """Apply ``update`` and bulk load ``nquads`` in a staged copy of the store at ``folder``,
    then (``check()`` raising nothing) close ``project``'s handle and rename the copy into
    place."""
    import pyoxigraph as ox

    from kg.backends.staging import StagedCopy

    staged = StagedCopy(folder, project.store, "adding")
    try:
        if update:
            staged.store.update(update)
        staged.store.bulk_load(nquads, ox.RdfFormat.N_QUADS)
        if check is not None:
            check()
    except BaseException as exc:
        staged.discard(exc)
        raise
    staged.commit(project.close)  # the last handle on the store: RocksDB's lock goes with it


#: The predicate of a source record's triples: ``<record> <urn:x-kg:subject> ?subject``.
SUBJECT = "urn:x-kg:subject"


def recorded(store: Any, name: str) -> list[Any]:
    """The stored triples of the source recorded in the named graph ``name``.

    Example
    -------
    >>> import pyoxigraph as ox
    >>> s = ox.Store()
    >>> s.load(input='<urn:a> <urn:p> "x" .\\n<urn:b> <urn:p> "y" .\\n'
    ...        '<urn:g> <urn:x-kg:subject> <urn:a> <urn:g> .\\n', format=ox.RdfFormat.N_QUADS)
    >>> [str(q.object) for q in recorded(s, "urn:g")]
    ['"x"']
    """
    import pyoxigraph as ox

    record, subject = ox.NamedNode(name), ox.NamedNode(SUBJECT)
    found = []
    for entry in store.quads_for_pattern(record, subject, None, record):
        found += store.quads_for_pattern(entry.object, None, None, ox.DefaultGraph())
    return found


def _record(triples: Any, name: str, checksum: str | None = None) -> str:
    """N-Quads lines of the record graph ``name``: one per subject of ``triples``, and the
    digest of what was written (:func:`digest`) when given."""
    subjects = dict.fromkeys(s for s, _, _ in triples)
    head = f"<{name}> <{SUBJECT}> "
    lines = "".join(f"{head}{s} <{name}> .\n" for s in subjects)
    if checksum is not None:
        lines += f'<{name}> <{DIGEST}> "{checksum}" <{name}> .\n'
    return lines


#: The predicate of a source record's digest: ``<record> <urn:x-kg:digest> "sha256 hex"``.
DIGEST = "urn:x-kg:digest"


def digest(ntriples: str) -> str:
    """The SHA-256 of a source's N-Triples as written (its lines sorted: the same triples in
    another order give the same digest). kg's blank node labels are made from what the
    node says (:mod:`kg.sources.evidence`), so the same source gives the same text.

    Example
    -------
    >>> digest('<urn:a> <urn:p> "x" .\\n<urn:b> <urn:p> "y" .\\n') == digest(
    ...     '<urn:b> <urn:p> "y" .\\n<urn:a> <urn:p> "x" .\\n')
    True
    """
    import hashlib

    lines = sorted(ntriples.splitlines())
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def stored_digest(store: Any, name: str) -> str | None:
    """The digest the record graph ``name`` keeps of its source's triples, if any (sources
    written by a kg before digests have none).

    Example
    -------
    >>> import pyoxigraph as ox
    >>> s = ox.Store()
    >>> s.load(input=_record([("<urn:a>", "<urn:p>", '"x"')], "urn:g", "ab12"),
    ...        format=ox.RdfFormat.N_QUADS)
    >>> stored_digest(s, "urn:g"), stored_digest(s, "urn:h")
    ('ab12', None)
    """
    import pyoxigraph as ox

    record = ox.NamedNode(name)
    for q in store.quads_for_pattern(record, ox.NamedNode(DIGEST), None, record):
        return str(q.object.value)
    return None


def _scratch(texts: list[tuple[Any, str]], held: set[Any]) -> Any:
    """An in-memory store holding each compiled source (with its N-Triples) that replaces a
    stored one, in the named graph of its record (one load for the batch, not one store per
    source).

    Oxigraph stores some literals in a canonical form (an xsd:nonNegativeInteger as an
    xsd:integer), so the comparison is with what it would store.
    """
    import pyoxigraph as ox

    lines = []
    for c, nt in texts:
        name = source_graph_name(c.file.source_id)
        if ox.NamedNode(name) in held:
            graph = f" <{name}> .\n"
            lines += [line[:-2] + graph for line in nt.splitlines(keepends=True)]
    scratch = ox.Store()
    if lines:
        scratch.load(input="".join(lines), format=ox.RdfFormat.N_QUADS)
    return scratch


def _same(stored: Any, scratch: Any, name: str) -> bool:
    """Whether stored quads are the triples of graph ``name`` of ``scratch``
    (:func:`_scratch`). Oxigraph gives blank nodes new ids when it stores them, so each blank
    node is compared by its triples (kg's blank nodes, axioms and selectors, are each told
    apart by what they say).

    Example
    -------
    >>> import pyoxigraph as ox
    >>> s, new = ox.Store(), ox.Store()
    >>> s.load(input='_:a <urn:p> "1"^^<http://www.w3.org/2001/XMLSchema#nonNegativeInteger> .',
    ...        format=ox.RdfFormat.N_TRIPLES)
    >>> new.load(input='_:x <urn:p> "1"^^<http://www.w3.org/2001/XMLSchema#nonNegativeInteger> '
    ...          '<urn:g> .\\n_:y <urn:p> "2" <urn:h> .\\n', format=ox.RdfFormat.N_QUADS)
    >>> _same(iter(s), new, "urn:g"), _same(iter(s), new, "urn:h")
    (True, False)
    """
    import pyoxigraph as ox

    found = scratch.quads_for_pattern(None, None, None, ox.NamedNode(name))
    new = [(q.subject, q.predicate, q.object) for q in found]
    old = [(q.subject, q.predicate, q.object) for q in stored]
    return len(old) == len(new) and _blind(old) == _blind(new)


def _blind(triples: list[tuple[Any, Any, Any]]) -> Any:
    from collections import Counter

    import pyoxigraph as ox

    def plain(t: Any) -> str:
        return "_" if isinstance(t, ox.BlankNode) else str(t)

    signature: dict[Any, list[str]] = {}
    for s, p, o in triples:
        if isinstance(s, ox.BlankNode):
            signature.setdefault(s, []).append(f"> {p} {plain(o)}")
        if isinstance(o, ox.BlankNode):
            signature.setdefault(o, []).append(f"< {plain(s)} {p}")
    label = {b: "_:" + "|".join(sorted(v)) for b, v in signature.items()}
    return Counter((label.get(s, str(s)), str(p), label.get(o, str(o))) for s, p, o in triples)


def _delete(name: str) -> str:
    """SPARQL Update text removing one source's triples and its record.

    The first DELETE removes the triples of the recorded subjects; the second, those of a
    record written by an earlier kg (a full copy of the source's triples).

    Example
    -------
    >>> import pyoxigraph as ox
    >>> s = ox.Store()
    >>> s.load(input='<urn:a> <urn:p> "x" .\\n<urn:b> <urn:p> "y" .\\n'
    ...        '<urn:g> <urn:x-kg:subject> <urn:a> <urn:g> .\\n', format=ox.RdfFormat.N_QUADS)
    >>> s.update(_delete("urn:g")); sorted(str(q.subject) for q in s)
    ['<urn:b>']
    """
    return f"""DELETE {{ ?s ?p ?o }} WHERE {{
  GRAPH <{name}> {{ <{name}> <{SUBJECT}> ?s }}
  ?s ?p ?o
}} ;
DELETE {{ ?s ?p ?o }} WHERE {{
  GRAPH <{name}> {{ ?s ?p ?o FILTER(?p != <{SUBJECT}>) }}
}} ;
DROP SILENT GRAPH <{name}>"""
