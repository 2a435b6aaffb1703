"""Run queries where they can be stopped: in worker processes that are killed at the timeout.

rdflib evaluates a query in pure Python and cannot be interrupted from another thread, so a
runaway query in a thread would keep a core busy (and hold the GIL) long after its client
got a 503. Here each query runs in a worker process; at the timeout the worker is killed
with SIGKILL and a fresh one takes its place, so the server stays responsive.

Workers are forked from a *zygote*: a process forked once, when the pool is made, from the
process that loaded the graph. Forking copies the loaded graph for free (copy on write),
so a replacement worker is ready in milliseconds instead of re-reading the data. The zygote
is forked before the web server opens any socket and never runs a query, so workers
inherit neither client connections nor a half-used store. Every process watches its
parent (``PR_SET_PDEATHSIG`` and end-of-file on its socket), so none outlives the server.

:class:`ThreadPool` is the fallback for a backend that cannot be forked: same interface,
but a timed-out query is only abandoned (its thread runs on until the query ends).
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import gc
import os
import pickle
import signal
import socket
import struct
import sys
import threading
import traceback
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

Handler = Callable[[Any], Any]
_HEADER = struct.Struct("!Q")


class QueryTimeout(Exception):
    """A job ran past its time limit (its worker was stopped)."""


class PoolBusy(Exception):
    """No worker became free within the time limit."""


class WorkerDied(Exception):
    """A worker process ended while running a job (crash, out of memory)."""


class ProcessPool:
    """``size`` forked worker processes that each run ``handler(job)`` for one job at a time.

    Parameters
    ----------
    handler:
        Called in a worker with a picklable job; returns a picklable reply. It must catch
        its own errors (an escaping exception is reported as :class:`WorkerDied`).
    size:
        The number of workers (jobs running at once).

    Returns
    -------
    ProcessPool
        Forks the zygote at once; call :meth:`start` inside the event loop.

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

    def __init__(self, handler: Handler, size: int = 2):
        self.size = max(1, size)
        self._spawn_lock = threading.Lock()
        self._idle: asyncio.Queue[_Worker] | None = None
        self._workers: set[_Worker] = set()
        self._journal: list[Any] = []
        self._change_lock = asyncio.Lock()
        self._closed = False
        parent_end, child_end = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:  # the zygote
            try:
                parent_end.close()
                _zygote_main(child_end, handler)
            finally:
                os._exit(0)
        child_end.close()
        self._control = parent_end
        self.zygote_pid = pid

    async def start(self) -> None:
        """Start the workers (call once, from the event loop that will run the jobs)."""
        self._idle = asyncio.Queue()
        for _ in range(self.size):
            await self._add_worker()

    async def run(self, job: Any, timeout: float, *, changes_state: bool = False) -> Any:
        """Run ``job`` in a free worker and return its reply.

        Each worker has its own copy of the graph, so a job that changes it (an update) is
        kept in a journal once it succeeds, and every other worker, and every worker
        started later, replays the journal entries it has not seen before its next job.
        Such jobs run one at a time; a worker whose change failed is replaced, so that no
        half-applied change survives.

        Parameters
        ----------
        job:
            Any picklable value for the handler.
        timeout:
            Seconds to wait for a free worker, and then seconds the job may run.
        changes_state:
            Whether the job modifies the graph; it counts as done when the reply has a
            ``status`` below 300 (or has no ``status``).

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
        if changes_state:
            async with self._change_lock:
                return await self._run(job, timeout, changes_state)
        return await self._run(job, timeout, False)

    async def _run(self, job: Any, timeout: float, changes_state: bool) -> Any:
        assert self._idle is not None
        try:
            worker = await asyncio.wait_for(self._idle.get(), timeout)
        except TimeoutError:
            raise PoolBusy from None
        seen = len(self._journal)
        batch = _Batch(self._journal[worker.applied : seen], job)
        try:
            reply = await asyncio.wait_for(worker.call(batch), timeout)
        except TimeoutError:
            self._replace(worker)
            raise QueryTimeout from None
        except (asyncio.IncompleteReadError, ConnectionError, EOFError):
            self._replace(worker)
            raise WorkerDied from None
        except BaseException:  # cancelled mid-job: the worker's state is unknown
            self._replace(worker)
            raise
        worker.applied = seen
        if changes_state:
            if getattr(reply, "status", 200) >= 300:
                self._replace(worker)
                return reply
            self._journal.append(job)
            worker.applied = len(self._journal)
        self._idle.put_nowait(worker)
        return reply

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
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.zygote_pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.zygote_pid, 0)

    def _replace(self, worker: _Worker) -> None:
        """Kill ``worker`` and start another one in the background."""
        worker.kill()
        self._workers.discard(worker)
        if not self._closed:
            task = asyncio.get_running_loop().create_task(self._add_worker())
            task.add_done_callback(_log_failure)

    async def _add_worker(self) -> None:
        loop = asyncio.get_running_loop()
        pid, sock = await loop.run_in_executor(None, self._fork_worker)
        reader, writer = await asyncio.open_unix_connection(sock=sock)
        worker = _Worker(pid, reader, writer)
        self._workers.add(worker)
        assert self._idle is not None
        self._idle.put_nowait(worker)

    def _fork_worker(self) -> tuple[int, socket.socket]:
        """Ask the zygote for a new worker; returns its pid and our end of its socket."""
        with self._spawn_lock:
            self._control.sendall(b"F")
            message, fds, _flags, _addr = socket.recv_fds(self._control, 32, 1)
        if not fds:
            raise WorkerDied("the zygote process is gone")
        return int(message), socket.socket(fileno=fds[0])


class _Batch:
    """What a worker gets: journal entries to replay first, then the job."""

    def __init__(self, replay: list[Any], job: Any):
        self.replay, self.job = replay, job


class _Worker:
    """The server's handle on one worker process."""

    def __init__(self, pid: int, reader: asyncio.StreamReader, writer: asyncio.StreamWriter):
        self.pid, self.reader, self.writer = pid, reader, writer
        self.applied = 0  # how many journal entries this worker has replayed

    async def call(self, job: Any) -> Any:
        data = pickle.dumps(job, protocol=pickle.HIGHEST_PROTOCOL)
        self.writer.write(_HEADER.pack(len(data)) + data)
        await self.writer.drain()
        (size,) = _HEADER.unpack(await self.reader.readexactly(_HEADER.size))
        return pickle.loads(await self.reader.readexactly(size))

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        with contextlib.suppress(RuntimeError):  # the event loop may be gone already
            self.writer.close()


