"""Jobs in threads: the fallback for backends that cannot be forked (:mod:`kg.serve.workers`)."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from kg.serve.errors import PoolBusy, QueryTimeout

__all__ = ["ThreadPool"]


class ThreadPool:
    """The fallback for backends that cannot be forked: jobs run in a thread.

    One thread by default, because rdflib's SPARQL parser (pyparsing) is not thread-safe:
    two queries parsed at once in one process fail at random with ``TypeError``.

    Parameters
    ----------
    handler:
        Called with each job in the worker thread.
    size:
        The number of threads (more than 1 only for a handler that is thread-safe).

    Returns
    -------
    ThreadPool
        A timed-out job is answered at once but its thread runs on until the query ends,
        holding its slot: until then, other jobs wait (and may get :class:`PoolBusy`).

    Example
    -------
    >>> pool = ThreadPool(lambda job: job + 1, size=1)
    >>> async def demo():
    ...     await pool.start()
    ...     return await pool.run(1, timeout=5)
    >>> asyncio.run(demo())
    2
    """

    def __init__(self, handler: Any, size: int = 1) -> None:
        self.size = max(1, size)
        self._handler = handler
        warm = getattr(handler, "warm", None)
        if warm is not None:
            warm()  # build the SPARQL parsers before the first query's clock starts
        self._executor = ThreadPoolExecutor(self.size, thread_name_prefix="kg-query")
        self._slots: asyncio.Semaphore | None = None
        self.pids: list[int] = []

    async def start(self) -> None:
        """Create the concurrency limit in the running loop."""
        self._slots = asyncio.Semaphore(self.size)

    async def run(
        self, job: Any, timeout: float, *, wait: float | None = None, changes_state: bool = False
    ) -> Any:
        """Run ``job`` in a thread; raise :class:`QueryTimeout` when it takes too long.

        ``wait`` (default ``timeout``) is how long to wait for a free thread first.
        ``changes_state`` is accepted for symmetry with :class:`ProcessPool`: threads
        share one graph, so a change is seen by every later job without a journal.
        """
        assert self._slots is not None, "call start() first"
        try:
            await asyncio.wait_for(self._slots.acquire(), timeout if wait is None else wait)
        except TimeoutError:
            raise PoolBusy from None
        future = asyncio.get_running_loop().run_in_executor(self._executor, self._handler, job)
        slots = self._slots
        future.add_done_callback(lambda _: slots.release())
        try:
            return await asyncio.wait_for(asyncio.shield(future), timeout)
        except TimeoutError:
            raise QueryTimeout from None

    def close(self) -> None:
        """Stop accepting jobs (running threads cannot be stopped)."""
        self._executor.shutdown(wait=False, cancel_futures=True)
