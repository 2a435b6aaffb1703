"""Shared fixtures: the ``kg`` command, the project graph on every backend, and a real SPARQL
server.

``run_kg`` (or :func:`kg_command`, for helper modules) runs the real ``kg`` command in a
subprocess; ``OxigraphServer`` (and the session's ``oxigraph_server``) is a real ``oxigraph
serve`` on 127.0.0.1. The session's answer cache (``KG_CACHE_DIR``) is a temporary folder,
so tests never read or fill the user's cache.

``backend_kg`` is parametrized over four stores, so a test written once against a loaded
:class:`kg.graph.KnowledgeGraph` runs on rdflib, Oxigraph, a remote ``oxigraph serve``
subprocess on 127.0.0.1 (loaded over SPARQL Update) and a remote Virtuoso process (one named
graph of it, loaded through the Graph Store Protocol; see ``tests/virtuoso_server.py``).
The graphs are built once per session: tests must not modify them.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

BACKENDS = ["memory", "oxigraph", "remote", "virtuoso"]
#: the named graph of the test Virtuoso that holds the project
VIRTUOSO_GRAPH = "https://w3id.org/kg-ir/graph/test"
OXIGRAPH = Path(sys.executable).parent / "oxigraph"
#: the repository
ROOT = Path(__file__).resolve().parent.parent


_CACHE_DIR = tempfile.mkdtemp(prefix="kg-test-cache-")


def pytest_configure(config: pytest.Config) -> None:
    """Point the answer cache at a folder of this test session (subprocesses inherit it)."""
    os.environ["KG_CACHE_DIR"] = _CACHE_DIR


@pytest.fixture(autouse=True)
def _session_cache_dir() -> None:
    """Put ``KG_CACHE_DIR`` back when something (a doctest's example) removed it."""
    os.environ.setdefault("KG_CACHE_DIR", _CACHE_DIR)


def pytest_unconfigure(config: pytest.Config) -> None:
    """Remove the session's cache folder."""
    shutil.rmtree(_CACHE_DIR, ignore_errors=True)


def kg_command(
    *args: str | os.PathLike,
    root: str | os.PathLike | None = None,
    cwd: str | os.PathLike = ROOT,
    stdin: str | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 180,
) -> subprocess.CompletedProcess:
    """Run the real ``kg`` command (``python -m kg``, the installed script's entry point).

    Parameters
    ----------
    *args:
        The command line after ``kg``.
    root:
        Given, ``--root ROOT`` comes first; the caller's ``KG_ROOT`` is never passed on.
    cwd:
        The working directory (default the repository).
    stdin:
        Text sent on standard input.
    env:
        Variables set on top of this process's environment.
    timeout:
        Seconds before the run is a test failure.

    Returns
    -------
    subprocess.CompletedProcess
        ``returncode``, ``stdout`` and ``stderr`` as text.
    """
    prefix = ["--root", str(root)] if root is not None else []
    environment = {k: v for k, v in os.environ.items() if k != "KG_ROOT"}
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "kg", *prefix, *map(str, args)],
        capture_output=True,
        text=True,
        input=stdin,
        cwd=cwd,
        env=environment,
        timeout=timeout,
    )


@pytest.fixture
def run_kg() -> Callable[..., subprocess.CompletedProcess]:
    """:func:`kg_command`: ``run_kg("query", "allies_of", root=path)``."""
    return kg_command


def assert_one_line_error(result: subprocess.CompletedProcess, *fragments: str) -> str:
    """Exit 2, one ``kg: error:`` line on stderr, no traceback, each fragment in that line.

    Returns
    -------
    str
        The line.
    """
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("kg: error: "), lines[0]
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])
    return lines[0]


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
    """An in-memory ``oxigraph serve`` for the session, holding the project's files."""
    from kg.backends.remote import RemoteBackend

    server = OxigraphServer()
    RemoteBackend(server.query_url, server.update_url).load(project_files())
    yield server
    server.stop()


def project_files() -> list[Path]:
    """What ``kg.load()`` holds (schema, data and what it adds), as one N-Triples file,
    written once per test process (the servers and the references all read that one)."""
    import os
    import tempfile

    import kg

    path = Path(tempfile.gettempdir()) / f"kg-project-{os.getpid()}" / "project.nt"
    if not path.exists():
        path.parent.mkdir(exist_ok=True)
        staged = path.with_suffix(".part")
        staged.write_bytes(kg.load().serialize("nt"))
        staged.rename(path)
    return [path]


@pytest.fixture(scope="session")
def virtuoso_server():
    """A Virtuoso for the session, the project's files in :data:`VIRTUOSO_GRAPH`."""
    from virtuoso_server import DBA_PASSWORD, DBA_USER, VirtuosoServer, virtuoso_missing

    from kg.backends.graph_store import load_into_graph_store

    reason = virtuoso_missing()
    if reason:
        pytest.skip(reason)
    server = VirtuosoServer()
    try:
        load_into_graph_store(
            server.graph_store_url,
            project_files(),
            VIRTUOSO_GRAPH,
            user=DBA_USER,
            password=DBA_PASSWORD,
        )
    except BaseException:
        server.stop()
        raise
    yield server
    server.stop()


def backend_options(kind: str, request: pytest.FixtureRequest) -> dict:
    """The ``kg.load`` options that open backend ``kind`` (starting the server if needed)."""
    if kind == "remote":
        server = request.getfixturevalue("oxigraph_server")
        return {"endpoint": server.query_url, "update_endpoint": server.update_url}
    if kind == "virtuoso":
        server = request.getfixturevalue("virtuoso_server")
        return {"endpoint": server.query_url, "graph": VIRTUOSO_GRAPH}
    return {}


_GRAPHS: dict[str, object] = {}


@pytest.fixture(params=BACKENDS)
def backend_kg(request: pytest.FixtureRequest):
    """The project graph (ontology, vocabularies, data/triples.ttl) loaded on each backend.

    Built once per backend per session; do not modify it.
    """
    import kg

    kind = request.param
    if kind in ("remote", "virtuoso"):
        request.applymarker(pytest.mark.server)
    if kind not in _GRAPHS:
        backend = "remote" if kind == "virtuoso" else kind
        _GRAPHS[kind] = kg.load(backend=backend, **backend_options(kind, request))
    return _GRAPHS[kind]
