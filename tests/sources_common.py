"""Helpers for the source-file tests: a fresh project with the fixture sources, and the CLI."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from conftest import kg_command

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "sources"
SOURCES = ("tribune", "mereland-mfa", "harbour-oped")


def kg(*args: str, cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess:
    """Run the real ``kg`` command (:func:`conftest.kg_command`) in ``cwd``, without KG_ROOT."""
    return kg_command(*args, cwd=cwd, stdin=stdin)


def new_project(tmp: Path, *names: str) -> Path:
    """``kg init`` a project in ``tmp/p`` and copy the named fixture sources (and texts) in."""
    from kg.project import init_project

    root = tmp / "p"
    init_project(root)
    for name in names:
        for suffix in (".yaml", ".txt"):
            shutil.copy(FIXTURES / f"{name}{suffix}", root / "sources" / f"{name}{suffix}")
    return root


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` with its bytes."""
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def assert_one_line_error(result, where: str, *fragments: str) -> str:
    """Exit 2, one ``kg: error: FILE:LINE:COLUMN: ...`` line, no traceback."""
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"kg: error: {where}"), lines[0]
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])
    return lines[0]
