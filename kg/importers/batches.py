"""Batches of an import's N-Triples into the graph's store and the output file, all or nothing.

:class:`Sink` cuts the mapped text into batches of :data:`CHUNK_CHARS` characters (memory
stays flat whatever the input's size: Oxigraph's bulk loader holds a whole batch in memory).
Into an on-disk Oxigraph store, a thread of its own bulk loads each batch into a staged copy
of the store while the next batch is mapped (pyoxigraph releases the GIL while it loads, so
mapping and loading share the machine's cores); the copy is renamed into place on
:meth:`Sink.commit`. Any other backend gets the batches as temporary N-Triples files loaded
with its own all-or-nothing loader on commit. The output file is a temporary file renamed on
commit. Leaving the ``with`` block without a commit deletes everything: nothing is stored.
"""

from __future__ import annotations

import os
import queue
import shutil
import tempfile
import threading
from pathlib import Path
from types import TracebackType
from typing import Any, Protocol

from kg.errors import KgError

__all__ = ["Sink", "CHUNK_CHARS", "temp_beside"]

#: Characters per batch, about 100k triples of GDELT (147 bytes a triple): an import into a
#: store peaked at 228 MB with 100k-triple batches and 412 MB with 200k (mapping and
#: loading overlap, and Oxigraph's bulk loader holds a batch), for the same speed.
CHUNK_CHARS = 15_000_000


class _Loader(Protocol):
    """Where the batches go: put each one, wait for the last, then commit or discard."""

    def put(self, data: bytes) -> None: ...
    def wait(self) -> None: ...
    def commit(self) -> int | None: ...
    def discard(self) -> None: ...


class Sink:
    """N-Triples text cut into batches for the graph's loader and the output file.

    Parameters
    ----------
    graph:
        A :class:`kg.graph.KnowledgeGraph` to load into, or ``None``.
    target:
        The N-Triples file to write too, or ``None``.

    Example
    -------
    >>> import tempfile
    >>> out = Path(tempfile.mkdtemp()) / "x.nt"
    >>> with Sink(None, out) as sink:
    ...     sink.write('<urn:a> <urn:b> "c" .\\n')
    ...     sink.finish()
    ...     _ = sink.commit()
    >>> sink.triples, out.read_text()
    (1, '<urn:a> <urn:b> "c" .\\n')
    >>> with Sink(None, Path(tempfile.mkdtemp()) / "y.nt") as sink:
    ...     sink.write('<urn:a> <urn:b> "c" .\\n')  # no commit: nothing is written
    >>> sorted(p.name for p in sink._out.target.parent.iterdir())
    []
    """

    def __init__(self, graph: Any, target: Path | None) -> None:
        self.triples = 0
        self._pieces: list[str] = []
        self._in_batch = 0
        self._out = _Output(target) if target is not None else None
        self._load: _Loader | None = None
        backend = graph.backend if graph is not None else None
        if backend is None or getattr(backend, "loads", True) is False:
            pass  # no graph, or one only read to resolve codes (``kg import -o`` in memory)
        elif getattr(backend, "kind", "") == "oxigraph" and backend.path is not None:
            self._load = _StagedStore(backend)
        else:
            self._load = _ChunkFiles(backend, target)

    def __enter__(self) -> Sink:
        return self

    def write(self, text: str) -> None:
        """Add N-Triples lines; a full batch goes to the loader and the output."""
        self._pieces.append(text)
        self._in_batch += len(text)
        if self._in_batch >= CHUNK_CHARS:
            self._flush()

    def _flush(self) -> None:
        if not self._pieces:
            return
        data = "".join(self._pieces).encode("utf-8")
        self._pieces, self._in_batch = [], 0
        # counted per batch, not per row: a literal's line breaks are escaped, so one per triple
        self.triples += data.count(b" .\n")
        if self._out is not None:
            self._out.write(data)
        if self._load is not None:
            self._load.put(data)

    def finish(self) -> None:
        """The last batch out (:attr:`triples` is now the count); wait until all are loaded."""
        self._flush()
        if self._load is not None:
            self._load.wait()
        if self._out is not None:
            self._out.close()

    def commit(self) -> int | None:
        """Make it all visible: the store, then the output file; the store's size if known."""
        store_triples = self._load.commit() if self._load is not None else None
        if self._out is not None:
            self._out.commit()
        return store_triples

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._load is not None:
            self._load.discard()
        if self._out is not None:
            self._out.discard()


