"""`kg serve` on the command line: help with an example, clear one-line errors."""

from __future__ import annotations

import socket
import subprocess
import sys

import pytest


def kg(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "kg", *args], capture_output=True, text=True, timeout=60
    )


def test_help_has_an_example_and_the_safety_options():
    out = kg("serve", "--help")
    assert out.returncode == 0
    assert "Example:" in out.stdout and "kg serve --port 8000" in out.stdout
    for option in ("--timeout", "--max-rows", "--allow-service", "--allow-update", "--cors"):
        assert option in out.stdout


def test_update_without_a_token_is_a_one_line_error():
    out = kg("serve", "--allow-update")
    assert out.returncode == 2
    assert out.stderr.strip().splitlines() == [
        "kg: error: --allow-update needs --token (or KG_SERVE_TOKEN), 16+ characters"
    ]


@pytest.mark.server
def test_port_in_use_is_a_one_line_error():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        out = kg("serve", "--port", str(port))
    assert out.returncode == 2
    assert out.stderr.strip().splitlines() == [
        f"kg: error: cannot listen on 127.0.0.1 port {port}: Address already in use"
    ]
