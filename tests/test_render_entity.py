"""The entity page (``kg render entity ENTITY -o FILE``): one state, organization or person, its
neighbourhood graph and the timeline of its memberships, agreements, events and statements,
each with its quote and source, drawn offline in Debian chromium."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from render_browser import Opened, browser  # noqa: F401  (fixture)

import kg
from kg.errors import BadOptionError
from kg.render.entity import entity_timeline, entity_view
from kg.render.page import ENTITY_SCRIPTS
from kg.views import full_view

KG = str(Path(sys.executable).parent / "kg")
KGR = "https://w3id.org/kg-ir/resource/"


@pytest.fixture(scope="module")
def full():
    return full_view(kg.load())


def test_timeline_of_armenia(full):
    items = entity_timeline(full, f"{KGR}Armenia")
    kinds = {item["kind"] for item in items}
    assert kinds == {"membership", "agreement", "event", "statement"}
    membership = next(i for i in items if i["kind"] == "membership")
    assert membership["status"] == "frozen" and membership["status_since"] == "2024-02-22"
    assert membership["quote"] and membership["source"]
    dated = [str(i["date"]) for i in items if i["date"]]
    assert dated == sorted(dated) and items[: len(dated)] == [i for i in items if i["date"]]
    # Every item carries the quote and source of the node it comes from.
    for item in items:
        if item["kind"] != "membership":
            node = full.nodes[item["id"]]
            assert (item["quote"], item["source"]) == (node.get("quote"), node.get("source"))
    # What Armenia's ministry said is on Armenia's timeline, marked by whom.
    by = {i["by"] for i in items if i.get("by")}
    assert any("Ministry of Foreign Affairs" in b for b in by)


def test_entity_page_is_for_states_organizations_and_persons(full):
    assert entity_view(full, "kgr:CSTO").graph["focus"] == f"{KGR}CSTO"
    assert entity_view(full, "Nikol Pashinyan").graph["timeline"]
    with pytest.raises(BadOptionError, match="is a Settlement"):
        entity_view(full, "kgr:Yerevan")


def run(*args):
    return subprocess.run([KG, *args], capture_output=True, text=True, timeout=120)


def test_cli_errors_are_one_line_with_exit_2(tmp_path):
    out = tmp_path / "x.html"
    for args, message in (
        (("render", "entity", "-o", str(out)), "needs an ENTITY"),
        (("render", "entity", "Armenai", "-o", str(out)), "did you mean 'Armenia'?"),
        (("render", "full", "kgr:Armenia", "-o", str(out)), "only 'kg render entity'"),
    ):
        result = run(*args)
        assert result.returncode == 2 and message in result.stderr, result.stderr
        assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert not out.exists()


@pytest.mark.browser
def test_entity_page_draws_with_a_timeline_and_no_request(browser, tmp_path, full):  # noqa: F811
    out = tmp_path / "armenia.html"
    result = run("render", "entity", "kgr:Armenia", "-o", str(out))
    assert result.returncode == 0, result.stderr
    items = entity_timeline(full, f"{KGR}Armenia")
    assert f"{len(items)} timeline items" in result.stderr
    opened = Opened(browser, out, size=(1600, 1000), scripts=ENTITY_SCRIPTS)
    page = opened.page
    try:
        assert page.title() == "Armenia"
        shown = set(page.evaluate("network.body.data.nodes.getIds()"))
        assert f"{KGR}Armenia" in shown and f"{KGR}CSTO" in shown
        assert shown == set(entity_view(full, "kgr:Armenia"))
        assert opened.drawn_pixels() > 10_000
        overlapping, count = opened.label_overlaps()
        assert overlapping <= count // 10
        rows = page.locator("#kg-timeline-items li")
        assert rows.count() == len(items) >= 10
        texts = rows.all_text_contents()
        for item, text in zip(items, texts, strict=True):
            assert item["title"] in text
            assert (item["quote"] or "") in text
            assert "source: " + (item["source"] or "none").rsplit("/", 1)[-1] in text
        membership = texts[[i["kind"] for i in items].index("membership")]
        assert "status: frozen since 2024-02-22" in membership
        # A timeline item selects its node and shows its details.
        event = next(i for i in items if i["kind"] == "event")
        page.locator("#kg-timeline-items li", has_text=event["title"]).locator("button").click()
        page.wait_for_selector("#kg-details:not([hidden])")
        assert page.text_content("#kg-details h2") == event["title"]
        assert opened.errors == [] and opened.requests == [opened.url]
    finally:
        opened.close()
