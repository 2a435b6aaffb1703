"""Writing files so that a reader never sees half of one and a failure keeps the old one."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_text_atomically(path: str | Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same folder, then rename.

    Parameters
    ----------
    path:
        The destination; its folder is created if missing.
    text:
        UTF-8 text.

    Returns
    -------
    None

    Example
    -------
    >>> d = Path(tempfile.mkdtemp())
    >>> write_text_atomically(d / "a" / "x.txt", "hi")
    >>> (d / "a" / "x.txt").read_text(), [p.name for p in (d / "a").iterdir()]
    ('hi', ['x.txt'])
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
