"""Load test for `kg serve`: many concurrent clients on loopback, for a bounded time.

Starts a real `kg serve` on a free 127.0.0.1 port for each worker mode, measures one client
alone (the baseline), then N concurrent clients for D seconds, and prints a table of
requests/s, p50/p99 latency and errors, with ratios against the baseline of the same run.
The clients send a mix of GET and POST queries (a named query, a small SELECT, an ASK).

With ``--peer rdflib-endpoint`` it runs kg serve and rdflib-endpoint (the benchmark-only
``bench`` extra) side by side instead: the same data (kg.load(): ontology, vocabularies,
data), the same engine (rdflib in memory), the same uvicorn, the same request mix, at 1, 10
and 50 clients, and prints each one's requests/s with the ratio kg / rdflib-endpoint.

Usage:
    .venv/bin/python scripts/load_serve.py                  # 50 clients, 20 s, both modes
    .venv/bin/python scripts/load_serve.py --clients 10 --duration 5 --modes processes
    .venv/bin/python scripts/load_serve.py --peer rdflib-endpoint --duration 10
    .venv/bin/python scripts/load_serve.py --peer rdflib-endpoint --cache-mb 0   # no cache

kg serve remembers answers (``--cache-mb``, 64 by default), and this mix repeats three
queries, so with the cache nearly every kg answer comes from it; ``--cache-mb 0`` measures
the workers themselves.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field

import httpx

from kg.queries import get_query
from kg.serve.testing import free_port, running_server

MODES = {"processes": ["--workers", "2"], "threads": ["--workers", "0"]}
STATES = (
    "PREFIX kg: <https://w3id.org/kg-ir/ontology#> SELECT ?s WHERE { ?s a kg:State } ORDER BY ?s"
)


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def error(self, what: str) -> None:
        self.errors[what] = self.errors.get(what, 0) + 1

    @property
    def requests(self) -> int:
        return len(self.latencies) + sum(self.errors.values())

    def percentile(self, p: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000


def requests_mix(url: str) -> list[dict]:
    named = get_query("alliance_memberships").text
    return [
        {"method": "GET", "url": url, "params": {"query": "ASK { ?s ?p ?o }"}},
        {
            "method": "POST",
            "url": url,
            "data": {"query": STATES},
            "headers": {"accept": "text/csv"},
        },
        {
            "method": "POST",
            "url": url,
            "content": named,
            "headers": {"content-type": "application/sparql-query"},
        },
    ]


async def client(http: httpx.AsyncClient, mix: list[dict], deadline: float, tally: Tally, n: int):
    i = n
    while time.monotonic() < deadline:
        spec = mix[i % len(mix)]
        i += 1
        started = time.monotonic()
        try:
            response = await http.request(**spec)
        except httpx.HTTPError as exc:
            tally.error(type(exc).__name__)
            continue
        if response.status_code == 200:
            tally.latencies.append(time.monotonic() - started)
        else:
            tally.error(f"HTTP {response.status_code}")


async def load(url: str, clients: int, duration: float) -> Tally:
    tally = Tally()
    mix = requests_mix(url)
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(limits=limits, timeout=30) as http:
        started = time.monotonic()
        deadline = started + duration
        tasks = [client(http, mix, deadline, tally, n) for n in range(clients)]
        # Bounded: a request in flight at the deadline gets at most its 30 s timeout.
        await asyncio.wait_for(asyncio.gather(*tasks), duration + 35)
        tally.seconds = time.monotonic() - started
    return tally


def row(label: str, tally: Tally, base: Tally | None) -> str:
    rate = tally.requests / tally.seconds
    p50, p99 = tally.percentile(50), tally.percentile(99)
    errors = sum(tally.errors.values())
    ratio = ""
    if base is not None:
        base_rate = base.requests / base.seconds
        ratio = f"{rate / base_rate:5.2f}x   {p50 / base.percentile(50):5.2f}x"
    return (
        f"{label:<24} {tally.requests:>8} {rate:>8.1f} {p50:>8.1f} {p99:>8.1f} "
        f"{errors:>6}   {ratio}"
    )


#: rdflib-endpoint on the graph kg serve serves: kg.load()'s rdflib Graph, under uvicorn.
PEER = """
import sys, uvicorn, kg
from rdflib_endpoint import SparqlEndpoint
app = SparqlEndpoint(graph=kg.load().rdflib_graph, title="peer")
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning", access_log=False)
"""


@contextlib.contextmanager
def running_peer(startup: float = 60.0):
    """Run rdflib-endpoint on 127.0.0.1 until the block ends; yields its SPARQL URL."""
    try:
        import rdflib_endpoint  # noqa: F401
    except ImportError:
        raise SystemExit(
            "--peer rdflib-endpoint needs: .venv/bin/pip install -e '.[bench]'"
        ) from None
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            [sys.executable, "-c", PEER, str(port)], stderr=log, start_new_session=True
        )
        try:
            _wait_until_up(url, process, log, startup)
            yield url
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            process.wait(10)


def _wait_until_up(url: str, process: subprocess.Popen, log, startup: float) -> None:
    deadline = time.monotonic() + startup
    while True:
        try:
            httpx.get(url, params={"query": "ASK { ?s ?p ?o }"}, timeout=5)
            return
        except httpx.HTTPError:
            if process.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                raise RuntimeError(
                    f"rdflib-endpoint did not start: {log.read()[-500:]!r}"
                ) from None
            time.sleep(0.2)


def compare_with_peer(duration: float, clients: list[int], cache_mb: float = 64) -> int:
    """kg serve and rdflib-endpoint, one after the other at each client count."""
    print(
        f"kg serve vs rdflib-endpoint: same data, rdflib engine, uvicorn; {duration:g} s each; "
        f"kg's answer cache {cache_mb:g} MB; load average {os.getloadavg()[0]:.1f}"
    )
    print(
        f"{'clients':>7} {'kg req/s':>9} {'kg p50':>7} {'peer req/s':>11} {'peer p50':>9} "
        f"{'kg/peer':>8} {'errors':>7}"
    )
    failures = 0
    kg_args = ["--cache-mb", f"{cache_mb:g}"]
    with running_server(kg_args, ["--backend", "memory"]) as server, running_peer() as peer:
        for n in clients:
            ours = asyncio.run(load(server.url, n, duration))
            theirs = asyncio.run(load(peer, n, duration))
            rate, peer_rate = ours.requests / ours.seconds, theirs.requests / theirs.seconds
            errors = sum(ours.errors.values()) + sum(theirs.errors.values())
            print(
                f"{n:>7} {rate:>9.1f} {ours.percentile(50):>7.1f} {peer_rate:>11.1f} "
                f"{theirs.percentile(50):>9.1f} {rate / peer_rate:>7.2f}x {errors:>7}"
            )
            if errors:
                print(f"  errors: kg {ours.errors}, peer {theirs.errors}")
            failures += errors
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    return 1 if failures else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--duration", type=float, default=20.0)
    parser.add_argument("--baseline", type=float, default=5.0, help="seconds of 1 client")
    parser.add_argument("--modes", default="processes,threads", help="processes,threads")
    parser.add_argument("--peer", choices=["rdflib-endpoint"], help="compare with this server")
    parser.add_argument("--peer-clients", default="1,10,50", help="client counts with --peer")
    parser.add_argument("--cache-mb", type=float, default=64, help="kg serve's answer cache")
    args = parser.parse_args(argv)
    if args.peer:
        counts = [int(n) for n in args.peer_clients.split(",")]
        return compare_with_peer(args.duration, counts, args.cache_mb)
    print(
        f"{args.clients} clients x {args.duration:g} s per mode; baseline = 1 client "
        f"x {args.baseline:g} s on the same server"
    )
    print(
        f"{'run':<24} {'requests':>8} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} "
        f"{'errors':>6}   req/s and p50 vs baseline"
    )
    failures = 0
    for mode in args.modes.split(","):
        with running_server([*MODES[mode], "--cache-mb", f"{args.cache_mb:g}"]) as server:
            base = asyncio.run(load(server.url, 1, args.baseline))
            print(row(f"{mode}: 1 client", base, None))
            busy = asyncio.run(load(server.url, args.clients, args.duration))
            print(row(f"{mode}: {args.clients} clients", busy, base))
            if busy.errors:
                print(f"  errors: {busy.errors}")
            failures += sum(busy.errors.values()) + sum(base.errors.values())
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
