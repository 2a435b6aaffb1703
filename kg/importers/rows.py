"""Reading the rows of dataset files, streaming: plain, ``.gz`` or ``.zip``, one row at a time.

A row that cannot be read (bad encoding, wrong number of columns, a bad value) becomes a
:class:`RowError` naming ``file:row:column``; the importer decides whether it stops the import
(the default: nothing is stored) or is skipped and reported (``--skip-bad``).
"""

from __future__ import annotations

import csv
import gzip
import io
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, TypeVar, cast

from kg.errors import KgError, MissingFileError

__all__ = [
    "RowError",
    "BadRowsError",
    "BadValue",
    "ErrorLog",
    "open_members",
    "tsv_rows",
    "csv_rows",
    "mapped_csv_rows",
]

#: How many errors an atomic failure lists.
SHOWN_ERRORS = 5


@dataclass(frozen=True)
class RowError:
    """What is wrong with one row.

    Example
    -------
    >>> str(RowError("x.csv", 3, "SQLDATE", "not a date: '2023-13-01'"))
    "x.csv:3:SQLDATE: not a date: '2023-13-01'"
    """

    path: str
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.row}:{self.column}: {self.message}"


class BadRowsError(KgError):
    """An import stopped because rows were bad; nothing was stored.

    Example
    -------
    >>> e = BadRowsError([RowError("a", 1, "2", "bad")], 1)
    >>> str(e)
    'a:1:2: bad (1 bad row; nothing was imported; --skip-bad imports the good rows)'
    """

    def __init__(self, errors: list[RowError], total: int) -> None:
        self.errors, self.total = errors, total
        first = "; ".join(str(e) for e in errors[:SHOWN_ERRORS])
        rows = f"{total} bad row{'s' if total != 1 else ''}"
        super().__init__(
            f"{first} ({rows}; nothing was imported; --skip-bad imports the good rows)"
        )


class BadValue(Exception):
    """A row's value an importer cannot map: the column and what is wrong with it.

    Example
    -------
    >>> BadValue("fatalities", "not a whole number: 'x'").column
    'fatalities'
    """

    def __init__(self, column: str, message: str) -> None:
        super().__init__(f"{column}: {message}")
        self.column, self.message = column, message


@dataclass
class ErrorLog:
    """The bad rows of an import: the first ones kept for the message, all for the report.

    Parameters
    ----------
    keep:
        How many errors to keep in memory (the report file gets every one).

    Example
    -------
    >>> log = ErrorLog(); log.add(RowError("a", 1, "x", "bad")); log.total
    1
    """

    keep: int = 1000
    errors: list[RowError] = field(default_factory=list)
    total: int = 0
    report: io.TextIOBase | None = None

    def add(self, error: RowError) -> None:
        """Record one bad row."""
        self.total += 1
        if len(self.errors) < self.keep:
            self.errors.append(error)
        if self.report is not None:
            self.report.write(f"{error.path}\t{error.row}\t{error.column}\t{error.message}\n")


def open_members(path: str | Path) -> Iterator[tuple[str, IO[bytes] | io.BufferedIOBase]]:
    """The binary streams of a file: itself, its ``.gz`` content, or each member of a ``.zip``.

    Parameters
    ----------
    path:
        The file.

    Returns
    -------
    Iterator of (name shown in errors, binary stream)

    Raises
    ------
    MissingFileError
        When the file does not exist.

    Example
    -------
    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "a.tsv"); _ = open(p, "w").write("x")
    >>> [(os.path.basename(n), s.read()) for n, s in open_members(p)]
    [('a.tsv', b'x')]
    """
    path = Path(path)
    if not path.is_file():
        raise MissingFileError(f"no such file: {path}")
    name = path.name.lower()
    if name.endswith(".zip"):
        try:
            archive = zipfile.ZipFile(path)
        except zipfile.BadZipFile as exc:
            raise KgError(f"{path}: not a zip file ({exc})") from None
        with archive:
            for info in archive.infolist():
                if not info.is_dir():
                    with archive.open(info) as stream:
                        yield f"{path}!{info.filename}", stream
    elif name.endswith(".gz"):
        with gzip.open(path, "rb") as stream:
            yield str(path), stream
    else:
        with open(path, "rb") as stream:
            yield str(path), stream


