"""GDELT 2.0's mentions table: each row a ``kg:Mention`` of an imported event.

A mention names the document (``dct:source``, its URL), when it was seen, the sentence and
the character offsets of the actors and the action in it, and the coder's confidence.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterator
from typing import Any

from kg.importers import rows as _rows
from kg.importers.gdelt import (
    _AT,
    _DOC,
    _GEN,
    _MENTION,
    _P,
    _SOURCE,
    _T,
    _number,
    _valid_date,
)
from kg.importers.ntriples import KGR, literal, safe_iri, typed
from kg.importers.rows import BadValue, RowError

__all__ = ["gdelt_mentions", "MENTION_COLUMNS", "EventIds"]

MENTION_COLUMNS = 16


class EventIds:
    """The ids of the events an import wrote (to keep only their mentions), in flat memory.

    The first ``limit`` ids are held in a set; past that, all of them move to a private
    temporary SQLite database on disk (its page cache a few MB), so the ids of a 2 GB events
    file need no more memory than those of a small one.

    Parameters
    ----------
    limit:
        How many ids to hold in memory (default :attr:`LIMIT`).

    Example
    -------
    >>> ids = EventIds(limit=2)
    >>> for eid in ("1", "2", "3"):
    ...     ids.add(eid)
    >>> "3" in ids, "4" in ids, len(ids.in_memory)
    (True, False, 0)
    >>> ids.close()
    """

    LIMIT = 100_000

    def __init__(self, limit: int | None = None) -> None:
        self.limit = self.LIMIT if limit is None else limit
        self.in_memory: set[str] = set()
        self._db: sqlite3.Connection | None = None
        self._pending: list[tuple[str]] = []

    def add(self, eid: str) -> None:
        """Remember one event id."""
        if self._db is None:
            self.in_memory.add(eid)
            if len(self.in_memory) > self.limit:
                self._spill()
        else:
            self._pending.append((eid,))
            if len(self._pending) >= 1_000:
                self._write()

    def _spill(self) -> None:
        # "": a private temporary database on disk, deleted when closed
        self._db = sqlite3.connect("")
        self._db.execute("CREATE TABLE ids (id TEXT PRIMARY KEY) WITHOUT ROWID")
        self._pending = [(eid,) for eid in self.in_memory]
        self.in_memory = set()
        self._write()

    def _write(self) -> None:
        if self._db is not None and self._pending:
            self._db.executemany("INSERT OR IGNORE INTO ids VALUES (?)", self._pending)
            self._pending = []

    def __contains__(self, eid: object) -> bool:
        if self._db is None:
            return eid in self.in_memory
        self._write()
        found = self._db.execute("SELECT 1 FROM ids WHERE id = ?", (eid,)).fetchone()
        return found is not None

    def close(self) -> None:
        """Forget the ids (the database file is deleted)."""
        if self._db is not None:
            self._db.close()
            self._db = None
        self.in_memory, self._pending = set(), []


def gdelt_mentions(
    files: list[str], ctx: Any, event_ids: EventIds | set[str] | None = None
) -> Iterator[str]:
    """Map GDELT 2.0 mentions files: one ``kg:Mention`` per row, ``kg:mentionOf`` its event.

    Parameters
    ----------
    files:
        Mentions files (16 tab-separated columns, no header).
    ctx:
        The import context.
    event_ids:
        Keep only mentions of these events (the ones this import wrote); ``None``: all.

    Returns
    -------
    Iterator[str]
    """
    run = f"<{ctx.run}>"
    for path in files:
        for name, stream in _rows.open_members(path):
            shown = name.rsplit("/", 1)[-1]
            for number, f in _rows.tsv_rows(name, stream, ctx.log):
                if len(f) < 12:
                    message = (
                        f"expected {MENTION_COLUMNS} columns (GDELT 2.0 mentions), found {len(f)}"
                    )
                    ctx.log.add(RowError(name, number, str(len(f)), message))
                    continue
                eid = f[0]
                if event_ids is not None and eid not in event_ids:
                    continue
                try:
                    yield _mention(f, eid, run, f"{shown}:{number}")
                except BadValue as bad:
                    ctx.log.add(RowError(name, number, bad.column, bad.message))


def _mention(f: list[str], eid: str, run: str, record: str) -> str:
    if not eid.isdigit():
        raise BadValue("GLOBALEVENTID", f"not a number: {eid!r}")
    when = f[2]
    if len(when) != 14 or not when.isdigit() or not _valid_date(when[:8]):
        raise BadValue("MentionTimeDate", f"not a time (YYYYMMDDHHMMSS): {when!r}")
    key = hashlib.sha1(f"{f[5]}|{f[6]}|{f[9]}".encode()).hexdigest()[:12]
    m = f"<{KGR}gdelt_{eid}_mention_{key}>"
    stamp = f"{when[:4]}-{when[4:6]}-{when[6:8]}T{when[8:10]}:{when[10:12]}:{when[12:]}Z"
    out = [
        m,
        _T,
        _MENTION,
        " .\n",
        m,
        _P["mentionOf"],
        f"<{KGR}gdelt_{eid}>",
        " .\n",
        m,
        _AT,
        typed(stamp, "dateTime"),
        " .\n",
        m,
        _GEN,
        run,
        " .\n",
        m,
        _P["sourceRecord"],
        literal(record),
        " .\n",
    ]
    url = safe_iri(f[5])
    if url:
        out += [m, _SOURCE, url, " .\n", url, _T, _DOC, " .\n"]
    elif f[5]:
        out += [m, _SOURCE, literal(f[5]), " .\n"]
    for col, prop, column in (
        (6, "sentence", "SentenceID"),
        (7, "actor1Offset", "Actor1CharOffset"),
        (8, "actor2Offset", "Actor2CharOffset"),
        (9, "actionOffset", "ActionCharOffset"),
        (11, "confidence", "Confidence"),
    ):
        value = f[col]
        if value and value != "-1":
            if not _number(value, "integer"):
                raise BadValue(column, f"not a number: {value!r}")
            out += [m, _P[prop], typed(value, "integer"), " .\n"]
    return "".join(out)