class _Output:
    """The ``output`` file: batches appended to a temporary file beside it, renamed at the end."""

    def __init__(self, target: Path) -> None:
        self.target, self.tmp = target, temp_beside(target, ".nt")
        self.stream = open(self.tmp, "wb")  # noqa: SIM115 - closed by close()

    def write(self, data: bytes) -> None:
        self.stream.write(data)

    def close(self) -> None:
        self.stream.close()

    def commit(self) -> None:
        os.replace(self.tmp, self.target)

    def discard(self) -> None:
        self.stream.close()
        if os.path.exists(self.tmp):
            os.unlink(self.tmp)


class _ChunkFiles:
    """For any backend: the batches as temporary N-Triples files, loaded at the end."""

    def __init__(self, backend: Any, target: Path | None) -> None:
        self.backend = backend
        self.paths: list[str] = []
        self.folder = tempfile.mkdtemp(prefix=".kg-import-", dir=target.parent if target else None)

    def put(self, data: bytes) -> None:
        path = os.path.join(self.folder, f"part-{len(self.paths):05d}.nt")
        with open(path, "wb") as out:
            out.write(data)
        self.paths.append(path)

    def wait(self) -> None:
        pass

    def commit(self) -> int | None:
        return self.backend.load(self.paths)  # the backend's own all-or-nothing load

    def discard(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


class _StagedStore:
    """An on-disk Oxigraph store: a staged copy bulk loaded by a thread, renamed into place.

    The mapping thread hands each batch over through a queue of one, so at most three
    batches are in memory (one being mapped, one waiting, one loading).
    """

    def __init__(self, backend: Any) -> None:
        import pyoxigraph as ox

        from kg.backends.staging import StagedCopy

        self.backend, path = backend, Path(backend.path)
        existing = path.is_dir() and any(path.iterdir())
        self.copy = StagedCopy(path, backend.store if existing else None, "importing")
        self._format = ox.RdfFormat.N_TRIPLES
        self._queue: queue.Queue[bytes | None] = queue.Queue(maxsize=1)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._work, name="kg-import-load", daemon=True)
        self._thread.start()

    def _work(self) -> None:
        while (data := self._queue.get()) is not None:
            if self._error is None:  # after an error, only drain the queue
                try:
                    self.copy.store.bulk_load(data, self._format)
                except BaseException as exc:  # noqa: BLE001 - raised in the mapping thread
                    self._error = exc

    def put(self, data: bytes) -> None:
        """Hand a batch to the loading thread (waits while the one before is still queued)."""
        self._check()
        self._queue.put(data)

    def wait(self) -> None:
        """Wait until every batch is loaded; raise the loading thread's error."""
        if self._thread.is_alive():
            self._queue.put(None)
            self._thread.join()
        self._check()

    def _check(self) -> None:
        if self._error is not None:
            raise KgError(f"the import's N-Triples did not load: {self._error}") from self._error

    def commit(self) -> int | None:
        """Superclass types added, the staged store renamed into place and reopened."""
        from kg.inference import close_oxigraph_store

        self.wait()
        close_oxigraph_store(self.copy.store)  # ?x a kg:Actor answers without a reasoner
        backend = self.backend

        def release() -> None:
            backend.store = None  # the backend's handle too (only one may be open)
            if hasattr(backend, "_rdflib"):
                backend._rdflib = None  # an rdflib copy of the old store is stale

        try:
            self.copy.commit(release)
        finally:
            backend.store = backend._open()
        return None  # not counted: len() of a store scans it whole

    def discard(self) -> None:
        """Stop the thread and delete the staged copy (after a commit: the old store)."""
        if self._thread.is_alive():
            self._queue.put(None)
            self._thread.join()
        self._error = None  # its traceback may hold the staged store open
        self.copy.discard()


def temp_beside(path: Path | None, suffix: str) -> str:
    """A temporary file next to ``path`` (so the final rename stays on one disk)."""
    folder = path.parent if path is not None else None
    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=".kg-import-", suffix=suffix, dir=folder)
    os.close(handle)
    return name
