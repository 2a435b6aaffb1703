"""Benchmark ``kg add``: generated source files (about 10 claims each) added to an on-disk
Oxigraph store one by one and as one batch, with where the time goes.

Baselines, measured in the same run: loading the same triples (as N-Triples, already
checked) into a fresh store with ``kg load`` -- the cost of writing them without any check --
and with pyoxigraph's bulk loader alone (no staging, no superclass types, no counts).
The batch is then added again (every source unchanged: checked, compared, nothing written).
One by one is ``add_sources`` called once per file in this process (a ``kg add`` command
adds its start-up on top). Stages: parse (YAML), open (the project's graph), resolve (its
names read, then every name looked up), anchor (quotes), build (terms, values, dates,
triples), shacl, write (one transaction). From 200 sources on, SHACL runs in a worker process
while the batch is written (kg.sources.shacl_pool): its seconds are the worker's.

    python scripts/bench_sources.py                    # 1,000 sources, 100 one by one
    python scripts/bench_sources.py --sources 200 --one-by-one 20 --engines pyshacl

The sources are fictional and random (seeded): states, speakers, statements, events and
reported facts whose quotes are sentences of the generated text.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

__all__ = ["generate", "main", "stages"]

STAGES = ("parse", "open", "resolve", "anchor", "build", "shacl", "write")
GOAL_RATE, GOAL_RATIO = 100.0, 2.0


def stages(timings: dict[str, float]) -> dict[str, float]:
    """add_sources' timings as the table's stages (build less the resolving and anchoring
    done inside it)."""
    t = timings
    return {
        "parse": t.get("read", 0.0),
        "open": t.get("load", 0.0),
        "resolve": t.get("names", 0.0) + t.get("resolve", 0.0),
        "anchor": t.get("anchor", 0.0),
        "build": t.get("build", 0.0) - t.get("resolve", 0.0) - t.get("anchor", 0.0),
        "shacl": t.get("shacl", 0.0),
        "write": t.get("write", 0.0),
    }


def generate(folder: Path, sources: int, states: int = 40, seed: int = 1) -> list[Path]:
    """Write a base source (the states and speakers) and ``sources`` source files."""
    rng = random.Random(seed)
    base = [
        "source:",
        "  id: bench-base",
        "  title: Registry of the generated states",
        "  published: 2030-01-01",
        "entities:",
    ]
    for i in range(states):
        base += [f"  - id: State{i}", "    type: State", f"    label: State {i}"]
        base += [f"  - id: Minister{i}", "    type: Person", f"    label: Minister {i}"]
    (folder / "base.yaml").write_text("\n".join(base) + "\n")
    files = []
    for n in range(sources):
        sentences, claims = [], []
        for k in range(10):
            sentence, lines = _claim(rng, n, k, states)
            sentences.append(sentence)
            claims += lines
        head = [
            "source:",
            f"  id: bench-{n:05d}",
            f"  title: Generated report {n}",
            "  published: 2030-12-31",
            f'  text: "{" ".join(sentences)}"',
            "claims:",
        ]
        path = folder / f"bench-{n:05d}.yaml"
        path.write_text("\n".join(head + claims) + "\n")
        files.append(path)
    return files


def _claim(rng: random.Random, n: int, k: int, states: int) -> tuple[str, list[str]]:
    """Claim ``k`` of source ``n``: 6 statements, 2 events, 2 reported facts; its sentence."""
    a, b = rng.sample(range(states), 2)
    day, month = rng.randint(1, 28), rng.randint(1, 12)
    if k < 6:
        when = f"On {day} {_MONTHS[month]} 2030"
        s = f"{when}, Minister {a} said that State {b} broke accord {n}-{k}."
        return s, [
            "  - type: statement",
            f"    id: S{n}_{k}",
            f"    label: Minister {a} accuses State {b} ({n}-{k})",
            f"    speaker: Minister {a}",
            f"    date: 2030-{month:02d}-{day:02d}",
            "    date_qualifier: fromContext",
            "    kinds: [accusation]",
            f"    about: State {b}",
            f"    targets: State {b}",
            f'    quote: "{s}"',
        ]
    if k < 8:
        s = f"State {a} and State {b} held talks on accord {n}-{k} in {_MONTHS[month]}."
        return s, [
            "  - type: event",
            f"    id: E{n}_{k}",
            f"    label: Talks {n}-{k}",
            "    kind: negotiation",
            f"    participants: [State {a}, State {b}]",
            f"    start_date: 2030-{month:02d}",
            f'    quote: "{s}"',
        ]
    s = f"State {a} has no embassy in State {b} (note {n}-{k})."
    return s, [
        "  - type: reported_fact",
        f"    id: F{n}_{k}",
        f"    label: No embassy of State {a} in State {b} ({n}-{k})",
        f"    about: [State {a}, State {b}]",
        f'    quote: "{s}"',
    ]


_MONTHS = [
    "",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def run(args: argparse.Namespace) -> None:
    from kg.project import init_project
    from kg.sources.add import add_sources

    work = Path(tempfile.mkdtemp(prefix="bench-sources-"))
    try:
        root = init_project(work / "p").root
        files = generate(root / "sources", args.sources)
        base = root / "sources" / "base.yaml"
        print(
            f"{args.sources} generated sources, about 10 claims each;"
            " 2 cores shared, figures vary run to run"
        )
        print()
        rows = []
        for engine in args.engines:
            store = work / f"store-batch-{engine}"
            add_sources([base], root=root, store=store, shacl=engine)
            start, cpu = time.perf_counter(), time.process_time()
            report = add_sources(files, root=root, store=store, shacl=engine, parallel=True)
            rows.append(
                (
                    f"batch of {len(files)} ({engine})",
                    len(files),
                    time.perf_counter() - start,
                    report.timings,
                    time.process_time() - cpu,
                )
            )
            start, cpu = time.perf_counter(), time.process_time()
            again = add_sources(files, root=root, store=store, shacl=engine, parallel=True)
            assert all(r["status"] == "unchanged" for r in again.results)
            wall, used = time.perf_counter() - start, time.process_time() - cpu
            rows.append(
                (f"the batch again, unchanged ({engine})", len(files), wall, again.timings, used)
            )
        for engine in args.engines:
            store = work / f"store-one-{engine}"
            add_sources([base], root=root, store=store, shacl=engine)
            totals: dict[str, float] = {}
            start, cpu = time.perf_counter(), time.process_time()
            for path in files[: args.one_by_one]:
                report = add_sources([path], root=root, store=store, shacl=engine)
                for k, v in report.timings.items():
                    totals[k] = totals.get(k, 0.0) + v
            one, one_cpu = time.perf_counter() - start, time.process_time() - cpu
            name = f"one by one, first {args.one_by_one} ({engine})"
            rows.append((name, args.one_by_one, one, totals, one_cpu))
        baseline = _baseline(work, store_from=work / f"store-batch-{args.engines[0]}")
        _table(rows, baseline, len(files))
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _baseline(work: Path, store_from: Path) -> tuple[float, float, float, float]:
    """Seconds to load the batch's triples (dumped as N-Triples) into a fresh store: with
    ``kg load`` (all or nothing, superclass types, counts) and with pyoxigraph's bulk loader
    alone (the engine's floor). Wall clock and CPU seconds of each."""
    import pyoxigraph as ox

    from kg.backends.oxigraph_load import load_files

    dump = work / "batch.nt"
    store = ox.Store(str(store_from))
    dump.write_bytes(store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()))
    del store
    start, cpu = time.perf_counter(), time.process_time()
    load_files(work / "store-baseline", [dump])
    kg_load, kg_cpu = time.perf_counter() - start, time.process_time() - cpu
    start, cpu = time.perf_counter(), time.process_time()
    raw = ox.Store(str(work / "store-raw"))
    raw.bulk_load(path=str(dump), format=ox.RdfFormat.N_TRIPLES)
    raw.flush()
    del raw
    return kg_load, kg_cpu, time.perf_counter() - start, time.process_time() - cpu


