"""kg import wikidata: statements with qualifiers, merged by Q-id, conflicts kept side by side.

The SPARQL route runs against a real ``oxigraph serve`` on 127.0.0.1 holding a sample in
Wikidata's own statement shape (``p:``/``ps:``/``pq:``/``pqv:``, ranks), through the project's
HTTP client; the JSON route reads the same test content in the ``wbgetentities`` layout.
"""

from __future__ import annotations

import httpx
import pytest
from conftest import OxigraphServer
from import_common import DATASETS, KGR, one_line_error, values
from import_common import kg as run_kg

import kg
from kg.importers import import_wikidata
from kg.importers.conflicts import conflicts
from kg.linking.http_client import HttpClient

WIKIDATA = DATASETS / "wikidata"
MEMBERSHIPS = """SELECT ?m ?member ?org ?start ?end WHERE {
    ?m a kg:Membership ; kg:member ?member ; kg:organization ?org ; dct:source kgr:dataset_wikidata
    OPTIONAL { ?m kg:startDate ?start } OPTIONAL { ?m kg:endDate ?end } }"""


@pytest.fixture(scope="module")
def from_json():
    graph = kg.load()
    result = import_wikidata([WIKIDATA / "entities.json"], graph=graph)
    return graph, result


@pytest.fixture(scope="module")
def sample_server():
    server = OxigraphServer()
    body = (WIKIDATA / "sample.ttl").read_bytes()
    answer = httpx.post(
        f"{server.base}/store?default", content=body, headers={"Content-Type": "text/turtle"}
    )
    assert answer.status_code in (200, 201, 204), answer.text
    yield server
    server.stop()


def test_memberships_come_from_statements_with_their_dates_at_their_precision(from_json):
    graph, result = from_json
    assert result.rows_imported == 4
    rows = values(graph, MEMBERSHIPS)
    assert [r[1:] for r in rows] == [
        (KGR + "Armenia", KGR + "CSTO", "2002-10-07", None),  # merged on the graph's CSTO by Q-id
        (KGR + "Armenia", KGR + "wd_Q99990200", "1995", "2001-03"),  # year / month precision
    ]
    datatypes = values(
        graph,
        "SELECT (DATATYPE(?d) AS ?t) WHERE { "
        "?m kg:startDate ?d ; dct:source kgr:dataset_wikidata }",
    )
    assert {t for (t,) in datatypes} == {
        "http://www.w3.org/2001/XMLSchema#date",
        "http://www.w3.org/2001/XMLSchema#gYear",
    }
    # the deprecated statement (a NATO membership) is not imported
    nato = "<http://www.wikidata.org/entity/Q7184>"
    query = f"SELECT ?m WHERE {{ ?m kg:organization ?o . ?o skos:exactMatch {nato} }}"
    assert values(graph, query) == []


def test_the_articles_fact_is_kept_and_the_disagreement_listed(from_json):
    graph, _ = from_json
    article = values(graph, "SELECT ?d WHERE { kgr:Membership_Armenia_CSTO kg:startDate ?d }")
    assert article == [("2003-09-18",)]
    [found] = [c for c in conflicts(graph) if c["subject"] == KGR + "Armenia"]
    assert {(found["value_a"], found["source_a"]), (found["value_b"], found["source_b"])} == {
        ("2003-09-18", KGR + "article"),
        ("2002-10-07", KGR + "dataset_wikidata"),
    }


def test_heads_of_state_and_treaties(from_json):
    graph, _ = from_json
    heads = values(
        graph,
        """SELECT ?label ?person ?start WHERE {
        ?post a kg:Post ; kg:postIn kgr:Armenia ; rdfs:label ?label ; kg:heldBy ?person .
        ?a <http://www.w3.org/2002/07/owl#annotatedSource> ?post ;
           <http://www.w3.org/2002/07/owl#annotatedTarget> ?person ; kg:startDate ?start }""",
    )
    assert heads == [("head of state of Armenia", KGR + "wd_Q99990001", "2022-03-13")]
    treaty = values(
        graph,
        """SELECT ?s ?signed WHERE {
        kgr:wd_Q99990100 a kg:Agreement ; kg:party ?s ; kg:dateSigned ?signed }""",
    )
    # states that signed (P1891) are parties: kg:signatory is for the persons who sign
    assert treaty == [(KGR + "Armenia", "2020-11-10"), (KGR + "Azerbaijan", "2020-11-10")]
    assert values(graph, "SELECT ?s WHERE { kgr:wd_Q99990100 kg:signatory ?s }") == []


def test_sparql_endpoint_gives_what_the_json_gives(sample_server, from_json, tmp_path):
    graph = kg.load()
    client = HttpClient(cache_dir=tmp_path / "cache", min_interval=0, retries=0)
    result = import_wikidata(
        sparql=sample_server.query_url, items=["Q399"], client=client, graph=graph
    )
    assert result.rows_imported >= 4 and client.requests_sent >= 3
    assert values(graph, MEMBERSHIPS) == values(from_json[0], MEMBERSHIPS)
    heads = values(graph, "SELECT ?person WHERE { kgr:wd_Q399_P35 kg:heldBy ?person }")
    assert heads == [(KGR + "wd_Q99990001",)]
    signed = values(graph, "SELECT ?d WHERE { kgr:wd_Q99990100 kg:dateSigned ?d }")
    assert signed == [("2020-11-10",)]


def test_cli_conflicts_and_bad_json(tmp_path):
    out = tmp_path / "wd.nt"
    done = run_kg("import", "wikidata", str(WIKIDATA / "entities.json"), "-o", str(out))
    assert done.returncode == 0, done.stderr
    listed = run_kg("--add", str(out), "conflicts")
    assert listed.stdout.splitlines()[:3] == [
        "Armenia's membership in Collective Security Treaty Organization (startDate):",
        "  2003-09-18  kgr:Membership_Armenia_CSTO  [source kgr:article]",
        "  2002-10-07  kgr:wd_Q399-test-0001  [source kgr:dataset_wikidata]",
    ]
    one_line_error(
        run_kg("import", "wikidata", str(WIKIDATA / "bad.json"), "-o", str(out)),
        "bad.json:1: not JSON",
    )
    one_line_error(
        run_kg("import", "wikidata", "-o", str(out)), "give entity JSON FILES or --sparql URL"
    )
