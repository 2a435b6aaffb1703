"""The `kg serve` process as the operating system and clients see it: a token given with
--token is scrubbed from its command line (/proc/PID/cmdline, what ps shows), in the server
and every worker; an idle kept-alive connection outlives a client's usual keep-alive, so
a well-behaved client never reuses a connection the server is closing."""

from __future__ import annotations

import socket
import time
from pathlib import Path

import httpx
import pytest

from kg.cli.serve import KEEP_ALIVE
from kg.serve.testing import running_server

pytestmark = pytest.mark.server

TOKEN = "cmdline-token-0123456789abcdef"


def cmdline(pid: int) -> str:
    return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()


def test_a_token_on_the_command_line_is_scrubbed_from_it():
    with running_server(["--allow-update", "--token", TOKEN], ["--backend", "memory"]) as server:
        shown = cmdline(server.process.pid)
        assert TOKEN not in shown
        assert "serve" in shown and "--token ***" in shown
        workers = server.descendants()
        assert workers and all(TOKEN not in cmdline(pid) for pid in workers)
        assert "warning: --token is visible to other users (ps)" in server.stderr()
        # the token itself still guards updates
        insert = "INSERT DATA { <urn:a> <urn:b> <urn:c> }"
        auth = {"authorization": f"Bearer {TOKEN}"}
        ok = httpx.post(server.url, data={"update": insert}, headers=auth, timeout=60)
        assert ok.status_code == 204, ok.text
        refused = httpx.post(server.url, data={"update": insert}, timeout=60)
        assert refused.status_code == 401


def test_a_token_from_the_environment_never_shows_on_the_command_line():
    env = {"KG_SERVE_TOKEN": TOKEN}
    with running_server(["--allow-update"], ["--backend", "memory"], env=env) as server:
        assert TOKEN not in cmdline(server.process.pid)
        assert "warning" not in server.stderr()


def _get(sock: socket.socket, port: int) -> bytes:
    request = f"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
    sock.sendall(f"{request}Accept: text/csv\r\n\r\n".encode())
    data = b""
    while not data.endswith(b"true\r\n"):
        chunk = sock.recv(65536)
        if not chunk:
            return data  # the server closed the connection
        data += chunk
    return data


def test_an_idle_connection_outlives_an_httpx_clients_keep_alive():
    # httpx keeps an idle connection 5 s (aiohttp 15 s); the server must keep it longer,
    # or a client reusing it at the last moment gets a closed connection (a ReadError)
    assert KEEP_ALIVE > 15
    with running_server([], ["--backend", "memory"]) as server:
        with socket.create_connection(("127.0.0.1", server.port), timeout=60) as sock:
            assert _get(sock, server.port).startswith(b"HTTP/1.1 200")
            time.sleep(6)  # past httpx's expiry, and past uvicorn's default of 5 s
            again = _get(sock, server.port)
        assert again.startswith(b"HTTP/1.1 200"), again
