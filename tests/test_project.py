"""Projects: kg init, finding the project from the working directory, kg.toml, overrides."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import kg_command

import kg
from kg.project import Project, find_project, init_project, installed_project

ROOT = Path(__file__).resolve().parent.parent
STATE = (
    "@prefix kg: <https://w3id.org/kg-ir/ontology#> .\n"
    "@prefix kgr: <https://w3id.org/kg-ir/resource/> .\n"
    "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
    'kgr:{name} a kg:State ; rdfs:label "{name}"@en .\n'
)


def run(*args: str, cwd: Path, env: dict | None = None):
    """The real ``kg`` command (:func:`conftest.kg_command`) in ``cwd``, without KG_ROOT."""
    return kg_command(*args, cwd=cwd, env=env, timeout=120)


def stats(cwd: Path, *args: str, env: dict | None = None) -> dict:
    result = run(*args, "stats", "--json", cwd=cwd, env=env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture
def project(tmp_path):
    """A project made by `kg init`, with one state in data/ and one in data/sources/."""
    done = run("init", "mine", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "created a kg project in" in done.stdout
    root = tmp_path / "mine"
    (root / "data" / "states.ttl").write_text(STATE.format(name="Freedonia"))
    (root / "data" / "sources").mkdir()
    (root / "data" / "sources" / "a.ttl").write_text(STATE.format(name="Sylvania"))
    (root / "data" / "sources" / "a.txt").write_text("not RDF")
    return root


def test_init_makes_config_data_and_sources(project):
    assert sorted(p.name for p in project.iterdir()) == ["data", "kg.toml", "sources"]
    assert Project.at(project).backend == "memory"


def test_init_twice_is_an_error_that_keeps_the_config(project):
    before = (project / "kg.toml").read_text()
    again = run("init", str(project), cwd=project)
    assert again.returncode == 2
    assert again.stderr.startswith("kg: error: ") and "already exists" in again.stderr
    assert (project / "kg.toml").read_text() == before


def test_commands_find_the_project_upward_from_any_subfolder(project):
    deep = project / "sources" / "deeper"
    deep.mkdir()
    counts = stats(deep)
    assert counts["states"] == 2  # data/states.ttl and data/sources/a.ttl, not a.txt
    assert find_project(deep).root == project.resolve()


def test_root_and_kg_root_name_the_project_from_elsewhere(project, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    assert stats(elsewhere, "--root", str(project))["states"] == 2
    assert stats(elsewhere, env={"KG_ROOT": str(project)})["states"] == 2
    # outside any project: the installed one, the article's graph
    assert stats(elsewhere)["states"] == stats(ROOT)["states"] > 2


def test_a_project_uses_the_installed_ontology_and_queries(project):
    installed = installed_project()
    graph = kg.load(root=project)
    schema = kg.load([], root=project)
    assert len(schema) == len(kg.load([], root=installed.root))
    assert graph.stats()["states"] == 2
    listed = run("queries", cwd=project)
    assert listed.returncode == 0 and "alliance_memberships" in listed.stdout


def test_own_ontology_folder_extends_and_overrides(project):
    ontology = project / "ontology"
    (ontology / "queries").mkdir(parents=True)
    (ontology / "extra.ttl").write_text(STATE.format(name="Ruritania"))
    (ontology / "queries" / "my_states.rq").write_text(
        "# question: Which states does my project know?\n"
        "SELECT ?s WHERE { ?s a <https://w3id.org/kg-ir/ontology#State> } ORDER BY ?s\n"
    )
    (ontology / "queries" / "statements.rq").write_text(
        "# question: My own statements query\nASK { ?s ?p ?o }\n"
    )
    assert kg.load(root=project).stats()["states"] == 3  # extra.ttl is schema beside it
    listed = run("queries", cwd=project).stdout
    assert "Which states does my project know?" in listed
    assert "My own statements query" in listed and "alliance_memberships" in listed
    answer = run("query", "my_states", "--format", "json", cwd=project)
    assert answer.returncode == 0, answer.stderr
    assert len(json.loads(answer.stdout)) == 3


def test_data_exclude_patterns(project):
    config = project / "kg.toml"
    (project / "data" / "enrichment.trig").write_text(
        "{ " + STATE.format(name="Ruritania").splitlines()[-1] + " }"
    )  # not a valid TriG body with prefixes; never parsed, because excluded by default
    assert stats(project)["states"] == 2
    text = config.read_text().replace('exclude = ["enrichment.trig"]', 'exclude = ["sources/*"]')
    (project / "data" / "enrichment.trig").unlink()
    config.write_text(text)
    assert stats(project)["states"] == 1


def test_bad_config_is_one_line_naming_the_file(project):
    (project / "kg.toml").write_text("[store]\nbackend = 'mongo'\n")
    result = run("stats", cwd=project)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.strip() == (
        f"kg: error: {(project / 'kg.toml').resolve()}: [store] backend = 'mongo' is not one "
        "of memory, oxigraph, remote"
    )
    (project / "kg.toml").write_text("[store\n")
    broken = run("stats", cwd=project)
    assert broken.returncode == 2 and "kg.toml:" in broken.stderr and "line 1" in broken.stderr
    (project / "kg.toml").write_text("[stor]\n")
    assert "unknown table [stor]" in run("stats", cwd=project).stderr


def test_configured_store_is_where_kg_load_writes_and_commands_read(tmp_path):
    root = init_project(tmp_path / "big", store="store").root
    (tmp_path / "one.ttl").write_text(STATE.format(name="Freedonia"))
    loaded = run("load", str(tmp_path / "one.ttl"), cwd=root)
    assert loaded.returncode == 0, loaded.stderr
    assert (root / "store").is_dir()
    counts = stats(root)
    assert counts["states"] == 1
    assert counts["triples"] == stats(root)["triples"]  # reading twice changes nothing


def test_the_repository_is_a_project():
    found = find_project(ROOT / "kg" / "cli")
    assert found.root == ROOT and found.config_file.is_file()
    assert ROOT / "data" / "triples.ttl" in found.data_files()
