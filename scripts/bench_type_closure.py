"""What the rdf:type closure costs a load: load time with and without it, per backend and size.

The baseline is the load without the closure (schema files + a synthetic graph, parsed into a
fresh store, in the same run): kg's bulk loader alone for Oxigraph, whose backend adds the
superclass types inside its load; the memory backend's load, after which the closure runs.
The ratio is (load with the closure) / (load without). Runs are repeated and the best of each
kept (the machine is shared).

Example:
    .venv/bin/python scripts/bench_type_closure.py --sizes 100k,1M --repeat 3
"""

from __future__ import annotations

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


def parse_size(text: str) -> int:
    """``"100k"`` -> 100000, ``"1M"`` -> 1000000."""
    text = text.strip().lower()
    return int(float(text[:-1]) * UNITS[text[-1]]) if text[-1:] in UNITS else int(text)


def _timed_load(kind: str, files: list[Path]) -> tuple[float, float, int, int]:
    """Seconds to load without the closure, seconds to load with it, triples after, added.

    Oxigraph: kg's bulk loader alone (:func:`kg.backends.oxigraph_load.bulk_load_files`)
    against the backend's load, which adds the superclass types in the same call. Memory:
    the backend's load, then :func:`kg.inference.type_closure` (what :func:`kg.load` runs).
    """
    if kind == "oxigraph":
        import pyoxigraph as ox

        from kg.backends.load_records import default_graph_size
        from kg.backends.oxigraph_load import bulk_load_files

        start = time.perf_counter()
        plain = ox.Store()
        bulk_load_files(plain, files)  # counted, as the backend's load is
        without = time.perf_counter() - start
        start = time.perf_counter()
        store = open_backend(kind)
        store.load(files)
        with_closure = time.perf_counter() - start
        triples = len(store)
        return without, with_closure, triples, triples - default_graph_size(plain)
    start = time.perf_counter()
    store = open_backend(kind)
    store.load(files)
    loaded = time.perf_counter()
    added = type_closure(store) or 0
    closed = time.perf_counter()
    return loaded - start, closed - start, len(store), added


@click.command()
@click.option("--sizes", default="100k,1M", show_default=True, help="Synthetic graph sizes.")
@click.option("--backend", "backends", multiple=True, default=("memory", "oxigraph"))
@click.option("--repeat", default=3, show_default=True, help="Runs per cell (best kept).")
def main(sizes: str, backends: tuple[str, ...], repeat: int) -> None:
    """Print load time, the closure's time after it, and (load + closure) / load."""
    paths = project_paths()
    schema = list(paths.schema_files)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes.split(","):
            n = parse_size(size)
            data = Path(tmp) / f"syn-{n}.nt"
            with data.open("w", encoding="utf-8") as out:
                write_ntriples(out, n, seed=1)
            for kind in backends:
                runs = [_timed_load(kind, [*schema, data]) for _ in range(repeat)]
                load = min(r[0] for r in runs)
                closed = min(r[1] for r in runs)
                _, _, triples, added = runs[-1]
                rows.append((size, kind, triples, added, load, closed, closed / load))
    head = ("size", "backend", "triples", "added", "load s", "+closure s", "ratio")
    print("{:>6} {:9} {:>10} {:>8} {:>8} {:>10} {}".format(*head))
    for size, kind, triples, added, base, best, ratio in rows:
        print(
            f"{size:>6} {kind:9} {triples:>10,} {added:>8,} {base:8.2f} {best:10.2f} {ratio:5.3f}"
        )


if __name__ == "__main__":
    main()
