"""`kg serve` speaks the SPARQL 1.1 Protocol to real clients: SPARQLWrapper, rdflib's
SPARQLStore and curl, against a real server process; answers equal the in-process ones."""

from __future__ import annotations

import csv
import io
import json
import subprocess
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, TURTLE, XML, SPARQLWrapper

import kg
from kg.queries import list_queries
from kg.serve.testing import running_server

pytestmark = pytest.mark.server

HOSTILE = Path(__file__).parent / "fixtures" / "serve" / "hostile.ttl"
STATES = """PREFIX kg: <https://w3id.org/kg-ir/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?s ?label WHERE { ?s a kg:State . OPTIONAL { ?s rdfs:label ?label } } ORDER BY ?s ?label"""
CONSTRUCT = """PREFIX kg: <https://w3id.org/kg-ir/ontology#>
CONSTRUCT { ?s ?p ?o } WHERE { ?s a kg:State ; ?p ?o }"""


@pytest.fixture(scope="module")
def server():
    with running_server(global_args=["--add", str(HOSTILE)]) as running:
        yield running


@pytest.fixture(scope="module")
def local():
    return kg.load(extra=[HOSTILE])


def curl(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["curl", "-s", "-S", "--max-time", "20", *args], capture_output=True, text=True, check=True
    )


def test_sparqlwrapper_select_equals_in_process(server, local):
    client = SPARQLWrapper(server.url)
    client.setQuery(STATES)
    client.setReturnFormat(JSON)
    data = client.query().convert()
    rows = [(b["s"]["value"], b.get("label", {}).get("value")) for b in data["results"]["bindings"]]
    expected = [(str(s), None if lab is None else str(lab)) for s, lab in local.query(STATES).rows]
    assert rows == expected
    assert len(rows) > 3  # the article names several states


@pytest.mark.parametrize("fmt", [XML, CSV])
def test_sparqlwrapper_other_result_formats(server, local, fmt):
    client = SPARQLWrapper(server.url)
    client.setQuery(STATES)
    client.setReturnFormat(fmt)
    result = client.query()
    assert result.response.headers["Content-Type"].startswith(
        {"xml": "application/sparql-results+xml", "csv": "text/csv"}[fmt]
    )
    converted = result.convert()
    text = converted.toxml() if fmt == XML else converted.decode()
    for subject, _label in local.query(STATES).rows:
        assert str(subject) in text


def test_sparqlwrapper_construct_graph_is_isomorphic(server, local):
    client = SPARQLWrapper(server.url)
    client.setQuery(CONSTRUCT)
    client.setReturnFormat(TURTLE)
    remote = Graph().parse(data=client.query().convert(), format="turtle")
    assert len(remote) > 10
    assert isomorphic(remote, local.query(CONSTRUCT).graph)


def test_rdflib_sparqlstore_graph_works_against_us(server, local):
    graph = Graph(SPARQLStore(server.url, returnFormat="json"))
    assert [tuple(row) for row in graph.query(STATES)] == [
        tuple(r) for r in local.query(STATES).rows
    ]
    armenia = URIRef("https://w3id.org/kg-ir/resource/Armenia")
    assert (armenia, None, None) in graph
    assert graph.query("ASK { ?s ?p ?o }").askAnswer is True
    remote_graph = graph.query(CONSTRUCT).graph
    assert isomorphic(remote_graph, local.query(CONSTRUCT).graph)


def test_sparqlstore_default_xml_results(server, local):
    graph = Graph(SPARQLStore(server.url))  # rdflib asks for SPARQL XML by default
    assert len(list(graph.query(STATES))) == len(local.query(STATES).rows)


def test_curl_get_csv_and_tsv(server, local):
    expected = [[str(s), "" if lab is None else str(lab)] for s, lab in local.query(STATES).rows]
    out = curl("-G", server.url, "--data-urlencode", f"query={STATES}", "-H", "Accept: text/csv")
    assert list(csv.reader(io.StringIO(out.stdout)))[1:] == expected
    out = curl(
        "-G",
        server.url,
        "--data-urlencode",
        f"query={STATES}",
        "-H",
        "Accept: text/tab-separated-values",
    )
    lines = out.stdout.splitlines()
    assert lines[0] == "?s\t?label"
    assert len(lines) == len(expected) + 1
    assert f"<{expected[0][0]}>" in lines[1]


