"""``kg add``: check source files completely, then write each as one Turtle file (or into a
store, all or nothing), replacing only that source's triples.

Order: read every file (YAML with positions), load the project's graph without the files
being replaced, compile (names, terms, dates, quotes), validate the new nodes with SHACL
together with the graph, and only then write. Any error stops the whole batch before
anything is written. A file whose triples are the same as what is stored is left alone.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.sources.errors import SourceError

__all__ = ["AddReport", "SourceErrors", "add_sources"]


class SourceErrors(SourceError):
    """Several located errors; ``str()`` is the first, ``.errors`` has them all.

    Example
    -------
    >>> e = SourceErrors([SourceError("a", path="s.yaml", line=1, column=1)])
    >>> str(e), len(e.errors)
    ('s.yaml:1:1: a', 1)
    """

    def __init__(self, errors: list[SourceError]) -> None:
        self.errors = errors
        first = errors[0]
        super().__init__(first.message, path=first.path, line=first.line, column=first.column)


@dataclass
class AddReport:
    """What ``add_sources`` did: per source ``written`` / ``unchanged``, and the counts."""

    results: list[dict[str, Any]] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)

    def lines(self) -> list[str]:
        """One line per source, for the command line.

        Example
        -------
        >>> AddReport([{"file": "s.yaml", "status": "unchanged", "target": "data/sources/s.ttl",
        ...   "triples": 3, "reviewed": 1, "skipped": 0, "quotes": 1}]).lines()
        ['s.yaml: unchanged (data/sources/s.ttl, 3 triples)']
        """
        out = []
        for r in self.results:
            if r["status"] == "unchanged":
                out.append(f"{r['file']}: unchanged ({r['target']}, {r['triples']} triples)")
                continue
            skipped = f", {r['skipped']} not reviewed (left out)" if r["skipped"] else ""
            items, quotes = _count(r["reviewed"], "item"), _count(r["quotes"], "quote")
            out.append(
                f"{r['file']}: {r['status']} {r['target']} ({r['triples']} triples:"
                f" {items}, {quotes} anchored{skipped})"
            )
        return out


def add_sources(
    paths: list[str | Path],
    *,
    root: str | Path | None = None,
    store: str | Path | None = None,
    check_only: bool = False,
    shacl: str = "auto",
    parallel: bool = False,
) -> AddReport:
    """Check source files, then write them to the project (or ``store``).

    Parameters
    ----------
    paths:
        Source files (YAML or JSON).
    root:
        The project folder (default: found from the working directory, or KG_ROOT).
    store:
        An Oxigraph store folder to write into (all or nothing) instead of files.
    check_only:
        Check everything, write nothing.
    shacl:
        ``pyshacl``, ``turbo`` (pyshacl-turbo) or ``auto`` (turbo when installed). Both give
        the same verdicts on the shipped shapes (``tests/test_sources_scope.py``).
    parallel:
        For a batch of :data:`kg.sources.shacl_pool.OVERLAP` sources or more written into a
        ``store`` with pyshacl-turbo, validate in a second process while this one writes
        (:mod:`kg.sources.shacl_pool`; same verdicts, nothing written on an error). The
        worker is started with multiprocessing's ``spawn``, which imports the caller's main
        module again: a script must keep its work under ``if __name__ == "__main__":``
        (``kg add`` does).

    Returns
    -------
    AddReport

    Raises
    ------
    SourceErrors
        Every error found, located ``file:line:column``; nothing is written then.

    Example
    -------
    >>> try:
    ...     add_sources(["/nonexistent.yaml"])
    ... except SourceError as exc:
    ...     print(exc)
    no such file: /nonexistent.yaml
    """
    from kg.sources.project_io import locate_project

    report, clock = AddReport(), _Clock()
    project = locate_project(root)
    pool = _pool(project, store, len(paths), shacl, check_only) if parallel else None
    try:
        return _add(paths, project, store, check_only, shacl, report, clock, pool)
    finally:
        if pool is not None:
            pool.close()


def _pool(project: Any, store: Any, count: int, shacl: str, check_only: bool) -> Any:
    """A worker process for SHACL (:mod:`kg.sources.shacl_pool`) when a batch of OVERLAP
    sources or more is written into a store with pyshacl-turbo, else None."""
    from kg.sources import shacl_pool
    from kg.sources.check import _engine

    if store is None or check_only or count < shacl_pool.OVERLAP or _engine(shacl) != "turbo":
        return None
    return shacl_pool.Validation(project.shapes)


def _add(
    paths: list[str | Path],
    project: Any,
    store: Any,
    check_only: bool,
    shacl: str,
    report: AddReport,
    clock: _Clock,
    pool: Any,
) -> AddReport:
    """add_sources' work (see there); ``pool``: SHACL in a worker, its verdict awaited
    before the store is replaced."""
    from kg.sources.model import read_source_file

    files, errors = [], []
    for path in paths:
        try:
            files.append(read_source_file(path))
        except SourceError as exc:
            errors.append(exc)
    clock.lap(report, "read")
    if errors:
        raise SourceErrors(errors)
    _check_ids(files)
    targets = {sf.source_id: project.out_dir / f"{sf.source_id}.ttl" for sf in files}
    graph = _project_store(project, files, set(targets.values()), store)
    try:
        clock.lap(report, "load")
        compiled = _compile(files, project, graph, report, clock, shacl, pool)
        if check_only:
            report.results = [_result(c, targets[c.file.source_id], "checked") for c in compiled]
            return report
        if store is not None:
            from kg.inference import class_tree
            from kg.sources.project_io import schema_graph
            from kg.sources.write import write_store

            tree = class_tree(schema_graph(project.schema))
            report.results = write_store(
                compiled, graph, Path(store), tree, _verdict(pool) if pool else None
            )
        else:
            from kg.sources.write import write_files

            report.results = write_files(compiled, targets)
    finally:
        graph.close()
    clock.lap(report, "write")
    if pool is not None:  # the worker's validation ran while this process wrote
        report.timings["write"] -= pool.waited
        report.timings["shacl"] += pool.seconds
        report.timings["overlapped"] = pool.seconds
    return report


def _verdict(pool: Any) -> Any:
    """What write_store calls before the store is replaced: the worker's errors, raised."""

    def verdict() -> None:
        errors = pool.errors()
        if errors:
            raise SourceErrors(errors)

    return verdict


