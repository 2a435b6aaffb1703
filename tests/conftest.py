"""Shared fixtures: the project graph on every backend, and a real SPARQL server.

``backend_kg`` is parametrized over the three backends, so a test written once against a
loaded :class:`kg.graph.KnowledgeGraph` runs on rdflib, Oxigraph and a remote endpoint
(a real ``oxigraph serve`` subprocess on 127.0.0.1, loaded over SPARQL Update). The graphs
are built once per session: tests must not modify them.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

BACKENDS = ["memory", "oxigraph", "remote"]
OXIGRAPH = Path(sys.executable).parent / "oxigraph"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class OxigraphServer:
    """An ``oxigraph serve`` subprocess (in memory, or on a store folder)."""

    def __init__(self, location: Path | None = None):
        if not OXIGRAPH.exists() and shutil.which("oxigraph") is None:
            pytest.skip("the oxigraph server (pip package 'oxigraph') is not installed")
        binary = str(OXIGRAPH) if OXIGRAPH.exists() else shutil.which("oxigraph")
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        command = [binary, "serve", "--bind", f"127.0.0.1:{self.port}"]
        if location is not None:
            command += ["--location", str(location)]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 20
        while True:
            try:
                httpx.post(self.query_url, data={"query": "ASK {}"}, timeout=1)
                return
            except httpx.TransportError as exc:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    message = f"oxigraph serve did not start: {self.stderr()}"
                    raise RuntimeError(message) from exc
                time.sleep(0.05)

    @property
    def query_url(self) -> str:
        return f"{self.base}/query"

    @property
    def update_url(self) -> str:
        return f"{self.base}/update"

    def stderr(self) -> str:
        if self.process.poll() is None:
            return ""
        return (self.process.stderr.read() or b"").decode(errors="replace")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process.stderr:
            self.process.stderr.close()


@pytest.fixture(scope="session")
def oxigraph_server() -> Iterator[OxigraphServer]:
    """A fresh in-memory ``oxigraph serve`` for the session."""
    server = OxigraphServer()
    yield server
    server.stop()


def backend_options(kind: str, request: pytest.FixtureRequest) -> dict:
    """The ``kg.load`` options that open backend ``kind`` (starting the server if needed)."""
    if kind == "remote":
        server = request.getfixturevalue("oxigraph_server")
        return {"endpoint": server.query_url, "update_endpoint": server.update_url}
    return {}


_GRAPHS: dict[str, object] = {}


@pytest.fixture(params=BACKENDS)
def backend_kg(request: pytest.FixtureRequest):
    """The project graph (ontology, vocabularies, data/triples.ttl) loaded on each backend.

    Built once per backend per session; do not modify it.
    """
    import kg

    kind = request.param
    if kind == "remote":
        request.applymarker(pytest.mark.server)
    if kind not in _GRAPHS:
        _GRAPHS[kind] = kg.load(backend=kind, **backend_options(kind, request))
    return _GRAPHS[kind]
