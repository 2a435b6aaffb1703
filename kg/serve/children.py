"""The server's side of one child process of the pool: its job socket and its log.

Each child (query worker or writer) gets a socket for jobs and a pipe for its stderr,
both handed to the server by the zygote (:mod:`kg.serve.zygote`). The server copies the
child's log lines to its own stderr, except the allocator's own words when a child hits
its memory cap (Oxigraph's Rust runtime prints "memory allocation of N bytes failed" and
a backtrace hint before it aborts): the server logs that event itself, in one line
(:mod:`kg.serve.admission`).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import pickle
import signal
import socket
import subprocess
import sys
from typing import Any

from kg.serve.zygote import HEADER

__all__ = ["ALLOCATOR_NOISE", "Child", "LogLines", "connect_child", "spawn_zygote"]

#: Lines a child's runtime prints when an allocation fails at the memory cap.
ALLOCATOR_NOISE = (b"memory allocation of ", b"note: run with `RUST_BACKTRACE")


class Child:
    """The server's handle on one worker process: send a job, read its reply, kill it.

    Parameters
    ----------
    pid:
        The process id.
    reader, writer:
        The asyncio streams of its job socket.
    generation:
        The graph version it was forked with (``-1``: a writer).

    Returns
    -------
    Child

    Example
    -------
    >>> Child(1, None, None, 0).generation
    0
    """

    def __init__(self, pid: int, reader: Any, writer: Any, generation: int) -> None:
        self.pid, self.reader, self.writer = pid, reader, writer
        self.generation = generation

    async def call(self, job: Any) -> Any:
        """Send ``job`` and return the child's reply."""
        data = pickle.dumps(job, protocol=pickle.HIGHEST_PROTOCOL)
        self.writer.write(HEADER.pack(len(data)) + data)
        await self.writer.drain()
        (size,) = HEADER.unpack(await self.reader.readexactly(HEADER.size))
        return pickle.loads(await self.reader.readexactly(size))

    def kill(self) -> None:
        """SIGKILL the process and close its socket."""
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        with contextlib.suppress(RuntimeError):  # the event loop may be gone already
            self.writer.close()


class LogLines(asyncio.Protocol):
    """Copy a child's stderr, line by line, to the server's, leaving out allocator noise.

    Example
    -------
    >>> import io
    >>> out = io.BytesIO()
    >>> lines = LogLines(out)
    >>> lines.data_received(b"kg serve: one\\nmemory allocation of 8 bytes failed\\n")
    >>> out.getvalue()
    b'kg serve: one\\n'
    """

    def __init__(self, out: Any = None) -> None:
        self.out = out
        self.pending = b""

    def data_received(self, data: bytes) -> None:
        """Write the complete lines received so far."""
        *lines, self.pending = (self.pending + data).split(b"\n")
        kept = b"".join(line + b"\n" for line in lines if not line.startswith(ALLOCATOR_NOISE))
        if kept:
            out = self.out or sys.stderr.buffer
            out.write(kept)
            out.flush()

    def eof_received(self) -> None:
        """The child ended: write its last, unterminated line."""
        if self.pending:
            self.data_received(b"\n")


async def connect_child(pid: int, sock: socket.socket, log: int, generation: int) -> Child:
    """Wrap a new child's socket and start copying its log (the pipe's read end ``log``).

    Returns
    -------
    Child
    """
    loop = asyncio.get_running_loop()
    reader, writer = await asyncio.open_unix_connection(sock=sock)
    pipe = os.fdopen(log, "rb", buffering=0)
    # the transport closes the pipe at end of file, when the child (its only writer) ends
    await loop.connect_read_pipe(LogLines, pipe)
    return Child(pid, reader, writer, generation)


def spawn_zygote(control: socket.socket, settings: tuple) -> int:
    """Start ``python -m kg.serve.zygote`` holding ``control``; returns its pid.

    Used for an on-disk store (see :mod:`kg.serve.zygote`); ``settings`` is the pickled
    ``(handler, setup, memory, isolate)``.
    """
    process = subprocess.Popen(
        [sys.executable, "-m", "kg.serve.zygote"],
        stdin=subprocess.PIPE,
        pass_fds=[control.fileno()],
    )
    assert process.stdin is not None
    pickle.dump((*settings, control.fileno()), process.stdin)
    process.stdin.close()
    # the server reaps it with os.waitpid (close); Popen must not warn about it
    process.returncode = 0
    return process.pid
