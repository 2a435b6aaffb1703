"""No update is lost: `kg serve --allow-update` on an on-disk Oxigraph store applies each
update once, in one process, before it answers 2xx; every later read sees it; the store
opens after SIGTERM and after SIGKILL at a random moment, holding every acknowledged update.

Every test runs a real server process on 127.0.0.1 over a real store folder."""

from __future__ import annotations

import os
import random
import signal
import threading
import time

import httpx
import pyoxigraph as ox
import pytest

from kg.serve.testing import running_server

pytestmark = pytest.mark.server

TOKEN = "reliability-token-0123456789"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { <urn:t:s> <urn:t:p> ?o }"
ROUNDS = 4


@pytest.fixture
def store(tmp_path):
    """An on-disk store made with `kg load`, holding one triple file."""
    data = tmp_path / "seed.ttl"
    data.write_text('<urn:t:seed> <urn:t:p> "seed" .\n')
    folder = tmp_path / "store"
    from click.testing import CliRunner

    from kg.cli import cli

    result = CliRunner().invoke(cli, ["--store", str(folder), "load", str(data)])
    assert result.exit_code == 0, result.output
    return folder, data


def serve_store(folder, data, *extra):
    args = ["--allow-update", "--workers", "2", "--timeout", "5", *extra]
    global_args = ["--backend", "oxigraph", "--store", str(folder)]
    return running_server(args, global_args, env={"KG_SERVE_TOKEN": TOKEN})


def insert(server, value, client=httpx):
    text = f"INSERT DATA {{ <urn:t:s> <urn:t:p> {value} }}"
    return client.post(server.url, data={"update": text}, headers=AUTH, timeout=30)


def count(server, client=httpx) -> int:
    response = client.get(
        server.url, params={"query": COUNT}, headers={"Accept": "text/csv"}, timeout=30
    )
    assert response.status_code == 200, response.text
    return int(response.text.split()[1])


def values_in(folder) -> set[int]:
    """Open the store the way `kg` does after the server is gone, and read the values.

    After a SIGKILL of the server's process group, a killed child may hold RocksDB's lock
    until the kernel has finished tearing it down: wait for that (bounded), nothing else."""
    deadline = time.monotonic() + 20
    while True:
        try:
            store = ox.Store(str(folder))
            break
        except OSError as exc:
            if "LOCK" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)
    try:
        rows = store.query("SELECT ?o WHERE { <urn:t:s> <urn:t:p> ?o }")
        return {int(row["o"].value) for row in rows}
    finally:
        del store


def test_every_read_sees_every_update_and_the_store_opens_after_sigterm(store):
    folder, data = store
    with serve_store(folder, data) as server, httpx.Client() as client:
        for value in range(1, 6):
            assert insert(server, value, client).status_code == 204
            # both workers (and any replacement) answer: each read must see every update
            assert [count(server, client) for _ in range(6)] == [value] * 6
        os.killpg(server.process.pid, signal.SIGTERM)
        server.process.wait(10)
        assert "Traceback" not in server.stderr()
    assert values_in(folder) == {1, 2, 3, 4, 5}


def test_updates_survive_a_timed_out_query_and_a_restart(store):
    folder, data = store
    with serve_store(folder, data, "--timeout", "1") as server:
        assert insert(server, 1).status_code == 204
        slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
        assert httpx.get(server.url, params={"query": slow}, timeout=30).status_code == 503
        assert insert(server, 2).status_code == 204
        assert [count(server) for _ in range(4)] == [2] * 4
    with serve_store(folder, data) as server:
        assert count(server) == 2
        assert insert(server, 3).status_code == 204
    assert values_in(folder) == {1, 2, 3}


def _hammer(server, stop, acknowledged, lock, first):
    """Send updates (unique values) and reads until stopped; record each 204."""
    value = first
    with httpx.Client() as client:
        while not stop.is_set():
            try:
                if value % 3:
                    response = insert(server, value, client)
                    if response.status_code == 204:
                        with lock:
                            acknowledged.add(value)
                else:
                    client.get(server.url, params={"query": COUNT}, timeout=5)
            except httpx.HTTPError:
                pass  # the server was killed mid-request: not acknowledged
            value += 1000


def test_sigkill_at_random_moments_loses_no_acknowledged_update(store):
    folder, data = store
    rng = random.Random(10)
    acknowledged: set[int] = set()
    for round_ in range(ROUNDS):
        with serve_store(folder, data) as server:
            stop, lock = threading.Event(), threading.Lock()
            clients = [
                threading.Thread(
                    target=_hammer,
                    args=(server, stop, acknowledged, lock, round_ * 100 + i + 1),
                )
                for i in range(4)
            ]
            before = len(acknowledged)
            for thread in clients:
                thread.start()
            # kill at a random moment once this round has had an update acknowledged
            deadline = time.monotonic() + 60
            while len(acknowledged) == before and time.monotonic() < deadline:
                time.sleep(0.02)
            time.sleep(rng.uniform(0.0, 1.5))
            os.killpg(server.process.pid, signal.SIGKILL)
            server.process.wait(10)
            stop.set()
            for thread in clients:
                thread.join()
        held = values_in(folder)
        assert acknowledged <= held, f"round {round_}: lost {sorted(acknowledged - held)}"
    assert len(acknowledged) >= ROUNDS  # every round had updates acknowledged


def test_a_non_ascii_bearer_token_is_a_401_not_a_500():
    with running_server(["--allow-update"], env={"KG_SERVE_TOKEN": TOKEN}) as server:
        for offered in ("Bearer t\u00e9l\u00e9phone".encode("latin-1"), b"Bearer \xff\xfe"):
            response = httpx.post(
                server.url,
                data={"update": "INSERT DATA { <urn:a> <urn:b> 1 }"},
                headers={"Authorization": offered},
                timeout=30,
            )
            assert response.status_code == 401, response.text
            assert len(response.text.splitlines()) == 1
        assert insert(server, 1).status_code == 204  # the right token still works
        assert "Traceback" not in server.stderr()
