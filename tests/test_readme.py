"""The README cannot drift: its Python examples run, and every console block is real output.

The console blocks are run by ``scripts/readme_console.py`` (in README order, in a scratch
copy of the project, with the servers they start); each command must print what the README
shows. After a change that alters an output, ``python scripts/readme_console.py --write``
rewrites the README's outputs from real runs.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
TEXT = README.read_text(encoding="utf-8")
BLOCKS = re.findall(r"```python\n(.*?)```", TEXT, re.DOTALL)


def _console_module():
    spec = importlib.util.spec_from_file_location(
        "readme_console", ROOT / "scripts" / "readme_console.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    "code", [b for b in BLOCKS if "127.0.0.1" not in b], ids=lambda b: b.splitlines()[0]
)
def test_readme_example_runs(code, capsys):
    exec(compile(code, str(README), "exec"), {})
    printed = capsys.readouterr().out
    # the paths the README says the example prints ("# Armenia ..." lines) are what it prints
    shown = [line[2:] for line in code.splitlines() if line.startswith("# Armenia ")]
    assert all(line in printed for line in shown), printed


def test_every_shell_session_is_a_console_block():
    """A block of ``$`` commands is ``console`` (checked), or ``text`` for a benchmark run or a
    session against Virtuoso (the README check starts kg serve and oxigraph serve, not Virtuoso;
    tests/test_virtuoso.py runs those commands against a real one)."""
    for fence, body in re.findall(r"^```(\w*)\n(.*?)^```$", TEXT, re.DOTALL | re.MULTILINE):
        commands = [line for line in body.splitlines() if line.startswith("$ ")]
        if not commands or fence == "console":
            continue
        unchecked = ("bench", "load_serve", "sparql-graph-crud-auth", "isql-vt")
        assert fence == "text" and any(word in c for c in commands for word in unchecked), (
            fence,
            commands,
        )


def test_console_parser_reads_continuations_heredocs_and_elisions():
    console = _console_module()
    readme = "```console\n$ echo 'a\n  b'\na\n  b\n$ cat <<'EOF'\nx\nEOF\nx\n$ seq 3\n1\n...\n```\n"
    (block,) = console.parse_blocks(readme)
    assert [c.text for c in block.commands] == ["echo 'a\n  b'", "cat <<'EOF'\nx\nEOF", "seq 3"]
    assert console.matches(block.commands[2].expected, ["1", "2", "3"])
    assert not console.matches(["1", "..."], ["2"])
    assert console.matches(["wrote 5 in 0.5 s"], ["wrote 5 in 2.0 s"])
    assert not console.matches(["wrote 5 in 0.5 s"], ["wrote 6 in 0.5 s"])


@pytest.mark.server
def test_every_console_block_shows_real_output():
    console = _console_module()
    _, blocks = console.run_readme(README)
    assert sum(len(b.commands) for b in blocks) > 40
    found = console.differences(blocks)
    assert not found, (
        "README output drifted (python scripts/readme_console.py --write rewrites it):\n\n"
        + "\n\n".join(found)
    )
