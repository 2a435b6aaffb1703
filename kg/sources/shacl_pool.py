"""SHACL of a large batch in a second process, while this one writes the batch.

The machine ``kg add`` runs on usually has a second core, idle while one Python process
validates and then writes. For a batch of :data:`OVERLAP` sources or more written into a
store with pyshacl-turbo, each SHACL call's data graph (:func:`kg.sources.check.batch_parts`,
N-Triples text) is sent to one worker process; this process goes on to write the batch into
its staged copy (:func:`kg.sources.write.write_store`), and waits for the worker's verdict
only before the copy would replace the store (the calls it has not started by then are
validated in this process). A violation then raises :class:`SourceErrors`
and the copy is discarded: nothing is written, as when SHACL runs first. The verdicts are
those of :func:`kg.sources.check.batch_errors` (the same calls on the same data graphs).
"""

from __future__ import annotations

import time
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import Any

from kg.sources.errors import SourceError

__all__ = ["OVERLAP", "Validation"]

#: Sources from which a batch into a store is validated in a worker process (below it, the
#: worker's start, about a second of imports, costs more than it saves).
OVERLAP = 200


def _validate(shapes_path: str, data: str, focus: list[str]) -> tuple[list[Any], float]:
    """In the worker: the violations of one SHACL call, and its seconds."""
    from kg.sources.add import _shapes
    from kg.sources.check import violations

    start = time.perf_counter()
    found = violations(data, _shapes(Path(shapes_path)), focus, engine="turbo")
    return found, time.perf_counter() - start


def _warm(shapes_path: str) -> float:
    """In the worker: parse and compile the shapes once, while this process parses the
    batch's files."""
    from kg.sources.add import _shapes
    from kg.sources.check import _compiled

    start = time.perf_counter()
    _compiled(_shapes(Path(shapes_path)))
    return time.perf_counter() - start


class Validation:
    """SHACL calls run in one worker process (started at once, so that its imports and
    shape compilation overlap the reading of the batch).

    Parameters
    ----------
    shapes:
        The shapes file.

    Returns
    -------
    Validation
        :meth:`submit` one call's data graph and focus; :meth:`errors` waits for them all;
        :meth:`close` ends the worker.

    Example
    -------
    >>> v = Validation(Path("/nonexistent-shapes.ttl"))
    >>> v.errors(), v.seconds
    ([], 0.0)
    >>> v.close()
    """

    def __init__(self, shapes: Path) -> None:
        import multiprocessing

        # spawn, not fork: the parent holds an open RocksDB store and Rust thread pools
        self.pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
        self.shapes = str(shapes)
        self.pending: list[tuple[Future[Any], str, dict[str, tuple[Any, Any]]]] = []
        self.seconds = 0.0  # the worker's validation seconds
        self.waited = 0.0  # seconds this process waited for them
        self.warm = self.pool.submit(_warm, self.shapes) if shapes.exists() else None

    def submit(self, data: str, focus: dict[str, tuple[Any, Any]]) -> None:
        """Validate ``focus``'s nodes in ``data`` (N-Triples) in the worker."""
        if focus:
            future = self.pool.submit(_validate, self.shapes, data, list(focus))
            self.pending.append((future, data, focus))

    def errors(self) -> list[SourceError]:
        """Every call's errors, located (waits for the worker)."""
        from kg.sources.add import _shapes
        from kg.sources.check import located, violations

        start, errors = time.perf_counter(), []
        # The calls the worker has not started yet are validated here, now that this process
        # is free: when the second core is busy with other work, waiting for the worker to
        # reach them would be slower than validating in this process at all.
        stolen = [(d, f) for future, d, f in self.pending if future.cancel()]
        shapes = _shapes(Path(self.shapes))  # parsed once per process
        for data, focus in stolen:
            begun = time.perf_counter()
            errors += located(violations(data, shapes, list(focus), "turbo"), focus)
            self.seconds += time.perf_counter() - begun
        if self.warm is not None and self.warm.done() and not self.warm.cancelled():
            self.seconds += self.warm.result()  # not waited for: nothing depends on it
        self.warm = None
        for future, _, focus in self.pending:
            if not future.cancelled():
                found, seconds = future.result()
                self.seconds += seconds
                errors += located(found, focus)
        self.pending = []
        self.waited += time.perf_counter() - start
        return sorted(errors, key=lambda e: (e.path or "", e.line or 0, e.message))

    def close(self) -> None:
        """End the worker (pending calls are cancelled)."""
        self.pool.shutdown(wait=True, cancel_futures=True)
