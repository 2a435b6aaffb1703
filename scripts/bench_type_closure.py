"""What the rdf:type closure costs a load: load time with and without it, per backend and size.

Each run loads the schema files and a synthetic graph into a fresh store three ways, one after
the other: without the closure (the baseline), with it, and without it again (the second
baseline measures the run-to-run noise: its ratio to the first should be 1). The loads
without the closure are what each backend's load does minus the closure:

- ``oxigraph`` (in memory): kg's bulk loader and a count, against the backend's ``load``, which
  adds the superclass types in the same call;
- ``oxigraph-disk``: :func:`kg.backends.oxigraph_load.load_files` into a new folder with
  ``close_types=False``, against the same call closing the types (what ``kg load`` runs);
- ``memory`` (rdflib): the backend's ``load``, against it followed by the closure.

Wall time and CPU time (the process's, every thread) are both printed, as min and median over
``--repeat`` runs; CPU time is far less disturbed by the other processes of a shared machine.
``added`` is the closure's triples: how many more triples the closure writes (per 100k of data).

Example:
    nice -n 10 .venv/bin/python scripts/bench_type_closure.py --sizes 100k,1M --repeat 5
"""

from __future__ import annotations

import gc
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import click

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kg.backends import open_backend  # noqa: E402
from kg.bench.synthetic import write_ntriples  # noqa: E402
from kg.inference import type_closure  # noqa: E402
from kg.project import open_project as project_paths  # noqa: E402

UNITS = {"k": 1_000, "m": 1_000_000}
WAYS = ("without", "with", "without again")


def parse_size(text: str) -> int:
    """``"100k"`` -> 100000, ``"1M"`` -> 1000000."""
    text = text.strip().lower()
    return int(float(text[:-1]) * UNITS[text[-1]]) if text[-1:] in UNITS else int(text)


def _load(kind: str, files: list[Path], close: bool, folder: Path) -> int:
    """Load ``files`` into a fresh store of ``kind``, with or without the closure; triples."""
    if kind == "oxigraph-disk":
        from kg.backends.oxigraph_load import load_files

        target = folder / "store"
        shutil.rmtree(target, ignore_errors=True)
        return load_files(target, files, counts=False, close_types=close).triples
    if kind == "oxigraph" and not close:
        import pyoxigraph as ox

        from kg.backends.oxigraph_load import bulk_load_files

        return bulk_load_files(ox.Store(), files).triples  # counted, as the backend's load is
    store = open_backend(kind)
    store.load(files)
    if kind == "memory" and close:
        type_closure(store)  # what kg.load runs after the memory backend's load
    return len(store)


def _measure(kind: str, files: list[Path], repeat: int, folder: Path) -> dict:
    """Alternate the three ways ``repeat`` times; wall and CPU seconds of each, triples."""
    wall: dict[str, list[float]] = {way: [] for way in WAYS}
    cpu: dict[str, list[float]] = {way: [] for way in WAYS}
    triples = {}
    for way in WAYS:  # warm up (imports, caches) on the schema alone, untimed
        _load(kind, files[:-1], way == "with", folder)
    for _ in range(repeat):
        for way in WAYS:
            gc.collect()
            started, cpu_started = time.perf_counter(), time.process_time()
            triples[way] = _load(kind, files, way == "with", folder)
            wall[way].append(time.perf_counter() - started)
            cpu[way].append(time.process_time() - cpu_started)
            gc.collect()  # the store is dropped outside the timing
    return {"wall": wall, "cpu": cpu, "triples": triples}


def _row(size: str, n: int, kind: str, run: dict) -> str:
    added = run["triples"]["with"] - run["triples"]["without"]
    cells = [
        f"{size:>5} {kind:13} {run['triples']['with']:>10,} {added:>7,} {added * 1e5 / n:>7,.0f}"
    ]
    for clock in ("wall", "cpu"):
        times = run[clock]
        base_min, base_med = min(times["without"]), statistics.median(times["without"])
        cells.append(
            f"{base_min:7.2f} {base_med:7.2f} {min(times['with']):7.2f} "
            f"{statistics.median(times['with']):7.2f} {min(times['with']) / base_min:5.3f} "
            f"{statistics.median(times['with']) / base_med:5.3f} "
            f"{statistics.median(times['without again']) / base_med:5.3f}"
        )
    return " | ".join(cells)


@click.command()
@click.option("--sizes", default="100k,1M", show_default=True, help="Synthetic graph sizes.")
@click.option(
    "--backend",
    "backends",
    multiple=True,
    default=("memory", "oxigraph", "oxigraph-disk"),
    show_default=True,
)
@click.option("--repeat", default=5, show_default=True, help="Runs of each way (alternated).")
@click.option(
    "--workdir", type=click.Path(file_okay=False, path_type=Path), help="Keep generated data here."
)
def main(sizes: str, backends: tuple[str, ...], repeat: int, workdir: Path | None) -> None:
    """Print each backend's load time without and with the closure, and their ratios."""
    schema = list(project_paths().schema_files)
    clock = "min0    med0    min1    med1 r.min r.med  A/A"
    print(
        f"{'size':>5} {'backend':13} {'triples':>10} {'added':>7} {'/100k':>7} | wall: {clock}"
        f" | cpu: {clock}",
        flush=True,
    )
    with tempfile.TemporaryDirectory(dir=workdir) as tmp:
        folder = Path(tmp)
        for size in sizes.split(","):
            n = parse_size(size)
            data = (workdir or folder) / f"closure-{n}-1.nt"
            if not data.exists():
                with data.open("w", encoding="utf-8") as out:
                    write_ntriples(out, n, seed=1)
            for kind in backends:
                run = _measure(kind, [*schema, data], repeat, folder)
                print(_row(size, n, kind, run), flush=True)
    print("0 = without the closure, 1 = with it; r = 1/0; A/A = median of the second run")
    print("without it / median of the first (the noise); seconds")


if __name__ == "__main__":
    main()
