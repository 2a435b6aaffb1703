"""The process side of the worker pool: the zygote, the query workers and the writer.

The server talks to a *zygote* (forked once, before any socket is open) over a control
socket; each byte it sends asks for one child, whose socket end the zygote hands back:

- ``F``: a query worker. It answers jobs until its socket closes; it never changes the
  graph the zygote holds (its own copy is thrown away with it).
- ``W``: a writer. It runs one job (an update). If the server then sends ``Z``, the writer
  *becomes the next zygote*: its graph, with the update applied once, is the one every
  later worker is forked from. The old zygote is told to end. So an update is applied by
  exactly one process, and nothing is replayed.

Every child is *set up* for its role by a callback (an on-disk store is opened read-only
in a query worker, read-write in the writer, and closed again before the writer becomes
the zygote), may have its address space capped (:data:`MEMORY_EXIT` when a job hits it),
and may be cut off from the network (:func:`isolate_network`).
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import os
import pickle
import resource
import signal
import socket
import struct
import sys
from collections.abc import Callable
from typing import Any

__all__ = [
    "HEADER",
    "MEMORY_EXIT",
    "fork_zygote",
    "isolate_network",
    "limit_memory",
    "recv_exactly",
    "spawned_main",
    "zygote_main",
]

HEADER = struct.Struct("!Q")
#: The exit status of a worker that ran out of its memory allowance outside Python.
MEMORY_EXIT = 86
_CLONE_NEWNET = 0x40000000
_PR_SET_PDEATHSIG = 1


def isolate_network() -> bool:
    """Move this process into a new, empty network namespace (Linux, as root).

    Afterwards no socket can reach any address, loopback included: a query that slipped
    past the guard still connects to nothing. Children inherit the namespace.

    Returns
    -------
    bool
        Whether it worked (False where namespaces are unavailable: not Linux, not root,
        or forbidden by the container).

    Example
    -------
    >>> isinstance(isolate_network.__doc__, str)
    True
    """
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.unshare(_CLONE_NEWNET) == 0
    except (OSError, AttributeError):
        return False


def limit_memory(extra_bytes: int | None) -> None:
    """Cap this process's address space at its current size plus ``extra_bytes``.

    The graph the process inherited is already mapped, so the cap bounds what one job
    may add. Only the soft limit is set: the writer lifts it when it becomes the zygote.

    Example
    -------
    >>> limit_memory(None)  # no limit: nothing changes
    """
    if not extra_bytes:
        return
    with open("/proc/self/statm") as statm:
        current = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    wanted = current + extra_bytes
    if hard != resource.RLIM_INFINITY:
        wanted = min(wanted, hard)
    resource.setrlimit(resource.RLIMIT_AS, (wanted, hard))


def _lift_memory_limit() -> None:
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (hard, hard))


def _die_with_parent(on: bool = True) -> None:
    """Ask Linux to SIGKILL this process when its parent ends (``on=False`` undoes it)."""
    with contextlib.suppress(Exception):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL if on else 0)


def zygote_main(
    control: socket.socket,
    handler: Callable[[Any], Any],
    setup: Callable[[str], None],
    memory: int | None,
) -> None:
    """Fork a worker (``F``) or a writer (``W``) each time the server asks; return at EOF."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's to handle
    # A worker Oxigraph stops at the memory cap must not print a Rust backtrace per query.
    os.environ["RUST_BACKTRACE"] = "0"
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # the kernel reaps dead workers
    warm = getattr(handler, "warm", None)
    if warm is not None:
        warm()  # build what every job needs (the SPARQL parsers) once, not in each worker
    # Move every object loaded so far (the graph) out of the collector's reach, so that
    # workers do not walk, and so copy, the whole shared heap at each collection.
    gc.freeze()
    while True:
        command = control.recv(1)
        if not command:
            return
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        log_read, log_write = os.pipe()  # the child's stderr, read by the server
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            status = 0
            try:
                control.close()
                ours.close()
                os.dup2(log_write, 2)
                os.close(log_write)
                os.close(log_read)
                signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                _die_with_parent()
                if command == b"W":
                    _writer_main(theirs, handler, setup, memory)
                else:
                    setup("reader")
                    limit_memory(memory)
                    _serve_jobs(theirs, handler)
            except MemoryError:
                status = MEMORY_EXIT
            finally:
                os._exit(status)
        theirs.close()
        os.close(log_write)
        socket.send_fds(control, [str(pid).encode()], [ours.fileno(), log_read])
        ours.close()
        os.close(log_read)


