"""Benchmark the linking code against simple baselines measured in the same run.

1. Reconciliation service (``kg.linking.reconcile_service``): a batch of queries (entity labels
   with one typo each) answered from the rapidfuzz index, against the same index scored with
   the standard library's ``difflib.SequenceMatcher`` (the obvious dependency-free baseline).
   Reported: index build time, batch time, the speed-up ratio, and how often the intended
   entity comes first (accuracy), for the article's graph and synthetic graphs.
2. HTTP client (``kg.linking.http_client``): reconciling labels against a local Oxigraph server
   holding the Wikidata-shaped test sample, cold (every answer fetched) against warm (every
   answer from the on-disk cache).

Usage::

    .venv/bin/python scripts/bench_linking.py [--sizes 10000 50000] [--queries 200] [--markdown]
"""

from __future__ import annotations

import argparse
import difflib
import random
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import kg  # noqa: E402
from kg.linking.reconcile_service import ReconciliationIndex  # noqa: E402


def typo(text: str, rng: random.Random) -> str:
    """Swap two neighbouring letters (or drop one), as a hurried user would."""
    if len(text) < 4:
        return text
    i = rng.randrange(1, len(text) - 2)
    if rng.random() < 0.5:
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    return text[:i] + text[i + 1 :]


def difflib_top(index: ReconciliationIndex, text: str) -> str:
    """The baseline: the entity whose best label has the highest difflib ratio."""
    best, best_iri = -1.0, None
    wanted = " ".join(sorted(text.lower().split()))
    for entry in index.entries.values():
        for label in entry.labels:
            s = difflib.SequenceMatcher(
                None, wanted, " ".join(sorted(label.lower().split()))
            ).ratio()
            if s > best:
                best, best_iri = s, entry.iri
    return str(best_iri)


def bench_service(name: str, graph, queries: int, rng: random.Random) -> dict:
    start = time.perf_counter()
    index = ReconciliationIndex.from_graph(graph)
    build = time.perf_counter() - start
    picked = rng.sample(sorted(index.entries), min(queries, len(index.entries)))
    asked = {
        f"q{i}": (iri, typo(index.entries[iri].labels[0], rng)) for i, iri in enumerate(picked)
    }
    batch = {key: {"query": text, "limit": 3} for key, (_, text) in asked.items()}
    start = time.perf_counter()
    answer = index.reconcile(batch)
    ours = time.perf_counter() - start
    ours_right = sum(
        bool(answer[k]["result"]) and index._iri(answer[k]["result"][0]["id"]) == iri
        for k, (iri, _) in asked.items()
    )
    start = time.perf_counter()
    base_right = sum(difflib_top(index, text) == str(iri) for iri, text in asked.values())
    base = time.perf_counter() - start
    return {
        "graph": name,
        "entities": len(index.entries),
        "queries": len(asked),
        "index build s": f"{build:.2f}",
        "rapidfuzz s": f"{ours:.3f}",
        "difflib s": f"{base:.3f}",
        "speed-up": f"{base / ours:.1f}x",
        "top-1 rapidfuzz": f"{ours_right / len(asked):.0%}",
        "top-1 difflib": f"{base_right / len(asked):.0%}",
    }


def bench_http(labels: list[str]) -> dict:
    from kg.linking.http_client import HttpClient
    from kg.linking.reconcile_client import ReconQuery, SparqlCandidates

    oxigraph = Path(sys.executable).parent / "oxigraph"
    with tempfile.TemporaryDirectory() as tmp:
        store, cache = Path(tmp) / "store", Path(tmp) / "cache"
        sample = ROOT / "tests" / "fixtures" / "wikidata_sample.ttl"
        subprocess.run(
            [oxigraph, "load", "--location", store, "--file", sample],
            check=True,
            capture_output=True,
        )
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        server = subprocess.Popen(
            [oxigraph, "serve", "--location", store, "--bind", f"127.0.0.1:{port}"],
            stderr=subprocess.DEVNULL,
        )
        try:
            endpoint = f"http://127.0.0.1:{port}/query"
            for _ in range(200):
                try:
                    HttpClient(cache_dir=None, retries=0).sparql(endpoint, "ASK {}")
                    break
                except Exception:  # not listening yet
                    time.sleep(0.05)
            queries = [ReconQuery(str(i), label) for i, label in enumerate(labels)]
            timings = []
            for _ in range(2):  # cold, then warm
                source = SparqlCandidates(
                    endpoint, HttpClient(cache_dir=cache, min_interval=0), batch=1
                )
                start = time.perf_counter()
                source.candidates(queries)
                timings.append((time.perf_counter() - start, source.http.requests_sent))
        finally:
            server.terminate()
            server.wait()
    (cold, sent), (warm, sent_warm) = timings
    return {
        "labels": len(labels),
        "cold s": f"{cold:.3f}",
        "requests cold": sent,
        "warm s": f"{warm:.4f}",
        "requests warm": sent_warm,
        "speed-up": f"{cold / warm:.0f}x",
    }


def table(rows: list[dict], markdown: bool) -> str:
    head = list(rows[0])
    cells = [head] + [[str(r[h]) for h in head] for r in rows]
    widths = [max(len(c[i]) for c in cells) for i in range(len(head))]
    if markdown:
        lines = ["| " + " | ".join(c) + " |" for c in cells]
        lines.insert(1, "|" + "|".join("---" for _ in head) + "|")
        return "\n".join(lines)
    return "\n".join(
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in cells
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[10_000, 50_000])
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args()
    rng = random.Random(0)
    rows = [bench_service("article", kg.load(), args.queries, rng)]
    from kg.bench.synthetic import write_ntriples

    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            path = Path(tmp) / f"synthetic-{size}.nt"
            with path.open("w", encoding="utf-8") as out:
                write_ntriples(out, size, seed=1)
            rows.append(bench_service(f"synthetic {size:,}", kg.load(path), args.queries, rng))
    print("Reconciliation service: rapidfuzz index vs difflib baseline (same run)")
    print(table(rows, args.markdown))
    labels = [
        "Armenia",
        "Azerbaijan",
        "Russia",
        "Belarus",
        "Kazakhstan",
        "Kyrgyzstan",
        "Tajikistan",
        "Ukraine",
        "CSTO",
        "NATO",
        "Baku",
        "Yerevan",
        "Moscow",
        "Georgia",
    ]
    print()
    print("HTTP client: candidates from a local Oxigraph, cold vs on-disk cache (same run)")
    print(table([bench_http(labels)], args.markdown))


if __name__ == "__main__":
    main()
