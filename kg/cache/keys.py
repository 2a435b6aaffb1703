"""What a cached answer depends on, as one hex digest: the loaded files and the engine.

A cached query result is valid exactly as long as the bytes of every file loaded into the
graph (the ontology and vocabulary files included), the backend, the inference flag and the
code between the query text and its rows (kg's backends, rdflib, pyoxigraph) are the same.
Files are hashed by content; a large file's digest is remembered with its size and
modification time, and hashed again only when those change (see :func:`file_digest`).
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

__all__ = [
    "cache_dir",
    "engine_stamp",
    "file_digest",
    "fingerprint",
    "graph_key",
    "remembered_digest",
]

#: Files smaller than this are always hashed: it is cheaper than trusting a remembered digest.
SMALL_FILE = 4 * 1024 * 1024
#: A digest remembered for a file whose mtime is this close to when it was hashed is not
#: trusted (the file may have changed again within the clock's granularity: git's "racy" case).
RACY_NS = 2_000_000_000
_KG_DIR = Path(__file__).resolve().parent.parent


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


def engine_stamp() -> list:
    """What identifies the code between a query's text and its rows, without importing it.

    The size and mtime of kg's backend, result and graph modules and of the installed
    rdflib and pyoxigraph packages: an upgrade or an edit changes the stamp.

    Returns
    -------
    list

    Example
    -------
    >>> stamp = engine_stamp()
    >>> stamp == engine_stamp(), len(stamp) > 3
    (True, True)
    """
    files = sorted((_KG_DIR / "backends").glob("*.py"))
    files += [
        _KG_DIR / name
        for name in (
            "results.py",
            "graph.py",
            "loading.py",
            "project.py",
            "parsing.py",
            "validation.py",
        )
    ]
    for package in ("rdflib", "pyoxigraph"):
        spec = importlib.util.find_spec(package)
        if spec is not None and spec.origin:
            files.append(Path(spec.origin))
    stamp = []
    for file in files:
        try:
            stat = file.stat()
        except OSError:
            continue
        stamp.append([file.name, stat.st_size, stat.st_mtime_ns])
    return stamp


def fingerprint(files: Sequence[str | os.PathLike], parts: Iterable = (), memo=None) -> str:
    """One digest of the loaded files' contents (in load order), ``parts`` and the engine.

    Parameters
    ----------
    files:
        Every file loaded into the graph: ontology, vocabularies, data, extra files.
    parts:
        Other things the answers depend on (backend name, inference flag ...), JSON-able.
    memo:
        File digests remembered so far (see :func:`file_digest`).

    Returns
    -------
    str
        A hex digest.

    Example
    -------
    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "a.ttl"; _ = p.write_text("x")
    >>> before = fingerprint([p], ["memory"])
    >>> _ = p.write_text("y")
    >>> after = fingerprint([p], ["memory"])
    >>> again, other = fingerprint([p], ["memory"]), fingerprint([p], ["oxigraph"])
    >>> before == after, after == again, after == other
    (False, True, False)
    """
    from kg import __version__

    listed = [[str(Path(f).resolve()), file_digest(f, memo)] for f in files]
    blob = json.dumps([__version__, engine_stamp(), list(parts), listed], default=str)
    return hashlib.sha256(blob.encode()).hexdigest()


def graph_key(
    data: Any = None,
    *,
    backend: str | None = None,
    infer: bool = False,
    root: Any = None,
    extra: Sequence[Any] = (),
    **options: Any,
) -> tuple[str | None, Any]:
    """The fingerprint of the graph :func:`kg.load` would load from files, without loading it.

    The parameters and errors are those of :func:`kg.load` (a missing file is reported as it
    would be).

    Returns
    -------
    tuple
        ``(key, project)``; ``key`` is None for a store folder or an endpoint, whose content
        the files do not describe.

    Example
    -------
    >>> key, project = graph_key()
    >>> len(key), graph_key(store="/tmp/s")[0] is None
    (64, True)
    """
    from kg.loading import _check_exist, _explicit, _unique, resolve_backend
    from kg.project import Project, open_project

    project = root if isinstance(root, Project) else open_project(root)
    chosen = {k: v for k, v in options.items() if v is not None}
    name, chosen = resolve_backend(backend, chosen, project)
    if "store" in chosen or name == "remote" or name not in ("memory", "oxigraph"):
        return None, project
    explicit = _explicit(data)
    extra_files = [Path(f) for f in extra]
    _check_exist([*(explicit or []), *extra_files], project)
    _check_exist(project.schema_files, project, schema=True)
    data_files = project.data_files() if explicit is None else explicit
    files = _unique([*project.schema_files, *data_files, *extra_files])
    memo = read_memo()
    before = dict(memo)
    key = fingerprint(files, [name, bool(infer)], memo)
    if memo != before:
        write_memo(memo)
    return key, project
