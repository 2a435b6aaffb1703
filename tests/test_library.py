"""The kg library: loading, queries with bindings, results formats, the query registry,
export round-trips, all-or-nothing loading and the parse errors of each RDF format."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
import rdflib
from rdflib import Literal, URIRef

import kg
from kg.backends import open_backend
from kg.backends.bindings import values_clause
from kg.errors import (
    BadOptionError,
    KgError,
    MissingFileError,
    ParseError,
    SparqlSyntaxError,
    UnknownQueryError,
)
from kg.inference import class_tree, superclass_types
from kg.namespaces import KG, KGR
from kg.parsing import parse_file
from kg.queries import get_query, list_queries
from kg.results_format import format_result

ROOT = Path(__file__).resolve().parent.parent
CORE = ROOT / "tests" / "fixtures" / "core"
BAD = CORE / "bad"
HOSTILE = '" } ; DROP ALL ; #'


@pytest.fixture(scope="module")
def graph():
    return kg.load(root=CORE)


def test_load_reads_ontology_vocabularies_and_data(graph):
    expected = rdflib.Graph()
    for part in ("ontology/kg.ttl", "ontology/vocabularies.ttl", "data/triples.ttl"):
        expected.parse(CORE / part)
    # Besides the files, the load adds the superclass types of every typed node (ontology 0.2).
    closure = superclass_types(
        expected.subject_objects(rdflib.RDF.type), class_tree(CORE / "ontology/kg.ttl")
    )
    assert closure
    assert len(graph) == len(expected) + len(closure)
    assert all((node, rdflib.RDF.type, cls) in graph.rdflib_graph for node, cls in closure)
    assert graph.backend.kind == "memory"


def test_load_data_list_and_extra(tmp_path):
    extra = tmp_path / "x.ttl"
    extra.write_text(
        "<https://w3id.org/kg-ir/resource/X> a <https://w3id.org/kg-ir/ontology#State> ."
    )
    only = kg.load([extra], root=CORE)
    beside = kg.load(root=CORE, extra=[extra])
    assert only.stats()["states"] == 1
    assert beside.stats()["states"] == 4


def test_query_with_iri_binding(graph):
    result = graph.named_query("neighbours", state=KGR.Armenia)
    assert result.kind == "SELECT"
    assert result.vars == ["neighbour", "label"]
    assert result.rows == [(KGR.Georgia, Literal("Georgia", lang="en"))]
    assert result.to_dicts() == [{"neighbour": str(KGR.Georgia), "label": "Georgia"}]


def test_plain_string_is_a_literal_not_an_iri(graph):
    as_string = graph.query("SELECT ?p WHERE { ?s ?p ?o }", s=str(KGR.Armenia))
    assert len(as_string) == 0  # a str is never taken for an IRI
    as_iri = graph.query("SELECT ?p WHERE { ?s ?p ?o }", s=KGR.Armenia)
    assert len(as_iri) > 0


def test_typed_python_values_are_bound_as_typed_literals(graph):
    sparql = "SELECT ?s WHERE { ?s <https://w3id.org/kg-ir/ontology#population> ?n }"
    assert graph.query(sparql, n=2777970).rows == [(KGR.Armenia,)]
    import datetime

    dated = "SELECT ?e WHERE { ?e <http://purl.org/dc/terms/date> ?d }"
    assert graph.query(dated, d=datetime.date(2023, 9, 19)).rows == [(KGR.Offensive2023,)]


def test_hostile_string_is_matched_as_a_literal(graph):
    before = len(graph)
    result = graph.named_query("labelled", text=HOSTILE)
    assert result.rows == [(KGR.Statement1,)]
    # bound straight to the label variable, the literal must match exactly
    exact = graph.query(
        "SELECT ?s WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l }", l=HOSTILE
    )
    assert exact.rows == [(KGR.Statement1,)]
    assert len(graph) == before


def test_values_clause_keeps_a_hostile_string_one_literal(graph):
    # A trailing VALUES block joins on variables of the pattern (here ?l, the label itself).
    base = "SELECT ?node WHERE { ?node <http://www.w3.org/2000/01/rdf-schema#label> ?l }"
    rows = graph.query(f"{base}\n{values_clause({'l': HOSTILE})}").rows
    assert rows == [(KGR.Statement1,)]
    newline = values_clause({"text": 'a\n""" } DROP ALL'})
    parsed = rdflib.Graph().query(f"SELECT ?text WHERE {{}} {newline}")
    assert [str(r[0]) for r in parsed] == ['a\n""" } DROP ALL']


def test_named_query_rejects_unknown_parameter(graph):
    with pytest.raises(BadOptionError, match="has no parameter 'nope'"):
        graph.named_query("states", nope=1)


