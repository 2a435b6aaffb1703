"""Answers kept on disk, so that a repeated question costs next to nothing.

The ``kg`` command loads its graph through :func:`load_cached`: SELECT and ASK answers (the
views' queries, entity names, statistics) are kept under :func:`cache_dir`, keyed by a
digest of every loaded file's content (the ontology and vocabularies included), the backend
and the engine's code, so any change to any of them gives a fresh answer. ``kg --no-cache``
skips it; ``kg cache clear`` (:func:`clear`) empties it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from kg.cache.keys import fingerprint
from kg.digests import cache_dir, file_digest

__all__ = ["cache_dir", "clear", "file_digest", "fingerprint", "load_cached"]


def load_cached(*args, **kwargs):
    """:func:`kg.load` through the result cache (see :func:`kg.cache.graph.load_cached`).

    Example
    -------
    >>> callable(load_cached)
    True
    """
    from kg.cache.graph import load_cached as load

    return load(*args, **kwargs)


def clear(directory: str | Path | None = None) -> int:
    """Remove every cached answer and remembered file digest.

    Parameters
    ----------
    directory:
        The cache folder (default :func:`cache_dir`).

    Returns
    -------
    int
        How many files were removed.

    Example
    -------
    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp()); (d / "results").mkdir()
    >>> _ = (d / "results" / "a.json").write_text("{}")
    >>> clear(d), (d / "results").exists()
    (1, False)
    """
    folder = Path(directory) if directory is not None else cache_dir()
    if not folder.is_dir():
        return 0
    count = sum(1 for p in folder.rglob("*") if p.is_file())
    for child in folder.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()
    return count