def test_curl_post_direct_and_form(server):
    direct = curl(
        "-X",
        "POST",
        server.url,
        "-H",
        "Content-Type: application/sparql-query",
        "-H",
        "Accept: application/sparql-results+json",
        "--data-binary",
        "ASK { ?s ?p ?o }",
    )
    assert json.loads(direct.stdout) == {"head": {}, "boolean": True}
    form = curl(server.url, "--data-urlencode", "query=ASK { <urn:nothing> ?p ?o }")
    assert json.loads(form.stdout)["boolean"] is False


@pytest.mark.parametrize(
    ("accept", "fmt"),
    [
        ("text/turtle", "turtle"),
        ("application/n-triples", "nt"),
        ("application/ld+json", "json-ld"),
        ("application/rdf+xml", "xml"),
    ],
)
@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
def test_construct_in_every_graph_format(server, local, accept, fmt):
    out = curl(
        "-G",
        server.url,
        "--data-urlencode",
        f"query={CONSTRUCT}",
        "-H",
        f"Accept: {accept}",
        "-w",
        "\n%{content_type}",
    )
    body, _, content_type = out.stdout.rpartition("\n")
    assert content_type.split(";")[0] == accept
    assert isomorphic(Graph().parse(data=body, format=fmt), local.query(CONSTRUCT).graph)


def test_service_description(server):
    out = curl(server.url, "-H", "Accept: text/turtle")
    graph = Graph().parse(data=out.stdout, format="turtle")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    assert (None, URIRef(sd + "endpoint"), URIRef(server.url)) in graph
    assert (None, URIRef(sd + "supportedLanguage"), URIRef(sd + "SPARQL11Query")) in graph
    assert (None, URIRef(sd + "supportedLanguage"), URIRef(sd + "SPARQL11Update")) not in graph
    triples = list(graph.objects(None, URIRef("http://rdfs.org/ns/void#triples")))
    assert triples == [Literal(len(kg.load(extra=[HOSTILE])))]


def status_and_body(*args: str) -> tuple[int, str]:
    out = curl("-w", "\n%{http_code}", *args)
    body, _, code = out.stdout.rpartition("\n")
    return int(code), body


def test_malformed_query_gets_400_with_the_parser_message(server):
    code, body = status_and_body(
        "-G", server.url, "--data-urlencode", "query=SELECT * WHERE { ?s ?p }"
    )
    assert code == 400
    assert body.startswith("line 1: SPARQL syntax error: Expected SelectQuery")


def test_graph_uri_parameters_refused_clearly(server):
    code, body = status_and_body(
        "-G",
        server.url,
        "--data-urlencode",
        "query=ASK {}",
        "--data-urlencode",
        "default-graph-uri=http://example.org/g",
    )
    assert code == 400
    assert "default-graph-uri is not supported" in body
    code, body = status_and_body(
        server.url,
        "--data-urlencode",
        "query=ASK {}",
        "--data-urlencode",
        "named-graph-uri=http://example.org/g",
    )
    assert (code, "named-graph-uri" in body) == (400, True)


def test_unacceptable_accept_and_content_type(server):
    code, body = status_and_body(
        "-G", server.url, "--data-urlencode", "query=ASK {}", "-H", "Accept: image/png"
    )
    assert code == 406 and "application/sparql-results+json" in body
    code, body = status_and_body(server.url, "-H", "Content-Type: text/plain", "--data", "ASK {}")
    assert code == 415


def test_named_queries_listed_for_the_page(server):
    listed = json.loads(curl(f"{server.base}/queries").stdout)
    names = {q["name"] for q in listed}
    assert {q.name for q in list_queries()} == names
    assert all(q["text"] for q in listed)
