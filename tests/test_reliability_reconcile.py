"""`/reconcile` runs in the same bounded workers as queries: heavy batches are stopped at
the timeout, never take every worker from `/sparql`, and leave nothing running after the
clients leave; malformed batches get a one-line 400. Real server processes on 127.0.0.1."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import httpx
import pytest

from kg.serve.reconcile import MAX_DEPTH, MAX_PROPERTIES, MAX_TEXT
from kg.serve.testing import running_server

pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def server():
    with running_server(["--workers", "2", "--timeout", "2"]) as running:
        yield running


def reconcile(server, body, **kwargs):
    return httpx.post(server.base + "/reconcile", timeout=60, **kwargs, data={"queries": body})


def heavy_batch() -> str:
    words = "Armenia Azerbaijan Russia Georgia Kazakhstan Belarus treaty alliance " * 8
    return json.dumps({f"q{i}": {"query": words[i : i + MAX_TEXT]} for i in range(200)})


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("[" * 100_000 + "]" * 100_000, f"nested more than {MAX_DEPTH} levels"),
        (json.dumps({"q0": {"query": "x" * (MAX_TEXT + 1)}}), f"longer than {MAX_TEXT}"),
        (
            json.dumps({"q0": {"query": "x", "properties": [{"pid": "p", "v": "1"}] * 50}}),
            f"more than {MAX_PROPERTIES} properties",
        ),
        (json.dumps({f"q{i}": "x" for i in range(201)}), "at most 200 queries"),
        ("{not json", "not valid JSON"),
    ],
)
def test_malformed_batches_get_a_one_line_400(server, body, message):
    response = reconcile(server, body)
    assert response.status_code == 400
    assert message in response.json()["message"]
    assert "Traceback" not in server.stderr()


def test_deeply_nested_json_body_is_a_400_not_a_500(server):
    body = '{"queries": ' + "[" * 200_000 + "]" * 200_000 + "}"
    response = httpx.post(
        server.base + "/reconcile",
        content=body[:900_000],
        headers={"content-type": "application/json"},
        timeout=60,
    )
    assert response.status_code == 400, response.text
    assert "Traceback" not in server.stderr()


def cpu_seconds(pids) -> float:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / 100


def test_heavy_batches_do_not_starve_sparql_and_stop_when_clients_leave(server):
    statuses, latencies = [], []
    batch = heavy_batch()

    def hammer():
        statuses.append(reconcile(server, batch).status_code)

    threads = [threading.Thread(target=hammer) for _ in range(4)]
    for thread in threads:
        thread.start()
    time.sleep(0.3)
    with httpx.Client() as client:
        for _ in range(10):
            started = time.monotonic()
            r = client.get(server.url, params={"query": "ASK {}"}, timeout=30)
            latencies.append(time.monotonic() - started)
            assert r.status_code == 200, r.text
    for thread in threads:
        thread.join()
    assert set(statuses) <= {200, 503}
    # /sparql kept a worker of its own: no query waited for a batch to end (timeout 2 s)
    assert max(latencies) < 1.5, latencies
    # nothing keeps running once the clients have their answers
    time.sleep(0.5)
    tree = [server.process.pid, *server.descendants()]
    before = cpu_seconds(tree)
    time.sleep(1.0)
    assert cpu_seconds(tree) - before < 0.3
    assert reconcile(server, json.dumps({"q0": {"query": "Armenia"}})).status_code == 200
