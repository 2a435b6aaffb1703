"""Write a seeded synthetic geopolitical graph in the kg ontology as N-Triples.

Example:
    .venv/bin/python scripts/generate.py --triples 1M --seed 7 -o /tmp/synthetic-1M.nt
    .venv/bin/python scripts/generate.py --triples 10k | head
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

import click

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kg.bench.synthetic import write_ntriples  # noqa: E402

UNITS = {"k": 1_000, "m": 1_000_000}


def parse_size(text: str) -> int:
    """``"100k"`` -> 100000, ``"1M"`` -> 1000000, ``"2500"`` -> 2500."""
    text = text.strip().lower().replace("_", "")
    factor = UNITS.get(text[-1:], 1)
    number = text[:-1] if text[-1:] in UNITS else text
    try:
        value = int(float(number) * factor)
    except ValueError:
        raise click.BadParameter(f"not a size: {text!r} (write e.g. 100k or 1M)") from None
    if value < 1_000:
        raise click.BadParameter(f"{value} is too small: ask for 1k triples or more")
    return value


@click.command()
@click.option(
    "--triples",
    "size",
    default="100k",
    show_default=True,
    help="About how many triples (10k, 1M, 2.5M ...).",
)
@click.option(
    "--seed", default=0, show_default=True, help="Random seed: same size and seed, same graph."
)
@click.option(
    "--profile",
    type=click.Choice(["linear", "realistic"]),
    default="linear",
    show_default=True,
    help="linear: every count scales with the size; realistic: about 250 states, 60 alliances.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="File to write (default: stdout).",
)
def main(size: str, seed: int, profile: str, output: Path | None) -> None:
    """Write a synthetic graph of states, alliances, memberships, agreements, obligations,
    events and statements as N-Triples.

    Example: python scripts/generate.py --triples 1M -o /tmp/g.nt
    """
    triples = parse_size(size)
    started = time.perf_counter()
    if output is None:
        count = write_ntriples(sys.stdout, triples, seed=seed, profile=profile)
    else:
        # write next to the target, then rename: an interrupted run leaves no half file
        fd, tmp = tempfile.mkstemp(prefix=f".{output.name}.", dir=output.parent or ".")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                count = write_ntriples(out, triples, seed=seed, profile=profile)
            os.replace(tmp, output)
        except BaseException:
            os.unlink(tmp)
            raise
    seconds = time.perf_counter() - started
    click.echo(f"wrote {count:,} triples in {seconds:.1f} s", err=True)


if __name__ == "__main__":
    main()