def _project_store(project: Any, files: list[Any], exclude: set[Path], store: Any) -> Any:
    """The project's graph without the sources being replaced (see kg.sources.project_store)."""
    from kg.sources.project_store import ProjectStore

    if store is None:
        return ProjectStore.from_files(project.data_files(exclude))
    return ProjectStore.open(store, {sf.source_id for sf in files})


def _compile(
    files: list[Any],
    project: Any,
    graph: Any,
    report: AddReport,
    clock: _Clock,
    shacl: str,
    pool: Any = None,
) -> list[Any]:
    """Names, terms, dates and quotes (the build), then SHACL (sent to ``pool`` when given);
    any error stops the batch."""
    from kg.sources.build import Batch
    from kg.sources.check import batch_errors, batch_parts
    from kg.sources.project_io import schema_graph
    from kg.sources.project_store import project_names

    schema = schema_graph(project.schema)
    names = project_names(graph, schema, _vocabulary(schema), {sf.iri for sf in files})
    clock.lap(report, "names")
    batch = Batch(files, names)
    compiled, errors = batch.compile()
    report.timings["anchor"] = batch.anchor_seconds
    report.timings["resolve"] = batch.resolve_seconds
    clock.lap(report, "build")
    if errors:
        raise SourceErrors(errors)
    shapes = _shapes(project.shapes)
    if len(shapes) and pool is not None:
        for data, focus in batch_parts(graph, _schema_nt(schema), shapes, compiled, shacl):
            pool.submit(data, focus)
    elif len(shapes):
        errors = batch_errors(graph, _schema_nt(schema), shapes, compiled, engine=shacl)
    clock.lap(report, "shacl")
    if errors:
        raise SourceErrors(errors)
    return compiled


_SHAPES: dict[tuple[str, int], Any] = {}


def _shapes(path: Path) -> Any:
    """The shapes graph, parsed once per process while the file is unchanged."""
    from rdflib import Graph

    from kg.parsing import parse_files

    if not path.exists():
        return Graph()
    key = (str(path), path.stat().st_mtime_ns)
    if key not in _SHAPES:
        _SHAPES.clear()
        _SHAPES[key] = parse_files([path], Graph())
    return _SHAPES[key]


_SCHEMA_NT: dict[int, tuple[Any, str]] = {}


def _schema_nt(schema: Any) -> str:
    """The schema graph as N-Triples, once per (cached) schema graph."""
    from kg.sources.triples import nt_line

    if id(schema) not in _SCHEMA_NT:
        _SCHEMA_NT.clear()
        _SCHEMA_NT[id(schema)] = (schema, "".join(nt_line(*t) for t in schema))
    return _SCHEMA_NT[id(schema)][1]


_VOCABULARIES: dict[int, Any] = {}


def _vocabulary(schema: Any) -> Any:
    """The vocabulary of a schema graph, read once per graph (schema graphs are cached)."""
    from kg.sources.terms import Vocabulary

    if id(schema) not in _VOCABULARIES:
        _VOCABULARIES.clear()
        _VOCABULARIES[id(schema)] = (schema, Vocabulary.from_graph(schema))
    return _VOCABULARIES[id(schema)][1]


def _check_ids(files: list[Any]) -> None:
    seen: dict[str, Any] = {}
    for sf in files:
        if sf.source_id in seen:
            meta = sf.meta
            raise SourceErrors(
                [
                    SourceError(
                        f"source id {sf.source_id!r} is also the id of {seen[sf.source_id].path}",
                        path=str(sf.path),
                        line=meta.line,
                        column=meta.column,
                    )
                ]
            )
        seen[sf.source_id] = sf


def _result(c: Any, target: Path | str, status: str, shown: bool = False) -> dict[str, Any]:
    """One source's line of the report (``shown``: ``target`` is already as shown)."""
    return {
        "file": str(c.file.path),
        "status": status,
        "target": str(target) if shown else _shown(target),
        "triples": len(c.graph),
        "reviewed": len(c.nodes),
        "skipped": c.skipped,
        "quotes": c.quotes,
    }


class _Clock:
    def __init__(self) -> None:
        self.last = time.perf_counter()

    def lap(self, report: AddReport, name: str) -> None:
        now = time.perf_counter()
        report.timings[name] = report.timings.get(name, 0.0) + now - self.last
        self.last = now


def _shown(target: Any) -> str:
    """A path relative to the working directory when it is under it."""
    try:
        return str(Path(target).resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(target)


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"
