"""The queue in front of the workers (kg.serve.admission): requests wait in order of arrival
instead of being refused, up to a deadline and a bound; reconciliation batches never take
the last worker, and a batch that must wait does not hold up the queries behind it."""

from __future__ import annotations

import asyncio
from dataclasses import replace

from kg.serve.admission import Admission
from kg.serve.evaluate import Job, Reply
from kg.serve.guard import Limits


class GatedPool:
    """A pool of ``size`` workers whose jobs end when the test says so."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.started: list[str] = []
        self.gates: dict[str, asyncio.Event] = {}

    async def run(self, job: Job, timeout: float, *, wait: float, changes_state: bool) -> Reply:
        self.started.append(job.text)
        gate = self.gates.setdefault(job.text, asyncio.Event())
        await gate.wait()
        return Reply(200, job.text.encode())

    def finish(self, name: str) -> None:
        self.gates.setdefault(name, asyncio.Event()).set()


async def settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


def test_requests_queue_in_order_and_batches_never_take_the_last_worker():
    async def scenario():
        pool = GatedPool(2)
        admission = Admission(pool, Limits())
        batch = [asyncio.create_task(admission.run(Job("reconcile", f"b{i}"))) for i in (1, 2)]
        await settle()
        queries = [asyncio.create_task(admission.run(Job("query", f"q{i}"))) for i in (1, 2, 3)]
        await settle()
        # one batch runs (workers - 1 = 1), the second waits; q1 has the other worker
        assert pool.started == ["b1", "q1"] and admission.waiting == 3
        pool.finish("q1")
        await settle()
        # b2 came first but may not run while b1 does: q2 passes it
        assert pool.started == ["b1", "q1", "q2"]
        pool.finish("b1")
        await settle()
        assert pool.started == ["b1", "q1", "q2", "b2"]  # now b2, ahead of q3
        for name in ("q2", "b2", "q3"):
            pool.finish(name)
        replies = await asyncio.gather(*batch, *queries)
        assert [r.status for r in replies] == [200] * 5
        assert all(r.headers["Server-Timing"].startswith("kg;dur=") for r in replies)
        assert admission.waiting == 0 and admission._free == 2

    asyncio.run(scenario())


def test_a_request_waits_until_the_queue_timeout_then_gets_a_503_with_retry_after():
    async def scenario():
        pool = GatedPool(1)
        admission = Admission(pool, replace(Limits(), queue_timeout=0.2))
        running = asyncio.create_task(admission.run(Job("query", "slow")))
        await settle()
        reply = await admission.run(Job("query", "late"))
        assert reply.status == 503 and reply.headers["Retry-After"] == "1"
        assert b"no worker became free in 0.2 s" in reply.body
        assert admission.waiting == 0  # the late request left the queue
        pool.finish("slow")
        assert (await running).status == 200
        assert admission._free == 1

    asyncio.run(scenario())


def test_the_queue_is_bounded_and_a_client_that_leaves_frees_its_place():
    async def scenario():
        pool = GatedPool(1)
        admission = Admission(pool, replace(Limits(), max_waiting=2))
        running = asyncio.create_task(admission.run(Job("query", "a")))
        await settle()
        waiting = [asyncio.create_task(admission.run(Job("query", n))) for n in ("b", "c")]
        await settle()
        refused = await admission.run(Job("query", "d"))
        assert refused.status == 503 and b"2 requests are already waiting" in refused.body
        waiting[0].cancel()  # the client of "b" disconnected
        await settle()
        assert admission.waiting == 1
        pool.finish("a")
        pool.finish("c")
        assert (await running).status == 200 and (await waiting[1]).status == 200
        assert pool.started == ["a", "c"] and admission._free == 1

    asyncio.run(scenario())
