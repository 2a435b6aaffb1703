"""The README's Python examples run as written (those that need no running server)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"
BLOCKS = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.DOTALL)


@pytest.mark.parametrize(
    "code", [b for b in BLOCKS if "127.0.0.1" not in b], ids=lambda b: b.splitlines()[0]
)
def test_readme_example_runs(code, capsys):
    exec(compile(code, str(README), "exec"), {})
    printed = capsys.readouterr().out
    # the paths the README says the example prints ("# Armenia ..." lines) are what it prints
    shown = [line[2:] for line in code.splitlines() if line.startswith("# Armenia ")]
    assert all(line in printed for line in shown), printed
