"""kg import acled: events with dates, places, actors and fatalities, marked restricted, so that
kg export and kg serve refuse them without --include-restricted."""

from __future__ import annotations

import pytest
from import_common import DATASETS, KGR, one_line_error, values
from import_common import kg as run_kg

import kg
from kg.importers import attributions, import_acled, restricted_datasets

ACLED = DATASETS / "acled"


@pytest.fixture(scope="module")
def graph():
    g = kg.load()
    import_acled([ACLED / "acled-test-export.csv"], graph=g)
    return g


def test_rows_become_events_on_the_graphs_states(graph):
    rows = values(
        graph,
        """SELECT ?e ?date ?n ?state ?lat WHERE {
        ?e kg:sourceRecord ?r ; kg:startDate ?date ; kg:place ?p ; kg:quantity ?q .
        ?q kg:numericValue ?n ; kg:counts <https://w3id.org/kg-ir/kind/livesLost> .
        ?p kg:country ?state ; schema:latitude ?lat }""",
    )
    assert rows == [
        (KGR + "acled_TST9001", "2023-09-19", "0", KGR + "Armenia", "39.5012"),
        (KGR + "acled_TST9002", "2023-09-20", "3", KGR + "Azerbaijan", "39.81"),
        (KGR + "acled_TST9003", "2023-09", "0", KGR + "Armenia", "39.5012"),  # time_precision 3
    ]
    forces = values(
        graph,
        "SELECT ?c WHERE { ?a rdfs:label 'Military Forces of Armenia (2018-)'@en ; kg:country ?c }",
    )
    assert forces == [(KGR + "Armenia",)]
    kinds = values(
        graph, "SELECT ?l WHERE { kgr:acled_TST9002 kg:eventKind/skos:broader/rdfs:label ?l }"
    )
    assert kinds == [("Battles",)]


def test_the_dataset_is_marked_restricted_with_its_terms(graph):
    [found] = restricted_datasets(graph)
    assert (
        found["dataset"] == KGR + "dataset_acled" and "may not be redistributed" in found["terms"]
    )
    [acled] = attributions(graph)
    assert acled["restricted"] and acled["runs"][0]["filters"] == "none"


def test_bad_rows(tmp_path):
    one_line_error(
        run_kg("import", "acled", str(ACLED / "acled-bad.csv"), "-o", str(tmp_path / "a.nt")),
        "acled-bad.csv:2:event_date: not a date: '2023-09-31'",
        "acled-bad.csv:3:iso: unknown ISO 3166 numeric country code '999'",
    )


@pytest.fixture(scope="module")
def acled_nt(tmp_path_factory):
    out = tmp_path_factory.mktemp("acled") / "acled.nt"
    done = run_kg("import", "acled", str(ACLED / "acled-test-export.csv"), "-o", str(out))
    assert done.returncode == 0, done.stderr
    return out


def test_kg_export_refuses_restricted_data_without_the_flag(acled_nt, tmp_path):
    target = tmp_path / "all.nt"
    one_line_error(
        run_kg("--add", str(acled_nt), "export", "-o", str(target)),
        "kg export refused",
        "ACLED",
        "--include-restricted",
    )
    assert not target.exists()
    done = run_kg("--add", str(acled_nt), "export", "-o", str(target), "--include-restricted")
    assert done.returncode == 0, done.stderr
    assert "acled_TST9001" in target.read_text()
    # the article alone exports as before
    assert run_kg("export", "-o", str(tmp_path / "article.nt")).returncode == 0


def test_kg_serve_refuses_restricted_data_without_the_flag(acled_nt):
    from conftest import free_port

    refused = run_kg("--add", str(acled_nt), "serve", "--port", str(free_port()))
    one_line_error(refused, "kg serve refused", "--include-restricted")


def test_kg_datasets_shows_the_terms(acled_nt):
    shown = run_kg("--add", str(acled_nt), "datasets")
    assert (
        "Armed Conflict Location & Event Data (ACLED) <kgr:dataset_acled>  "
        "REDISTRIBUTION RESTRICTED" in shown.stdout
    )
    assert "filters: none" in shown.stdout