def _writer_main(
    sock: socket.socket,
    handler: Callable[[Any], Any],
    setup: Callable[[str], None],
    memory: int | None,
) -> None:
    """Run one changing job; on ``Z`` from the server, become the next zygote."""
    setup("writer")
    limit_memory(memory)
    # "written": an on-disk store is closed (flushed) before the server hears of success
    if not _answer_one(sock, handler, lambda: setup("written")):
        return
    if sock.recv(1) != b"Z":
        return  # the server refused the change (or went away): this copy is dropped
    _lift_memory_limit()
    setup("zygote")
    # The old zygote is about to end; this process must outlive it. The server's end of
    # ``sock`` closing (EOF below) is what ends it with the server from now on.
    _die_with_parent(False)
    sock.sendall(b"Z")
    zygote_main(sock, handler, setup, memory)


def _serve_jobs(sock: socket.socket, handler: Callable[[Any], Any]) -> None:
    """Answer jobs until the server closes the socket."""
    while _answer_one(sock, handler):
        pass


def _answer_one(
    sock: socket.socket,
    handler: Callable[[Any], Any],
    before_reply: Callable[[], None] | None = None,
) -> bool:
    """Read one job, send the handler's reply; False at end-of-file."""
    header = recv_exactly(sock, HEADER.size)
    if header is None:
        return False
    payload = recv_exactly(sock, HEADER.unpack(header)[0])
    if payload is None:
        return False
    reply = handler(pickle.loads(payload))
    if before_reply is not None:
        before_reply()
    data = pickle.dumps(reply, protocol=pickle.HIGHEST_PROTOCOL)
    sock.sendall(HEADER.pack(len(data)) + data)
    return True


def fork_zygote(parent_end: socket.socket, child_end: socket.socket, settings: tuple) -> int:
    """Fork the zygote from this process, which holds the graph; returns its pid.

    ``settings`` is ``(handler, setup, memory, isolate)``. The child reports on
    ``child_end`` whether it could isolate itself, then serves the control socket.
    """
    handler, setup, memory, isolate = settings
    pid = os.fork()
    if pid == 0:
        try:
            parent_end.close()
            _die_with_parent()
            child_end.sendall(b"1" if isolate and isolate_network() else b"0")
            zygote_main(child_end, handler, setup, memory)
        finally:
            os._exit(0)
    return pid


def spawned_main() -> None:
    """The zygote started as a fresh interpreter (``python -m kg.serve.zygote``).

    Used for an on-disk store: RocksDB keeps process-wide background threads, which a
    fork does not copy, so a store must be opened for writing only in a process whose
    ancestors never opened one. This zygote reads its handler, setup, memory cap,
    isolation wish and control descriptor (pickled) from stdin.
    """
    handler, setup, memory, isolate, fd = pickle.load(sys.stdin.buffer)
    _die_with_parent()
    if os.getppid() == 1:
        return  # the server is already gone
    control = socket.socket(fileno=fd)
    isolated = isolate and isolate_network()
    control.sendall(b"1" if isolated else b"0")
    zygote_main(control, handler, setup, memory)


def recv_exactly(sock: socket.socket, size: int) -> bytes | None:
    """Read ``size`` bytes from a blocking socket; None at end-of-file.

    Example
    -------
    >>> a, b = socket.socketpair(); _ = a.sendall(b"abc"); recv_exactly(b, 3)
    b'abc'
    """
    chunks, remaining = [], size
    while remaining:
        chunk = sock.recv(min(remaining, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


if __name__ == "__main__":
    spawned_main()
