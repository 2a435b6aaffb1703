"""A staged copy of an on-disk Oxigraph store: written aside, renamed into place, all or nothing.

``kg load``, ``kg import`` and ``kg add --store`` write a copy of the store (a checkpoint: hard
links, taken in milliseconds whatever the size; or an empty store), and only a complete write
replaces the store, by two renames. Any failure before that leaves the store as it was. Two
RocksDB rules shape it: no handle on the staged store may be open when it moves (RocksDB would go
on writing into the folder under its new name), and a failed write's handle lives on in the
exception's traceback until the garbage collector runs, so a fresh folder is taken every time.
A copy is made to be written, so it starts without the counts and first pages ``kg load`` kept
(:func:`kg.backends.oxigraph_stats.drop_counts`): a writer that keeps them (``kg load``) writes
them again for what it wrote, and ``kg stats`` never reads the counts of an older store.
"""

from __future__ import annotations

import gc
import os
import shutil
import tempfile
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

__all__ = ["StagedCopy"]


class StagedCopy:
    """A writable copy of the store at ``target``, in a fresh folder beside it.

    Parameters
    ----------
    target:
        The store's folder (it may not exist yet).
    source:
        An open ``pyoxigraph.Store`` of ``target`` to copy, or None to start empty.
    purpose:
        A word for the temporary folder's name (``.NAME.PURPOSE-XXXX``).

    Returns
    -------
    StagedCopy
        ``.store`` is the staged ``pyoxigraph.Store``; :meth:`commit` puts it in place,
        :meth:`discard` removes it.

    Example
    -------
    >>> import pyoxigraph as ox
    >>> target = Path(tempfile.mkdtemp()) / "store"
    >>> staged = StagedCopy(target, None, "demo")
    >>> staged.store.add(ox.Quad(ox.NamedNode("urn:a"), ox.NamedNode("urn:b"), ox.Literal("c")))
    >>> staged.commit()
    >>> len(ox.Store(str(target)))
    1
    """

    def __init__(self, target: str | Path, source: Any, purpose: str) -> None:
        import pyoxigraph as ox

        self.target = Path(target)
        self.target.parent.mkdir(parents=True, exist_ok=True)
        self.holder = Path(
            tempfile.mkdtemp(prefix=f".{self.target.name}.{purpose}-", dir=self.target.parent)
        )
        self.staged = self.holder / "store"
        try:
            if source is not None:
                source.backup(str(self.staged))
            self.store: Any = ox.Store(str(self.staged))
            if source is not None:
                from kg.backends.oxigraph_stats import drop_counts

                drop_counts(self.store)  # stale once anything is written
        except BaseException as exc:
            self.discard(exc)
            raise

    def commit(self, release: Callable[[], None] | None = None) -> None:
        """Flush and close the staged store, call ``release`` (it must drop every other handle
        on ``target``), then rename the copy into place and remove the old store."""
        self.store.flush()
        self.store = None  # closed: it is about to move
        if release is not None:
            release()
        if self.target.exists():
            os.rename(self.target, self.holder / "old")
        os.rename(self.staged, self.target)
        shutil.rmtree(self.holder, ignore_errors=True)

    def discard(self, error: BaseException | None = None) -> None:
        """Close and remove the staged copy; ``error``: the exception that stopped the write
        (a frame of its traceback may still hold the staged store open)."""
        self.store = None
        if error is not None:
            traceback.clear_frames(error.__traceback__)
        gc.collect()
        shutil.rmtree(self.holder, ignore_errors=True)
