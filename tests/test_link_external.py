"""Linking against external services, all local: a real Oxigraph server holding the
Wikidata-shaped sample (tests/fixtures/wikidata_sample.ttl) for reconciliation, enrichment and
federation, and a tiny http.server that answers badly (429, 500, too slowly, malformed JSON).
The code under test is the real HTTP client; nothing here reaches the internet."""

from __future__ import annotations

import contextlib
import csv
import json
import shutil
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import rdflib
from conftest import OXIGRAPH, OxigraphServer, kg_command

import kg
from kg.linking.accept import accept_links
from kg.linking.enrich import enrichment_graph_iri, fetch_enrichment
from kg.linking.federation import federated_query, linked_facts_query
from kg.linking.http_client import ExternalServiceError, HttpClient
from kg.linking.reconcile_client import ReconQuery, SparqlCandidates
from kg.linking.review import ReviewFileError
from kg.namespaces import DCT, KG, KGR, OWL, PROV, RDFS, SKOS, WD, WDT
from kg.parsing import parse_file
from kg.serve.guard import RefusedError

pytestmark = pytest.mark.server

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "tests" / "fixtures" / "wikidata_sample.ttl"
FAST = {"cache_dir": None, "min_interval": 0.0, "backoff": 0.01}


@pytest.fixture(scope="module")
def wikidata(tmp_path_factory):
    """``oxigraph serve`` on a store loaded with the sample by ``oxigraph load``."""
    if not OXIGRAPH.exists():
        pytest.skip("the oxigraph server (pip package 'oxigraph') is not installed")
    store = tmp_path_factory.mktemp("wikidata-store")
    subprocess.run(
        [str(OXIGRAPH), "load", "--location", str(store), "--file", str(SAMPLE)],
        check=True,
        capture_output=True,
        timeout=60,
    )
    server = OxigraphServer(store)
    yield server.query_url
    server.stop()


def uri(iri):
    return {"type": "uri", "value": str(iri)}


class BadHandler(BaseHTTPRequestHandler):
    """Answers by path: /429, /500, /slow, /malformed, /notsparql, /flaky (429 once, then ok)."""

    def do_GET(self):
        self.answer()

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.answer()

    def answer(self):
        server = self.server
        server.log.append((self.path, self.headers.get("User-Agent"), time.monotonic()))
        path = self.path.split("?")[0]
        if path == "/flaky":
            server.flaky += 1
            path = "/429" if server.flaky == 1 else "/ok"
        if path == "/429":
            self.send(429, b"slow down", retry_after="0")
        elif path == "/500":
            self.send(500, b"boom")
        elif path == "/slow":
            time.sleep(1.5)
            self.send(200, b'{"head": {"vars": []}, "results": {"bindings": []}}')
        elif path == "/malformed":
            self.send(200, b'{"head": {"vars": ["item"]}, "results": {"bindings": [')
        elif path == "/extra":
            seven = {"type": "literal", "value": "7", "datatype": str(rdflib.XSD.integer)}
            rows = [
                {"item": uri(item), "property": uri(prop), "value": seven}
                for item, prop in ((WD.Q399, WDT.P1082), (WD.Q1, WDT.P1082), (WD.Q399, WDT.P35))
            ] + [{"item": {"type": "bnode", "value": "b"}}]
            self.send(
                200, json.dumps({"head": {"vars": []}, "results": {"bindings": rows}}).encode()
            )
        elif path == "/notsparql":
            self.send(200, b'{"hello": "world"}')
        else:
            self.send(200, b'{"head": {"vars": []}, "results": {"bindings": []}}')

    def send(self, status, body, retry_after=None):
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        if retry_after is not None:
            self.send_header("Retry-After", retry_after)
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(body)  # the client may have given up (timeout test)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def bad():
    server = ThreadingHTTPServer(("127.0.0.1", 0), BadHandler)
    server.daemon_threads = True
    server.log, server.flaky = [], 0
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.url = f"http://127.0.0.1:{server.server_address[1]}"
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def project(tmp_path):
    """A copy of the project (ontology, data) so that written files land in tmp_path."""
    shutil.copytree(ROOT / "ontology", tmp_path / "ontology")
    (tmp_path / "data").mkdir()
    shutil.copy(ROOT / "data" / "triples.ttl", tmp_path / "data" / "triples.ttl")
    return tmp_path