def test_ask_and_construct_results(graph):
    ask = graph.named_query("has_events")
    assert (ask.kind, ask.boolean) == ("ASK", True)
    construct = graph.named_query("borders_graph")
    assert construct.kind == "CONSTRUCT"
    assert set(construct.graph) == {(KGR.Armenia, KG.borders, KGR.Georgia)}


def test_result_formats(graph):
    result = graph.named_query("states")
    table = format_result(result, "table").splitlines()
    assert table[0].split() == ["state", "label", "population"]
    assert table[2].startswith("kgr:Armenia")
    rows = list(csv.reader(io.StringIO(format_result(result, "csv"))))
    assert rows[0] == ["state", "label", "population"]
    assert rows[3] == [str(KGR.Georgia), "Georgia", ""]
    dicts = json.loads(format_result(result, "json"))
    assert dicts[1] == {"state": str(KGR.Azerbaijan), "label": "Azerbaijan", "population": 10353296}
    w3c = json.loads(format_result(result, "sparql-json"))
    assert w3c["results"]["bindings"][0]["population"] == {
        "type": "literal",
        "value": "2777970",
        "datatype": "http://www.w3.org/2001/XMLSchema#integer",
    }
    # rdflib reads the W3C JSON back to the same rows
    parsed = rdflib.query.Result.parse(
        io.StringIO(format_result(result, "sparql-json")), format="json"
    )
    assert [tuple(r) for r in parsed] == result.rows
    with pytest.raises(BadOptionError, match="for CONSTRUCT"):
        format_result(result, "turtle")


def test_table_cuts_long_cells(graph):
    result = graph.query(
        "SELECT ?q WHERE { ?s <https://w3id.org/kg-ir/ontology#quote> ?q } ORDER BY ?q"
    )
    from kg.results_format import format_table

    lines = format_table(result, max_width=12).splitlines()
    assert lines[2] == "launched a …"


def test_registry_lists_and_reads_headers():
    queries = {q.name: q for q in list_queries(CORE / "ontology" / "queries")}
    assert set(queries) == {"states", "neighbours", "labelled", "has_events", "borders_graph"}
    assert queries["neighbours"].question == "Which states border a given state?"
    assert queries["neighbours"].params[0][0] == "state"


def test_registry_unknown_name_lists_close_matches():
    with pytest.raises(UnknownQueryError, match="did you mean: neighbours"):
        get_query("neighbors", CORE / "ontology" / "queries")
    with pytest.raises(UnknownQueryError, match="known queries: borders_graph, has_events"):
        get_query("zzzzzz", CORE / "ontology" / "queries")


def test_sparql_syntax_error_carries_line(graph):
    with pytest.raises(SparqlSyntaxError) as info:
        graph.query("SELECT ?s\nWHERE {\n  ?s ?p\n}")
    assert info.value.line == 4 or info.value.line == 3
    assert "SPARQL syntax error" in str(info.value)
    with pytest.raises(SparqlSyntaxError, match=r"syntax_error\.rq:2: "):
        graph.query_file(BAD / "syntax_error.rq")


def test_update_is_not_a_query(graph):
    with pytest.raises(SparqlSyntaxError):
        graph.query("DROP ALL")


@pytest.mark.parametrize("fmt", ["ttl", "nt", "nq", "trig", "jsonld", "xml"])
def test_export_round_trip(graph, tmp_path, fmt):
    path = tmp_path / f"graph.{fmt}"
    path.write_bytes(graph.serialize(fmt))
    again = kg.load([path], root=CORE)
    # the ontology and vocabularies are loaded again, but they are already in the export
    assert len(again) == len(graph)
    assert set(again.backend.to_rdflib()) == set(graph.backend.to_rdflib())


def test_bad_file_loads_nothing():
    backend = open_backend("memory")
    backend.load([CORE / "data" / "triples.ttl"])
    before = len(backend)
    with pytest.raises(ParseError):
        backend.load([CORE / "ontology" / "kg.ttl", BAD / "malformed.ttl"])
    assert len(backend) == before


@pytest.mark.parametrize(
    ("name", "text", "line"),
    [
        ("x.ttl", '<http://a> <http://b> "c" .\n<http://a> <http://b> .\n', 2),
        ("x.nt", '<http://a> <http://b> "c" .\n\n<http://a> <http://b> .\n', 3),
        ("x.nq", "<http://a> <http://b> <http://c> <http://g> .\n<http://a> .\n", 2),
        ("x.trig", "<http://g> {\n <http://a> <http://b> .\n}\n", 2),
        ("x.jsonld", '{\n  "@id": "http://a",\n  oops\n}', 3),
        (
            "x.rdf",
            '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n<a>\n</rdf:RDF>',
            3,
        ),
    ],
)
def test_parse_errors_name_file_and_line(tmp_path, name, text, line):
    path = tmp_path / name
    path.write_text(text)
    with pytest.raises(ParseError) as info:
        parse_file(path)
    assert info.value.line == line
    assert str(info.value).startswith(f"{path}:{line}: ")
    assert "\n" not in str(info.value)


