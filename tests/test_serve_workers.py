"""The worker pools behind `kg serve`: a job past its timeout is killed (its process is
gone), the pool refills, and changes (updates) survive in every worker, even new ones."""

from __future__ import annotations

import asyncio
import os
import time
from dataclasses import dataclass

import pytest

from kg.serve.workers import PoolBusy, ProcessPool, QueryTimeout, ThreadPool


@dataclass
class Reply:
    status: int
    value: object = None


STATE: list[str] = []


def handler(job):
    """A stand-in for the SPARQL handler: jobs read or change a per-process state."""
    kind, _, arg = job.partition(":")
    if kind == "add":
        if arg == "bad":
            STATE.append("half")  # a change that fails half-way
            return Reply(400)
        STATE.append(arg)
        return Reply(204)
    if kind == "sleep":
        time.sleep(float(arg))
    if kind == "pid":
        return Reply(200, os.getpid())
    if kind == "say":  # at the descriptor, as a native runtime writes
        os.write(2, arg.encode() + b"\n")
    return Reply(200, list(STATE))


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def run(coroutine_function):
    return asyncio.run(coroutine_function())


def test_timeout_kills_the_worker_and_the_pool_refills():
    pool = ProcessPool(handler, size=2)

    async def scenario():
        await pool.start()
        try:
            before = pool.pids
            with pytest.raises(QueryTimeout):
                await pool.run("sleep:30", timeout=0.5)
            killed = set(before) - set(pool.pids)
            await asyncio.sleep(0.3)  # the replacement starts in the background
            answers = [await pool.run("pid", timeout=5) for _ in range(4)]
            return before, killed, pool.pids, {a.value for a in answers}
        finally:
            pool.close()

    before, killed, after, answering = run(scenario)
    assert len(killed) == 1
    time.sleep(0.2)
    assert not alive(killed.pop())
    assert len(after) == 2 and answering <= set(after)


def test_changes_reach_every_worker_including_replacements():
    pool = ProcessPool(handler, size=2)

    async def scenario():
        await pool.start()
        try:
            assert (await pool.run("add:a", 5, changes_state=True)).status == 204
            assert (await pool.run("add:bad", 5, changes_state=True)).status == 400
            assert (await pool.run("add:b", 5, changes_state=True)).status == 204
            with pytest.raises(QueryTimeout):  # kills one worker; its replacement replays
                await pool.run("sleep:30", timeout=0.5)
            await asyncio.sleep(0.3)
            reads = await asyncio.gather(*[pool.run("read", 5) for _ in range(6)])
            return [r.value for r in reads]
        finally:
            pool.close()

    assert run(scenario) == [["a", "b"]] * 6


def test_pool_busy_when_no_worker_frees_up():
    pool = ProcessPool(handler, size=1)

    async def scenario():
        await pool.start()
        try:
            slow = asyncio.ensure_future(pool.run("sleep:2", timeout=5))
            await asyncio.sleep(0.2)
            with pytest.raises(PoolBusy):
                await pool.run("read", timeout=0.3)
            await slow
        finally:
            pool.close()

    run(scenario)


def test_thread_pool_answers_at_the_timeout_but_cannot_stop_the_thread():
    pool = ThreadPool(handler)

    async def scenario():
        await pool.start()
        started = time.monotonic()
        with pytest.raises(QueryTimeout):
            await pool.run("sleep:1", timeout=0.2)
        answered = time.monotonic() - started
        with pytest.raises(PoolBusy):  # the abandoned thread still holds the only slot
            await pool.run("read", timeout=0.2)
        await asyncio.sleep(1)
        reply = await pool.run("read", timeout=2)
        pool.close()
        return answered, reply.status

    answered, status = run(scenario)
    assert answered < 0.5 and status == 200


def test_worker_log_lines_reach_the_server_but_allocator_noise_does_not(capfd):
    """A worker's stderr is copied to the server's, minus what a runtime prints at the cap."""
    pool = ProcessPool(handler, size=1)

    async def scenario():
        await pool.start()
        try:
            await pool.run("say:kg serve: a line from a worker", timeout=10)
            await pool.run("say:memory allocation of 67108864 bytes failed", timeout=10)
            await pool.run("say:kg serve: another line", timeout=10)
            await asyncio.sleep(0.5)  # the log pipe is read by the event loop
        finally:
            pool.close()

    run(scenario)
    assert capfd.readouterr().err.splitlines() == [
        "kg serve: a line from a worker",
        "kg serve: another line",
    ]