def kg_at(*args, root):
    return kg_command(*args, root=root, cwd=root, env={"KG_CACHE_DIR": str(root / "cache")})


def one_line_error(result, *fragments):
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    (line,) = result.stderr.splitlines()
    assert line.startswith("kg: error: ")
    for fragment in fragments:
        assert fragment in line, (fragment, line)


# --- the HTTP client -------------------------------------------------------------------


def test_client_identifies_itself_retries_after_429_and_caches(bad, tmp_path):
    client = HttpClient(retries=2, backoff=0.01, min_interval=0.0, cache_dir=tmp_path)
    before = len(bad.log)
    assert client.sparql(bad.url + "/flaky", "ASK {}")["results"]["bindings"] == []
    hits = bad.log[before:]
    assert [h[0] for h in hits] == ["/flaky", "/flaky"]  # a 429, then the retry
    assert all(h[1].startswith("kg/") for h in hits)
    again = HttpClient(retries=0, min_interval=0.0, cache_dir=tmp_path)
    assert again.sparql(bad.url + "/flaky", "ASK {}")["results"]["bindings"] == []
    assert len(bad.log) == before + 2  # answered from the on-disk cache
    assert again.requests_sent == 0


def test_client_spaces_requests_to_one_host(bad):
    client = HttpClient(retries=0, min_interval=0.3, cache_dir=None)
    before = len(bad.log)
    for _ in range(3):
        client.get_json(bad.url + "/ok")
    times = [h[2] for h in bad.log[before:]]
    assert len(times) == 3
    assert all(b - a >= 0.25 for a, b in zip(times, times[1:], strict=False))


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/429", "HTTP 429 Too Many Requests after 2 attempts"),
        ("/500", "HTTP 500 Internal Server Error after 2 attempts"),
        ("/slow", "timed out after 0.3 s after 2 attempts"),
        ("/malformed", "malformed JSON in the answer (Expecting value at line 1 column"),
        ("/notsparql", "the answer is JSON but not SPARQL results"),
    ],
)
def test_bad_answers_give_one_clear_message(bad, path, message):
    client = HttpClient(retries=1, timeout=0.3, **FAST)
    with pytest.raises(ExternalServiceError) as caught:
        client.sparql(bad.url + path, "ASK {}")
    assert str(caught.value).startswith(bad.url + path + ": ")
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


# --- reconciliation against the SPARQL stand-in ----------------------------------------


def test_sparql_candidates_are_scored_and_typed(wikidata):
    source = SparqlCandidates(wikidata, HttpClient(**FAST))
    found = source.candidates(
        [
            ReconQuery("armenia", "Armenia", KG.State),
            ReconQuery("town", "Armenia", KG.Settlement),
            ReconQuery(
                "nkr", "Republic of Artsakh (Nagorno-Karabakh Republic)", KG.UnrecognizedState
            ),
            ReconQuery("csto", "CSTO", KG.MilitaryAlliance),
            ReconQuery("georgia", "Georgia", KG.State),
            ReconQuery("quote", 'Armenia" } ; DROP ALL ; #', KG.State),
        ]
    )
    armenia = found["armenia"]
    assert [(c.id, c.score, c.match) for c in armenia] == [
        (str(WD.Q399), 100.0, True),
        (str(WD.Q990000001), 75.0, False),  # same label, but a city: type penalty
    ]
    assert found["town"][0].id == str(WD.Q990000001) and found["town"][0].match
    assert found["nkr"][0].id == str(WD.Q244165) and found["nkr"][0].match
    assert found["csto"][0].id == str(WD.Q318693) and found["csto"][0].match
    assert found["georgia"] == []
    assert found["quote"] == []  # the quote stayed inside one literal


