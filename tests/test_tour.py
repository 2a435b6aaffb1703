"""docs/tour.ipynb runs in a real Jupyter kernel (nbclient + ipykernel), without an error."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
TOUR = ROOT / "docs" / "tour.ipynb"


@pytest.fixture(scope="module")
def executed():
    notebook = nbformat.read(TOUR, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": str(ROOT / "docs")}},
    )
    client.execute()
    return notebook


def _outputs(notebook):
    return [out for cell in notebook.cells if cell.cell_type == "code" for out in cell.outputs]


def test_tour_runs_without_an_error(executed):
    assert all(out.output_type != "error" for out in _outputs(executed))
    code = [cell for cell in executed.cells if cell.cell_type == "code"]
    assert all(cell.execution_count for cell in code)  # every cell ran


def test_tour_shows_a_render_inline(executed):
    html = [
        out.data["text/html"] for out in _outputs(executed) if "text/html" in out.get("data", {})
    ]
    assert any("<iframe" in page and "srcdoc=" in page and "sandbox=" in page for page in html)


def test_tour_answers_from_the_graph(executed):
    printed = "".join(
        out.get("text", "") for out in _outputs(executed) if out.output_type == "stream"
    )
    assert "Armenia" in printed and "src_armenia_csto_2024" in printed
    assert "asOf must be a date" in printed
    values = [out.data.get("text/plain", "") for out in _outputs(executed) if "data" in out]
    assert any("'Russia'" in v and "[])" in v for v in values)  # allies before / after freezing
