"""Soak test of `kg serve`: many concurrent clients mixing named queries, hostile queries
and reconciliation batches for a while, against a real server process on 127.0.0.1.

Prints, per kind of request and overall: requests, requests/s, p50/p99 latency, the
status codes seen and errors (a 5xx or a failed connection; the goal is 0), then the peak
resident memory of the server's process tree (sampled every 0.2 s) next to the limit the
configuration implies, whether a listener the hostile queries point at saw any connection,
and whether the server still answers normally afterwards.

    .venv/bin/python scripts/soak_serve.py                 # 200 clients, 60 s, Oxigraph
    .venv/bin/python scripts/soak_serve.py --backend memory --clients 20 --seconds 10
    .venv/bin/python scripts/soak_serve.py --on-disk       # a store made with kg load
    .venv/bin/python scripts/soak_serve.py --backend memory --cache-mb 0   # no answer cache

The "cached" column counts the answers the server gave from its answer cache (header
``X-KG-Cache: hit``, or ``shared``: computed once for several clients at once).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import socket
import ssl
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

import httpx

from kg.serve.testing import running_server


class Listener:
    """A socket the hostile queries name: any connection to it is a leak."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.sock.settimeout(0.2)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/sparql"
        self.connections = 0
        self.stop = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while not self.stop:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()


def hostile(url: str) -> list[str]:
    """Queries an attacker would send; each must get a 4xx, quickly, and reach nothing."""
    return [
        f"SELECT * WHERE {{ # c\r SERVICE <{url}> {{ ?s ?p ?o }} \n}}",
        f"SELECT * WHERE {{ \\u0053ERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"PREFIX : <{url[:-6]}> SELECT * WHERE {{ SERVICE:sparql {{ ?s ?p ?o }} }}",
        f"SELECT * FROM <{url}> WHERE {{ ?s ?p ?o }}",
        "{" * 20000,
        "SELECT * { FILTER(" + "(" * 3000 + "1" + ")" * 3000 + ") }",
        "SELECT * WHERE { ?s ?p }",
        "ASK { GRAPH <file:///etc/passwd> { ?s ?p ?o } }",
    ]


def batches() -> list[str]:
    names = ["Armenia", "Azerbaijan", "Russia", "CSTO", "Pashinyan", "Aliyev", "Moscow"]
    small = {f"q{i}": {"query": n} for i, n in enumerate(names)}
    large = {f"q{i}": {"query": f"{random.choice(names)} {i}"} for i in range(200)}
    return [json.dumps(small), json.dumps(large)]


def calibrate(url: str, named: list[dict]) -> tuple[list[dict], list[str]]:
    """Run each named query once, alone: those the server stops at its timeout are set apart."""
    kept, slow = [], []
    for query in named:
        response = httpx.post(url, data={"query": query["text"]}, timeout=120)
        if response.status_code == 503 and "time limit" in response.text:
            slow.append(f"{query['name']} ({response.headers.get('server-timing', '')})")
        else:
            kept.append(query)
    return kept, slow


def tree_pids(pid: int) -> list[int]:
    """``pid`` and all its descendants."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        with contextlib.suppress(OSError, ValueError):
            for task in Path(f"/proc/{current}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
    return found


def tree_schedule(pid: int) -> dict[int, tuple[int, int]]:
    """Per process of the tree: nanoseconds run on a CPU, and waited runnable for one."""
    times = {}
    for current in tree_pids(pid):
        with contextlib.suppress(OSError, ValueError, IndexError):
            for task in Path(f"/proc/{current}/task").iterdir():  # every thread
                ran, waited = (task / "schedstat").read_text().split()[:2]
                times[int(task.name)] = (int(ran), int(waited))
    return times


def report_schedule(before: dict, after: dict, seconds: float) -> None:
    """How much CPU the server's tree got, and how long it waited for a CPU it needed."""
    ran = sum(r - before.get(p, (0, 0))[0] for p, (r, _) in after.items()) / 1e9
    waited = sum(w - before.get(p, (0, 0))[1] for p, (_, w) in after.items()) / 1e9
    print(
        f"the server's process tree ran {ran:.1f} s on a CPU and waited {waited:.1f} s, "
        f"runnable, for one, in {seconds:.0f} s ({ran / seconds:.2f} of the machine's "
        f"{os.cpu_count()} cores; workers that died are not counted)"
    )


