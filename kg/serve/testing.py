"""Start a real ``kg serve`` process on a free loopback port, for tests and benchmarks.

Example
-------
>>> free_port() > 1024
True
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

__all__ = [
    "Server",
    "free_port",
    "running_server",
]


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on right now.

    Returns
    -------
    int

    Example
    -------
    >>> isinstance(free_port(), int)
    True
    """
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    """A running ``kg serve`` process.

    Parameters
    ----------
    process:
        The process (its own process group).
    port:
        The port it listens on.

    Returns
    -------
    Server
        ``url`` is the endpoint, ``base`` the server's root URL.

    Example
    -------
    >>> Server(None, 8000).url
    'http://127.0.0.1:8000/sparql'
    """

    process: subprocess.Popen | None
    port: int
    log: IO[bytes] | None = None

    def stderr(self) -> str:
        """What the server wrote to stderr so far."""
        if self.log is None:
            return ""
        self.log.flush()
        with open(self.log.fileno(), "rb", closefd=False) as raw:
            raw.seek(0)
            return raw.read().decode(errors="replace")

    @property
    def base(self) -> str:
        """``http://127.0.0.1:PORT``."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        """The SPARQL endpoint, ``http://127.0.0.1:PORT/sparql``."""
        return f"{self.base}/sparql"

    def descendants(self) -> list[int]:
        """The process ids of the server's children and grandchildren (zygote, workers)."""
        assert self.process is not None
        found, todo = [], [self.process.pid]
        while todo:
            pid = todo.pop()
            for task in Path(f"/proc/{pid}/task").glob("*/children"):
                children = [int(c) for c in task.read_text().split()]
                found += children
                todo += children
        return found


@contextlib.contextmanager
def running_server(
    serve_args: Sequence[str] = (),
    global_args: Sequence[str] = (),
    *,
    startup: float = 60.0,
    env: dict[str, str] | None = None,
) -> Iterator[Server]:
    """Run ``kg [global_args] serve --port N [serve_args]`` until the block ends.

    Parameters
    ----------
    serve_args:
        Options of ``kg serve`` (``--timeout 1`` ...).
    global_args:
        Options of ``kg`` itself (``--data``, ``--add``, ``--backend`` ...).
    startup:
        Seconds to wait for the port to accept connections.
    env:
        Extra environment variables (``KG_SERVE_TOKEN``).

    Returns
    -------
    Iterator[Server]

    Raises
    ------
    RuntimeError
        With the server's stderr, when it exits or does not listen in time.
    """
    port = free_port()
    # A file, not a pipe, so that a chatty server never blocks on a full pipe.
    with tempfile.TemporaryFile() as log:
        yield from _run(serve_args, global_args, port, log, startup, env)


def _run(
    serve_args: Sequence[str],
    global_args: Sequence[str],
    port: int,
    log: IO[bytes],
    startup: float,
    env: dict[str, str] | None = None,
) -> Iterator[Server]:
    command = [sys.executable, "-m", "kg", *global_args, "serve", "--port", str(port)]
    process = subprocess.Popen(
        [*command, *serve_args],
        stdout=subprocess.DEVNULL,
        stderr=log,
        start_new_session=True,
        env={**os.environ, **(env or {})},
    )
    server = Server(process, port, log)
    try:
        _wait_listening(server, startup, log)
        yield server
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _wait_listening(server: Server, startup: float, log: IO[bytes]) -> None:
    deadline = time.monotonic() + startup
    assert server.process is not None
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            log.seek(0)
            raise RuntimeError(f"kg serve exited: {log.read().decode(errors='replace')}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", server.port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"kg serve did not listen on port {server.port} in {startup} s")
