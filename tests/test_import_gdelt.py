"""kg import gdelt: GDELT 2.0/1.0 rows become events on the graph's own states, with provenance."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
from import_common import DATASETS, KGR, one_line_error, values
from import_common import kg as run_kg

import kg
from kg.importers import import_gdelt
from kg.importers.rows import BadRowsError

GDELT = DATASETS / "gdelt"
EXPORT = GDELT / "20230919.export.CSV"


@pytest.fixture(scope="module")
def imported():
    graph = kg.load()
    before = len(graph)
    result = import_gdelt(
        [EXPORT],
        mentions=[GDELT / "20230919.mentions.CSV"],
        graph=graph,
        accessed=dt.date(2026, 11, 30),
    )
    return graph, result, before


def test_every_row_is_an_event_with_its_cameo_kind_date_and_measures(imported):
    graph, result, before = imported
    assert result.rows_imported == 5 and result.rows_bad == 0
    assert len(graph) > before + result.triples - 1
    rows = values(
        graph,
        """SELECT ?kind ?date ?g ?tone ?n ?s ?a ?root WHERE {
        kgr:gdelt_1100000001 a kg:Event ; kg:eventKind ?kind ; kg:startDate ?date ;
          kg:goldsteinScale ?g ; kg:averageTone ?tone ; kg:mentionCount ?n ; kg:sourceCount ?s ;
          kg:articleCount ?a ; kg:rootEvent ?root }""",
    )
    kinds = {r[0] for r in rows}
    # the CAMEO code and the project's kind it maps to (cameo:190 skos:exactMatch kind:offensive)
    assert kinds == {"https://w3id.org/kg-ir/cameo/190", "https://w3id.org/kg-ir/kind/offensive"}
    assert {r[1:] for r in rows} == {("2023-09-19", "-10.0", "-6.25", "12", "3", "12", "true")}


def test_country_actors_are_the_articles_own_states(imported):
    graph, _, _ = imported
    rows = values(
        graph,
        """SELECT ?e ?role ?who WHERE {
        VALUES ?e { kgr:gdelt_1100000001 kgr:gdelt_1100000004 kgr:gdelt_1100000005 }
        ?e kg:participation ?p . ?p kg:participationOf ?who ; kg:role ?role }""",
    )
    got = {(e.rsplit("_", 1)[1], role.rsplit("/", 1)[1], who) for e, role, who in rows}
    assert got == {
        ("1100000001", "sourceActor", KGR + "Azerbaijan"),  # by Wikidata Q227
        ("1100000001", "targetActor", KGR + "Armenia"),  # by Wikidata Q399
        ("1100000004", "sourceActor", KGR + "Russia"),
        ("1100000004", "targetActor", KGR + "Armenia"),
        ("1100000005", "sourceActor", KGR + "Georgia"),  # no Q-id listed: by its name
        ("1100000005", "targetActor", KGR + "Russia"),
    }
    assert not values(
        graph, "SELECT ?s WHERE { ?s a kg:State FILTER(STRSTARTS(STR(?s), STR(kgr:state_))) }"
    )


def test_other_actors_carry_their_country_and_cameo_type(imported):
    graph, _, _ = imported
    rows = values(
        graph,
        """SELECT ?label ?country ?type WHERE {
        kgr:gdelt_actor_ARMGOV a kg:Actor ; rdfs:label ?label ; kg:country ?country ;
          kg:cameoActorType ?type }""",
    )
    assert rows == [
        ("Armenian Government", KGR + "Armenia", "https://w3id.org/kg-ir/cameo/actor_GOV")
    ]
    # an actor with no country code keeps no state, only its type
    assert values(graph, "SELECT ?c WHERE { kgr:gdelt_actor_REB kg:country ?c }") == []


def test_place_source_document_and_provenance(imported):
    graph, result, _ = imported
    rows = values(
        graph,
        """SELECT ?name ?lat ?long ?fid ?gn ?src ?record ?dataset ?accessed WHERE {
        kgr:gdelt_1100000001 kg:place ?p ; dct:source ?src ; kg:sourceRecord ?record ;
          prov:wasGeneratedBy ?run .
        ?p rdfs:label ?name ; schema:latitude ?lat ; schema:longitude ?long ;
          kg:geonamesFeature ?fid ; skos:exactMatch ?gn .
        ?src a kg:SourceDocument . ?run prov:used ?dataset ; kg:accessDate ?accessed }""",
    )
    assert rows == [
        (
            "Stepanakert, Xocali, Azerbaijan",
            "39.8177",
            "46.7528",
            "9990001",
            "https://sws.geonames.org/9990001/",
            "https://news.example.org/test/2023-09-19-offensive",
            "20230919.export.CSV:1",
            KGR + "dataset_gdelt",
            "2026-11-30",
        )
    ]
    started = values(
        graph,
        "SELECT ?t WHERE { ?run prov:startedAtTime ?t }",
        run=__import__("rdflib").URIRef(result.run),
    )
    assert started and started[0][0][:10] == dt.date.today().isoformat()


def test_mentions_name_their_document_sentence_offsets_and_confidence(imported):
    graph, _, _ = imported
    rows = values(
        graph,
        """SELECT ?url ?sentence ?a1 ?action ?conf WHERE {
        ?m a kg:Mention ; kg:mentionOf kgr:gdelt_1100000001 ; dct:source ?url ;
           kg:sentence ?sentence ;
           kg:actionOffset ?action ; kg:confidence ?conf OPTIONAL { ?m kg:actor1Offset ?a1 } }""",
    )
    assert rows == [
        ("https://news.example.org/test/2023-09-19-offensive", "2", "10", "31", "80"),
        ("https://other.example.net/test/report", "1", None, "22", "60"),  # -1: no offset
    ]


def test_gdelt_1_files_with_57_and_58_columns():
    result = import_gdelt([GDELT / "20130920.export.v1.CSV"], graph=(graph := kg.load()))
    assert result.rows_imported == 2
    rows = values(
        graph, "SELECT ?e ?src WHERE { ?e kg:sourceRecord ?r OPTIONAL { ?e dct:source ?src } }"
    )
    assert rows == [
        (KGR + "gdelt_300000001", None),  # 57 columns: no SOURCEURL
        (KGR + "gdelt_300000002", "https://news.example.org/test/2013-v1"),
    ]


@pytest.mark.parametrize(
    ("options", "ids", "words"),
    [
        ({"since": "2023-09-20"}, {"3", "4"}, "since 2023-09-20"),
        (
            {"until": "2023-09-19", "since": "2023-09-01"},
            {"1", "2"},
            "since 2023-09-01; until 2023-09-19",
        ),
        ({"countries": ["GEO"]}, {"5"}, "countries GEO"),
        ({"root_only": True}, {"1", "2", "4", "5"}, "root events only"),
    ],
)
def test_filters(tmp_path, options, ids, words):
    out = tmp_path / "g.nt"
    result = import_gdelt([EXPORT], output=out, **options)
    text = out.read_text()
    found = {i for i in "12345" if f"gdelt_110000000{i}> <http://www.w3.org/1999/02/22-rdf" in text}
    assert found == ids and result.rows_filtered == 5 - len(ids)
    assert f'ontology#filters> "{words}" .' in text and result.rows_imported == len(ids)


def test_zip_is_read(tmp_path):
    out = tmp_path / "missing" / "z.nt"  # the folder is made
    result = import_gdelt([GDELT / "20230919.export.CSV.zip"], output=out)
    assert result.rows_imported == 2
    assert "20230919.export.CSV.zip!20230919.export.CSV:2" in out.read_text()


def test_bad_rows_fail_atomically_with_file_row_column(tmp_path):
    graph = kg.load()
    before = len(graph)
    with pytest.raises(BadRowsError) as caught:
        import_gdelt([GDELT / "bad.export.CSV"], graph=graph, output=tmp_path / "x.nt")
    message = str(caught.value)
    assert "bad.export.CSV:2:SQLDATE: not a date (YYYYMMDD): '20231345'" in message
    assert (
        "bad.export.CSV:3:40: expected 61 columns (GDELT 2.0) or 57/58 (GDELT 1.0), found 40"
        in message
    )
    assert "bad.export.CSV:4:EventCode: unknown CAMEO event code '999'" in message
    assert len(graph) == before and not list(tmp_path.iterdir())


def test_bad_encoding_names_row_and_column(tmp_path):
    with pytest.raises(BadRowsError, match=r"latin1.export.CSV:2:7: not UTF-8 \(byte 0xc9"):
        import_gdelt([GDELT / "latin1.export.CSV"], output=tmp_path / "x.nt")


def test_cli_bad_input_is_one_line_exit_2_and_skip_bad_writes_a_report(tmp_path):
    out, report = tmp_path / "g.nt", tmp_path / "report.tsv"
    one_line_error(
        run_kg("import", "gdelt", str(GDELT / "bad.export.CSV"), "-o", str(out)),
        "bad.export.CSV:2:SQLDATE",
        "3 bad rows; nothing was imported",
    )
    assert not out.exists()
    done = run_kg(
        "import",
        "gdelt",
        str(GDELT / "bad.export.CSV"),
        "-o",
        str(out),
        "--skip-bad",
        "--report",
        str(report),
    )
    assert done.returncode == 0, done.stderr
    assert "gdelt: 2 of 5 rows imported (3 bad, skipped" in done.stdout
    lines = report.read_text().splitlines()
    assert lines[0] == "file\trow\tcolumn\tproblem"
    assert [line.split("\t")[1:3] for line in lines[1:]] == [
        ["2", "SQLDATE"],
        ["3", "40"],
        ["4", "EventCode"],
    ]
    one_line_error(run_kg("import", "gdelt", str(EXPORT)), "give -o FILE.nt, or the global --store")


def test_into_an_on_disk_store_in_one_transaction(tmp_path):
    store = tmp_path / "store"
    assert run_kg("load", "data/triples.ttl", "--store", str(store)).returncode == 0
    done = run_kg("--store", str(store), "import", "gdelt", str(EXPORT))
    assert done.returncode == 0, done.stderr
    count = run_kg("--store", str(store), "query", "-", "--format", "csv")
    failed = run_kg("--store", str(store), "import", "gdelt", str(GDELT / "bad.export.CSV"))
    one_line_error(failed, "bad.export.CSV:2:SQLDATE")
    graph = kg.load(store=str(store))
    n = values(
        graph,
        "SELECT (COUNT(?e) AS ?n) WHERE { ?e kg:sourceRecord ?r "
        "FILTER(CONTAINS(STR(?e), 'gdelt_11')) }",
    )
    assert n == [("5",)]  # the five good rows, none of the failed import
    del count, graph
    shutil.rmtree(store)


def test_beside_the_article_views_paths_renders_and_contested_include_them(tmp_path):
    out = tmp_path / "gdelt.nt"
    assert (
        run_kg("import", "gdelt", str(EXPORT), "-o", str(out), "--since", "2023-09-01").returncode
        == 0
    )
    view = run_kg(
        "--add", str(out), "view", "event", "--format", "json", "-o", str(tmp_path / "e.json")
    )
    assert view.returncode == 0, view.stderr
    assert KGR + "gdelt_1100000001" in (tmp_path / "e.json").read_text()
    path = run_kg(
        "--add", str(out), "path", "Armenia", "Azerbaijan", "--max-hops", "2", "--limit", "50"
    )
    assert "Azerbaijan / Armenia: use conventional military force (2023-09-19)" in path.stdout, (
        path.stdout
    )
    page = tmp_path / "event.html"
    render = run_kg("--add", str(out), "render", "event", "-o", str(page))
    assert render.returncode == 0, render.stderr
    assert "gdelt_1100000001" in page.read_text()
    contested = run_kg("--add", str(out), "contested", "kgr:Offensive2023")
    coded = [line.strip() for line in contested.stdout.splitlines() if "coded by" in line]
    prefix = "coded by kgr:dataset_gdelt (CAMEO "
    assert coded == [
        prefix + "190, 20230919.export.CSV:1): Azerbaijan / Armenia: "
        "use conventional military force (2023-09-19)",
        prefix + "1123, 20230919.export.CSV:2): Armenian Government / Azerbaijan: "
        "accuse of aggression (2023-09-19)",
        prefix + "0871, 20230919.export.CSV:3): Azerbaijani Military / Separatist Force: "
        "declare truce, ceasefire (2023-09-20)",
    ]
    assert "Ministry of Foreign Affairs of Armenia (accusation of aggression)" in contested.stdout
