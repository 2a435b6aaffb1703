"""What a cached answer depends on, as one hex digest: the loaded files and the engine.

A cached query result is valid exactly as long as the bytes of every file loaded into the
graph (the ontology and vocabulary files included), the backend, the inference flag and the
code between the query text and its rows (kg's backends, rdflib, pyoxigraph) are the same.
Files are named by their content digests (:mod:`kg.digests`).
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from kg.digests import file_digest, read_memo, write_memo

__all__ = ["engine_stamp", "fingerprint", "graph_key"]

_KG_DIR = Path(__file__).resolve().parent.parent


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