def tsv_rows(name: str, stream: Iterable[bytes], log: ErrorLog) -> Iterator[tuple[int, list[str]]]:
    """Tab-separated rows without quoting (GDELT): (row number, fields); bad UTF-8 is logged.

    Example
    -------
    >>> log = ErrorLog()
    >>> list(tsv_rows("f", io.BytesIO(b"a\\tb\\n\\xff\\tc\\n"), log)), str(log.errors[0])
    ([(1, ['a', 'b'])], 'f:2:1: not UTF-8 (byte 0xff at offset 0)')
    """
    for number, raw in enumerate(stream, 1):
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            column = raw[: exc.start].count(b"\t") + 1
            byte = raw[exc.start : exc.start + 1].hex()
            log.add(
                RowError(
                    name, number, str(column), f"not UTF-8 (byte 0x{byte} at offset {exc.start})"
                )
            )
            continue
        line = line.rstrip("\r\n")
        if line:
            yield number, line.split("\t")


def csv_rows(
    name: str, stream: Iterable[bytes], log: ErrorLog
) -> Iterator[tuple[int, dict[str, str]]]:
    """Rows of a CSV file with a header (ACLED, ATOP), as dicts; quoted fields may span lines.

    Bad UTF-8 makes the row it is in a logged error (found by the line it is on).

    Example
    -------
    >>> log = ErrorLog()
    >>> list(csv_rows("f", io.BytesIO(b'a,b\\n1,"x, y"\\n'), log))
    [(2, {'a': '1', 'b': 'x, y'})]
    """
    bad_lines: dict[int, str] = {}

    def lines() -> Iterator[str]:
        for number, raw in enumerate(stream, 1):
            try:
                yield raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                bad_lines[number] = f"not UTF-8 (byte 0x{raw[exc.start : exc.start + 1].hex()})"
                yield raw.decode("utf-8", errors="replace")

    reader = csv.reader(lines())
    header = next(reader, None)
    if header is None:
        return
    header = [h.strip() for h in header]
    last = reader.line_num
    for fields in reader:
        start, last = last + 1, reader.line_num
        bad = next((bad_lines.pop(n) for n in range(start, last + 1) if n in bad_lines), None)
        if bad is not None:
            log.add(RowError(name, start, "-", bad))
            continue
        if not any(fields):
            continue
        if len(fields) != len(header):
            message = f"expected {len(header)} columns as in the header, found {len(fields)}"
            log.add(RowError(name, start, str(min(len(fields), len(header)) + 1), message))
            continue
        yield start, dict(zip(header, fields, strict=True))


_Header = TypeVar("_Header")


def mapped_csv_rows(
    files: list[str],
    ctx: Any,
    check_header: Callable[[dict[str, str]], _Header],
    map_row: Callable[[dict[str, str], _Header, str], str],
) -> Iterator[str]:
    """Each row of CSV ``files`` (with a header) mapped to N-Triples; bad rows go to the log.

    Parameters
    ----------
    files:
        CSV files (``.zip``/``.gz`` accepted).
    ctx:
        The :class:`~kg.importers.run.ImportContext` (its log and row counts).
    check_header:
        Called with each file's first row: returns what ``map_row`` needs to know about the
        file (its level ...), or raises :class:`BadValue` (the file is skipped, logged at row 1).
    map_row:
        ``map_row(row, header_value, record)`` -> N-Triples; ``record`` is ``FILE:ROW``.
        Raises :class:`BadValue` for a bad value (the row is logged and skipped).

    Returns
    -------
    Iterator[str]
        The N-Triples of each good row.

    Example
    -------
    >>> import tempfile, os, types
    >>> p = os.path.join(tempfile.mkdtemp(), "a.csv"); _ = open(p, "w").write("n\\n1\\nx\\n")
    >>> ctx = types.SimpleNamespace(log=ErrorLog(), rows_read=0, rows_imported=0)
    >>> def row(r, _, record):
    ...     if not r["n"].isdigit():
    ...         raise BadValue("n", "not a number")
    ...     return record
    >>> [t.split("/")[-1] for t in mapped_csv_rows([p], ctx, lambda r: None, row)]
    ['a.csv:2']
    >>> str(ctx.log.errors[0]).endswith("a.csv:3:n: not a number"), ctx.rows_read
    (True, 2)
    """
    for path in files:
        for name, stream in open_members(path):
            shown = name.rsplit("/", 1)[-1]
            checked, header = False, None  # what check_header says of this file's columns
            for number, row in csv_rows(name, stream, ctx.log):
                if not checked:
                    try:
                        header, checked = check_header(row), True
                    except BadValue as bad:
                        ctx.log.add(RowError(name, 1, bad.column, bad.message))
                        break
                ctx.rows_read += 1
                try:
                    text = map_row(row, cast(_Header, header), f"{shown}:{number}")
                except BadValue as bad:
                    ctx.log.add(RowError(name, number, bad.column, bad.message))
                    continue
                ctx.rows_imported += 1
                yield text
