"""Writing files so that a reader never sees half of one and a failure keeps the old one.

Every file kg writes for a user (exports, views, pages, review files, links) goes through
here: a temporary file in the same folder, renamed over the destination.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

__all__ = ["write_bytes_atomically", "write_text_atomically"]


def write_bytes_atomically(path: str | os.PathLike, data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same folder, then rename.

    The file gets the usual permissions (what the umask allows), not ``mkstemp``'s private ones.

    Parameters
    ----------
    path:
        The destination; its folder is created if missing.
    data:
        The bytes to write.

    Returns
    -------
    pathlib.Path
        The destination.

    Example
    -------
    >>> d = Path(tempfile.mkdtemp())
    >>> out = write_bytes_atomically(d / "sub" / "x.nt", b"data")
    >>> out.read_bytes(), sorted(p.name for p in out.parent.iterdir())
    (b'data', ['x.nt'])
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.chmod(temp, 0o666 & ~_umask())
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return target


def write_text_atomically(path: str | os.PathLike, text: str) -> Path:
    """Write ``text`` as UTF-8 to ``path`` (see :func:`write_bytes_atomically`).

    Parameters
    ----------
    path:
        The destination; its folder is created if missing.
    text:
        The text.

    Returns
    -------
    pathlib.Path
        The destination.

    Example
    -------
    >>> d = Path(tempfile.mkdtemp())
    >>> write_text_atomically(d / "a" / "x.txt", "hi").read_text()
    'hi'
    """
    return write_bytes_atomically(path, text.encode("utf-8", errors="replace"))


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