def _table(rows: list, baselines: tuple[float, float, float, float], n: int) -> None:
    baseline, baseline_cpu, raw, raw_cpu = baselines
    pad = " " * (9 * len(STAGES) + 13)
    print(
        f"{'run':36} {'sources':>7} {'seconds':>8} {'src/s':>7} {'vs load':>8}  "
        + " ".join(f"{s:>7}" for s in STAGES)
        + "  shacl/write  cpu s"
    )
    for name, count, seconds, timings, cpu in rows:
        split = stages(timings)
        cells = " ".join(f"{split[s]:7.2f}" for s in STAGES)
        ratio = split["shacl"] / max(split["write"], 1e-9)
        versus = (
            f"{seconds / baseline:7.1f}x"
            if count == n
            else f"{seconds / count * n / baseline:6.1f}x*"
        )
        print(
            f"{name:36} {count:7d} {seconds:8.2f} {count / seconds:7.1f} {versus:>8}"
            f"  {cells}  {ratio:8.2f}x {cpu:7.2f}"
        )
    print(
        f"{'baseline: kg load of the same triples':36} {n:7d} {baseline:8.2f}"
        f" {n / baseline:7.1f} {'1.0x':>8}{pad}{baseline_cpu:7.2f}"
    )
    print(
        f"{'floor: pyoxigraph bulk_load of them':36} {n:7d} {raw:8.2f}"
        f" {n / raw:7.1f} {raw / baseline:7.2f}x{pad}{raw_cpu:7.2f}"
    )
    print(
        "stage columns are seconds (wall clock); * one by one extrapolated to all sources at its"
        " rate; cpu s: this process's CPU seconds (all its threads), less sensitive to load"
    )
    for name, _, _, timings, _ in rows:
        if timings.get("overlapped"):
            print(
                f"{name}: SHACL ran in a second process while this one wrote"
                f" ({timings['overlapped']:.2f} s of validation in the shacl column;"
                " write is without waiting for it, so stages add up to more than the wall clock)"
            )
    for name, count, seconds, timings, _ in rows:
        if not name.startswith("batch of"):
            continue
        split = stages(timings)
        rate, ratio = count / seconds, split["shacl"] / max(split["write"], 1e-9)
        met = rate >= GOAL_RATE and ratio <= GOAL_RATIO
        print(
            f"goal (>= {GOAL_RATE:.0f} sources/s, shacl <= {GOAL_RATIO:.0f}x write) for {name}:"
            f" {'met' if met else 'not met'} ({rate:.1f} sources/s, {ratio:.2f}x)"
        )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sources", type=int, default=1000)
    parser.add_argument("--one-by-one", type=int, default=100)
    parser.add_argument("--engines", default="pyshacl,turbo", type=lambda s: s.split(","))
    args = parser.parse_args(argv)
    if "turbo" in args.engines:
        try:
            import pyshacl_turbo  # noqa: F401
        except ImportError:
            print("pyshacl-turbo is not installed: measuring pyshacl only", file=sys.stderr)
            args.engines = [e for e in args.engines if e != "turbo"]
    run(args)


if __name__ == "__main__":
    main()
