"""The real ``kg`` command, run as a process: every command, and every kind of bad input.

Most tests use the small project in tests/fixtures/core (``--root``); the last ones run
against the repository's own ontology, data and named queries.
"""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
import rdflib
from click.testing import CliRunner
from conftest import assert_one_line_error, kg_command

from kg.cli import cli
from kg.inference import class_tree, superclass_types
from kg.parsing import parse_file

ROOT = Path(__file__).resolve().parent.parent
CORE = ROOT / "tests" / "fixtures" / "core"
BAD = CORE / "bad"


def kg(*args: str, root: Path | None = CORE, **options):
    """The real ``kg`` command (:func:`conftest.kg_command`), on the core fixture project."""
    return kg_command(*args, root=root, **options)


# --- commands ------------------------------------------------------------------------


def _commands(group: click.Group, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every command of the ``kg`` group, subcommands of subgroups included, as name paths."""
    found = []
    for name, command in sorted(group.commands.items()):
        found.append((*path, name))
        if isinstance(command, click.Group):
            found += _commands(command, (*path, name))
    return found


COMMANDS = _commands(cli)


def test_help_lists_every_command():
    result = kg("--help", root=None)
    assert result.returncode == 0, result.stderr
    section = result.stdout.split("Commands:")[1].splitlines()
    # a command's line is indented by two spaces; its wrapped description, by more
    listed = {line.split()[0] for line in section if line[:2] == "  " and line[2:3] != " "}
    assert listed == {path[0] for path in COMMANDS}
    assert len(COMMANDS) >= 15


@pytest.mark.parametrize("path", COMMANDS, ids=" ".join)
def test_every_command_has_an_example(path):
    result = CliRunner().invoke(cli, [*path, "--help"], prog_name="kg")
    assert result.exit_code == 0, result.output
    example = result.output.split("Example:", 1)
    assert len(example) == 2, f"kg {' '.join(path)} --help has no Example:"
    # a command line of the example runs this command (global options may come first)
    runs = [line.split() for line in example[1].splitlines() if line.strip().startswith("kg ")]
    assert any(
        words[1 + i : 1 + i + len(path)] == list(path) for words in runs for i in range(len(words))
    ), example[1]


def test_stats_counts_the_fixture_graph():
    result = kg("stats")
    assert result.returncode == 0, result.stderr
    assert "entities per class:" in result.stdout
    counts = json.loads(kg("stats", "--json").stdout)
    assert counts["states"] == 3
    assert counts["events"] == 1
    assert counts["claims"] == 1  # the kg:Statement, through rdfs:subClassOf
    assert counts["quotes"] == 2
    assert counts["classes"]["kg:State"] == 3
    files = (
        rdflib.Graph()
        .parse(CORE / "ontology/kg.ttl")
        .parse(CORE / "ontology/vocabularies.ttl")
        .parse(CORE / "data/triples.ttl")
    )
    # The load adds the superclass types of every typed node (ontology 0.2), nothing else.
    tree = class_tree(CORE / "ontology/kg.ttl")
    added = superclass_types(files.subject_objects(rdflib.RDF.type), tree)
    assert added, "the fixture has nodes typed below a superclass"
    assert counts["triples"] == len(files) + len(added)


def test_queries_lists_names_questions_and_params():
    result = kg("queries")
    assert result.returncode == 0, result.stderr
    assert "states" in result.stdout
    assert "Which states are in the graph, and how many people live there?" in result.stdout
    assert "--param state=VALUE  the state whose neighbours to list" in result.stdout


def test_query_named_table_shows_prefixed_names():
    result = kg("query", "states")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["state", "label", "population"]
    assert lines[2].split() == ["kgr:Armenia", "Armenia", "2777970"]
    assert lines[-1] == "(3 rows)"


def test_query_param_iri_and_prefixed_name_are_the_same_binding():
    short = kg("query", "neighbours", "--param", "state=kgr:Armenia", "--format", "json")
    full = kg(
        "query",
        "neighbours",
        "-p",
        "state=<https://w3id.org/kg-ir/resource/Armenia>",
        "-f",
        "json",
    )
    assert short.returncode == 0, short.stderr
    assert json.loads(short.stdout) == json.loads(full.stdout)
    assert json.loads(short.stdout) == [
        {"neighbour": "https://w3id.org/kg-ir/resource/Georgia", "label": "Georgia"}
    ]


def test_query_hostile_param_is_a_literal():
    result = kg("query", "labelled", "-p", 'text=" } ; DROP ALL ; #', "-f", "csv")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["node", "https://w3id.org/kg-ir/resource/Statement1"]
    assert json.loads(kg("stats", "--json").stdout)["triples"] > 0


@pytest.mark.parametrize("fmt", ["table", "csv", "json", "sparql-json"])
def test_query_formats(fmt):
    result = kg("query", "states", "--format", fmt)
    assert result.returncode == 0, result.stderr
    if fmt == "csv":
        assert (
            result.stdout.splitlines()[1]
            == "https://w3id.org/kg-ir/resource/Armenia,Armenia,2777970"
        )
    elif fmt == "json":
        assert json.loads(result.stdout)[0]["population"] == 2777970
    elif fmt == "sparql-json":
        doc = json.loads(result.stdout)
        assert doc["head"]["vars"] == ["state", "label", "population"]
        assert doc["results"]["bindings"][0]["label"] == {
            "type": "literal",
            "value": "Armenia",
            "xml:lang": "en",
        }
        assert "population" not in doc["results"]["bindings"][2]  # Georgia: unbound


def test_query_ask_and_construct():
    assert kg("query", "has_events").stdout.strip() == "yes"
    assert kg("query", "has_events", "-f", "json").stdout.strip() == "true"
    nt = kg("query", "borders_graph", "-f", "nt")
    assert nt.returncode == 0, nt.stderr
    assert len(rdflib.Graph().parse(data=nt.stdout, format="nt")) == 1


def test_query_from_file_and_stdin(tmp_path):
    query_file = tmp_path / "count.rq"
    query_file.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?s a ?c . FILTER(?c = ?cls) }")
    result = kg("query", str(query_file), "-p", "cls=kg:State", "-f", "csv")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["n", "3"]
    piped = kg("query", "-", "-f", "csv", stdin="ASK { ?s ?p ?o }")
    assert piped.stdout.splitlines() == ["boolean", "true"]


def test_data_replaces_and_add_loads_beside(tmp_path):
    extra = tmp_path / "extra.nt"
    extra.write_text(
        "<https://w3id.org/kg-ir/resource/X> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
        "<https://w3id.org/kg-ir/ontology#State> .\n"
    )
    base = json.loads(kg("stats", "--json").stdout)
    added = json.loads(kg("--add", str(extra), "stats", "--json").stdout)
    replaced = json.loads(kg("--data", str(extra), "stats", "--json").stdout)
    assert added["states"] == base["states"] + 1
    assert replaced["states"] == 1


def test_validate_valid_fixture_conforms():
    result = kg("validate")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "conforms"


def test_validate_invalid_fixture_lists_violations_and_exits_1():
    result = kg("--data", str(BAD / "invalid.ttl"), "validate")
    assert result.returncode == 1, result.stderr
    out = result.stdout
    assert "Violation: Armenia, kg:population: population must be an integer" in out
    assert "Violation: kgr:Nowhere, rdfs:label: a state needs a label" in out
    assert "Violation: kgr:Anonymous" not in out  # an Actor only by inference
    assert "invalid.ttl:9: kgr:Anonymous is described nowhere" in out  # but described nowhere
    assert out.splitlines()[-1] == "does not conform: 3 violations, 3 problems in the data files"
    inferred = kg("--data", str(BAD / "invalid.ttl"), "validate", "--infer")
    assert inferred.returncode == 1
    assert "Violation: kgr:Anonymous, rdfs:label: an actor needs a label" in inferred.stdout


@pytest.mark.parametrize("fmt", ["ttl", "nt", "nq", "trig", "jsonld", "xml"])
def test_export_round_trips(tmp_path, fmt):
    target = tmp_path / "out" / f"graph.{fmt}"
    result = kg("export", "--format", fmt, "-o", str(target))
    assert result.returncode == 0, result.stderr
    # kg.parsing guesses the format from the extension (and hides rdflib's own
    # DeprecationWarnings about its Dataset API)
    parsed = parse_file(target, rdflib.Dataset())
    triples = json.loads(kg("stats", "--json").stdout)["triples"]
    assert len(list(parsed.quads())) == triples
    assert [p.name for p in target.parent.iterdir()] == [target.name]  # no temp file left


def test_export_to_stdout_guesses_nothing_and_defaults_to_turtle():
    result = kg("export")
    assert result.returncode == 0
    assert "kgr:Armenia" in result.stdout


# --- bad input: one line on stderr, exit 2 ---------------------------------------------


def test_malformed_turtle_names_file_and_line():
    line = assert_one_line_error(kg("--data", str(BAD / "malformed.ttl"), "stats"))
    assert line.startswith(f"kg: error: {BAD / 'malformed.ttl'}:5: Bad syntax")


def test_malformed_ntriples_names_file_and_line():
    assert_one_line_error(kg("--data", str(BAD / "malformed.nt"), "stats"), "malformed.nt:2:")


def test_missing_data_file():
    assert_one_line_error(kg("--data", "nothere.ttl", "stats"), "no such file: nothere.ttl")


def test_missing_project_folder_says_where_and_how(tmp_path):
    missing = tmp_path / "nope"
    assert_one_line_error(
        kg("stats", root=missing), f"no project folder {missing}", "kg init", "KG_ROOT"
    )


def test_unknown_query_name_suggests_close_matches():
    assert_one_line_error(kg("query", "neigbours"), "unknown query 'neigbours'", "neighbours")


def test_sparql_syntax_error_names_file_and_line():
    assert_one_line_error(
        kg("query", str(BAD / "syntax_error.rq")),
        f"{BAD / 'syntax_error.rq'}:2: SPARQL syntax error",
    )


def test_sparql_syntax_error_from_stdin():
    assert_one_line_error(kg("query", "-", stdin="SELECT * WHERE { ?s"), "<stdin>:1: SPARQL")


@pytest.mark.parametrize("command", [["query", "states"], ["export"]])
def test_unknown_format(command):
    assert_one_line_error(kg(*command, "--format", "yaml"), "'yaml' is not one of")


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["query", "states", "-p", "oops"], "--param needs name=value"),
        (["query", "states", "-p", "nope=1"], "has no parameter 'nope'"),
        (["--backend", "nosuch", "stats"], "unknown backend 'nosuch'"),
        (["nosuchcommand"], "No such command"),
        (["query"], "Missing argument"),
    ],
)
def test_bad_options(args, fragment):
    assert_one_line_error(kg(*args), fragment)


# --- the repository's own graph ----------------------------------------------------------

REAL_QUERIES = sorted(p.stem for p in (ROOT / "ontology" / "queries").glob("*.rq"))
needs_real_data = pytest.mark.skipif(
    not (ROOT / "data" / "triples.ttl").exists(), reason="data/triples.ttl not written yet"
)


@needs_real_data
def test_real_graph_stats():
    counts = json.loads(kg("stats", "--json", root=None).stdout)
    assert counts["triples"] > 1000
    assert counts["states"] > 0 and counts["quotes"] > 0


@needs_real_data
def test_real_graph_validate_conforms():
    # The article's graph conforms to its shapes: exit 0, "conforms", nothing on stderr.
    result = kg("validate", root=None)
    assert (result.returncode, result.stdout, result.stderr) == (0, "conforms\n", "")


@needs_real_data
def test_real_queries_are_listed():
    listed = kg("queries", root=None).stdout
    for name in REAL_QUERIES:
        assert name in listed


@needs_real_data
@pytest.mark.parametrize("name", REAL_QUERIES)
def test_real_named_query_runs(name):
    result = kg("query", name, "--format", "json", root=None)
    assert result.returncode == 0, result.stderr
    json.loads(result.stdout)


# --- reads never write -------------------------------------------------------------------

MINE = """{
  "@context": {"kg": "https://w3id.org/kg-ir/ontology#",
               "rdfs": "http://www.w3.org/2000/01/rdf-schema#"},
  "@id": "https://w3id.org/kg-ir/resource/Freedonia", "@type": "kg:State",
  "rdfs:label": {"@value": "Freedonia", "@language": "en"}
}"""


def _store_triples(store: Path) -> int:
    """Triples of the default graph (kg load also records the files it loaded, elsewhere)."""
    import pyoxigraph as ox

    quads = ox.Store.read_only(str(store)).quads_for_pattern(None, None, None, ox.DefaultGraph())
    return len(list(quads))


def _store_quads(store: Path) -> int:
    import pyoxigraph as ox

    return len(ox.Store.read_only(str(store)))


@pytest.fixture
def my_store(tmp_path):
    """A store holding one JSON-LD file (no schema), loaded by `kg load`."""
    mine = tmp_path / "mine.jsonld"
    mine.write_text(MINE)
    store = tmp_path / "S"
    done = kg("load", str(mine), "--no-schema", "--store", str(store), root=None, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    return store


def test_reading_a_store_never_writes_into_it(my_store, tmp_path):
    before, quads = _store_triples(my_store), _store_quads(my_store)
    assert before == 2
    for args in (["stats", "--json"], ["query", "alliance_memberships"], ["validate"]):
        result = kg("--store", str(my_store), *args, root=None, cwd=tmp_path)
        assert result.returncode in (0, 1), result.stderr
        assert (_store_triples(my_store), _store_quads(my_store)) == (before, quads), args
    counts = json.loads(kg("--store", str(my_store), "stats", "--json", root=None).stdout)
    assert counts["triples"] == before and counts["states"] == 1


def test_files_added_to_a_store_are_read_beside_it_and_not_written(my_store, tmp_path):
    extra = tmp_path / "extra.ttl"
    extra.write_text(
        "<https://w3id.org/kg-ir/resource/Sylvania> a <https://w3id.org/kg-ir/ontology#State> ."
    )
    result = kg("--store", str(my_store), "--add", str(extra), "stats", "--json", root=None)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["states"] == 2
    assert _store_triples(my_store) == 2


def test_library_load_of_a_store_reads_it_only(my_store):
    import kg as kg_library

    graph = kg_library.load(store=my_store)
    assert len(graph) == 2 and graph.stats()["states"] == 1
    del graph
    assert _store_triples(my_store) == 2


def test_a_missing_store_is_not_created_by_a_read(tmp_path):
    missing = tmp_path / "nostore"
    line = assert_one_line_error(kg("--store", str(missing), "stats", root=None), "no store at")
    assert "kg load FILE --store" in line
    assert not missing.exists()


# --- typed parameters ----------------------------------------------------------------------


@pytest.mark.parametrize("bad", ["2023-02-30", "March"])
def test_query_rejects_a_value_not_of_its_declared_type(bad):
    assert_one_line_error(
        kg("query", "in_force_as_of", "--param", f"asOf={bad}", root=None),
        f"query in_force_as_of: asOf must be a date written YYYY-MM-DD, not '{bad}'",
    )


def test_query_takes_values_of_the_declared_type():
    result = kg("query", "in_force_as_of", "-p", "asOf=2024-03-01", "-f", "json", root=None)
    assert result.returncode == 0, result.stderr
    assert {row["asOf"] for row in json.loads(result.stdout)} == {"2024-03-01"}
    listed = kg("queries", root=None).stdout
    assert "--param asOf=DATE" in listed and "--param speaker=IRI" in listed


# --- allies of what is not a state; every kind of a claim ------------------------------------


def test_allies_of_an_alliance_says_it_is_not_a_state_and_names_its_members():
    line = assert_one_line_error(kg("allies", "CSTO", root=None), "is not a state but a")
    assert "Collective Security Treaty Organization (kgr:CSTO)" in line
    for member in ("Armenia (frozen)", "Belarus", "Kazakhstan", "Russia"):
        assert member in line
    person = assert_one_line_error(kg("allies", "Nikol Pashinyan", root=None), "not a state")
    assert "kg:Person" in person
    state = kg("allies", "Armenia", "--as-of", "2023-09-01", root=None)
    assert state.returncode == 0 and "Russia" in state.stdout


def test_said_shows_every_kind_of_a_claim():
    g = rdflib.Graph()
    for part in ("ontology/vocabularies.ttl", "data/triples.ttl"):
        g.parse(ROOT / part)
    kg_ns = rdflib.Namespace("https://w3id.org/kg-ir/ontology#")
    several = {}
    for claim in set(g.subjects(kg_ns.statementKind, None)):
        labels = sorted(
            str(g.value(k, rdflib.SKOS.prefLabel)) for k in g.objects(claim, kg_ns.statementKind)
        )
        if len(labels) > 1:
            several[str(claim)] = labels
    assert several, "the data has statements of several kinds"
    result = kg("said", "--json", root=None)
    assert result.returncode == 0, result.stderr
    shown = {c["claim"]: c["kinds"] for c in json.loads(result.stdout)}
    for claim, labels in several.items():
        assert shown[claim] == labels
    text = kg("said", root=None).stdout
    for labels in several.values():
        assert f"({', '.join(labels)})" in text


def test_a_focused_render_is_titled_by_its_focus(tmp_path):
    out = tmp_path / "armenia.html"
    result = kg(
        "render", "full", "--focus", "kgr:Armenia", "--hops", "2", "-o", str(out), root=None
    )
    assert result.returncode == 0, result.stderr
    page = out.read_text(encoding="utf-8")
    assert "<title>Armenia within 2 hops: full view</title>" in page


def test_remote_options_for_a_store_that_is_not_remote_are_refused():
    # --user, --update-endpoint and --graph are for an endpoint: never silently dropped, not
    # even when a valid run of the same command left a record to replay.
    assert kg("--backend", "memory", "stats").returncode == 0
    result = kg("--backend", "memory", "--user", "ann", "stats")
    assert_one_line_error(result, "--user is for a remote endpoint", "memory")
    result = kg("--store", str(ROOT / "no-such-store"), "--graph", "http://g", "stats")
    assert_one_line_error(result, "--graph is for a remote endpoint", "oxigraph")


def test_link_actions_exclude_each_other():
    result = kg("link", "--accept", "a.csv", "--export", "b.ttl", root=None)
    assert_one_line_error(result, "use one of --accept, --export at a time")


def test_path_limit_is_the_first_paths_of_the_full_answer():
    args = ("path", "Armenia", "Russia", "--max-hops", "2", "--json")
    every = json.loads(kg(*args, root=None).stdout)
    first = json.loads(kg(*args, "--limit", "2", root=None).stdout)
    assert len(every) > 2 and first == every[:2]
