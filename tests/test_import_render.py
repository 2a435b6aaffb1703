"""The pages ``kg render`` writes show each imported dataset's attribution, licence and
whether its terms forbid redistribution, as text: markup in a graph's dataset description is
shown, never run (Debian chromium through Playwright)."""

from __future__ import annotations

import pytest
from import_common import DATASETS, ROOT
from import_common import kg as run_kg
from render_browser import Opened, browser  # noqa: F401  (fixture)

import kg
from kg.importers import attributions
from kg.render import render_html
from kg.render.sample import sample_view

#: A dataset description as a hostile graph file could write it.
HOSTILE = """@prefix dct: <http://purl.org/dc/terms/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://w3id.org/kg-ir/resource/dataset_testland>
  rdfs:label "Testland Events <script>window.kgOwned = 1</script>"@en ;
  dct:bibliographicCitation "Data from <img src=x onerror=alert(2)> Testland & co."@en ;
  dct:license "<b>bold</b> licence" ;
  dct:accessRights <https://w3id.org/kg-ir/kind/redistributionRestricted> .
"""
GDELT_TEXT = "Event data from the GDELT Project (https://www.gdeltproject.org/)."
ACLED_TEXT = "Armed Conflict Location & Event Data (ACLED), https://acleddata.com"


@pytest.fixture(scope="module")
def added(tmp_path_factory) -> list[str]:
    """``--add`` options for a GDELT import, an ACLED import and the hostile description."""
    folder = tmp_path_factory.mktemp("imported")
    gdelt, acled, hostile = folder / "gdelt.nt", folder / "acled.nt", folder / "hostile.ttl"
    export = DATASETS / "gdelt" / "20230919.export.CSV"
    assert run_kg("import", "gdelt", str(export), "-o", str(gdelt)).returncode == 0
    rows = DATASETS / "acled" / "acled-test-export.csv"
    assert run_kg("import", "acled", str(rows), "-o", str(acled)).returncode == 0
    hostile.write_text(HOSTILE, encoding="utf-8")
    return ["--add", str(gdelt), "--add", str(acled), "--add", str(hostile)]


@pytest.mark.browser
def test_the_full_page_shows_each_dataset_attribution_escaped(added, tmp_path, browser):  # noqa: F811
    page_file = tmp_path / "full.html"
    done = run_kg(*added, "render", "full", "-o", str(page_file), cwd=ROOT)
    assert done.returncode == 0, done.stderr
    opened = Opened(browser, page_file)
    try:
        box = opened.page.locator("#kg-credits")
        box.scroll_into_view_if_needed()
        assert box.is_visible()
        text = box.inner_text()
        assert "Data from" in text and GDELT_TEXT in text and ACLED_TEXT in text
        # the hostile description, shown as the text it is
        assert "Data from <img src=x onerror=alert(2)> Testland & co." in text
        assert "Testland Events <script>window.kgOwned = 1</script>" in text
        assert "Licence: <b>bold</b> licence" in text
        assert box.locator("img, script, b").count() == 0
        assert opened.page.evaluate("window.kgOwned") is None
        credits = {
            item.locator("strong").inner_text(): item.inner_text()
            for item in box.locator(".kg-credit").all()
        }
        assert len(credits) == 3
        restricted = {name for name, item in credits.items() if "redistribution restricted" in item}
        assert restricted == {
            "Armed Conflict Location & Event Data (ACLED)",
            "Testland Events <script>window.kgOwned = 1</script>",
        }
        gdelt = credits["GDELT Event Database"]
        assert "Licence: https://www.gdeltproject.org/about.html#termsofuse" in gdelt
        assert opened.dialogs == [] and opened.errors == [] and opened.requests == [opened.url]
    finally:
        opened.close()


@pytest.mark.parametrize("args", [["entity", "kgr:Armenia"], ["contested"], ["alliance"]])
def test_every_page_kind_carries_the_attributions(added, tmp_path, args):
    page_file = tmp_path / "page.html"
    done = run_kg(*added, "render", *args, "-o", str(page_file), cwd=ROOT)
    assert done.returncode == 0, done.stderr
    page = page_file.read_text(encoding="utf-8")
    assert page.count('class="kg-credit"') == 3 and GDELT_TEXT in page
    assert "Data from &lt;img src=x onerror=alert(2)&gt; Testland &amp; co." in page
    assert "<img src=x" not in page


def test_a_graph_without_imports_has_no_attribution_box():
    assert attributions(kg.load()) == []
    assert 'id="kg-credits"' not in render_html(sample_view(10))
    assert 'id="kg-credits"' in render_html(
        sample_view(10),
        credits=[{"label": "D", "attribution": "A", "licence": "L", "restricted": False}],
    )
