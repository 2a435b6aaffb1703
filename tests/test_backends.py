"""The three backends answer alike: competency queries, bindings, errors, exports.

Every test taking ``backend_kg`` runs on rdflib in memory, on Oxigraph, and on a real
``oxigraph serve`` subprocess reached over HTTP (see ``tests/conftest.py``).
"""

from __future__ import annotations

import datetime
import re
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
import rdflib
from rdflib import Literal, URIRef

import kg
from kg.backends.oxconvert import OxQueryResult
from kg.backends.remote import EndpointError, RemoteBackend
from kg.errors import ParseError, SparqlSyntaxError
from kg.namespaces import KG, KGR
from kg.queries import list_queries

QUERIES = list_queries()
PREFIXES = "PREFIX kg: <https://w3id.org/kg-ir/ontology#>\n"
PREFIXES += "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
# a value for each declared parameter, so parametrized queries are run bound as well
PARAM_VALUES = {"speaker": KGR.MariaZakharova, "asOf": datetime.date(2020, 1, 1)}


@pytest.fixture(scope="module")
def reference():
    """The graph on rdflib, the baseline every backend must match."""
    return kg.load()


def _value(value):
    """Normalize what SPARQL leaves to the engine: the order of GROUP_CONCAT's parts (the
    queries join with "; " or " | "), and GROUP_CONCAT over no values, which rdflib makes
    "" and Oxigraph leaves unbound (an aggregate error)."""
    if value == "":
        return None
    for separator in ("; ", " | "):
        if isinstance(value, str) and separator in value:
            return separator.join(sorted(value.split(separator)))
    return value


def canonical(result, text: str = "") -> tuple:
    """A result as comparable data: ASK answer, or variables and the sorted rows.

    Columns made by SAMPLE (any one value of a group, engine's choice) are compared only
    on whether they are bound."""
    if result.kind == "ASK":
        return ("ASK", result.boolean)
    if result.kind == "CONSTRUCT":
        return ("CONSTRUCT", len(result.graph), sorted(map(str, result.graph.predicates())))
    sampled = set(re.findall(r"SAMPLE\s*\([^)]*\)\s+AS\s+\?(\w+)", text, re.IGNORECASE))
    rows = sorted(
        tuple(repr(v is not None if k in sampled else _value(v)) for k, v in row.items())
        for row in result.to_dicts()
    )
    return (tuple(result.vars), rows)


def test_the_project_has_competency_queries():
    assert len(QUERIES) >= 5


_EXPECTED: dict = {}


def expected(reference, query, **bound):
    """The rdflib answer, computed once per query and bindings for the three backends."""
    key = (query.name, tuple(sorted(bound.items())))
    if key not in _EXPECTED:
        _EXPECTED[key] = reference.run_query(query, **bound)
    return _EXPECTED[key]


@pytest.mark.parametrize("query", QUERIES, ids=[q.name for q in QUERIES])
def test_competency_queries_answer_the_same_on_every_backend(backend_kg, reference, query):
    assert len(expected(reference, query)) > 0, f"{query.name} answers nothing on the article"
    bound = {p: PARAM_VALUES[p] for p in query.param_names if p in PARAM_VALUES}
    # in_force_as_of is not compared unbound: rdflib reads `?from > ?asOf` with ?asOf
    # unbound as false, where SPARQL (and Oxigraph) make it an error
    if "asOf" not in query.param_names:
        assert canonical(backend_kg.run_query(query), query.text) == canonical(
            expected(reference, query), query.text
        )
    if bound:
        assert canonical(backend_kg.run_query(query, **bound), query.text) == canonical(
            expected(reference, query, **bound), query.text
        )


def test_stats_are_the_same_on_every_backend(backend_kg, reference):
    assert backend_kg.stats() == reference.stats()
    assert len(backend_kg) == len(reference) > 2000


