"""Who gets a worker, in what order, and how long a request may wait for one.

Under ordinary overload (more requests than workers) requests *queue*: each waits for a
free worker in the order it came, for at most ``limits.queue_timeout`` seconds, and then
runs for at most ``limits.timeout`` seconds, so every request is answered within the sum.
The queue is bounded: past ``limits.max_waiting`` waiting requests, one more is answered
503 (with ``Retry-After``) at once instead of growing the queue without end.

Reconciliation batches queue too, but at most ``workers - 1`` of them hold a worker at
once: ``/sparql`` always keeps a worker of its own, however many batches wait.
"""

from __future__ import annotations

import asyncio
import sys
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
        self.waiting = 0
        self._batches: asyncio.Semaphore | None = None

    async def run(self, job: Job, wait: float | None = None) -> Reply:
        """Queue ``job`` for a worker and return its reply (a 503 when it cannot run).

        ``wait`` is how long it may still wait for a worker (default the queue timeout).
        """
        if self.waiting >= self.limits.max_waiting:
            return _busy(f"server busy: {self.limits.max_waiting} requests are already waiting")
        wait = self.limits.queue_timeout if wait is None else wait
        self.waiting += 1
        try:
            reply = await self.pool.run(
                job, self.limits.timeout, wait=wait, changes_state=job.operation == "update"
            )
        except QueryTimeout:
            return error_reply(
                503, f"query stopped: it ran longer than the {self.limits.timeout:g} s time limit"
            )
        except PoolBusy:
            return _busy(
                f"server busy: no query worker became free in {self.limits.queue_timeout:g} s"
            )
        except WorkerDied:
            _log_memory(self.limits)
            return error_reply(503, self.limits.memory_message())
        finally:
            self.waiting -= 1
        if reply.status == 503 and reply.body.decode().strip() == self.limits.memory_message():
            _log_memory(self.limits)  # the worker caught its MemoryError and lives on
        return reply

    async def run_reconcile(self, text: str, is_json: bool) -> Reply:
        """Run a reconciliation batch in a worker, leaving one worker to ``/sparql``."""
        if self._batches is None:  # made in the running loop
            self._batches = asyncio.Semaphore(max(1, self.pool.size - 1))
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.limits.queue_timeout
        try:
            await asyncio.wait_for(self._batches.acquire(), self.limits.queue_timeout)
        except TimeoutError:
            return _busy(
                f"server busy: no worker became free for a reconciliation batch in "
                f"{self.limits.queue_timeout:g} s"
            )
        try:
            job = Job("reconcile", text, "json" if is_json else "")
            return await self.run(job, wait=max(0.0, deadline - loop.time()))
        finally:
            self._batches.release()


def _busy(message: str) -> Reply:
    reply = error_reply(503, message)
    reply.headers["Retry-After"] = "1"
    return reply


def _log_memory(limits: Limits) -> None:
    """The one log line of a worker that ended mid-job (its own output is not kept)."""
    print(f"kg serve: {limits.memory_message()}", file=sys.stderr, flush=True)
