"""The real ``kg view/path/allies/contested/said`` commands, run as processes."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest
from conftest import kg_command

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = (ROOT / "tests" / "fixtures" / "views" / "article.txt").read_text(encoding="utf-8")
KGR = "https://w3id.org/kg-ir/resource/"


def kg(*args: str, backend: str = "oxigraph"):
    """Run the real command; on Oxigraph by default, whose views build fast (the rdflib
    default is exercised by ``test_allies_differ_between_two_dates``)."""
    return kg_command("--backend", backend, *args, timeout=120)


def one_line_error(result, *fragments):
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    [line] = result.stderr.splitlines()
    assert line.startswith("kg: error: ")
    for fragment in fragments:
        assert fragment in line, line


@pytest.mark.parametrize("command", ["view", "path", "allies", "contested", "said"])
def test_help_has_an_example(command):
    result = kg(command, "--help")
    assert result.returncode == 0 and "Example:" in result.stdout


def test_path_prints_each_relation_with_its_quote():
    result = kg("path", "Armenia", "Russia", "--max-hops", "2")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Armenia -member of-> Collective Security Treaty Organization <-member of- Russia" in out
    assert "2020 Nagorno-Karabakh ceasefire statement -mediator-> Russia" in out
    quotes = [
        line.strip()[1:].rsplit('" [', 1)[0] for line in out.splitlines() if '" [kgr:' in line
    ]
    assert quotes and all(q in ARTICLE for q in quotes)
    as_json = json.loads(kg("path", "Q399", "kgr:Russia", "--max-hops", "2", "--json").stdout)
    assert all(len(p) <= 2 for p in as_json) and as_json[0][0]["from"] == KGR + "Armenia"


def test_allies_differ_between_two_dates():
    before = kg("allies", "Armenia", "--as-of", "2023-09-01", backend="memory")
    after = kg("allies", "Armenia", "--as-of", "2024-03-01", backend="memory")
    assert before.returncode == after.returncode == 0
    assert "Russia <kgr:Russia>  in Collective Security Treaty Organization" in before.stdout
    assert after.stdout.strip() == "no allies on 2024-03-01"


def test_contested_and_said():
    result = kg("contested", "September 2023 Azerbaijani offensive in Nagorno-Karabakh")
    assert result.returncode == 0, result.stderr
    assert "Government of Azerbaijan (announcement)" in result.stdout
    assert "Ministry of Foreign Affairs of Armenia (accusation of aggression)" in result.stdout
    said = json.loads(kg("said", "--speaker", "Armenia", "--json").stdout)
    assert KGR + "Statement_ArmeniaMFA_Aggression" in {c["claim"] for c in said}


def test_view_summary_and_export(tmp_path):
    result = kg("view", "alliance", "--as-of", "2023-09-01")
    assert result.returncode == 0
    assert result.stdout.startswith("alliance view (as of 2023-09-01):")
    out = tmp_path / "full.graphml"
    assert kg("view", "full", "--format", "graphml", "-o", str(out)).returncode == 0
    assert nx.read_graphml(out).number_of_edges() > 100
    ttl = kg("view", "agreement", "--format", "ttl").stdout
    assert "kg:mediator kgr:Russia" in ttl


def test_bad_input_is_one_line_and_exit_2():
    one_line_error(kg("allies", "Armenai"), "unknown entity 'Armenai'", "did you mean: Armenia")
    one_line_error(kg("path", "Armenia", "kgr:Nowhere"), "unknown entity kgr:Nowhere")
    one_line_error(kg("view", "alliance", "--as-of", "2023-02-30"), "bad date '2023-02-30'")
    one_line_error(kg("view", "nope"), "nope")
    # a name that is an entity's label wins over other entities' alternative labels
    baku = kg("contested", "Baku", "--json")
    assert baku.returncode == 0 and json.loads(baku.stdout) == []


def test_alleged_things_only_with_the_alleged_flag():
    """As the timeline query's ``--param alleged=true``: alleged and not-occurred events and
    facts are left out unless asked for, and then marked."""
    plain, alleged = kg("view", "event"), kg("view", "event", "--alleged")
    assert plain.returncode == alleged.returncode == 0, alleged.stderr
    count = lambda out: int(out.split("): ")[1].split(" nodes")[0])  # noqa: E731
    assert count(alleged.stdout) > count(plain.stdout)
    facts = {c["claim"]: c for c in json.loads(kg("said", "--alleged", "--json").stdout)}
    fact = facts[KGR + "Fact_CSTONoAssistance"]
    assert fact["alleged"] == KGR + "Statement_Grigoryan_Attacks"
    said = {c["claim"] for c in json.loads(kg("said", "--json").stdout)}
    assert KGR + "Fact_CSTONoAssistance" not in said and KGR + "Statement_Grigoryan_Attacks" in said
    ttl = kg("view", "event", "--alleged", "--format", "ttl").stdout
    assert "kg:allegedBy kgr:Statement_Grigoryan_Attacks" in ttl
    assert "AzerbaijaniAttacksOnArmenia" not in kg("view", "event", "--format", "ttl").stdout