def test_turtle_error_uses_bad_syntax_lines():
    with pytest.raises(ParseError) as info:
        parse_file(BAD / "malformed.ttl")
    assert (
        str(info.value)
        == f"{BAD / 'malformed.ttl'}:5: Bad syntax (newline found in string literal)"
    )


def test_missing_file_and_unknown_extension(tmp_path):
    with pytest.raises(MissingFileError, match="no such file: nowhere.ttl"):
        parse_file("nowhere.ttl")
    (tmp_path / "notes.txt").write_text("x")
    with pytest.raises(BadOptionError, match="cannot tell the RDF format"):
        parse_file(tmp_path / "notes.txt")


def test_backend_factory_errors(monkeypatch):
    from kg.backends import BACKENDS

    monkeypatch.setitem(BACKENDS, "future", "kg.backends.future_store:FutureBackend")
    with pytest.raises(KgError, match="backend future not available yet"):
        kg.load(root=CORE, backend="future")
    with pytest.raises(KgError, match="unknown backend"):
        open_backend("cassandra")


def test_stats_counts_subclasses_and_quotes(graph):
    stats = graph.stats()
    assert stats["states"] == 3
    assert stats["claims"] == 1 and stats["statements"] == 1
    assert stats["quotes"] == 2
    assert stats["entities"] == 6
    # Superclasses count their subclasses' members (the load materialises the class tree).
    assert stats["classes"] == {
        "kg:State": 3,
        "kg:Actor": 3,
        "kg:Event": 1,
        "kg:SourceDocument": 1,
        "kg:Statement": 1,
        "kg:Claim": 1,
    }


def test_validate_reports_labels_paths_and_messages():
    invalid = kg.load([BAD / "invalid.ttl"], root=CORE)
    report = invalid.validate()
    assert not report.conforms
    found = {(v.focus_label, v.path, v.message) for v in report.violations}
    assert ("Armenia", "kg:population", "population must be an integer") in found
    assert ("kgr:Nowhere", "rdfs:label", "a state needs a label") in found
    assert all(v.severity == "Violation" for v in report.violations)
    inferred = invalid.validate(infer=True)
    assert len(inferred.violations) == len(report.violations) + 1
    assert kg.load(root=CORE).validate().conforms


def test_load_with_inference_adds_entailed_types():
    plain = kg.load(root=CORE)
    inferred = kg.load(root=CORE, infer=True)
    # The class tree is materialised on every load; OWL RL adds what it does not hold, such as
    # the other direction of the symmetric kg:borders.
    assert plain.query("ASK { ?s a <https://w3id.org/kg-ir/ontology#Actor> }").boolean
    ask = f"ASK {{ <{KGR.Georgia}> <{KG.borders}> <{KGR.Armenia}> }}"
    assert plain.query(ask).boolean is False
    assert inferred.query(ask).boolean is True
    assert len(inferred) > len(plain)


def test_import_kg_is_light():
    import subprocess
    import sys

    heavy = "('rdflib', 'pyshacl', 'owlrl', 'networkx', 'pyoxigraph', 'httpx')"
    code = f"import sys, kg, kg.cli; print(sorted(m for m in {heavy} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_unbound_distinct_aggregate_is_skipped(graph):
    # rdflib 7 raises NotBoundError here without kg.backends.rdflib_fixes
    sparql = """SELECT ?s (GROUP_CONCAT(DISTINCT ?p; separator="|") AS ?ps) WHERE {
      ?s a <https://w3id.org/kg-ir/ontology#State>
      OPTIONAL { ?s <https://w3id.org/kg-ir/ontology#population> ?p } } GROUP BY ?s ORDER BY ?s"""
    rows = graph.query(sparql).to_dicts()
    assert [r["ps"] for r in rows] == ["2777970", "10353296", ""]
    assert URIRef(rows[0]["s"]) == KGR.Armenia


# --- typed named-query parameters --------------------------------------------------------


@pytest.fixture(scope="module")
def article():
    return kg.load()


@pytest.mark.parametrize("bad", ["2023-02-30", "March", "2023-13-01", "1 March 2024"])
def test_a_date_parameter_rejects_what_is_not_a_date(article, bad):
    with pytest.raises(BadOptionError) as raised:
        article.named_query("in_force_as_of", asOf=bad)
    assert str(raised.value).startswith(
        f"query in_force_as_of: asOf must be a date written YYYY-MM-DD, not '{bad}'"
    )