def tree_rss(pid: int) -> int:
    """Resident bytes of ``pid`` and all its descendants."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total += int(status.split("VmRSS:")[1].split()[0]) * 1024
            for task in Path(f"/proc/{current}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (FileNotFoundError, IndexError, ProcessLookupError):
            continue
    return total


def server_seconds(response: httpx.Response) -> float | None:
    """The server's own time for the request (its ``Server-Timing: kg;dur=MS`` header)."""
    timing = response.headers.get("server-timing", "")
    if not timing.startswith("kg;dur="):
        return None
    return float(timing.split("=", 1)[1]) / 1000


async def client(http, base, plan, stop_at, results):
    """One user: its own HTTP client with one kept-alive connection (a shared pool of 200
    connections costs httpx time per request that grows with the pool, and that time
    showed as latency)."""
    async with http:
        while time.monotonic() < stop_at:
            kind, method, path, data = random.choice(plan)
            started = time.monotonic()
            inside, cached = None, False
            try:
                response = await http.request(method, base + path, data=data)
                status, inside = response.status_code, server_seconds(response)
                cached = response.headers.get("x-kg-cache") in ("hit", "shared")
            except httpx.HTTPError as exc:
                status = type(exc).__name__
            results[kind].append((time.monotonic() - started, status, inside, cached))


async def soak(base: str, plan, clients: int, seconds: float, pid: int):
    results: dict[str, list] = defaultdict(list)
    peak = [0]
    lags: list[float] = []

    async def sample():
        """Peak memory of the server's tree, and how late this client's own loop runs."""
        while time.monotonic() < stop_at:
            peak[0] = max(peak[0], tree_rss(pid))
            before = time.monotonic()
            await asyncio.sleep(0.2)
            lags.append(time.monotonic() - before - 0.2)

    # made before the clock starts, sharing one TLS context: each client building its own
    # (certificates read and parsed) blocked this loop for seconds and showed as latency
    tls = ssl.create_default_context()
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    https = [httpx.AsyncClient(timeout=60, limits=limits, verify=tls) for _ in range(clients)]
    stop_at = time.monotonic() + seconds
    sampler = asyncio.create_task(sample())
    await asyncio.gather(*[client(h, base, plan, stop_at, results) for h in https])
    await sampler
    lags.sort()
    print(
        f"the soak's own event loop ran late by p50 {1000 * statistics.median(lags):.0f} ms, "
        f"p99 {1000 * lags[int(0.99 * (len(lags) - 1))]:.0f} ms, max {1000 * lags[-1]:.0f} ms "
        "(its share of the latencies)"
    )
    return results, peak[0]


def _percentiles(times: list[float]) -> str:
    if not times:
        return f"{'-':>8} {'-':>8}"
    times = sorted(times)
    p50 = 1000 * statistics.median(times)
    p99 = 1000 * times[int(0.99 * (len(times) - 1))]
    return f"{p50:8.1f} {p99:8.1f}"


def _row(kind: str, rows: list, seconds: float) -> str:
    client = _percentiles([row[0] for row in rows])
    server = _percentiles([row[2] for row in rows if row[2] is not None])
    cached = sum(row[3] for row in rows)
    return f"{kind:10} {len(rows):8d} {len(rows) / seconds:7.1f} {client} {server} {cached:7d}"


def is_error(status) -> bool:
    return not isinstance(status, int) or status >= 500