def test_a_bound_variable_outside_the_projection_restricts_an_aggregate(backend_kg):
    # Oxigraph substitutes only projected variables and a trailing VALUES would join after
    # the COUNT: both would count every statement. The binding must restrict the pattern.
    count = PREFIXES + "SELECT (COUNT(*) AS ?n) WHERE { ?st kg:speaker ?speaker }"
    every = backend_kg.query(count).to_dicts()[0]["n"]
    one = backend_kg.query(count, speaker=KGR.MariaZakharova).to_dicts()[0]["n"]
    assert 0 < one < every


def test_hostile_text_is_bound_as_one_literal(backend_kg):
    query = PREFIXES + "SELECT ?x WHERE { ?x rdfs:label ?label }"
    hostile = '" } ; DROP ALL ; SELECT * WHERE { ?s ?p ?o } #'
    assert len(backend_kg.query(query, label=hostile)) == 0
    label = Literal("Armenia", lang="en")
    assert backend_kg.query(query, label=label).to_dicts() == [{"x": str(KGR.Armenia)}]
    assert len(backend_kg) > 2000  # nothing was dropped


def test_typed_bindings_compare_as_values(backend_kg):
    query = PREFIXES + "SELECT ?m WHERE { ?m kg:startDate ?d FILTER(?d <= ?asOf) }"
    early = backend_kg.query(query, asOf=datetime.date(1995, 1, 1))
    late = backend_kg.query(query, asOf=datetime.date(2030, 1, 1))
    assert len(early) < len(late)


def test_ask_and_construct(backend_kg, reference):
    yes = PREFIXES + "ASK { ?s a kg:State }"
    no = PREFIXES + "ASK { ?s a kg:NoSuchClass }"
    assert backend_kg.query(yes).boolean is True
    assert backend_kg.query(no).boolean is False
    construct = PREFIXES + "CONSTRUCT { ?s a kg:State } WHERE { ?s a kg:State }"
    graph = backend_kg.query(construct).graph
    assert isinstance(graph, rdflib.Graph)
    assert set(graph) == set(reference.query(construct).graph)


def test_syntax_errors_are_one_line_sparql_errors(backend_kg):
    with pytest.raises(SparqlSyntaxError) as caught:
        backend_kg.query("SELECT ?s WHERE {\n  ?s ?p \n}")
    message = str(caught.value)
    assert "\n" not in message and "SPARQL" in message or "rejected the query" in message


def test_exports_round_trip(backend_kg, reference):
    nt = backend_kg.serialize("nt")
    graph = rdflib.Graph().parse(data=nt, format="nt")
    assert len(graph) == len(reference)
    turtle = backend_kg.serialize("ttl").decode()
    assert "kgr:Armenia" in turtle


def test_to_rdflib_gives_the_whole_graph(backend_kg, reference):
    graph = backend_kg.backend.to_rdflib()
    assert len(graph) == len(reference)
    assert (KGR.Armenia, rdflib.RDF.type, KG.State) in graph


def test_oxigraph_rows_are_converted_only_when_asked(backend_kg):
    if backend_kg.backend.kind == "memory":
        pytest.skip("rdflib rows are rdflib terms already")
    result = backend_kg.query(
        PREFIXES + "SELECT ?s ?label WHERE { ?s a kg:State ; rdfs:label ?label }"
    )
    assert isinstance(result, OxQueryResult)
    assert result._rows is None and len(result) >= 10
    assert result._rows is None
    assert (str(KGR.Armenia), "Armenia") in result.lexical_rows()
    assert (URIRef(KGR.Armenia), Literal("Armenia", lang="en")) in result.rows


def test_oxigraph_store_persists_and_loads_each_file_once(tmp_path):
    # kg load writes into a store; kg.load(store=...) only reads it (reads never write)
    from kg.backends.oxigraph_load import load_files
    from kg.project import open_project

    project = open_project()
    files = [*project.schema_files, *project.data_files()]
    load_files(tmp_path / "store", files)
    first = kg.load(backend="oxigraph", store=tmp_path / "store")
    size = len(first)
    first.backend.close()
    load_files(tmp_path / "store", files)
    again = kg.load(backend="oxigraph", store=tmp_path / "store")
    # the ontology's blank nodes would double if the files were loaded a second time
    assert len(again) == size
    assert again.stats() == kg.load().stats()
    again.backend.close()