def _log_failure(task: asyncio.Task) -> None:
    if not task.cancelled() and task.exception() is not None:
        print(f"kg serve: could not start a worker: {task.exception()}", file=sys.stderr)


def _die_with_parent() -> None:
    """Ask Linux to SIGKILL this process when its parent ends (no-op elsewhere)."""
    with contextlib.suppress(Exception):
        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)


def _zygote_main(control: socket.socket, handler: Handler) -> None:
    """Fork a worker each time the server asks, and hand it its socket."""
    _die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's to handle
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # the kernel reaps dead workers
    # Move every object loaded so far (the graph) out of the collector's reach, so that
    # workers do not walk, and so copy, the whole shared heap at each collection.
    gc.freeze()
    while True:
        if not control.recv(1):
            return
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        pid = os.fork()
        if pid == 0:
            try:
                control.close()
                ours.close()
                signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                _die_with_parent()
                _worker_main(theirs, handler)
            finally:
                os._exit(0)
        theirs.close()
        socket.send_fds(control, [str(pid).encode()], [ours.fileno()])
        ours.close()


def _worker_main(sock: socket.socket, handler: Handler) -> None:
    """Answer jobs until the server closes the socket."""
    while True:
        header = _recv_exactly(sock, _HEADER.size)
        if header is None:
            return
        (size,) = _HEADER.unpack(header)
        payload = _recv_exactly(sock, size)
        if payload is None:
            return
        try:
            batch = pickle.loads(payload)
            for change in batch.replay:
                handler(change)
            reply = handler(batch.job)
            data = pickle.dumps(reply, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:
            traceback.print_exc()
            return  # the server sees end-of-file: WorkerDied
        sock.sendall(_HEADER.pack(len(data)) + data)


def _recv_exactly(sock: socket.socket, size: int) -> bytes | None:
    chunks, remaining = [], size
    while remaining:
        chunk = sock.recv(min(remaining, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


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

    def __init__(self, handler: Handler, size: int = 1):
        self.size = max(1, size)
        self._handler = handler
        self._executor = ThreadPoolExecutor(self.size, thread_name_prefix="kg-query")
        self._slots: asyncio.Semaphore | None = None
        self.pids: list[int] = []

    async def start(self) -> None:
        """Create the concurrency limit in the running loop."""
        self._slots = asyncio.Semaphore(self.size)

    async def run(self, job: Any, timeout: float, *, changes_state: bool = False) -> Any:
        """Run ``job`` in a thread; raise :class:`QueryTimeout` when it takes too long.

        ``changes_state`` is accepted for symmetry with :class:`ProcessPool`: threads
        share one graph, so a change is seen by every later job without a journal.
        """
        assert self._slots is not None, "call start() first"
        try:
            await asyncio.wait_for(self._slots.acquire(), timeout)
        except TimeoutError:
            raise PoolBusy from None
        future = asyncio.get_running_loop().run_in_executor(self._executor, self._handler, job)
        future.add_done_callback(lambda _: self._slots.release())
        try:
            return await asyncio.wait_for(asyncio.shield(future), timeout)
        except TimeoutError:
            raise QueryTimeout from None

    def close(self) -> None:
        """Stop accepting jobs (running threads cannot be stopped)."""
        self._executor.shutdown(wait=False, cancel_futures=True)
