"""``kg stats`` of an on-disk Oxigraph store, counted once per version of the store.

Counting a store of ten million triples takes seconds (distinct subjects, instances per
class ...), and its answer changes only when the store does. The version of a store is
read from its folder without opening it: RocksDB writes data into immutable ``*.sst``
files and appends changes to a write-ahead ``*.log`` first, so the names and sizes of the
``*.sst`` files and of the non-empty ``*.log`` files change with every write, and not
when the store is only opened and read. The counts are kept in a JSON file per store and
version under ``$KG_CACHE_DIR/stats`` (default ``~/.cache/kg/stats``), written atomically;
another version is counted afresh. Stores reached over HTTP and graphs in memory are
always counted.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

__all__ = ["cached_stats", "keep_counts", "store_version"]


def store_version(folder: str | Path) -> str | None:
    """A digest that changes whenever the Oxigraph store in ``folder`` is written.

    Parameters
    ----------
    folder:
        The store folder.

    Returns
    -------
    str or None
        None when the folder holds no RocksDB files.

    Example
    -------
    >>> import tempfile
    >>> store_version(tempfile.mkdtemp()) is None
    True
    """
    parts = []
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return None
    for entry in entries:
        if not entry.is_file():
            continue
        try:
            size = entry.stat().st_size
        except FileNotFoundError:
            return None  # RocksDB is compacting right now: no stable version to name
        if entry.name.endswith(".sst") or (entry.name.endswith(".log") and size > 0):
            parts.append(f"{entry.name}:{size}")
    if not parts:
        return None
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _cache_file(folder: Path, version: str) -> Path:
    root = Path(os.environ.get("KG_CACHE_DIR") or Path.home() / ".cache" / "kg") / "stats"
    place = hashlib.sha256(str(folder.resolve()).encode()).hexdigest()[:16]
    return root / f"{place}-{version[:32]}.json"


def cached_stats(backend: Any, count: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """Return ``count()``, kept on disk for an on-disk Oxigraph store's current version.

    Parameters
    ----------
    backend:
        The graph's backend; only an Oxigraph backend with a folder is cached.
    count:
        Computes the statistics (:meth:`kg.graph.KnowledgeGraph.stats` does).

    Returns
    -------
    dict

    Example
    -------
    >>> from kg.backends.memory import MemoryBackend
    >>> cached_stats(MemoryBackend(), lambda: {"triples": 0})
    {'triples': 0}
    """
    stored = getattr(backend, "stored_stats", None)  # an endpoint: VoID counts kept at load
    if callable(stored) and (found := stored()) is not None:
        return found
    folder = getattr(backend, "path", None) if getattr(backend, "kind", "") == "oxigraph" else None
    if folder is None:
        return count()
    if hasattr(backend, "store") and backend.store is not None and hasattr(backend.store, "flush"):
        with contextlib.suppress(OSError, RuntimeError):  # a read-only store cannot flush
            backend.store.flush()  # what was written is in the files the version reads
    version = store_version(folder)
    if version is None:
        return count()
    path = _cache_file(Path(folder), version)
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        pass
    counts = count()
    # Kept under the version after counting: this process holds the store's lock, so what
    # changed the files meanwhile is RocksDB's own flushes and compactions after an open, which
    # leave the triples as they are; the next open then finds this version.
    keep_counts(folder, counts)
    # A compaction RocksDB started at this open may still be renaming files; the backend keeps
    # the counts once more when it closes the store (OxigraphBackend.close), after it settled.
    backend.counted_stats = counts
    return counts


def keep_counts(folder: str | Path, counts: dict[str, Any]) -> None:
    """Keep ``counts`` for the store in ``folder`` under its current version (best effort).

    Parameters
    ----------
    folder:
        The store folder.
    counts:
        What :meth:`kg.graph.KnowledgeGraph.stats` returned for that store.

    Example
    -------
    >>> import tempfile
    >>> keep_counts(tempfile.mkdtemp(), {"triples": 0})  # no store there: nothing kept
    """
    version = store_version(folder)
    if version is None:
        return
    path = _cache_file(Path(folder), version)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", dir=path.parent, delete=False) as out:
            json.dump(counts, out)
        os.replace(out.name, path)
    except OSError:
        pass  # a cache that cannot be written only costs the next count