def report(results, seconds: float) -> int:
    head = f"{'kind':10} {'requests':>8} {'req/s':>7} {'p50 ms':>8} {'p99 ms':>8}"
    print("(p50/p99 as the clients saw them, then the server's own time: Server-Timing)")
    print(f"{head} {'srv p50':>8} {'srv p99':>8} {'cached':>7} {'errors':>6}  statuses")
    everything, errors = [], 0
    for kind in sorted(results):
        rows = results[kind]
        everything += rows
        bad = sum(is_error(row[1]) for row in rows)
        errors += bad
        statuses = ", ".join(
            f"{s}: {n}" for s, n in sorted(Counter(row[1] for row in rows).items(), key=str)
        )
        print(f"{_row(kind, rows, seconds)} {bad:6d}  {statuses}")
    print(f"{_row('all', everything, seconds)} {errors:6d}")
    return errors


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--memory-limit", type=int, default=1024, help="MB per worker")
    parser.add_argument("--backend", default="oxigraph", help="memory or oxigraph")
    parser.add_argument(
        "--cache-mb", type=float, default=64, help="kg serve's answer cache (0: off)"
    )
    parser.add_argument(
        "--on-disk",
        action="store_true",
        help="serve an on-disk Oxigraph store made with kg load (read-only workers)",
    )
    options = parser.parse_args()
    listener = Listener()
    args = ["--workers", str(options.workers), "--memory-limit", str(options.memory_limit)]
    args += ["--cache-mb", f"{options.cache_mb:g}"]
    with contextlib.ExitStack() as stack:
        global_args = ["--backend", options.backend]
        if options.on_disk:
            folder = Path(stack.enter_context(tempfile.TemporaryDirectory())) / "store"
            made_store(folder)
            global_args = ["--backend", "oxigraph", "--store", str(folder)]
            options.backend = f"oxigraph store on disk, {folder}"
        server = stack.enter_context(running_server(args, global_args, startup=120))
        healthy = soak_one(server, listener, options)
    listener.stop = True
    return 0 if healthy and listener.connections == 0 else 1


def made_store(folder: Path) -> None:
    """``kg --store FOLDER load data/triples.ttl`` (with the ontology and vocabularies)."""
    data = Path(__file__).resolve().parent.parent / "data" / "triples.ttl"
    command = [sys.executable, "-m", "kg", "--store", str(folder), "load", str(data)]
    subprocess.run(command, check=True, capture_output=True, timeout=600)


def soak_one(server, listener: Listener, options: argparse.Namespace) -> bool:
    """Calibrate, soak, report; True when there were no errors and the server is healthy."""
    named = httpx.get(server.base + "/queries", timeout=60).json()
    named, slow = calibrate(server.url, named)
    if slow:
        print(
            "left out of the mix: named queries that run past the server's timeout even "
            f"alone on this backend here (each would be a 503 by design): {', '.join(slow)}"
        )
    plan = [("named", "POST", "/sparql", {"query": q["text"]}) for q in named]
    plan += [("hostile", "POST", "/sparql", {"query": q}) for q in hostile(listener.url)]
    plan += [("reconcile", "POST", "/reconcile", {"queries": b}) for b in batches()]
    idle = tree_rss(server.process.pid)
    print(
        f"kg serve ({options.backend}): {options.workers} workers, "
        f"memory limit {options.memory_limit} MB each; answer cache {options.cache_mb:g} MB; "
        f"{options.clients} clients for {options.seconds:g} s; "
        f"{len(named)} named queries, {len(hostile(listener.url))} hostile queries, "
        f"{len(batches())} reconciliation batches (one of 200 queries)"
    )
    load = os.getloadavg()[0]
    scheduled = tree_schedule(server.process.pid)
    started = time.monotonic()
    results, peak = asyncio.run(
        soak(server.base, plan, options.clients, options.seconds, server.process.pid)
    )
    elapsed = time.monotonic() - started
    report_schedule(scheduled, tree_schedule(server.process.pid), elapsed)
    errors = report(results, elapsed)
    print(f"load average (1 min) before: {load:.1f}, after: {os.getloadavg()[0]:.1f}")
    bound = idle + options.workers * options.memory_limit * 1024 * 1024
    print(
        f"peak RSS of the process tree: {peak / 2**20:.0f} MB (idle {idle / 2**20:.0f} MB; "
        f"bound by the limits: idle + workers x limit = {bound / 2**20:.0f} MB)"
    )
    print(f"connections to the hostile queries' listener: {listener.connections}")
    after = httpx.post(server.url, data={"query": named[0]["text"]}, timeout=60)
    ask = httpx.get(server.url, params={"query": "ASK { ?s ?p ?o }"}, timeout=60)
    print(
        f"afterwards: named query {named[0]['name']} -> {after.status_code}, "
        f"ASK -> {ask.status_code} {ask.text.strip()}"
    )
    healthy = after.status_code == 200 and ask.status_code == 200
    traceback_lines = server.stderr().count("Traceback")
    print(f"tracebacks in the server log: {traceback_lines}")
    return errors == 0 and healthy


if __name__ == "__main__":
    raise SystemExit(main())
