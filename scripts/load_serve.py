"""Load test for `kg serve`: many concurrent clients on loopback, for a bounded time.

Starts a real `kg serve` on a free 127.0.0.1 port for each worker mode, measures one client
alone (the baseline), then N concurrent clients for D seconds, and prints a table of
requests/s, p50/p99 latency and errors, with ratios against the baseline of the same run.
The clients send a mix of GET and POST queries (a named query, a small SELECT, an ASK).

Usage:
    .venv/bin/python scripts/load_serve.py                  # 50 clients, 20 s, both modes
    .venv/bin/python scripts/load_serve.py --clients 10 --duration 5 --modes processes
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from dataclasses import dataclass, field

import httpx

from kg.queries import get_query
from kg.serve.testing import running_server

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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--duration", type=float, default=20.0)
    parser.add_argument("--baseline", type=float, default=5.0, help="seconds of 1 client")
    parser.add_argument("--modes", default="processes,threads", help="processes,threads")
    args = parser.parse_args(argv)
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
        with running_server(MODES[mode]) as server:
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
