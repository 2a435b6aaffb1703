"""`kg serve` on the command line: help with an example, clear one-line errors."""

from __future__ import annotations

import socket
import subprocess

import pytest
from conftest import kg_command


def kg(*args: str) -> subprocess.CompletedProcess:
    return kg_command(*args, timeout=60)


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
        "kg: error: --allow-update needs a token of 16+ characters (KG_SERVE_TOKEN or --token-file)"
    ]


def test_token_on_the_command_line_warns_and_a_token_file_is_read(tmp_path):
    short = tmp_path / "token.txt"
    short.write_text("too-short\n")
    out = kg("serve", "--allow-update", "--token-file", str(short))
    assert out.returncode == 2 and "16+ characters" in out.stderr
    out = kg("serve", "--allow-update", "--token", "x", "--port", "1")
    assert "warning: --token is visible to other users (ps)" in out.stderr
    bad = tmp_path / "bad.txt"
    bad.write_bytes("t\u00e9l\u00e9phone-0123456789".encode())
    out = kg("serve", "--allow-update", "--token-file", str(bad))
    assert out.returncode == 2
    assert out.stderr.strip().splitlines() == [
        f"kg: error: {bad}: the token must be printable ASCII"
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
