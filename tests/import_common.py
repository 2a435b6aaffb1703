"""Helpers for the importer tests: the real ``kg`` command, and small SPARQL reads."""

from __future__ import annotations

import subprocess
from pathlib import Path

from conftest import kg_command

ROOT = Path(__file__).resolve().parent.parent
DATASETS = ROOT / "tests" / "fixtures" / "datasets"
KGR = "https://w3id.org/kg-ir/resource/"


def kg(*args: str, cwd: Path = ROOT, timeout: float = 180) -> subprocess.CompletedProcess:
    """Run the real ``kg`` command (:func:`conftest.kg_command`) with the repository's project."""
    return kg_command(*args, cwd=cwd, timeout=timeout)


def values(graph, sparql: str, **bindings) -> list[tuple]:
    """The rows of a query as text tuples."""
    prefixes = (
        "PREFIX kg: <https://w3id.org/kg-ir/ontology#>\n"
        "PREFIX kgr: <https://w3id.org/kg-ir/resource/>\n"
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        "PREFIX dct: <http://purl.org/dc/terms/>\n"
        "PREFIX prov: <http://www.w3.org/ns/prov#>\n"
        "PREFIX schema: <http://schema.org/>\n"
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
    )
    return sorted(graph.query(prefixes + sparql, **bindings).lexical_rows(), key=str)


def one_line_error(result, *fragments: str) -> str:
    """The single stderr line of a failed command (exit 2), checked to hold ``fragments``."""
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("kg: error: "), result.stderr
    assert "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])
    return lines[0]
