"""File digests that survive between runs: a file is hashed by content once, and its digest is
remembered with its size and modification time, hashed again only when those change.

The cache of answers (:mod:`kg.cache`) and the stores' load records
(:mod:`kg.backends.load_records`) both name files by these digests; this module sits below
both, needing nothing of kg.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path

__all__ = ["cache_dir", "file_digest", "read_memo", "remembered_digest", "write_memo"]

#: Files smaller than this are always hashed: it is cheaper than trusting a remembered digest.
SMALL_FILE = 4 * 1024 * 1024
#: A digest remembered for a file whose mtime is this close to when it was hashed is not
#: trusted (the file may have changed again within the clock's granularity: git's "racy" case).
RACY_NS = 2_000_000_000


def cache_dir() -> Path:
    """The folder kg keeps its cached answers in.

    ``answers`` in ``KG_CACHE_DIR`` if set, else in ``$XDG_CACHE_HOME/kg``, else in
    ``~/.cache/kg`` (beside the HTTP cache of :mod:`kg.linking.http_client`, never mixed).

    Returns
    -------
    pathlib.Path
        The folder (not created here).

    Example
    -------
    >>> os.environ["KG_CACHE_DIR"] = "/tmp/kg-cache-example"
    >>> cache_dir().as_posix()
    '/tmp/kg-cache-example/answers'
    >>> del os.environ["KG_CACHE_DIR"]
    """
    if os.environ.get("KG_CACHE_DIR"):
        return Path(os.environ["KG_CACHE_DIR"]) / "answers"
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "kg" / "answers"


def _sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def file_digest(path: str | os.PathLike, memo: dict | None = None) -> str:
    """The SHA-256 of a file's content, remembered in ``memo`` by path, size and mtime.

    A small file is always hashed. A large one is hashed again only when its size or
    modification time differs from what ``memo`` holds, or when the remembered hash was
    taken within :data:`RACY_NS` of the file's mtime (it could have changed unseen since).

    Parameters
    ----------
    path:
        The file.
    memo:
        A dict to read and update: absolute path -> ``[size, mtime_ns, digest, hashed_ns]``;
        ``None`` to always hash.

    Returns
    -------
    str
        The hex digest.

    Raises
    ------
    OSError
        If the file cannot be read.

    Example
    -------
    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "a.ttl"; _ = p.write_text("x")
    >>> file_digest(p)[:12]
    '2d711642b726'
    """
    path = Path(path)
    stat = path.stat()
    if memo is None or stat.st_size < SMALL_FILE:
        return _sha256_of(path)
    key = str(path.resolve())
    known = memo.get(key)
    same = known is not None and known[:2] == [stat.st_size, stat.st_mtime_ns]
    if same and known is not None and known[3] - stat.st_mtime_ns > RACY_NS:
        return known[2]
    digest = _sha256_of(path)
    memo[key] = [stat.st_size, stat.st_mtime_ns, digest, time.time_ns()]
    return digest


def _memo_file() -> Path:
    return cache_dir() / "files.json"


def read_memo() -> dict:
    """The remembered file digests (see :func:`file_digest`); empty if none or unreadable.

    Example
    -------
    >>> isinstance(read_memo(), dict)
    True
    """
    try:
        memo = json.loads(_memo_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return memo if isinstance(memo, dict) else {}


def write_memo(memo: dict) -> None:
    """Keep ``memo`` for the next run (atomically; a failure only costs a hash later).

    Example
    -------
    >>> write_memo(read_memo())
    """
    import contextlib

    from kg.files import write_text_atomically

    with contextlib.suppress(OSError):
        write_text_atomically(_memo_file(), json.dumps(memo))


def remembered_digest(path: str | os.PathLike) -> str:
    """:func:`file_digest` with the digests remembered across runs (in :func:`cache_dir`).

    What ``kg load`` and ``kg --store S --data FILE`` use: a multi-gigabyte file is hashed
    once, then again only when its size or modification time changes.

    Parameters
    ----------
    path:
        The file.

    Returns
    -------
    str
        The hex SHA-256 of its content.

    Example
    -------
    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "a.nt"; _ = p.write_text("x")
    >>> remembered_digest(p) == file_digest(p)
    True
    """
    memo = read_memo()
    before = dict(memo)
    digest = file_digest(path, memo)
    if memo != before:
        write_memo(memo)
    return digest
