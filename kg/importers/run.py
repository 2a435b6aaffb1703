"""Running an import: rows to N-Triples on disk, then into the graph in one transaction.

The rows stream through the importer into a temporary N-Triples file (memory stays flat
whatever the input's size). When the import is done and no row was bad (or ``skip_bad``),
the file is loaded into the graph's backend with its all-or-nothing loader (on an on-disk
Oxigraph store: a staged copy renamed into place) and/or moved to ``output``; otherwise it
is deleted and :class:`~kg.importers.rows.BadRowsError` is raised, so nothing is stored.
"""

from __future__ import annotations

import datetime as _dt
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.importers.cameo import vocabulary_ntriples
from kg.importers.entities import EntityIndex
from kg.importers.provenance import DATASETS, run_triples
from kg.importers.rows import BadRowsError, ErrorLog

__all__ = ["ImportContext", "ImportResult", "run_import"]


@dataclass
class ImportContext:
    """What an importer needs while it maps rows: the graph's entities, the run, the errors.

    Parameters
    ----------
    index:
        Resolves codes to the graph's entities (:class:`~kg.importers.entities.EntityIndex`).
    run:
        The IRI of this import run (``prov:wasGeneratedBy`` of everything imported).
    log:
        The bad rows.
    options:
        Importer options (filters ...).
    """

    index: EntityIndex
    run: str
    log: ErrorLog
    options: dict[str, Any] = field(default_factory=dict)
    rows_read: int = 0
    rows_imported: int = 0
    rows_filtered: int = 0
    seen: set[str] = field(default_factory=set)

    def once(self, key: str) -> bool:
        """True the first time ``key`` is seen in this import (for nodes written once)."""
        if key in self.seen:
            return False
        self.seen.add(key)
        return True


@dataclass
class ImportResult:
    """What an import did.

    Example
    -------
    >>> ImportResult("gdelt", 3, 2, 1, 0, 40).summary()
    'gdelt: 2 of 3 rows imported (1 filtered out), 40 triples'
    """

    kind: str
    rows_read: int
    rows_imported: int
    rows_filtered: int
    rows_bad: int
    triples: int
    run: str = ""
    report: str | None = None
    output: str | None = None
    store_triples: int | None = None

    def summary(self) -> str:
        """One line for the user."""
        text = f"{self.kind}: {self.rows_imported:,} of {self.rows_read:,} rows imported"
        extra = []
        if self.rows_filtered:
            extra.append(f"{self.rows_filtered:,} filtered out")
        if self.rows_bad:
            extra.append(f"{self.rows_bad:,} bad, skipped (report: {self.report})")
        if extra:
            text += f" ({', '.join(extra)})"
        return f"{text}, {self.triples:,} triples"


Mapper = Callable[[list[str], ImportContext], Iterator[str]]


def run_import(
    kind: str,
    mapper: Mapper,
    files: Iterable[str | Path],
    *,
    graph: Any = None,
    output: str | Path | None = None,
    skip_bad: bool = False,
    report: str | Path | None = None,
    options: dict[str, Any] | None = None,
    accessed: _dt.date | None = None,
    command: str | None = None,
    filters: str = "",
) -> ImportResult:
    """Import ``files`` of dataset ``kind`` into ``graph`` and/or an N-Triples ``output`` file.

    Parameters
    ----------
    kind:
        The dataset key (:data:`kg.importers.provenance.DATASETS`).
    mapper:
        ``mapper(files, context)`` yields N-Triples text, row by row.
    files:
        The input files.
    graph:
        A :class:`kg.graph.KnowledgeGraph` to resolve codes against and load into (``None``:
        only write ``output``).
    output:
        Also write the imported triples to this ``.nt`` file (atomically).
    skip_bad:
        Import the good rows and write the bad ones to ``report``; else any bad row fails all.
    report:
        Where the bad rows go (tab-separated: file, row, column, what is wrong).
    options:
        For the mapper (filters).
    accessed:
        When the user obtained the data (default: today).
    command, filters:
        Recorded on the import run.

    Returns
    -------
    ImportResult

    Raises
    ------
    BadRowsError
        With the first errors as ``file:row:column: what``; nothing is stored or written.
    """
    files = [str(f) for f in files]
    dataset = DATASETS[kind]
    command = command or f"kg import {kind} " + " ".join(files)
    run, header = run_triples(
        dataset,
        files,
        command=command,
        filters=filters,
        accessed=accessed or _dt.date.today(),
    )
    index = EntityIndex.from_graph(graph)
    log = ErrorLog()
    report_path = Path(report or f"{kind}-import-report.tsv")
    report_tmp = None
    if skip_bad:
        report_tmp = _temp_beside(report_path, ".tsv")
        log.report = open(report_tmp, "w", encoding="utf-8")  # noqa: SIM115 - closed below
        log.report.write("file\trow\tcolumn\tproblem\n")
    context = ImportContext(index, run, log, dict(options or {}))
    target = Path(output) if output else None
    nt_path = _temp_beside(target, ".nt") if target else _temp_beside(None, ".nt")
    triples = 0
    try:
        with open(nt_path, "w", encoding="utf-8") as out:
            for text in (vocabulary_ntriples(), header):
                out.write(text)
            for chunk in mapper(files, context):
                triples += chunk.count(" .\n")
                out.write(chunk)
        if log.total and not skip_bad:
            raise BadRowsError(log.errors, log.total)
        store_triples = graph.backend.load([nt_path]) if graph is not None else None
        if target is not None:
            os.replace(nt_path, target)
        if report_tmp is not None:
            log.report.close()
            if log.total:
                os.replace(report_tmp, report_path)
    finally:
        if log.report is not None and not log.report.closed:
            log.report.close()
        for leftover in (nt_path, report_tmp):
            if leftover is not None and os.path.exists(leftover):
                os.unlink(leftover)
    return ImportResult(
        kind,
        context.rows_read,
        context.rows_imported,
        context.rows_filtered,
        log.total,
        triples,
        run,
        str(report_path) if log.total else None,
        str(target) if target else None,
        store_triples,
    )


def _temp_beside(path: Path | None, suffix: str) -> str:
    """A temporary file next to ``path`` (so the final rename stays on one disk)."""
    folder = path.parent if path is not None else None
    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=".kg-import-", suffix=suffix, dir=folder)
    os.close(handle)
    return name