def test_a_date_parameter_takes_a_date_a_string_or_a_literal(article):
    import datetime

    from rdflib.namespace import XSD

    day = datetime.date(2024, 3, 1)
    as_date = article.named_query("in_force_as_of", asOf=day).to_dicts()
    as_text = article.named_query("in_force_as_of", asOf="2024-03-01").to_dicts()
    as_term = article.named_query(
        "in_force_as_of", asOf=Literal("2024-03-01", datatype=XSD.date)
    ).to_dicts()
    assert as_date == as_text == as_term
    frozen = {r["label"]: r["statusAsOf"] for r in as_date if r["what"] == "membership"}
    assert "frozen" in frozen.values()  # Armenia's CSTO membership, frozen since 2024-02-22


def test_an_iri_parameter_rejects_a_plain_name(article):
    with pytest.raises(BadOptionError, match="speaker must be an IRI"):
        article.named_query("statements", speaker="Maria Zakharova")
    rows = article.named_query("statements", speaker="kgr:MariaZakharova").to_dicts()
    assert rows and {r["speaker"] for r in rows} == {str(KGR.MariaZakharova)}


def test_an_unknown_parameter_type_names_the_file_and_line(tmp_path):
    bad = tmp_path / "q.rq"
    bad.write_text("# question: ?\n# param: day dat - a day\nASK {}\n")
    with pytest.raises(KgError) as raised:
        get_query("q", tmp_path)
    assert str(raised.value).startswith(f"{bad}:2: parameter day: unknown type 'dat'")


# --- each fact shows its own source ----------------------------------------------------------


def _axiom_source(graph, subject, prop, target):
    rows = graph.query(
        """PREFIX owl: <http://www.w3.org/2002/07/owl#> PREFIX dct: <http://purl.org/dc/terms/>
        SELECT ?src WHERE { ?a a owl:Axiom ; owl:annotatedSource ?s ;
             owl:annotatedProperty ?p ; owl:annotatedTarget ?o ; dct:source ?src }""",
        s=subject,
        p=prop,
        o=target,
    ).rows
    return str(rows[0][0]) if rows else None


def test_memberships_show_the_annotated_source_of_each_fact(article):
    rows = article.named_query("alliance_memberships").to_dicts()
    armenia = next(r for r in rows if r["stateLabel"] == "Armenia")
    assert armenia["status"] == "frozen" and str(armenia["statusSince"]) == "2024-02-22"
    assert armenia["statusSource"] == str(KGR.src_armenia_csto_2024)  # not the 2023 op-ed
    assert armenia["sinceSource"] == str(KGR.src_wikipedia_csto)
    membership = KGR.Membership_Armenia_CSTO
    status = URIRef("https://w3id.org/kg-ir/kind/frozen")
    assert armenia["statusSource"] == _axiom_source(
        article, membership, KG.membershipStatus, status
    )
    for row in rows:  # without an annotation, a fact's source is the membership's
        if row["statusSource"] != row["source"]:
            assert row["statusSource"] is not None


def test_obligations_show_the_annotated_source_of_their_agreement(article):
    rows = article.named_query("peacekeeper_obligations").to_dicts()
    lachin = next(r for r in rows if "Lachin" in r["obligationLabel"])
    assert lachin["agreementSource"] == str(KGR.src_primeminister_2020)
    assert lachin["fulfillmentSource"] == lachin["source"] == str(KGR.article)


def test_serve_examples_bind_the_declared_defaults(article):
    import asyncio

    import httpx

    from kg.queries import example_text
    from kg.serve.app import create_app

    query = get_query("in_force_as_of")
    with pytest.raises(BadOptionError, match="asOf must be a date"):
        example_text(query, asOf="March")
    app = create_app(article, workers=0, named_queries=[query])

    async def examples():
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://kg") as client:
                return (await client.get("/queries")).json()

    (shown,) = asyncio.run(examples())
    assert shown["name"] == "in_force_as_of" and "2023-09-01" in shown["text"]
    # the example, run as shown, answers as the named query with its default does
    assert article.query(shown["text"]).to_dicts() == article.named_query(query.name).to_dicts()


def test_errors_are_also_the_matching_builtin_exceptions(tmp_path, article):
    # Code that knows nothing of kg catches kg's errors as it catches Python's own.
    with pytest.raises(FileNotFoundError, match="no such file"):
        kg.load(tmp_path / "missing.ttl")
    bad = tmp_path / "bad.ttl"
    bad.write_text("<a> <b> .\n", encoding="utf-8")
    with pytest.raises(ValueError, match="bad.ttl:1"):
        kg.load(bad)
    with pytest.raises(LookupError, match="nosuch"):
        article.named_query("nosuch")
    with pytest.raises(ValueError, match="Expected"):
        article.query("SELEC * WHERE {}")
    with pytest.raises(ValueError, match="unknown RDF format"):
        article.serialize("yaml")
    with pytest.raises(ValueError, match="asOf must be a date"):
        article.named_query("in_force_as_of", asOf="March")
