"""Benchmark: GDELT rows into an on-disk Oxigraph store, kg import against the raw pipeline.

For each size, N seeded synthetic GDELT 2.0 rows (61 columns, real CAMEO and country codes,
random values; every row its own id and source URL, the values of each 100k repeated) are
written to a file, then two runs, each in its own process so that its
peak memory (ru_maxrss) is its own:

- ``kg``: ``kg.importers.import_gdelt`` end to end into a fresh on-disk store: read and check
  every row, resolve the actors to the graph's states, map to N-Triples, load in one
  transaction (batches bulk loaded by a thread into a staged copy of the store while the
  next rows are mapped; the copy renamed into place). It also writes the N-Triples it loaded.
- ``raw``: the csv module reads the same file, and pyoxigraph bulk loads the same triples
  (kg's N-Triples) into a fresh on-disk store: the least any importer has to spend.

The ratio is kg's time over the raw pipeline's; the goal is at most 1.5 (kg's mapping costs
at most half of what the engine costs). Peak memory should stay flat as N grows.

Example:
    nice -n 10 .venv/bin/python scripts/bench_import.py --rows 100k
    nice -n 10 .venv/bin/python scripts/bench_import.py --rows 1M
    nice -n 10 .venv/bin/python scripts/bench_import.py --rows 5M --runs kg
"""

from __future__ import annotations

import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import click

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

COUNTRIES = ["ARM", "AZE", "RUS", "UKR", "GEO", "TUR", "IRN", "USA", "FRA", "BLR", "KAZ", "CHN"]
TYPES = ["", "", "GOV", "MIL", "REB", "OPP", "MED", "CVL", "BUS"]
PLACES = [
    (
        "4",
        f"Test Town {i}, Test Province, Testland",
        "AJ",
        "AJ00",
        f"{39 + i / 100:.4f}",
        f"{46 + i / 100:.4f}",
        str(9_990_000 + i),
    )
    for i in range(500)
]


def _size(text: str) -> int:
    text = text.strip().lower()
    factor = {"k": 1_000, "m": 1_000_000}.get(text[-1:], 1)
    return int(float(text[:-1] if text[-1:] in "km" else text) * factor)


def write_rows(path: Path, n: int, seed: int = 1, block: int = 100_000) -> None:
    """Write ``n`` GDELT 2.0 rows (tab-separated, no header) with real codes and random values.

    ``block`` rows are drawn at random; the rest repeat their values with ids (and source
    URLs) of their own, so that millions of rows are written in seconds, not minutes.
    """
    from kg.importers.cameo import event_codes

    rng = random.Random(seed)
    codes = [c for c in event_codes() if len(c) >= 3]
    # each row without its first (GLOBALEVENTID) and last (SOURCEURL) column
    middles = ["\t".join(_row(rng, 0, codes)[1:-1]) for _ in range(min(n, block))]
    with open(path, "w", encoding="utf-8") as out:
        for start in range(0, n, block):
            out.writelines(
                f"{eid}\t{middles[i % len(middles)]}\thttps://news.example.org/test/{eid}\n"
                for i in range(start, min(n, start + block))
                for eid in (2_000_000_000 + i,)
            )


def _actor(rng: random.Random) -> list[str]:
    country, kind = rng.choice(COUNTRIES), rng.choice(TYPES)
    return [country + kind, f"TEST ACTOR {country}{kind}", country, "", "", "", "", kind, "", ""]


def _row(rng: random.Random, eid: int, codes: list[str]) -> list[str]:
    day = f"2023{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    code = rng.choice(codes)
    g = rng.choice(PLACES)
    geo = [g[0], g[1], g[2], g[3], "", g[4], g[5], g[6]]
    return [
        str(eid), day, day[:6], day[:4], f"{day[:4]}.{rng.randint(0, 9999):04d}",
        *_actor(rng), *_actor(rng),
        rng.choice("01"), code, code[:3], code[:2], str(rng.randint(1, 4)),
        f"{rng.uniform(-10, 10):.1f}", str(rng.randint(1, 50)), str(rng.randint(1, 10)),
        str(rng.randint(1, 50)), f"{rng.uniform(-10, 10):.4f}",
        *geo, *geo, *geo, day + "120000", f"https://news.example.org/test/{eid}",
    ]  # fmt: skip


# -- the two runs, each in a child process ---------------------------------------------------


def run_kg(rows: Path, store: Path, nt: Path) -> dict:
    """kg end to end: the article's graph in a fresh store, then the import, timed."""
    import kg
    from kg.backends.oxigraph import OxigraphBackend
    from kg.importers import import_gdelt
    from kg.project import open_project

    project = open_project(ROOT)
    # a fresh on-disk store with the ontology and the article, as `kg load` makes it
    OxigraphBackend(store).load([*project.schema_files, *project.data_files()])
    graph = kg.load(store=str(store))
    before = len(graph)
    start = time.perf_counter()
    result = import_gdelt([rows], graph=graph, output=nt)
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "rows": result.rows_imported, "triples": result.triples,
            "store_added": len(graph) - before}  # fmt: skip


