"""A repeated ``kg`` command answered by replaying what it printed and wrote the first time.

The answers cache (:mod:`kg.cache.graph`) saves the queries, but a command such as
``kg path`` or ``kg render`` still builds its view with networkx (and renders with pyvis),
and importing those costs more than the rest of a repeated run. So the commands listed in
:data:`REPLAYED` are recorded whole: what they print on stdout and stderr (the data
warning included) and the file they write (``-o``), keyed by

- the fingerprint of every file the graph loads, the ontology and vocabularies included
  (:func:`kg.cache.keys.graph_key`: content digests, the backend, the inference flag);
- the command's name and every value of its options and arguments, and the working folder
  (relative paths and the printed ``wrote FILE`` depend on it);
- :func:`code_stamp`: the size and mtime of every file of the ``kg`` package (its code and
  page assets) and of the libraries that shape the output (rdflib, pyoxigraph, networkx,
  pyvis, click), and the ``KG_*`` environment.

A record is kept only when the command succeeded, the data check after it (the group's
result callback) ran, and its graph was answered from files (never a store, an endpoint, an
updated graph or one whose backend was taken). A replay writes the same bytes to the same
places and never imports rdflib, networkx or pyvis. ``kg --no-cache`` neither reads nor
writes records; ``kg cache clear`` removes them with the answers.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from kg.digests import cache_dir

__all__ = ["REPLAYED", "code_stamp", "command_key", "install", "replayable"]

FORMAT = 1
#: Commands whose whole output is recorded and replayed (their output depends only on the
#: loaded files, their arguments and kg's code).
REPLAYED = ("allies", "contested", "path", "render", "said", "stats", "view")
#: Options naming a file the command writes.
OUTPUT_OPTIONS = ("output",)
#: Records kept; the oldest beyond this are removed when one is written.
KEEP_RECORDS = 64
_LIBRARIES = ("rdflib", "pyoxigraph", "networkx", "pyvis", "click")
_KG_DIR = Path(__file__).resolve().parent.parent
_META = "kg.cache.replay"


def code_stamp() -> list[Any]:
    """What identifies the code between the loaded graph and a command's output.

    Returns
    -------
    list
        ``[name, size, mtime_ns]`` of every file under the ``kg`` package (but bytecode) and
        of the libraries' ``__init__`` files, then the ``KG_*`` environment (but the cache's).

    Example
    -------
    >>> stamp = code_stamp()
    >>> stamp == code_stamp(), any(row[0] == "cache/replay.py" for row in stamp)
    (True, True)
    """
    stamp: list[Any] = []
    for folder, dirs, files in os.walk(_KG_DIR):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            path = os.path.join(folder, name)
            info = os.stat(path)
            stamp.append([os.path.relpath(path, _KG_DIR), info.st_size, info.st_mtime_ns])
    for package in _LIBRARIES:
        spec = importlib.util.find_spec(package)
        if spec is not None and spec.origin:
            info = os.stat(spec.origin)
            stamp.append([package, info.st_size, info.st_mtime_ns])
    skip = ("KG_CACHE_DIR", "KG_NO_CACHE")
    stamp.append(
        sorted((k, v) for k, v in os.environ.items() if k.startswith("KG_") and k not in skip)
    )
    return stamp


def command_key(session: Any, name: str, params: dict[str, Any]) -> str | None:
    """The record key of one command run, or None when it must not be replayed.

    Parameters
    ----------
    session:
        The :class:`kg.cli.session.Session` of the run.
    name:
        The command's name.
    params:
        Its parameters, as click passes them.

    Returns
    -------
    str or None
        None with ``--no-cache``, for a store or an endpoint, or when the graph's files
        cannot be read (the command then reports that itself).

    Example
    -------
    >>> from kg.cli.session import Session
    >>> len(command_key(Session(), "stats", {"as_json": True}))
    64
    >>> command_key(Session(store="/tmp/s"), "stats", {}) is None
    True
    """
    from kg.cache.keys import graph_key
    from kg.errors import KgError

    if not getattr(session, "cache", False):
        return None
    try:
        # options the run itself would refuse (--user for a store that is not remote, ...)
        # are left to the run, which says so: a record of an earlier valid run must not answer
        session.check_remote_options()
        graph, _ = graph_key(
            list(session.data) or None,
            backend=session.backend,
            root=session.project,
            extra=list(session.add),
            store=session.store,
            endpoint=session.endpoint,
        )
    except (KgError, OSError):
        return None
    if graph is None:
        return None
    values = sorted((k, repr(v)) for k, v in params.items())
    blob = json.dumps([FORMAT, graph, name, values, os.getcwd(), code_stamp()])
    return hashlib.sha256(blob.encode()).hexdigest()


class _Tee:
    """A text stream that writes through to ``inner`` and keeps a copy of what it wrote."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.parts: list[str] = []
        #: Set when a caller reached past the text (``.buffer``): the copy may be incomplete.
        self.bypassed = False

    @property
    def encoding(self) -> str:
        return getattr(self.inner, "encoding", None) or "utf-8"

    @property
    def errors(self) -> str:
        return getattr(self.inner, "errors", None) or "strict"

    def write(self, text: str) -> int:
        if not isinstance(text, str):
            raise TypeError("a text stream")  # click probes with b"" to tell text from bytes
        self.parts.append(text)
        return self.inner.write(text)

    def flush(self) -> None:
        self.inner.flush()

    def isatty(self) -> bool:
        return bool(self.inner.isatty())

    def __getattr__(self, name: str) -> Any:
        if name == "buffer":
            self.bypassed = True
        return getattr(self.inner, name)


