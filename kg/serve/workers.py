"""Run queries where they can be stopped: in worker processes that are killed at the timeout.

rdflib evaluates a query in pure Python and cannot be interrupted from another thread, so a
runaway query in a thread would keep a core busy (and hold the GIL) long after its client
got a 503. Here each query runs in a worker process; at the timeout the worker is killed
with SIGKILL and a fresh one takes its place, so the server stays responsive.

Workers are forked from a *zygote* (see :mod:`kg.serve.zygote`): a process forked once,
when the pool is made, from the process that loaded the graph, before the web server
opens any socket. Forking copies the loaded graph for free (copy on write), so a
replacement worker is ready in milliseconds.

**One writer.** A job that changes the graph (an update) waits until no query runs, then
runs alone in a *writer* forked from the zygote. When it succeeds the writer becomes the
zygote, the old workers are retired and new ones are forked from it: the change was made
once, by one process, and every job started after the reply sees it. When it fails or
times out, the writer is killed and nothing changed. There is no journal to replay.

:class:`~kg.serve.threads.ThreadPool` is the fallback for a backend that cannot be forked.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import sys
import threading
from collections.abc import Callable
from typing import Any

from kg.serve.children import Child, connect_child, spawn_zygote
from kg.serve.errors import PoolBusy, QueryTimeout, WorkerDied
from kg.serve.threads import ThreadPool
from kg.serve.zygote import fork_zygote

__all__ = ["PoolBusy", "ProcessPool", "QueryTimeout", "ThreadPool", "WorkerDied"]

Handler = Callable[[Any], Any]


def _no_setup(role: str) -> None:
    """The default per-process setup: nothing to open or close."""


class ProcessPool:
    """``size`` forked worker processes that each run ``handler(job)`` for one job at a time.

    Parameters
    ----------
    handler:
        Called in a worker with a picklable job; returns a picklable reply. It must catch
        its own errors (an escaping exception is reported as :class:`WorkerDied`).
    size:
        The number of workers (jobs running at once).
    setup:
        Called in each new process with its role: ``"reader"`` (a query worker),
        ``"writer"`` (before a changing job) or ``"zygote"`` (a writer about to become
        the zygote). An on-disk store opens and closes its handle here.
    memory:
        Bytes of address space a job may add to its worker (``None``: no cap).
    isolate:
        Put the zygote, and so every worker, in an empty network namespace.
    on_disk:
        The state lives in a store folder, not in the processes: the zygote is a fresh
        interpreter (``handler`` and ``setup`` must then be picklable), and after a
        change the writer just ends, since new workers read the folder anyway.

    Returns
    -------
    ProcessPool
        Forks the zygote at once; call :meth:`start` inside the event loop.
        ``isolated`` says whether the network namespace could be made.

    Example
    -------
    >>> pool = ProcessPool(lambda job: job * 2, size=1)
    >>> async def demo():
    ...     await pool.start()
    ...     try:
    ...         return await pool.run(21, timeout=5)
    ...     finally:
    ...         pool.close()
    >>> asyncio.run(demo())
    42
    """

    def __init__(
        self,
        handler: Handler,
        size: int = 2,
        *,
        setup: Callable[[str], None] = _no_setup,
        memory: int | None = None,
        isolate: bool = False,
        on_disk: bool = False,
    ) -> None:
        self.size = max(1, size)
        self.on_disk = on_disk
        self._spawn_lock = threading.Lock()
        self._idle: asyncio.Queue[Child] | None = None
        self._workers: set[Child] = set()
        self._spawning: set[asyncio.Task] = set()
        self._busy = 0
        self._quiet: asyncio.Event | None = None  # set while no job runs
        self._open: asyncio.Event | None = None  # cleared while a change runs
        self._change_lock: asyncio.Lock | None = None
        self._generation = 0
        self._closed = False
        self._retired_zygotes: list[int] = []
        parent_end, child_end = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        sys.stdout.flush()
        sys.stderr.flush()
        if on_disk:
            pid = spawn_zygote(child_end, (handler, setup, memory, isolate))
        else:
            pid = fork_zygote(parent_end, child_end, (handler, setup, memory, isolate))
        child_end.close()
        self.isolated = parent_end.recv(1) == b"1"
        self._control = parent_end
        self.zygote_pid = pid

    async def start(self) -> None:
        """Start the workers (call once, from the event loop that will run the jobs)."""
        self._idle = asyncio.Queue()
        self._quiet, self._open = asyncio.Event(), asyncio.Event()
        self._quiet.set()
        self._open.set()
        self._change_lock = asyncio.Lock()
        for _ in range(self.size):
            await self._add_worker()

    async def run(
        self, job: Any, timeout: float, *, wait: float | None = None, changes_state: bool = False
    ) -> Any:
        """Run ``job`` in a free worker and return its reply.

        Parameters
        ----------
        job:
            Any picklable value for the handler.
        timeout:
            Seconds the job may run.
        wait:
            Seconds to wait for a free worker first (default ``timeout``); waiting jobs
            get workers in the order they came.
        changes_state:
            Whether the job modifies the graph. It then runs alone, in the writer (see the
            module docs); it counts as done when the reply has a ``status`` below 300 (or
            has no ``status``).

        Returns
        -------
        Any
            The handler's reply.

        Raises
        ------
        PoolBusy, QueryTimeout, WorkerDied

        Example
        -------
        >>> state = []
        >>> def handler(job):
        ...     if job == "add":
        ...         state.append(1)
        ...     return len(state)
        >>> pool = ProcessPool(handler, size=2)
        >>> async def demo():
        ...     await pool.start()
        ...     try:
        ...         await pool.run("add", 5, changes_state=True)
        ...         return [await pool.run("count", 5) for _ in range(4)]
        ...     finally:
        ...         pool.close()
        >>> asyncio.run(demo())
        [1, 1, 1, 1]
        """
        assert self._idle is not None, "call start() first"
        wait = timeout if wait is None else wait
        if changes_state:
            return await self._change(job, timeout, wait)
        deadline = asyncio.get_running_loop().time() + wait
        worker = await self._take(deadline)
        try:
            async with asyncio.timeout(timeout):  # no task per job, unlike wait_for
                reply = await worker.call(job)
        except BaseException as exc:  # timed out, died or cancelled: its state is unknown
            self._release()
            self._replace(worker)
            if isinstance(exc, TimeoutError):
                raise QueryTimeout from None
            if isinstance(exc, (asyncio.IncompleteReadError, ConnectionError, EOFError)):
                raise WorkerDied from None
            raise
        self._give_back(worker)
        return reply

    async def _take(self, deadline: float) -> Child:
        """A free worker of the current generation, waiting no later than ``deadline``."""
        assert self._idle is not None and self._open is not None and self._quiet is not None
        while True:
            if self._open.is_set() and not self._idle.empty():
                worker = self._idle.get_nowait()  # the usual case: no waiting, no tasks
            else:
                worker = await self._wait_for_worker(deadline)
            if worker.generation != self._generation or not self._open.is_set():
                if worker.generation == self._generation:
                    self._idle.put_nowait(worker)  # a change began: wait for it
                    continue
                worker.kill()  # made before the last change: it holds the old graph
                continue
            self._busy += 1
            self._quiet.clear()
            return worker

    async def _wait_for_worker(self, deadline: float) -> Child:
        assert self._idle is not None and self._open is not None
        loop = asyncio.get_running_loop()
        try:
            await asyncio.wait_for(self._open.wait(), max(0.0, deadline - loop.time()))
            return await asyncio.wait_for(self._idle.get(), max(0.0, deadline - loop.time()))
        except TimeoutError:
            raise PoolBusy from None

    def _release(self) -> None:
        assert self._quiet is not None
        self._busy -= 1
        if self._busy == 0:
            self._quiet.set()

    def _give_back(self, worker: Child) -> None:
        self._release()
        if worker.generation != self._generation:
            worker.kill()
            self._workers.discard(worker)
            return
        assert self._idle is not None
        self._idle.put_nowait(worker)

    async def _change(self, job: Any, timeout: float, wait: float) -> Any:
        """Run a changing job alone in a writer; on success it becomes the zygote."""
        assert self._change_lock is not None and self._open is not None
        assert self._quiet is not None and self._idle is not None
        async with self._change_lock:
            self._open.clear()
            try:
                try:
                    await asyncio.wait_for(self._quiet.wait(), wait)
                except TimeoutError:
                    raise PoolBusy from None
                await self._retire_workers()
                return await self._write(job, timeout)
            finally:
                await self._refill()
                self._open.set()

    async def _retire_workers(self) -> None:
        """Stop every idle worker (none is busy now) and any being started."""
        assert self._idle is not None
        if self._spawning:
            await asyncio.gather(*self._spawning, return_exceptions=True)
        while not self._idle.empty():
            self._idle.get_nowait()
        for worker in list(self._workers):
            worker.kill()
        self._workers.clear()

    async def _write(self, job: Any, timeout: float) -> Any:
        loop = asyncio.get_running_loop()
        pid, sock, log = await loop.run_in_executor(None, self._fork, b"W")
        candidate = await connect_child(pid, sock, log, -1)
        reader, writer = candidate.reader, candidate.writer
        try:
            reply = await asyncio.wait_for(candidate.call(job), timeout)
        except TimeoutError:
            candidate.kill()
            raise QueryTimeout from None
        except (asyncio.IncompleteReadError, ConnectionError, EOFError):
            candidate.kill()
            raise WorkerDied from None
        except BaseException:
            candidate.kill()
            raise
        if getattr(reply, "status", 200) >= 300:
            candidate.kill()
            return reply
        if self.on_disk:  # written to the folder (and closed) before the reply came
            candidate.kill()
            self._generation += 1
            return reply
        try:
            writer.write(b"Z")
            await writer.drain()
            # the writer answers once it no longer dies with the old zygote
            ack = await asyncio.wait_for(reader.readexactly(1), timeout)
        except (TimeoutError, asyncio.IncompleteReadError, ConnectionError):
            candidate.kill()
            raise WorkerDied from None
        if ack != b"Z":
            candidate.kill()
            raise WorkerDied
        self._switch_zygote(pid, writer)
        return reply

    def _switch_zygote(self, pid: int, writer: Any) -> None:
        """Make the writer the zygote; the old one ends when its control socket closes."""
        with self._spawn_lock:
            old_control, old_pid = self._control, self.zygote_pid
            # The writer now reads control bytes on its socket: take it from asyncio (a
            # duplicate descriptor keeps it open) and use it blocking, as the first one.
            writer.transport.pause_reading()
            fd = os.dup(writer.get_extra_info("socket").fileno())
            writer.transport.abort()
            self._control = socket.socket(fileno=fd)
            self._control.setblocking(True)
            self.zygote_pid = pid
            self._generation += 1
        old_control.close()
        self._retired_zygotes.append(old_pid)
        self._reap()

    def _reap(self) -> None:
        """Collect ended zygotes (the server is their parent)."""
        for old in list(self._retired_zygotes):
            with contextlib.suppress(ChildProcessError):
                done, _status = os.waitpid(old, os.WNOHANG)
                if done == 0:
                    continue
            self._retired_zygotes.remove(old)

    async def _refill(self) -> None:
        while len(self._workers) < self.size and not self._closed:
            await self._add_worker()

    @property
    def pids(self) -> list[int]:
        """The process ids of the live workers (tests check that killed ones are gone)."""
        return sorted(w.pid for w in self._workers)

    def close(self) -> None:
        """Kill every worker and the zygote."""
        self._closed = True
        for worker in list(self._workers):
            worker.kill()
        self._workers.clear()
        self._control.close()
        for pid in [self.zygote_pid, *self._retired_zygotes]:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)

    def _replace(self, worker: Child) -> None:
        """Kill ``worker`` and start another one in the background."""
        worker.kill()
        self._workers.discard(worker)
        if self._closed or worker.generation != self._generation:
            return
        assert self._open is not None
        if not self._open.is_set():
            return  # a change is running; it refills the pool when done
        task = asyncio.get_running_loop().create_task(self._add_worker())
        self._spawning.add(task)
        task.add_done_callback(self._spawned)

    def _spawned(self, task: asyncio.Task) -> None:
        self._spawning.discard(task)
        if not task.cancelled() and task.exception() is not None:
            print(f"kg serve: could not start a worker: {task.exception()}", file=sys.stderr)

    async def _add_worker(self) -> None:
        loop = asyncio.get_running_loop()
        generation = self._generation
        pid, sock, log = await loop.run_in_executor(None, self._fork, b"F")
        worker = await connect_child(pid, sock, log, generation)
        if generation != self._generation or self._closed:
            worker.kill()
            return
        self._workers.add(worker)
        assert self._idle is not None
        self._idle.put_nowait(worker)

    def _fork(self, command: bytes) -> tuple[int, socket.socket, int]:
        """Ask the zygote for a child: its pid, our end of its socket, its log pipe."""
        with self._spawn_lock:
            self._control.sendall(command)
            message, fds, _flags, _addr = socket.recv_fds(self._control, 32, 2)
        if len(fds) != 2:
            for fd in fds:
                os.close(fd)
            raise WorkerDied("the zygote process is gone")
        return int(message), socket.socket(fileno=fds[0]), fds[1]