# --- propose, review, accept: the real command ------------------------------------------


def test_propose_then_accept_with_review_and_provenance(project, wikidata):
    extra = project / "data" / "extra.ttl"
    extra.write_text(
        "@prefix kg: <https://w3id.org/kg-ir/ontology#> .\n"
        "@prefix kgr: <https://w3id.org/kg-ir/resource/> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        'kgr:ArmeniaTown a kg:Settlement ; rdfs:label "Armenia"@en .\n'
    )
    review = project / "review.csv"
    result = kg_at(
        "--add",
        str(extra),
        "link",
        "--propose",
        str(review),
        "--sparql",
        wikidata,
        "--entity",
        "kgr:Moscow",
        "--entity",
        "kgr:ArmeniaTown",
        "--entity",
        "kgr:Georgia",
        "--rate",
        "0",
        root=project,
    )
    assert result.returncode == 0, result.stderr
    assert "kg link --accept" in result.stdout
    rows = list(csv.DictReader(review.open()))
    by = {(r["entity"].rsplit("/", 1)[1], r["candidate"].rsplit("/", 1)[-1]): r for r in rows}
    assert by[("Moscow", "Q649")]["decision"] == "accept"
    assert by[("ArmeniaTown", "Q990000001")]["decision"] == "accept"
    assert float(by[("ArmeniaTown", "Q399")]["score"]) == 75.0
    assert by[("ArmeniaTown", "Q399")]["decision"] == ""  # below the threshold: not pre-accepted
    assert by[("Georgia", "")]["candidate"] == ""

    # The reviewer prefers Q399 for the town (a test of the mechanism, not of geography).
    by[("ArmeniaTown", "Q990000001")]["decision"] = "reject"
    by[("ArmeniaTown", "Q399")]["decision"] = "accept"
    write_rows(review, rows)
    links = project / "data" / "links.ttl"
    refused = kg_at("--add", str(extra), "link", "--accept", str(review), root=project)
    one_line_error(refused, "review.csv:", "below the threshold 90", "reviewer")
    assert not links.exists()  # nothing written, not even Moscow's clear match

    by[("ArmeniaTown", "Q399")]["reviewer"] = "Ann Reviewer"
    write_rows(review, rows)
    result = kg_at(
        "--add", str(extra), "link", "--accept", str(review), "--by", "Bob Curator", root=project
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("2 link(s) written")
    graph = rdflib.Graph().parse(links)
    assert (KGR.Moscow, SKOS.exactMatch, WD.Q649) in graph
    assert (KGR.ArmeniaTown, SKOS.exactMatch, WD.Q399) in graph
    assert (KGR.ArmeniaTown, SKOS.exactMatch, WD.Q990000001) not in graph
    provenance = provenance_of(graph, KGR.ArmeniaTown, WD.Q399)
    assert provenance["who"] == "Ann Reviewer"
    assert provenance["source"] == wikidata
    assert (
        "score 75 (threshold 90)" in provenance["note"]
        and "reviewed by Ann Reviewer" in provenance["note"]
    )
    assert provenance["when"].endswith("+00:00")
    assert provenance_of(graph, KGR.Moscow, WD.Q649)["who"] == "Bob Curator"

    # Applying the file again changes nothing; the report now sees the links file.
    before = links.read_bytes()
    graph = kg.load([project / "data" / "triples.ttl", extra, links], root=project)
    again = accept_links(graph, review, links, agent="Bob Curator")
    assert (again.written, len(again.already), again.skipped) == ([], 2, 2)
    assert links.read_bytes() == before
    report = kg_at("link", root=project)
    moscow = next(line for line in report.stdout.splitlines() if line.startswith("kgr:Moscow "))
    assert moscow.split()[2] == "Q649"


def test_accept_refuses_a_second_link_for_a_linked_entity(project):
    from kg.linking.review import COLUMNS

    review = project / "review.json"
    row = dict.fromkeys(COLUMNS, "")
    row |= {
        "entity": str(KGR.Armenia),
        "dataset": "wikidata",
        "candidate": str(WD.Q990000001),
        "score": 100,
        "threshold": 90,
        "decision": "accept",
        "source": "x",
        "method": "y",
    }
    review.write_text(json.dumps([row]))
    one_line_error(
        kg_at("link", "--accept", str(review), root=project),
        "review.json:1:",
        "already linked to http://www.wikidata.org/entity/Q399",
    )
    row |= {"entity": str(KGR.Atlantis)}
    review.write_text(json.dumps([row]))
    with pytest.raises(ReviewFileError, match="review.json:1: unknown entity .*/Atlantis"):
        accept_links(kg.load(root=project), review, project / "data" / "links.ttl", agent="x")
    assert not (project / "data" / "links.ttl").exists()


def write_rows(path, rows):
    with path.open("w", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def provenance_of(graph, source, target):
    (axiom,) = [
        a
        for a in graph.subjects(OWL.annotatedSource, source)
        if (a, OWL.annotatedTarget, target) in graph
    ]
    assert (axiom, OWL.annotatedProperty, SKOS.exactMatch) in graph
    agent = graph.value(axiom, PROV.wasAttributedTo)
    activity = graph.value(axiom, PROV.wasGeneratedBy)
    assert (activity, rdflib.RDF.type, PROV.Activity) in graph
    return {
        "who": str(graph.value(agent, RDFS.label)),
        "when": str(graph.value(axiom, PROV.generatedAtTime)),
        "source": str(graph.value(axiom, DCT.source)),
        "note": str(graph.value(axiom, KG.note)),
    }


# --- enrichment and federation ----------------------------------------------------------


def test_enrich_keeps_facts_in_an_attributed_named_graph(project, wikidata):
    result = kg_at("enrich", "--sparql", wikidata, "--rate", "0", root=project)
    assert result.returncode == 0, result.stderr
    trig = project / "data" / "enrichment.trig"
    dataset = parse_file(trig)
    name = enrichment_graph_iri(wikidata)
    assert len(dataset.graph(name)) > 0
    facts = dataset.graph(name)
    assert facts.value(WD.Q399, WDT.P1082).toPython() == 2900000
    assert facts.value(WD.Q399, WDT.P571).toPython().date().isoformat() == "1991-09-21"
    assert (WD.Q399, WDT.P36, WD.Q1953) in facts
    assert (WD.Q1953, RDFS.label, rdflib.Literal("Yerevan", lang="en")) in facts
    assert not any(str(s).startswith(str(KGR)) for s in facts.subjects())  # not on our entities
    assert not any(p == WDT.P463 for p in facts.predicates())  # only what was asked
    default = dataset.default_graph
    assert (name, PROV.wasDerivedFrom, rdflib.URIRef(wikidata)) in default
    assert default.value(name, PROV.generatedAtTime) is not None

    # Loaded beside the article, the facts are reached through the links: in their named
    # graph on the Oxigraph backend, and by their axiom annotation on any backend.
    in_graph = kg.load(extra=[trig], backend="oxigraph").query(
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
        "PREFIX wdt: <http://www.wikidata.org/prop/direct/> "
        "PREFIX prov: <http://www.w3.org/ns/prov#> "
        "SELECT ?population ?endpoint WHERE { ?state skos:exactMatch ?item . "
        "GRAPH ?g { ?item wdt:P1082 ?population } ?g prov:wasDerivedFrom ?endpoint }",
        state=KGR.Armenia,
    )
    assert in_graph.to_dicts() == [{"population": 2900000, "endpoint": wikidata}]
    annotated = kg.load(extra=[trig]).query(
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
        "PREFIX wdt: <http://www.wikidata.org/prop/direct/> "
        "PREFIX owl: <http://www.w3.org/2002/07/owl#> "
        "PREFIX prov: <http://www.w3.org/ns/prov#> "
        "SELECT ?population ?endpoint WHERE { ?state skos:exactMatch ?item . "
        "?item wdt:P1082 ?population . [] owl:annotatedSource ?item ; "
        "owl:annotatedProperty wdt:P1082 ; owl:annotatedTarget ?population ; "
        "prov:wasDerivedFrom ?endpoint }",
        state=KGR.Armenia,
    )
    assert annotated.to_dicts() == [{"population": 2900000, "endpoint": wikidata}]

    # A second run replaces the named graph instead of piling up.
    again = kg_at(
        "enrich", "--sparql", wikidata, "--rate", "0", "--property", "inception", root=project
    )
    assert again.returncode == 0, again.stderr
    dataset = parse_file(trig)
    facts = dataset.graph(name)
    assert {p for p in facts.predicates() if str(p).startswith(str(WDT))} == {WDT.P571}
    assert len(list(dataset.default_graph.objects(name, PROV.generatedAtTime))) == 1


@pytest.mark.parametrize("path", ["/500", "/malformed"])
def test_failed_enrichment_leaves_files_unchanged(project, bad, path):
    earlier = project / "data" / "enrichment.trig"
    earlier.write_text("# an earlier enrichment\n<http://a> <http://b> <http://c> .\n")
    files = [earlier, project / "data" / "triples.ttl"]
    before = [f.read_bytes() for f in files]
    result = kg_at(
        "enrich",
        "--sparql",
        bad.url + path,
        "--retries",
        "1",
        "--no-cache",
        "--rate",
        "0",
        root=project,
    )
    one_line_error(result, bad.url + path, "HTTP 500" if path == "/500" else "malformed JSON")
    assert [f.read_bytes() for f in files] == before
    assert sorted(p.name for p in (project / "data").iterdir()) == [
        "enrichment.trig",
        "triples.ttl",
    ]


def test_failed_proposal_writes_no_review_file(project, bad):
    result = kg_at(
        "link",
        "--propose",
        str(project / "r.csv"),
        "--sparql",
        bad.url + "/slow",
        "--timeout",
        "0.3",
        "--retries",
        "0",
        "--entity",
        "kgr:Georgia",
        root=project,
    )
    one_line_error(result, "timed out after 0.3 s after 1 attempt")
    assert not (project / "r.csv").exists()


def test_enrich_keeps_only_what_it_asked_for(bad):
    graph = rdflib.Graph()
    graph.add((KGR.Armenia, SKOS.exactMatch, WD.Q399))
    result = fetch_enrichment(
        graph, endpoint=bad.url + "/extra", properties=["population"], http=HttpClient(**FAST)
    )
    # Rows about an item or a property that was not asked for are dropped.
    assert [(s, p, o.toPython()) for s, p, o in result.facts] == [(WD.Q399, WDT.P1082, 7)]
    assert result.answered_items == {WD.Q399}


def test_federated_query_through_the_allow_list(wikidata):
    graph = kg.load()
    text = linked_facts_query(wikidata, ["population", "capital"])
    with pytest.raises(RefusedError, match="is not allowed"):
        federated_query(graph, text, allow_service=["http://127.0.0.1:1/other"])
    rows = federated_query(graph, text, allow_service=[wikidata]).to_dicts()
    facts = {
        (r["entity"].rsplit("/", 1)[1], r["property"].rsplit("/", 1)[1]): r["value"] for r in rows
    }
    assert facts[("Armenia", "P1082")] == 2900000
    assert facts[("Azerbaijan", "P36")] == str(WD.Q9248)
    assert facts[("Baku", "P1082")] == 2300000
    assert ("NATO", "P1082") not in facts


def test_a_reconciliation_service_that_answers_badly(bad):
    from kg.linking.reconcile_client import ReconciliationServiceCandidates

    http = HttpClient(retries=0, **FAST)
    with pytest.raises(ExternalServiceError, match="/notsparql: the manifest has no 'name'"):
        ReconciliationServiceCandidates(bad.url + "/notsparql", http).candidates(
            [ReconQuery("k", "Baku")]
        )
    with pytest.raises(ExternalServiceError, match="/500: HTTP 500 Internal Server Error"):
        ReconciliationServiceCandidates(bad.url + "/500", http).manifest()
