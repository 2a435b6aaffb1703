"""Benchmark kg's backends against the engines under them, on a synthetic graph.

One run compares, side by side and at each size: rdflib in memory (the baseline of the
issue), kg's default backend (rdflib behind kg's interface), kg's Oxigraph backend (rows
left as pyoxigraph terms, and with ``.rows`` converted to rdflib terms), raw pyoxigraph,
and, against a local ``oxigraph serve``, raw HTTP with TSV results versus kg's remote
backend. Measured: load throughput, the competency queries (ontology/queries, total), a
2-hop join, an aggregation, and view building (a hook: ``view_cases`` in
scripts/bench_engines.py); medians of ``--repeat`` runs, ratios against the baselines
measured in the same run, and the peak memory of each engine's process (each engine runs
in its own subprocess).

Example:
    .venv/bin/python scripts/bench.py                    # 100k triples, a minute or two
    .venv/bin/python scripts/bench.py --sizes 100k,1M    # the issue's table, ~10 minutes
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import click

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from bench_engines import LOCAL, PAIRS, REMOTE, run_pair, run_worker  # noqa: E402

# -- the conductor ----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def oxigraph_binary() -> str:
    binary = Path(sys.executable).parent / "oxigraph"
    return str(binary) if binary.exists() else (shutil.which("oxigraph") or "oxigraph")


def start_server(files: list[Path], workdir: Path) -> tuple[subprocess.Popen, str, float]:
    """Bulk load the files with ``oxigraph load``, then ``oxigraph serve`` them."""
    import httpx

    location = workdir / "server-store"
    shutil.rmtree(location, ignore_errors=True)
    started = time.perf_counter()
    for file in files:
        subprocess.run(
            [oxigraph_binary(), "load", "--location", str(location), "--file", str(file)],
            check=True,
            capture_output=True,
        )
    load_seconds = time.perf_counter() - started
    port = free_port()
    process = subprocess.Popen(
        [oxigraph_binary(), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}/query"
    for _ in range(400):
        try:
            httpx.post(endpoint, data={"query": "ASK {}"}, timeout=1)
            break
        except httpx.TransportError:
            time.sleep(0.05)
    return process, endpoint, load_seconds


def server_peak_mb(process: subprocess.Popen) -> float:
    try:
        for line in Path(f"/proc/{process.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def run_in_worker(name, files, repeat, load_repeat, endpoint=None, skip_cq=False) -> dict:
    command = [sys.executable, __file__, "--worker", name, "--repeat", str(repeat)]
    if skip_cq:
        command.append("--skip-cq")
    command += ["--load-repeat", str(load_repeat)]
    if endpoint:
        command += ["--endpoint", endpoint]
    command += ["--files", ",".join(map(str, files))]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise click.ClickException(f"worker {name} failed:\n{done.stderr}")
    return json.loads(done.stdout)


def help_start_time(repeat: int = 7) -> tuple[float, float]:
    """Median wall time of ``kg --help``, and of a bare ``python -c pass`` for scale."""
    kg = Path(sys.executable).parent / "kg"

    def median_of(command: list[str]) -> float:
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            subprocess.run(command, capture_output=True, check=True)
            times.append(time.perf_counter() - started)
        return statistics.median(times)

    return median_of([str(kg), "--help"]), median_of([sys.executable, "-c", "pass"])


def fmt_seconds(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.3f} s" if value < 10 else f"{value:.1f} s"


def print_size(
    label: str, results: dict[str, dict], server: dict, paired: dict | None = None
) -> None:
    names = [n for n in LOCAL + REMOTE if n in results]
    med = {n: {c: statistics.median(t) for c, t in r["cases"].items()} for n, r in results.items()}
    loads = {n: statistics.median(r["load"]) if r["load"] else None for n, r in results.items()}
    triples = results["pyoxigraph"]["triples"]
    rows_out = []
    header = ["", *names]
    rows_out.append(header)
    rows_out.append(["load (s)", *(fmt_seconds(loads[n]) for n in names)])
    rows_out.append(
        [
            "load (triples/s)",
            *(f"{triples / loads[n]:,.0f}" if loads[n] else "—" for n in names),
        ]
    )
    cases = list(results["pyoxigraph"]["cases"])
    cq = [c for c in cases if c.startswith("cq ")]
    for case in [c for c in cases if not c.startswith("cq ")]:
        rows = results["pyoxigraph"]["rows"][case]
        rows_out.append(
            [f"{case} ({rows:,} rows)", *(fmt_seconds(med[n].get(case)) for n in names)]
        )
    rows_out.append(
        [
            f"competency queries ({len(cq)}, total)",
            *(
                fmt_seconds(sum(med[n][c] for c in cq)) if all(c in med[n] for c in cq) else "—"
                for n in names
            ),
        ]
    )
    rows_out.append(["peak memory (MB)", *(f"{results[n]['peak_mb']:.0f}" for n in names)])
    widths = [max(len(r[i]) for r in rows_out) for i in range(len(header))]
    print(f"\n## {label}: {triples:,} triples")
    for i, row in enumerate(rows_out):
        print(
            "  ".join(
                cell.rjust(w) if j else cell.ljust(w)
                for j, (cell, w) in enumerate(zip(row, widths, strict=True))
            )
        )
        if i == 0:
            print("  ".join("-" * w for w in widths))
    if server:
        print(
            f"(oxigraph serve: offline bulk load {server['load']:.1f} s, "
            f"peak memory {server['peak_mb']:.0f} MB)"
        )
    mismatched = [
        c
        for c in cases
        if len({results[n]["rows"][c] for n in names if c in results[n]["rows"]}) > 1
    ]
    if mismatched:
        print(f"WARNING: engines disagree on row counts for: {', '.join(mismatched)}")

    def ratio(a: str, b: str, measure: str) -> str:
        if a not in results or b not in results:
            return "—"
        if measure == "load":
            x, y = loads[a], loads[b]
        elif measure == "cq":
            if not all(c in med[a] and c in med[b] for c in cq):
                return "—"
            x, y = sum(med[a][c] for c in cq), sum(med[b][c] for c in cq)
        else:
            x, y = med[a].get(measure), med[b].get(measure)
        return f"{x / y:.2f}x" if x and y else "—"

    print("\nratios (time / time; < 1 is faster)")
    pairs = [
        ("kg-oxigraph", "pyoxigraph", "kg Oxigraph backend vs raw pyoxigraph (goal <= 1.2x)"),
        ("kg-oxigraph.rows", "pyoxigraph", "same, rows as rdflib terms"),
        ("kg-oxigraph", "rdflib", "kg Oxigraph backend vs rdflib (goal <= 0.2x)"),
        ("kg-memory", "rdflib", "kg default backend vs rdflib"),
        ("kg-remote", "http-tsv", "kg remote backend vs raw HTTP TSV (goal <= 1.3x)"),
    ]
    measures = ["load", "2-hop join", "aggregation", "cq"]
    table = [["", "load", "2-hop join", "aggregation", "competency"]]
    for a, b, label_ in pairs:
        table.append([label_, *(ratio(a, b, m) for m in measures)])
    worst = []
    for key, (a, b), label_ in (
        (
            "local",
            PAIRS[0],
            "paired, same process and data: kg Oxigraph vs raw pyoxigraph (<= 1.2x)",
        ),
        ("remote", PAIRS[1], "paired, same process: kg remote vs raw HTTP TSV (<= 1.3x)"),
    ):
        if not paired or key not in paired:
            continue
        run = paired[key]
        pm = {n: {c: statistics.median(t) for c, t in run["cases"][n].items()} for n in (a, b)}
        cells = []
        for m in measures:
            if m == "load":
                ok = run["load"] and run["load"].get(a)
                cells.append(
                    f"{statistics.median(run['load'][a]) / statistics.median(run['load'][b]):.2f}x"
                    if ok
                    else "—"
                )
            elif m == "cq":
                cqs = [c for c in pm[a] if c.startswith("cq ")]
                cells.append(f"{sum(pm[a][c] for c in cqs) / sum(pm[b][c] for c in cqs):.2f}x")
            else:
                cells.append(f"{pm[a][m] / pm[b][m]:.2f}x")
        table.append([label_, *cells])
        ranked = sorted(((pm[a][c] / pm[b][c], c) for c in pm[a]), reverse=True)[:3]
        slowest = ", ".join(f"{c} {v:.2f}x ({pm[a][c] * 1e3:,.1f} ms)" for v, c in ranked)
        worst.append(f"{label_.split(': ')[1]}: slowest cases {slowest}")
        differ = [
            c for c in run.get("rows", {}).get(a, {}) if run["rows"][a][c] != run["rows"][b][c]
        ]
        if differ:
            worst.append(f"WARNING: the pair's row counts differ for: {', '.join(differ)}")
        if run.get("triples"):
            counts = ", ".join(f"{n} {t:,}" for n, t in run["triples"].items())
            worst.append(f"  triples queried (default graph): {counts}")
    widths = [max(len(r[i]) for r in table) for i in range(len(table[0]))]
    for row in table:
        print(
            "  ".join(
                c.rjust(w) if j else c.ljust(w)
                for j, (c, w) in enumerate(zip(row, widths, strict=True))
            )
        )
    for line in worst:
        print(line)


def parse_sizes(text: str) -> list[int]:
    from generate import parse_size

    return [parse_size(part) for part in text.split(",") if part.strip()]


@click.command()
@click.option("--sizes", default="100k", show_default=True, help="Graph sizes, e.g. 100k,1M.")
@click.option("--repeat", default=5, show_default=True, help="Runs per query (median).")
@click.option("--load-repeat", default=3, show_default=True, help="Loads per engine (median).")
@click.option(
    "--remote/--no-remote", default=True, show_default=True, help="Bench an oxigraph serve."
)
@click.option(
    "--workdir", type=click.Path(file_okay=False, path_type=Path), help="Keep generated files here."
)
@click.option("--seed", default=0, show_default=True)
@click.option(
    "--cq-rdflib-max",
    default="100k",
    show_default=True,
    help="Largest size at which rdflib engines run the competency queries (they take minutes).",
)
@click.option("--skip-cq", is_flag=True, hidden=True)
@click.option("--worker", hidden=True)
@click.option("--files", hidden=True)
@click.option("--endpoint", hidden=True)
def main(
    sizes,
    repeat,
    load_repeat,
    remote,
    workdir,
    seed,
    cq_rdflib_max,
    skip_cq,
    worker,
    files,
    endpoint,
):
    """Benchmark kg's backends against rdflib and raw pyoxigraph; print a table.

    Example: python scripts/bench.py --sizes 100k,1M
    """
    if worker:
        paths = [Path(p) for p in files.split(",")]
        if "+" in worker:
            print(json.dumps(run_pair(worker.split("+"), paths, repeat, load_repeat, endpoint)))
            return
        print(json.dumps(run_worker(worker, paths, repeat, load_repeat, endpoint, skip_cq)))
        return
    from kg.bench.synthetic import write_ntriples
    from kg.project import open_project as project_paths

    workdir = workdir or Path(tempfile.mkdtemp(prefix="kg-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    paths = project_paths()
    schema = [*paths.schema_files, paths.data]
    cores = os.cpu_count()
    print(f"# kg backends benchmark — {cores} cores, medians of {repeat} (loads: {load_repeat})")
    help_time, python_time = help_start_time()
    print(f"kg --help: {help_time:.3f} s (python -c pass: {python_time:.3f} s)")
    for size in parse_sizes(sizes):
        label = f"{size // 1_000_000}M" if size >= 1_000_000 else f"{size // 1000}k"
        data = workdir / f"synthetic-{label}-{seed}.nt"
        if not data.exists():
            with open(data, "w", encoding="utf-8") as out:
                write_ntriples(out, size, seed=seed)
        files_ = [*schema, data]
        results = {}
        rdflib_max = parse_sizes(cq_rdflib_max)[0]
        for name in LOCAL:
            print(f"  {label}: {name} ...", file=sys.stderr, flush=True)
            skip = name in ("rdflib", "kg-memory") and size > rdflib_max
            results[name] = run_in_worker(name, files_, repeat, load_repeat, skip_cq=skip)
        paired = {}
        print(f"  {label}: kg-oxigraph+pyoxigraph, paired ...", file=sys.stderr, flush=True)
        paired["local"] = run_in_worker("kg-oxigraph+pyoxigraph", files_, repeat, load_repeat)
        server = {}
        if remote:
            process, url, load_seconds = start_server(files_, workdir)
            try:
                for name in REMOTE:
                    print(f"  {label}: {name} ...", file=sys.stderr, flush=True)
                    results[name] = run_in_worker(name, files_, repeat, load_repeat, url)
                print(f"  {label}: kg-remote+http-tsv, paired ...", file=sys.stderr, flush=True)
                paired["remote"] = run_in_worker("kg-remote+http-tsv", files_, repeat, 1, url)
                server = {"load": load_seconds, "peak_mb": server_peak_mb(process)}
            finally:
                process.terminate()
                process.wait()
        print_size(label, results, server, paired)


if __name__ == "__main__":
    main()
