"""Running an import: rows to N-Triples on disk, then into the graph in one transaction.

The rows stream through the importer into temporary N-Triples files of at most
:data:`CHUNK_TRIPLES` triples each (memory stays flat whatever the input's size: Oxigraph's
bulk loader holds a whole file's batch in memory, so a file is kept small). When the import
is done and no row was bad (or ``skip_bad``), the files are loaded into the graph's backend
with its all-or-nothing loader (on an on-disk Oxigraph store: every file into a staged copy,
renamed into place once all are in) and/or joined into ``output``; otherwise they are
deleted and :class:`~kg.importers.rows.BadRowsError` is raised, so nothing is stored.
"""

from __future__ import annotations

import datetime as _dt
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.importers.cameo import vocabulary_ntriples
from kg.importers.entities import EntityIndex
from kg.importers.provenance import DATASETS, run_triples
from kg.importers.rows import BadRowsError, ErrorLog

__all__ = ["ImportContext", "ImportResult", "run_import", "CHUNK_TRIPLES"]

#: Triples per temporary N-Triples file (Oxigraph bulk loads 200k triples in about 100 MB).
CHUNK_TRIPLES = 200_000


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
    cache: dict[Any, Any] = field(default_factory=dict)

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
    if target is not None:
        target.parent.mkdir(parents=True, exist_ok=True)
    folder = tempfile.mkdtemp(prefix=".kg-import-", dir=target.parent if target else None)
    chunks = _Chunks(Path(folder))
    try:
        chunks.write(vocabulary_ntriples() + header)
        chunks.header_triples = chunks.triples  # counted apart from the rows' triples
        for chunk in mapper(files, context):
            chunks.write(chunk)
        chunks.close()
        if log.total and not skip_bad:
            raise BadRowsError(log.errors, log.total)
        store_triples = graph.backend.load(chunks.paths) if graph is not None else None
        if target is not None:
            chunks.join(target)
        if report_tmp is not None:
            log.report.close()
            if log.total:
                os.replace(report_tmp, report_path)
    finally:
        chunks.close()
        shutil.rmtree(folder, ignore_errors=True)
        if log.report is not None and not log.report.closed:
            log.report.close()
        if report_tmp is not None and os.path.exists(report_tmp):
            os.unlink(report_tmp)
    return ImportResult(
        kind,
        context.rows_read,
        context.rows_imported,
        context.rows_filtered,
        log.total,
        chunks.triples - chunks.header_triples,
        run,
        str(report_path) if log.total else None,
        str(target) if target else None,
        store_triples,
    )


class _Chunks:
    """N-Triples text written into numbered files of at most CHUNK_TRIPLES triples."""

    def __init__(self, folder: Path):
        self.folder, self.paths = folder, []
        self.triples = self.header_triples = self._in_file = 0
        self._out = None

    def write(self, text: str) -> None:
        n = text.count(" .\n")
        if self._out is None or self._in_file + n > CHUNK_TRIPLES and self._in_file:
            self._next()
        self._out.write(text)
        self._in_file += n
        self.triples += n

    def _next(self) -> None:
        self.close()
        path = self.folder / f"part-{len(self.paths):05d}.nt"
        self.paths.append(str(path))
        self._out = open(path, "w", encoding="utf-8")  # noqa: SIM115 - closed by close()
        self._in_file = 0

    def close(self) -> None:
        if self._out is not None and not self._out.closed:
            self._out.close()

    def join(self, target: Path) -> None:
        """Write every part into ``target`` (a temporary file beside it, then renamed)."""
        tmp = _temp_beside(target, ".nt")
        try:
            with open(tmp, "wb") as out:
                for path in self.paths:
                    with open(path, "rb") as part:
                        shutil.copyfileobj(part, out, 1 << 20)
            os.replace(tmp, target)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)


def _temp_beside(path: Path | None, suffix: str) -> str:
    """A temporary file next to ``path`` (so the final rename stays on one disk)."""
    folder = path.parent if path is not None else None
    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=".kg-import-", suffix=suffix, dir=folder)
    os.close(handle)
    return name
