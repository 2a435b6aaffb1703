"""Benchmark: the ``kg`` command's wall time on a first and a second run, against its floor.

The floor is the cheapest any rdflib-based command can be: a fresh Python that imports rdflib
and parses the graph's data file (data/triples.ttl), measured in the same run. Each command
runs as a real process, with its own empty cache folder (KG_CACHE_DIR): the first run loads
the graph and fills the cache; the second asks the same question again. Each figure is the
best of ``--repeat`` runs (the second-run repeats all find the cache filled), since the
machine is shared and a slow run says more about the neighbours than about kg.

Example:
    .venv/bin/python scripts/bench_cli.py
    .venv/bin/python scripts/bench_cli.py --repeat 5 --command "stats" --command "said"
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import click

ROOT = Path(__file__).resolve().parent.parent
KG = str(Path(sys.executable).with_name("kg"))
COMMANDS = [
    "path Armenia Russia",
    "render full -o {tmp}/full.html",
    "stats",
    "said",
    "view full",
]
FLOOR = "import rdflib; rdflib.Graph().parse({data!r}, format='turtle')"


def _wall(argv: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(argv, env=env, cwd=ROOT, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise click.ClickException(f"{' '.join(argv)} failed: {done.stderr.strip()[-300:]}")
    return elapsed


def _output(argv: list[str], env: dict[str, str]) -> str:
    """What the command prints, and the file it writes (``-o FILE``)."""
    out = subprocess.run(argv, env=env, cwd=ROOT, capture_output=True, text=True).stdout
    if "-o" in argv:
        out += Path(argv[argv.index("-o") + 1]).read_text(encoding="utf-8")
    return out


@click.command()
@click.option("--repeat", default=3, show_default=True, type=click.IntRange(1))
@click.option("--command", "commands", multiple=True, help="A kg command line to time.")
@click.option("--data", default=str(ROOT / "data" / "triples.ttl"), show_default=True)
def main(repeat: int, commands: tuple[str, ...], data: str) -> None:
    """Print a table: command, first run, second run, floor, and their ratios to the floor."""
    floor_argv = [sys.executable, "-c", FLOOR.format(data=data)]
    floors, rows = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for i, line in enumerate(commands or COMMANDS):
            argv = [KG, *line.format(tmp=tmp).split()]
            firsts, seconds = [], []
            for r in range(repeat):
                # The floor is timed beside each pair, so that all see the same machine load.
                floors.append(_wall(floor_argv, dict(os.environ)))
                env = dict(os.environ, KG_CACHE_DIR=f"{tmp}/cache-{i}-{r}")
                env.pop("KG_NO_CACHE", None)
                firsts.append(_wall(argv, env))
                seconds.append(_wall(argv, env))
            fresh = _output(argv, dict(env, KG_NO_CACHE="1"))
            same = _output(argv, env) == fresh
            rows.append((line.format(tmp="$TMP"), min(firsts), min(seconds), same))
    floor = min(floors)
    click.echo(f"floor (python + import rdflib + parse {Path(data).name}): {floor:.3f} s")
    click.echo(f"{'command':34} {'first s':>8} {'x floor':>8} {'second s':>9} {'x floor':>8}  same")
    for line, first, second, same in rows:
        click.echo(
            f"{line:34} {first:8.3f} {first / floor:8.2f} {second:9.3f} {second / floor:8.2f}"
            f"  {'yes' if same else 'NO'}"
        )


if __name__ == "__main__":
    main()