def run_raw(rows: Path, store: Path, nt: Path) -> dict:
    """The raw pipeline: csv reads the rows, pyoxigraph bulk loads kg's N-Triples."""
    import csv

    import pyoxigraph as ox

    start = time.perf_counter()
    n = 0
    with open(rows, newline="", encoding="utf-8") as stream:
        for _ in csv.reader(stream, delimiter="\t", quoting=csv.QUOTE_NONE):
            n += 1
    read = time.perf_counter() - start
    target = ox.Store(str(store))
    target.bulk_load(path=str(nt), format=ox.RdfFormat.N_TRIPLES)
    target.flush()
    return {
        "seconds": time.perf_counter() - start,
        "read": read,
        "rows": n,
        "store_added": len(target),
    }


def _child(kind: str, rows: Path, store: Path, nt: Path) -> dict:
    code = (
        "import json, resource, sys; sys.path.insert(0, sys.argv[1]);"
        "from scripts.bench_import import run_kg, run_raw; from pathlib import Path;"
        f"r = run_{kind}(Path(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4]));"
        "r['peak_mb'] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024;"
        "print(json.dumps(r))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(ROOT), str(rows), str(store), str(nt)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        raise click.ClickException(f"{kind} run failed: {done.stderr.strip()[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


@click.command()
@click.option(
    "--rows",
    "sizes",
    multiple=True,
    default=["100k"],
    help="Rows per run (100k, 1M, 5M); repeatable.",
)
@click.option(
    "--runs",
    type=click.Choice(["both", "kg", "raw"]),
    default="both",
    show_default=True,
    help="'kg' runs kg alone (its rows/s and peak memory, no ratio) and, with --dir, keeps "
    "its rows, N-Triples and figures there; 'raw' then runs the raw pipeline on them and "
    "prints both rows, the ratio across the two runs.",
)
@click.option(
    "--dir",
    "folder",
    type=click.Path(file_okay=False),
    help="Work folder [default: a temporary one].",
)
def main(sizes: tuple[str, ...], runs: str, folder: str | None) -> None:
    """Print rows/s, triples/row and peak memory of kg import vs the raw pipeline."""
    import os

    work = Path(folder or tempfile.mkdtemp(prefix="bench-import-"))
    work.mkdir(parents=True, exist_ok=True)
    header = (
        f"{'rows':>10} {'run':<4} {'seconds':>8} {'rows/s':>9} {'triples/row':>11} "
        f"{'triples/s':>10} {'peak MB':>8} {'ratio':>6}"
    )
    click.echo(f"load average at the start: {os.getloadavg()[0]:.1f} ({os.cpu_count()} cores)")
    click.echo(header)
    click.echo("-" * len(header))
    for size in sizes:
        n = _size(size)
        rows, nt = work / f"gdelt-{n}.tsv", work / f"gdelt-{n}.nt"
        saved = work / f"kg-{n}.json"
        results = {}
        if runs == "raw":
            if not (rows.exists() and nt.exists() and saved.exists()):
                raise click.UsageError(f"--runs raw needs a --dir where --runs kg ran {size}")
            results["kg"] = json.loads(saved.read_text(encoding="utf-8"))
        else:
            write_rows(rows, n)
        for kind in {"both": ("kg", "raw"), "kg": ("kg",), "raw": ("raw",)}[runs]:
            store = work / f"store-{kind}-{n}"
            shutil.rmtree(store, ignore_errors=True)
            results[kind] = _child(kind, rows, store, nt)
            shutil.rmtree(store, ignore_errors=True)
        _print(n, results, rows, nt)
        if runs == "kg" and folder:
            saved.write_text(json.dumps(results["kg"]), encoding="utf-8")
        else:
            rows.unlink()
            nt.unlink()
    click.echo(f"load average at the end: {os.getloadavg()[0]:.1f}")
    if not folder:
        shutil.rmtree(work, ignore_errors=True)


def _print(n: int, results: dict, rows: Path, nt: Path) -> None:
    """One table row per run, the ratio against the raw pipeline's time when it ran."""
    per_row = results["kg"]["triples"] / max(results["kg"]["rows"], 1)
    for kind, r in results.items():
        raw = results.get("raw")
        ratio = f"{r['seconds'] / raw['seconds']:>6.2f}" if raw else f"{'-':>6}"
        click.echo(
            f"{n:>10,} {kind:<4} {r['seconds']:>8.1f} {r['rows'] / r['seconds']:>9,.0f} "
            f"{per_row:>11.1f} {r['store_added'] / r['seconds']:>10,.0f} {r['peak_mb']:>8.0f} "
            f"{ratio}"
        )
    mb = {path: f"{path.stat().st_size / 1e6:,.0f} MB" for path in (rows, nt)}
    sizes = f"input {mb[rows]}, N-Triples {mb[nt]}"
    if "raw" in results:
        raw = results["raw"]
        click.echo(f"{'':>10} raw: csv read {raw['read']:.1f} s of {raw['seconds']:.1f} s; {sizes}")
    else:
        click.echo(f"{'':>10} {sizes}")


if __name__ == "__main__":
    main()
