"""Running an import: rows mapped to N-Triples and loaded in one transaction.

The rows stream through the importer's mapper into a :class:`~kg.importers.batches.Sink`:
batches of a fixed size, each bulk loaded into a staged copy of an on-disk Oxigraph store
while the next is mapped (other backends: loaded at the end), and/or written to an
N-Triples ``output`` file. When the import is done and no row was bad (or ``skip_bad``), the
store and the file are put in place; otherwise both are deleted and
:class:`~kg.importers.rows.BadRowsError` is raised, so nothing is stored.
"""

from __future__ import annotations

import datetime as _dt
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.importers.batches import Sink, temp_beside
from kg.importers.cameo import vocabulary_ntriples
from kg.importers.entities import EntityIndex
from kg.importers.provenance import DATASETS, run_triples
from kg.importers.rows import BadRowsError, ErrorLog

__all__ = ["ImportContext", "ImportResult", "run_import", "Mapper", "REMEMBERED"]

#: How many nodes (places, actors ...) an import remembers having written, and how many
#: looked-up codes it keeps, before it forgets them all and starts again. A node met again
#: after that is written again with the same triples (a store holds one copy of a triple), so
#: memory stays flat however many distinct places and actors a file has: a 2 GB file never
#: needs more memory than a small one.
REMEMBERED = 100_000


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

    Example
    -------
    >>> ctx = ImportContext(EntityIndex.from_graph(None), "urn:run", ErrorLog())
    >>> ctx.once("a"), ctx.once("a")
    (True, False)
    >>> ctx.keep("code", "<urn:x>"), ctx.cache.get("code")
    ('<urn:x>', '<urn:x>')
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
        """True the first time ``key`` is seen (for nodes written once; see :data:`REMEMBERED`)."""
        seen = self.seen
        if key in seen:
            return False
        if len(seen) >= REMEMBERED:
            seen.clear()
        seen.add(key)
        return True

    def keep(self, key: Any, value: Any) -> Any:
        """Put ``value`` in :attr:`cache` under ``key`` (at most :data:`REMEMBERED`); return it."""
        if len(self.cache) >= REMEMBERED:
            self.cache.clear()
        self.cache[key] = value
        return value


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


#: ``mapper(files, context)`` yields N-Triples text, row by row.
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

    Example
    -------
    >>> def one_row(files, ctx):
    ...     ctx.rows_read = ctx.rows_imported = 1
    ...     yield '<urn:a> <urn:b> "c" .\\n'
    >>> run_import("gdelt", one_row, ["x.tsv"]).summary()
    'gdelt: 1 of 1 rows imported, 1 triples'
    """
    names = [str(f) for f in files]
    run, header = run_triples(
        DATASETS[kind],
        names,
        command=command or f"kg import {kind} " + " ".join(names),
        filters=filters,
        accessed=accessed or _dt.date.today(),
    )
    context = ImportContext(EntityIndex.from_graph(graph), run, ErrorLog(), dict(options or {}))
    report_path = Path(report or f"{kind}-import-report.tsv")
    target = Path(output) if output else None
    with _BadRowsReport(context.log, report_path, skip_bad) as bad, Sink(graph, target) as sink:
        head = vocabulary_ntriples() + header
        header_triples = head.count(" .\n")  # counted apart from the rows' triples
        sink.write(head)
        for text in mapper(names, context):
            sink.write(text)
        sink.finish()
        if context.log.total and not skip_bad:
            raise BadRowsError(context.log.errors, context.log.total)
        store_triples = sink.commit()
        bad.commit()
    return ImportResult(
        kind,
        context.rows_read,
        context.rows_imported,
        context.rows_filtered,
        context.log.total,
        sink.triples - header_triples,
        run,
        str(report_path) if context.log.total else None,
        str(target) if target else None,
        store_triples,
    )


class _BadRowsReport:
    """With ``skip_bad``: the bad rows, tab-separated, in a temporary file renamed at the end."""

    def __init__(self, log: ErrorLog, path: Path, skip_bad: bool) -> None:
        self.log, self.path = log, path
        self.tmp = temp_beside(path, ".tsv") if skip_bad else None

    def __enter__(self) -> _BadRowsReport:
        if self.tmp is not None:
            self.log.report = open(self.tmp, "w", encoding="utf-8")  # noqa: SIM115 - see __exit__
            self.log.report.write("file\trow\tcolumn\tproblem\n")
        return self

    def commit(self) -> None:
        """Close the report; keep it only when a row was bad."""
        if self.log.report is not None:
            self.log.report.close()
        if self.tmp is not None and self.log.total:
            os.replace(self.tmp, self.path)

    def __exit__(self, *exc: object) -> None:
        if self.log.report is not None and not self.log.report.closed:
            self.log.report.close()
        if self.tmp is not None and os.path.exists(self.tmp):
            os.unlink(self.tmp)