@pytest.mark.server
def test_remote_load_of_a_bad_file_sends_nothing(oxigraph_server, tmp_path):
    good = tmp_path / "good.ttl"
    good.write_text('<http://ex/a> <http://ex/p> "one" .\n')
    bad = tmp_path / "bad.ttl"
    bad.write_text('<http://ex/a> <http://ex/p> "two" .\n<http://ex/a> <http://ex/p> .\n')
    backend = RemoteBackend(oxigraph_server.query_url, oxigraph_server.update_url)
    before = len(backend)
    with pytest.raises(ParseError) as caught:
        backend.load([good, bad])
    assert str(caught.value).startswith(f"{bad}:2: ")
    assert len(backend) == before


@pytest.mark.server
def test_remote_read_only_endpoint_loads_nothing(oxigraph_server, tmp_path):
    data = tmp_path / "x.ttl"
    data.write_text('<http://ex/ro> <http://ex/p> "x" .\n')
    backend = RemoteBackend(oxigraph_server.query_url)
    before = len(backend)
    assert backend.load([data]) == before
    assert backend.unloaded == [str(data)]
    with pytest.raises(kg.KgError, match="read-only"):
        backend.add_graph(rdflib.Graph())


@pytest.mark.server
def test_remote_http_errors_are_one_line(oxigraph_server):
    missing = RemoteBackend(oxigraph_server.base + "/nope")
    with pytest.raises(EndpointError, match=r"/nope: no SPARQL endpoint here \(HTTP 404\)"):
        missing.query("ASK {}")
    closed = RemoteBackend("http://127.0.0.1:9/sparql", timeout=2)
    with pytest.raises(EndpointError, match="cannot connect"):
        len(closed)


class _AuthProxy(BaseHTTPRequestHandler):
    """A real HTTP front that demands a bearer token, then forwards to oxigraph serve."""

    upstream = ""
    token = "s3cret"

    def do_POST(self):  # noqa: N802 - the name http.server calls
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.headers.get("Authorization") != f"Bearer {self.token}":
            self.send_response(401)
            self.end_headers()
            return
        answer = httpx.post(
            self.upstream,
            content=body,
            headers={k: self.headers[k] for k in ("Content-Type", "Accept")},
        )
        self.send_response(answer.status_code)
        self.send_header("Content-Type", answer.headers["content-type"])
        self.send_header("Content-Length", str(len(answer.content)))
        self.end_headers()
        self.wfile.write(answer.content)

    def log_message(self, *args):
        pass


@pytest.mark.server
def test_remote_sends_the_bearer_token(oxigraph_server, monkeypatch):
    _AuthProxy.upstream = oxigraph_server.query_url
    proxy = ThreadingHTTPServer(("127.0.0.1", 0), _AuthProxy)
    threading.Thread(target=proxy.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{proxy.server_address[1]}/sparql"
    try:
        with pytest.raises(EndpointError, match=r"access refused \(HTTP 401\)"):
            RemoteBackend(url, token="wrong").query("ASK {}")
        monkeypatch.setenv("KG_ENDPOINT_TOKEN", "s3cret")
        assert RemoteBackend(url).query("ASK { ?s ?p ?o }").boolean is True
    finally:
        proxy.shutdown()
        proxy.server_close()


@pytest.mark.server
def test_cli_answers_the_same_through_an_endpoint(oxigraph_server):
    kg_command = str(Path(sys.executable).parent / "kg")
    remote = [
        "--endpoint",
        oxigraph_server.query_url,
        "--update-endpoint",
        oxigraph_server.update_url,
    ]
    outputs = []
    for options in ([], remote, ["--backend", "oxigraph"]):
        done = subprocess.run(
            [kg_command, *options, "query", "alliance_memberships", "--format", "csv"],
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, done.stderr
        outputs.append(sorted(done.stdout.splitlines()))
    assert len(outputs[0]) > 5
    assert outputs[0] == outputs[1] == outputs[2]
