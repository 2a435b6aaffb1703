"""The W3C Reconciliation API v0.2 as our own ``kg serve`` answers it (a real server process,
queried with the protocol's JSON, no stubs), our reconciliation client talking to it, and a
federated query through ``kg serve --allow-service`` to the local Wikidata stand-in."""

from __future__ import annotations

import json

import httpx
import pytest
from test_link_external import kg_command, one_line_error, project, wikidata  # noqa: F401

from kg.linking.federation import linked_facts_query
from kg.linking.http_client import HttpClient
from kg.linking.reconcile_client import ReconciliationServiceCandidates, ReconQuery
from kg.namespaces import KG, KGR
from kg.serve.testing import running_server

pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def server():
    with running_server(["--workers", "0"]) as running:
        yield running


def reconcile(server, queries, **kwargs):
    return httpx.post(
        server.base + "/reconcile", data={"queries": json.dumps(queries)}, timeout=30, **kwargs
    )


def test_manifest(server):
    manifest = httpx.get(server.base + "/reconcile", timeout=30).json()
    assert "0.2" in manifest["versions"]
    assert manifest["identifierSpace"] == str(KGR)
    assert manifest["schemaSpace"] == str(KG)
    assert {"id": "State", "name": "state"} in manifest["defaultTypes"]
    assert manifest["view"]["url"] == str(KGR) + "{{id}}"
    assert manifest["preview"]["url"] == server.base + "/reconcile/preview?id={{id}}"


def test_batch_queries_with_types_and_properties(server):
    answer = reconcile(
        server,
        {
            "q0": {"query": "Armenia", "type": "State", "limit": 3},
            "q1": {
                "query": "Collective Security Treaty Organization",
                "type": "InternationalOrganization",
            },
            "q2": {"query": "nikol pashinyan"},
            "q3": {
                "query": "Armenia",
                "type": "State",
                "limit": 1,
                "properties": [{"pid": "memberOf", "v": {"id": "CSTO"}}],
            },
            "q4": {
                "query": "Armenia",
                "type": "State",
                "limit": 1,
                "properties": [{"pid": "memberOf", "v": {"id": "NATO"}}],
            },
            "q5": {"query": "Atlantis", "type": "State"},
            "q6": {
                "query": "Armenia",
                "limit": 1,
                "properties": [{"pid": "memberOf", "v": "Collective Security Treaty Organization"}],
            },
        },
    )
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/json")
    results = {key: value["result"] for key, value in answer.json().items()}
    top = results["q0"][0]
    assert top == {
        "id": "Armenia",
        "name": "Armenia",
        "score": 100.0,
        "match": True,
        "type": [{"id": "State", "name": "state"}],
        "description": "state",
    }
    assert len(results["q0"]) == 3
    assert all(r["type"][0]["id"] == "State" and not r["match"] for r in results["q0"][1:])
    assert results["q1"][0]["id"] == "CSTO"  # a MilitaryAlliance is an InternationalOrganization
    assert results["q1"][0]["type"] == [{"id": "MilitaryAlliance", "name": "military alliance"}]
    assert results["q2"][0]["id"] == "NikolPashinyan" and results["q2"][0]["match"]
    assert results["q3"][0]["score"] == 100.0  # name and property agree
    assert results["q4"][0]["score"] == 70.0  # the name agrees, the property does not
    assert not results["q4"][0]["match"]
    assert all(not r["match"] for r in results["q5"])
    assert results["q6"][0]["score"] == 100.0  # a value given by its label, not its id


def test_get_form_and_bad_requests(server):
    got = httpx.get(
        server.base + "/reconcile",
        params={"queries": json.dumps({"a": {"query": "Baku"}})},
        timeout=30,
    )
    assert got.json()["a"]["result"][0]["id"] == "Baku"
    for queries, message in [
        ("{not json", "queries is not valid JSON"),
        (json.dumps({"q0": {"query": "x", "limit": 0}}), "q0: limit must be a positive integer"),
        (json.dumps({"q0": {"query": ""}}), "q0: query must be a non-empty string"),
        (json.dumps([]), "queries must be a non-empty JSON object"),
    ]:
        bad = httpx.post(server.base + "/reconcile", data={"queries": queries}, timeout=30)
        assert bad.status_code == 400
        assert bad.json() == {"status": "error", "message": bad.json()["message"]}
        assert message in bad.json()["message"]


def test_preview_escapes_text(server):
    card = httpx.get(server.base + "/reconcile/preview", params={"id": "Armenia"}, timeout=30)
    assert card.status_code == 200 and "<b>Armenia</b>" in card.text
    assert (
        httpx.get(
            server.base + "/reconcile/preview", params={"id": "<script>"}, timeout=30
        ).status_code
        == 404
    )


def test_our_client_reconciles_against_our_service(server):
    source = ReconciliationServiceCandidates(
        server.base + "/reconcile", HttpClient(cache_dir=None, min_interval=0.0)
    )
    found = source.candidates(
        [
            ReconQuery("a", "Armenia", KG.State),
            ReconQuery(
                "b", "Republic of Artsakh (Nagorno-Karabakh Republic)", KG.UnrecognizedState
            ),
            ReconQuery("c", "Moscow", KG.Settlement),
        ]
    )
    assert found["a"][0].id == str(KGR.Armenia) and found["a"][0].match
    assert found["b"][0].id == str(KGR.NagornoKarabakhRepublic) and found["b"][0].match
    assert found["c"][0].id == str(KGR.Moscow)


def test_federation_through_kg_serve_allow_list(wikidata):  # noqa: F811
    query = linked_facts_query(wikidata, ["population"])
    with running_server(
        ["--workers", "0", "--timeout", "60", "--allow-service", wikidata]
    ) as allowed:
        answer = httpx.post(
            allowed.url,
            data={"query": query},
            timeout=60,
            headers={"accept": "application/sparql-results+json"},
        )
    assert answer.status_code == 200, answer.text
    rows = answer.json()["results"]["bindings"]
    facts = {r["entity"]["value"].rsplit("/", 1)[1]: r["value"]["value"] for r in rows}
    assert facts["Armenia"] == "2900000" and facts["Yerevan"] == "1090000"

    with running_server(["--workers", "0"]) as closed:
        refused = httpx.post(closed.url, data={"query": query}, timeout=60)
    assert refused.status_code == 403
    assert "is not allowed" in refused.text


def test_propose_refuses_a_service_of_another_dataset(server, project):  # noqa: F811
    result = kg_command(
        "link",
        "--propose",
        str(project / "r.csv"),
        "--service",
        server.base + "/reconcile",
        "--entity",
        "kgr:Georgia",
        "--rate",
        "0",
        root=project,
    )
    one_line_error(result, "reconciles against https://w3id.org/kg-ir/resource/, not Wikidata")
    assert not (project / "r.csv").exists()
