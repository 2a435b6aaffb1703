"""``kg render``, run as the real command: pages written atomically, one-line errors with exit
status 2 that leave existing pages alone, and a focused page that holds the neighbourhood."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from render_browser import Opened, browser  # noqa: F401  (fixture)

import kg
from kg.render import focus_subgraph
from kg.views import full_view

KG = str(Path(sys.executable).parent / "kg")


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([KG, *args], capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def full():
    return full_view(kg.load())


def test_help_carries_an_example():
    result = run("render", "--help")
    assert result.returncode == 0
    assert "Example:" in result.stdout and "kg render contested -o" in result.stdout


@pytest.mark.browser
def test_render_focus_writes_the_neighbourhood(tmp_path, full, browser):  # noqa: F811
    out = tmp_path / "pages" / "armenia.html"
    result = run("render", "full", "--focus", "kgr:Armenia", "--hops", "1", "-o", str(out))
    assert result.returncode == 0, result.stderr
    expected = focus_subgraph(full, "kgr:Armenia", 1)
    assert result.stderr.strip() == (
        f"wrote {out} (full, around kgr:Armenia within 1 hop: "
        f"{expected.number_of_nodes()} nodes, {expected.number_of_edges()} edges)"
    )
    assert out.stat().st_mode & 0o044 == 0o044  # readable like any page, not private
    assert [p.name for p in out.parent.iterdir()] == ["armenia.html"]  # no temporary left
    opened = Opened(browser, out)
    try:
        assert opened.counts() == (expected.number_of_nodes(), expected.number_of_edges())
        assert opened.counts()[0] < full.number_of_nodes()
        assert opened.page.evaluate("network.getSelectedNodes()") == [
            "https://w3id.org/kg-ir/resource/Armenia"
        ]
        assert opened.errors == [] and opened.requests == [opened.url]
    finally:
        opened.close()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["alliance", "--as-of", "2023-13-01"], "kg: error: bad date '2023-13-01'"),
        (
            ["full", "--focus", "Armenai"],
            "kg: error: no entity 'Armenai' in view 'full'; did you mean 'Armenia'?",
        ),
        (["contested", "--focus", "kgr:Armenia"], "kg: error: 'kgr:Armenia' is not an event"),
        (
            ["full", "--hops", "0", "--focus", "kgr:Armenia"],
            "kg: error: Invalid value for '--hops'",
        ),
        (["nosuchview"], "kg: error: Invalid value for '{full|alliance"),
    ],
)
def test_bad_input_is_one_line_exit_2_and_keeps_the_old_page(tmp_path, args, message):
    out = tmp_path / "page.html"
    out.write_text("old page")
    result = run("render", *args, "-o", str(out))
    assert result.returncode == 2
    assert result.stderr.startswith(message), result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert out.read_text() == "old page"
    assert [p.name for p in tmp_path.iterdir()] == ["page.html"]
