"""Who gets a worker, in what order, and how long a request may wait for one.

Under ordinary overload (more requests than workers) requests *queue*: each waits for a
free worker in the order it came, for at most ``limits.queue_timeout`` seconds, and then
runs for at most ``limits.timeout`` seconds, so every request is answered within the sum.
The queue is bounded: past ``limits.max_waiting`` waiting requests, one more is answered
503 (with ``Retry-After``) at once instead of growing the queue without end.

Reconciliation batches wait in the same queue, but at most ``workers - 1`` of them hold a
worker at once: a batch that may not run yet keeps its place while the queries behind it
pass, so ``/sparql`` always keeps a worker of its own, however many batches wait.
"""

from __future__ import annotations

import asyncio
import sys
import time
from collections import deque
from typing import Any

from kg.serve.errors import PoolBusy, QueryTimeout, WorkerDied
from kg.serve.evaluate import Job, Reply, error_reply
from kg.serve.guard import Limits

__all__ = ["Admission"]


class Admission:
    """Run jobs on a worker pool under the limits, turning pool failures into 503 replies.

    Parameters
    ----------
    pool:
        A :class:`~kg.serve.workers.ProcessPool` or :class:`~kg.serve.threads.ThreadPool`.
    limits:
        The timeout, queue timeout, queue bound and memory limit.

    Returns
    -------
    Admission
        ``await admission.run(job)`` and ``await admission.run_reconcile(text, is_json)``
        give a :class:`~kg.serve.evaluate.Reply`.

    Example
    -------
    >>> from kg.serve.threads import ThreadPool
    >>> async def demo():
    ...     pool = ThreadPool(lambda job: Reply(200, job.text.encode(), "text/plain"))
    ...     await pool.start()
    ...     admission = Admission(pool, Limits())
    ...     return (await admission.run(Job("query", "hi"))).body
    >>> asyncio.run(demo())
    b'hi'
    """

    def __init__(self, pool: Any, limits: Limits) -> None:
        self.pool, self.limits = pool, limits
        self._free = pool.size  # workers no admitted job holds
        self._batches = 0  # reconciliation batches admitted
        self._queue: deque[tuple[bool, asyncio.Future[None]]] = deque()

    @property
    def waiting(self) -> int:
        """Requests waiting for a worker now."""
        return len(self._queue)

    async def run(self, job: Job) -> Reply:
        """Queue ``job`` for a worker and return its reply (a 503 when it cannot run)."""
        started = time.monotonic()
        if self.waiting >= self.limits.max_waiting:
            return _busy(f"server busy: {self.limits.max_waiting} requests are already waiting")
        batch = job.operation == "reconcile"
        try:
            await self._admit(batch, self.limits.queue_timeout)
        except PoolBusy:
            return _busy(f"server busy: no worker became free in {self.limits.queue_timeout:g} s")
        try:
            reply = await self._run(
                job, max(1.0, started + self.limits.queue_timeout - time.monotonic())
            )
        finally:
            self._release(batch)
        # W3C Server-Timing: the time spent here (waiting for a worker, then running), so a
        # client can tell the server's share of a slow answer from its own or the network's
        reply.headers["Server-Timing"] = f"kg;dur={1000 * (time.monotonic() - started):.1f}"
        return reply

    async def run_reconcile(self, text: str, is_json: bool) -> Reply:
        """Run a reconciliation batch in a worker, leaving one worker to ``/sparql``."""
        return await self.run(Job("reconcile", text, "json" if is_json else ""))

    async def _run(self, job: Job, wait: float) -> Reply:
        """Run an admitted job (its worker is free, or being replaced: ``wait``)."""
        try:
            reply = await self.pool.run(
                job, self.limits.timeout, wait=wait, changes_state=job.operation == "update"
            )
        except QueryTimeout:
            return error_reply(
                503, f"query stopped: it ran longer than the {self.limits.timeout:g} s time limit"
            )
        except PoolBusy:
            return _busy("server busy: no query worker became free in time")
        except WorkerDied:
            _log_memory(self.limits)
            return error_reply(503, self.limits.memory_message())
        if reply.status == 503 and reply.body.decode().strip() == self.limits.memory_message():
            _log_memory(self.limits)  # the worker caught its MemoryError and lives on
        return reply

    def _eligible(self, batch: bool) -> bool:
        most_batches = max(1, self.pool.size - 1)
        return self._free > 0 and (not batch or self._batches < most_batches)

    def _take(self, batch: bool) -> None:
        self._free -= 1
        self._batches += batch

    async def _admit(self, batch: bool, wait: float) -> None:
        """Wait for a worker in order of arrival; raise PoolBusy after ``wait`` seconds."""
        admitted: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        entry = (batch, admitted)
        self._queue.append(entry)
        self._dispatch()  # e.g. a query behind batches that must wait
        if admitted.done():
            return
        try:
            await asyncio.wait_for(asyncio.shield(admitted), wait)
        except BaseException as exc:  # timed out, or the client went away
            if admitted.done():
                self._release(batch)  # admitted at the last moment: give it back
            else:
                admitted.cancel()
                self._queue.remove(entry)
            if isinstance(exc, TimeoutError):
                raise PoolBusy from None
            raise

    def _release(self, batch: bool) -> None:
        """A job is done: admit the first waiting jobs that may run now."""
        self._free += 1
        self._batches -= batch
        self._dispatch()

    def _dispatch(self) -> None:
        """Admit waiting jobs in order of arrival, while workers are free."""
        for entry in list(self._queue):
            if self._free == 0:
                break
            waiting_batch, admitted = entry
            if self._eligible(waiting_batch):
                # a batch that may not run yet keeps its place; queries behind it pass
                self._queue.remove(entry)
                self._take(waiting_batch)
                admitted.set_result(None)


def _busy(message: str) -> Reply:
    reply = error_reply(503, message)
    reply.headers["Retry-After"] = "1"
    return reply


def _log_memory(limits: Limits) -> None:
    """The one log line of a worker that ended mid-job (its own output is not kept)."""
    print(f"kg serve: {limits.memory_message()}", file=sys.stderr, flush=True)