class _Recording:
    """One command run being recorded: its streams teed, its output files watched."""

    def __init__(self, key: str, files: dict[str, str]) -> None:
        self.key = key
        self.files = files
        self.before = {name: _state(path) for name, path in files.items()}
        self.out, self.err = _Tee(sys.stdout), _Tee(sys.stderr)
        self.streams = (sys.stdout, sys.stderr)
        sys.stdout, sys.stderr = self.out, self.err

    def stop(self) -> None:
        """Put the streams back (idempotent)."""
        if sys.stdout is self.out:
            sys.stdout = self.streams[0]
        if sys.stderr is self.err:
            sys.stderr = self.streams[1]

    def save(self, session: Any) -> None:
        """Keep the record, if the run may be replayed (see the module)."""
        self.stop()
        if self.out.bypassed or self.err.bypassed or not _from_files(session):
            return
        written = {}
        for name, path in self.files.items():
            if _state(path) != self.before[name] and Path(path).is_file():
                written[name] = Path(path).read_bytes()
        _write_record(self.key, "".join(self.out.parts), "".join(self.err.parts), written)


def _state(path: str) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_size, info.st_mtime_ns


def _from_files(session: Any) -> bool:
    """Whether every graph the run used answered from its files, unchanged."""
    from kg.cache.graph import CachedGraph

    graphs = list(getattr(session, "_graphs", {}).values())
    return bool(graphs) and all(isinstance(g, CachedGraph) and g.enabled for g in graphs)


def _folder() -> Path:
    return cache_dir() / "commands"


def _write_record(key: str, out: str, err: str, files: dict[str, bytes]) -> None:
    from kg.files import write_bytes_atomically, write_text_atomically

    folder = _folder()
    try:
        blobs = {}
        for name, data in files.items():
            blobs[name] = f"{key}.{name}"
            write_bytes_atomically(folder / blobs[name], data)
        record = {"format": FORMAT, "stdout": out, "stderr": err, "files": blobs}
        write_text_atomically(folder / f"{key}.json", json.dumps(record))
        _prune(folder)
    except OSError:
        pass  # a record that cannot be written only costs the next run its time


def _prune(folder: Path) -> None:
    records = sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
    for old in records[KEEP_RECORDS:]:
        for path in folder.glob(old.stem + ".*"):
            path.unlink(missing_ok=True)


def _replay(key: str, files: dict[str, str]) -> bool:
    """Print and write what the recorded run did; False when there is no usable record."""
    from kg.files import write_bytes_atomically

    folder = _folder()
    try:
        record = json.loads((folder / f"{key}.json").read_text(encoding="utf-8"))
        if record.get("format") != FORMAT or set(record["files"]) - set(files):
            return False
        blobs = {name: (folder / blob).read_bytes() for name, blob in record["files"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return False
    for name, data in blobs.items():
        write_bytes_atomically(files[name], data)
    if record["stdout"]:
        click.echo(record["stdout"], nl=False)
    if record["stderr"]:
        click.echo(record["stderr"], nl=False, err=True)
    return True


def replayable(name: str, callback: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap a command's callback so that a repeated run replays the recorded one.

    Parameters
    ----------
    name:
        The command's name (part of the key).
    callback:
        The command's callback (click passes the parameters as keywords).

    Returns
    -------
    callable

    Example
    -------
    >>> wrapped = replayable("hello", lambda: "hi")
    >>> wrapped.__wrapped__()
    'hi'
    """

    @functools.wraps(callback)
    def run(*args: Any, **params: Any) -> Any:
        ctx = click.get_current_context()
        key = command_key(ctx.obj, name, params)
        if key is None:
            return callback(*args, **params)
        files = {k: str(params[k]) for k in OUTPUT_OPTIONS if params.get(k)}
        if _replay(key, files):
            return None
        recording = _Recording(key, files)
        ctx.meta[_META] = recording
        ctx.find_root().call_on_close(recording.stop)
        return callback(*args, **params)

    setattr(run, _META, True)
    return run


def _finish(value: Any, *_: Any, **__: Any) -> Any:
    """The group's last result callback: keep the record of a run that got this far."""
    ctx = click.get_current_context()
    recording = ctx.meta.pop(_META, None)
    if recording is not None:
        recording.save(ctx.obj)
    return value


def install(group: click.Group) -> None:
    """Record and replay the commands of :data:`REPLAYED` that ``group`` has.

    Called by :func:`kg.cli.cache.register`, after the other command modules (it is last in
    :data:`kg.cli.COMMAND_MODULES`), so that it wraps their commands and its result callback
    runs after theirs (the data warning is part of the record).

    Parameters
    ----------
    group:
        The ``kg`` group.

    Example
    -------
    >>> g = click.Group("kg"); g.add_command(click.Command("stats", callback=lambda: None))
    >>> install(g); hasattr(g.commands["stats"].callback, "__wrapped__")
    True
    """
    for name in REPLAYED:
        command = group.commands.get(name)
        callback = getattr(command, "callback", None)
        if callback is not None and not getattr(callback, _META, False):
            command.callback = replayable(name, callback)  # type: ignore[union-attr]
    group.result_callback()(_finish)
