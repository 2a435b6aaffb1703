"""The shape rules of docs/contributing.md, checked: no kg/ module over 400 lines, no function
over 60 lines of code (its docstring, blank lines and comment-only lines not counted; a
decorator's arguments are not the function's code).

Every public module declares its API in ``__all__``.
"""

from __future__ import annotations

import ast
import functools
import importlib
from pathlib import Path

import pytest

KG = Path(__file__).resolve().parent.parent / "kg"
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60


def code_lines(function: ast.FunctionDef | ast.AsyncFunctionDef, lines: list[str]) -> int:
    """Count the lines of ``function`` (from its ``def``) that hold code.

    Parameters
    ----------
    function:
        The function's node.
    lines:
        The module's source lines.

    Returns
    -------
    int
        Lines that are not blank, not comment-only and not part of a docstring (its own or a
        nested function's or class's).
    """
    docstrings: set[int] = set()
    for node in ast.walk(function):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) and node.body:
            first = node.body[0]
            if (
                isinstance(first, ast.Expr)
                and isinstance(first.value, ast.Constant)
                and isinstance(first.value.value, str)
            ):
                docstrings.update(range(first.lineno, (first.end_lineno or first.lineno) + 1))
    count = 0
    for number in range(function.lineno, (function.end_lineno or function.lineno) + 1):
        text = lines[number - 1].strip()
        if text and not text.startswith("#") and number not in docstrings:
            count += 1
    return count


@functools.cache
def measure() -> dict[str, int]:
    """Every rule breaker in kg/: module -> lines, ``module:function`` -> code lines.

    Returns
    -------
    dict[str, int]
        Keys are paths relative to kg/.
    """
    found: dict[str, int] = {}
    for path in sorted(KG.rglob("*.py")):
        name = path.relative_to(KG).as_posix()
        source = path.read_text(encoding="utf-8")
        lines = source.splitlines()
        if len(lines) > MAX_MODULE_LINES:
            found[name] = len(lines)
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                size = code_lines(node, lines)
                if size > MAX_FUNCTION_LINES:
                    found[f"{name}:{node.name}"] = size
    return found


def test_code_lines_counts_code_only() -> None:
    source = (
        'def f():\n    """Doc.\n\n    More doc.\n    """\n    # why\n\n    x = 1\n    return x\n'
    )
    function = ast.parse(source).body[0]
    assert isinstance(function, ast.FunctionDef)
    assert code_lines(function, source.splitlines()) == 3


def test_no_module_over_400_lines() -> None:
    found = {k: v for k, v in measure().items() if ":" not in k}
    assert not found, f"modules over {MAX_MODULE_LINES} lines (split them): {found}"


def test_no_function_over_60_code_lines() -> None:
    found = {k: v for k, v in measure().items() if ":" in k}
    assert not found, f"functions over {MAX_FUNCTION_LINES} code lines (split them): {found}"


def public_modules() -> list[str]:
    """Every public module of kg (no part of its dotted name starts with ``_``; packages by
    their ``__init__``), but ``kg.__main__``, which runs the command when imported."""
    names = []
    for path in sorted(KG.rglob("*.py")):
        parts = path.relative_to(KG.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        if not any(part.startswith("_") for part in parts):
            names.append(".".join(parts))
    return names


@pytest.mark.parametrize("module", public_modules())
def test_public_module_declares_its_api(module: str) -> None:
    # __all__ lists the module's API, and each name in it is there.
    imported = importlib.import_module(module)
    assert hasattr(imported, "__all__"), f"{module} has no __all__"
    missing = [name for name in imported.__all__ if not hasattr(imported, name)]
    assert not missing, f"{module}.__all__ names what it lacks: {missing}"
