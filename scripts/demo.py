"""The demo: load the graph, validate it, answer every named query, then render.

Run with ``make demo`` (or ``.venv/bin/python scripts/demo.py``). Renders are produced by
:func:`render_outputs`, the hook where the visual outputs are added.
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

import kg
from kg.errors import KgError
from kg.queries import NamedQuery, list_queries
from kg.results_format import format_table

OUT = Path(__file__).resolve().parent.parent / "out"


def section(title: str) -> None:
    """Print a section heading."""
    print(f"\n{'=' * 100}\n{title}\n{'=' * 100}")


def show_validation(graph: kg.KnowledgeGraph) -> bool:
    """Validate against the SHACL shapes; print each result; return whether it conforms."""
    section("Validation against ontology/shapes.ttl")
    report = graph.validate()
    for v in report.violations:
        print(f"{v.severity}: {v.focus_label}, {v.path}: {v.message}")
    print("conforms" if report.conforms else f"does not conform ({len(report.violations)} results)")
    return report.conforms


def competency_order(query: NamedQuery) -> tuple[int, str]:
    """Sort key: the competency question's number (``# cq: N``), then the name."""
    match = re.search(r"^# cq: (\d+)", query.text, re.MULTILINE)
    return (int(match[1]) if match else 10**6, query.name)


def show_queries(graph: kg.KnowledgeGraph) -> None:
    """Print the answer to every named query as a table, with its question and timing."""
    for query in sorted(list_queries(graph.paths.queries), key=competency_order):
        section(f"{query.name}: {query.question}")
        start = time.perf_counter()
        result = graph.run_query(query)
        elapsed = time.perf_counter() - start
        print(format_table(result, max_width=48))
        print(f"[{elapsed:.2f} s]")


def render_outputs(graph: kg.KnowledgeGraph, out_dir: Path) -> list[Path]:
    """Hook for the visual outputs (HTML graph views ...): write them under ``out_dir``.

    Returns the files written, which the demo lists: the article's full graph, the alliance
    view and the contested claims, as offline interactive pages (:mod:`kg.render.demo`).
    """
    from kg.render.demo import render_demo_pages

    return render_demo_pages(graph, out_dir)


def main() -> int:
    """Run the demo; return the exit status (1 when the graph does not conform)."""
    start = time.perf_counter()
    try:
        graph = kg.load()
    except KgError as exc:
        print(f"demo: error: {exc}", file=sys.stderr)
        return 2
    section("The graph")
    print(f"{len(graph)} triples loaded in {time.perf_counter() - start:.2f} s")
    for key, value in graph.stats().items():
        if not isinstance(value, dict):
            print(f"  {key:<20} {value}")
    conforms = show_validation(graph)
    show_queries(graph)
    written = render_outputs(graph, OUT)
    if written:
        section("Rendered")
        for path in written:
            print(path)
    return 0 if conforms else 1


if __name__ == "__main__":
    sys.exit(main())
