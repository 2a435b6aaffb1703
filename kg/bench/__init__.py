"""What the benchmarks in scripts/ build on, kept apart from the library proper.

- :mod:`kg.bench.synthetic` — a seeded synthetic graph in the kg ontology, of any size, as
  N-Triples (``scripts/generate.py``, ``scripts/bench*.py``).
"""

__all__: list[str] = []
