"""Answers remembered by the web server: a repeated question costs no worker.

An entry is keyed by the **canonical text** of the query (what the guard checked and the
engine ran, see :mod:`kg.serve.canonical`), the client's ``Accept`` header and the
**version** of the data. The server never canonicalises a query itself (that is a worker's
job, under the timeout): a worker's reply carries the canonical text of what it ran, and
the cache remembers which client text gave which canonical text, so the next request with
a known text is answered here, and two spellings of one query share one answer.

The version is bumped when an update starts and again when it ends, whatever its outcome,
so an answer is stored only when the version did not move while it was computed, and a
read after an acknowledged update never sees an answer from before it. Requests for one
key that arrive while it is being computed wait for that one computation.

Everything is bounded in bytes (the answers, the texts and their keys); the least recently
used entries go first.
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import replace

from kg.serve.evaluate import Job, Reply

__all__ = ["ENTRY_OVERHEAD", "AnswerCache"]

#: Bytes counted per entry on top of its texts and body (the objects around them).
ENTRY_OVERHEAD = 400
#: Statuses worth remembering: answers and refusals, which depend only on the text, the
#: limits and the data; never a 5xx (a timeout, a busy queue, a memory cap).
CACHED_STATUSES = frozenset({200, 400, 403, 406})


class AnswerCache:
    """Replies to queries, keyed by canonical text, ``Accept`` and data version.

    Parameters
    ----------
    max_bytes:
        The bound on what is kept (answers, texts, keys); ``0`` keeps nothing.

    Returns
    -------
    AnswerCache
        ``await cache.answer(job, compute)`` gives a reply; ``cache.changing()`` wraps an
        update.

    Example
    -------
    >>> cache = AnswerCache(1 << 20)
    >>> calls = []
    >>> async def compute(job):
    ...     calls.append(job.text)
    ...     return Reply(200, b"true", "text/csv", canonical=job.text.strip())
    >>> async def demo():
    ...     first = await cache.answer(Job("query", "ASK {} ", "text/csv"), compute)
    ...     again = await cache.answer(Job("query", "ASK {} ", "text/csv"), compute)
    ...     return first.body, again.headers["X-KG-Cache"], len(calls)
    >>> asyncio.run(demo())
    (b'true', 'hit', 1)
    """

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max(0, max_bytes)
        self.version = 0
        self.size = 0
        self.hits = self.misses = 0
        # (operation, client text) -> canonical text
        self._canonical: OrderedDict[tuple[str, str], str] = OrderedDict()
        # (operation, canonical text, Accept, version) -> reply
        self._answers: OrderedDict[tuple[str, str, str, int], Reply] = OrderedDict()
        self._running: dict[tuple[str, str, str, int], asyncio.Task[Reply]] = {}

    @property
    def enabled(self) -> bool:
        """Whether anything is kept at all."""
        return self.max_bytes > 0

    async def answer(self, job: Job, compute: Callable[[Job], Awaitable[Reply]]) -> Reply:
        """The remembered reply to ``job``, or ``compute(job)``'s (remembered if it may be)."""
        if not self.enabled:
            return await compute(job)
        started = time.monotonic()
        version = self.version
        canonical = self._canonical.get((job.operation, job.text))
        if canonical is not None:
            key = (job.operation, canonical, job.accept, version)
            kept = self._answers.get(key)
            if kept is not None:
                self.hits += 1
                self._answers.move_to_end(key)
                self._canonical.move_to_end((job.operation, job.text))
                return _marked(kept, "hit", started)
        running_key = (job.operation, job.text, job.accept, version)
        task = self._running.get(running_key)
        shared = task is not None
        if task is None:
            self.misses += 1
            task = asyncio.get_running_loop().create_task(self._compute(job, compute, version))
            self._running[running_key] = task
            task.add_done_callback(lambda _: self._running.pop(running_key, None))
        # shielded: a client that goes away does not stop the others' answer
        reply = await asyncio.shield(task)
        return _marked(reply, "shared", started) if shared else reply

    async def _compute(
        self, job: Job, compute: Callable[[Job], Awaitable[Reply]], version: int
    ) -> Reply:
        reply = await compute(job)
        if (
            reply.canonical is not None
            and reply.status in CACHED_STATUSES
            and version == self.version
        ):
            self._keep(job, reply)
        return replace(reply, headers={**reply.headers, "X-KG-Cache": "miss"})

    def _keep(self, job: Job, reply: Reply) -> None:
        canonical = reply.canonical
        assert canonical is not None
        cost = _cost(canonical, job.accept, reply)
        if cost > self.max_bytes // 4:
            return  # one answer may not push out most of the others
        if (job.operation, job.text) not in self._canonical:
            self._canonical[(job.operation, job.text)] = canonical
            self.size += len(job.text) + len(canonical) + ENTRY_OVERHEAD
        key = (job.operation, canonical, job.accept, self.version)
        if key not in self._answers:
            self._answers[key] = replace(reply, headers=dict(reply.headers))
            self.size += cost
        self._evict()

    def _evict(self) -> None:
        while self.size > self.max_bytes and (self._answers or self._canonical):
            if self._answers:
                (_operation, canonical, accept, _version), reply = self._answers.popitem(last=False)
                self.size -= _cost(canonical, accept, reply)
            if self.size > self.max_bytes and self._canonical:
                (_operation, text), canonical = self._canonical.popitem(last=False)
                self.size -= len(text) + len(canonical) + ENTRY_OVERHEAD

    async def changing(self, run: Callable[[], Awaitable[Reply]]) -> Reply:
        """Run an update: the version moves before it starts and after it ends.

        Answers computed while the version was the old one are never given again, so a
        query sent after the update's reply sees the update.
        """
        self._new_version()
        try:
            return await run()
        finally:
            self._new_version()

    def _new_version(self) -> None:
        self.version += 1
        for key in [k for k in self._answers if k[3] != self.version]:
            reply = self._answers.pop(key)
            self.size -= _cost(key[1], key[2], reply)


def _cost(canonical: str, accept: str, reply: Reply) -> int:
    return len(canonical) + len(accept) + len(reply.body) + ENTRY_OVERHEAD


def _marked(reply: Reply, how: str, started: float) -> Reply:
    """A copy of ``reply`` for one client, saying where it came from and how long it took."""
    headers = {
        **reply.headers,
        "X-KG-Cache": how,
        "Server-Timing": f"kg;dur={1000 * (time.monotonic() - started):.1f}",
    }
    return replace(reply, headers=headers)
