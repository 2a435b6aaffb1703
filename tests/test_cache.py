"""The cache of answers (kg.cache): a cached answer equals a fresh one, and any change to a
loaded file or to the ontology gives a fresh answer.

The commands run for real (``kg.cli.main`` through click's runner, which closes the context
and so writes the cache as the ``kg`` process does); each test has its own cache folder.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cache import clear, load_cached
from kg.cache.graph import CachedGraph
from kg.cli import cli
from kg.installed import INSTALLED_ROOT

COMMANDS = [
    ["stats", "--json"],
    ["path", "Armenia", "Russia", "--json"],
    ["said", "--about", "kgr:Offensive2023"],
    ["view", "alliance", "--as-of", "2023-09-01", "--format", "json"],
    ["query", "alliance_memberships", "--format", "csv"],
]


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project folder with its own copy of the ontology, vocabularies and data."""
    root = tmp_path / "project"
    (root / "ontology").mkdir(parents=True)
    (root / "data").mkdir()
    for name in ("kg.ttl", "vocabularies.ttl"):
        shutil.copy(INSTALLED_ROOT / "ontology" / name, root / "ontology" / name)
    shutil.copy(INSTALLED_ROOT / "data" / "triples.ttl", root / "data" / "triples.ttl")
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("KG_NO_CACHE", raising=False)
    # The engine's stamp taken once: others editing kg/ in a shared tree must not change the
    # keys mid-test (tests/test_cache_replay.py checks that a changed stamp gives new keys).
    from kg.cache import keys

    engine = keys.engine_stamp()
    monkeypatch.setattr(keys, "engine_stamp", lambda: engine)
    return root


def run(root: Path, *args: str, cache: bool = True) -> str:
    argv = ["--root", str(root), *([] if cache else ["--no-cache"]), *args]
    result = CliRunner().invoke(cli, argv, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def cached_files() -> list[Path]:
    return sorted((Path(os.environ["KG_CACHE_DIR"]) / "answers" / "results").glob("*.json"))


def answered_from_cache(root: Path) -> bool:
    """Whether the library graph of ``root`` answers its statistics without loading."""
    graph = load_cached(root=root)
    assert isinstance(graph, CachedGraph)
    graph.stats()
    graph.flush()
    return not graph.is_loaded


def test_a_cached_answer_equals_a_fresh_one(project: Path) -> None:
    # The first run computes each answer (and keeps it); the second reads it back.
    firsts = [run(project, *args) for args in COMMANDS]
    assert cached_files(), "the first run wrote no cache"
    assert answered_from_cache(project)
    assert [run(project, *args) for args in COMMANDS] == firsts
    assert [run(project, *args, cache=False) for args in COMMANDS[:2]] == firsts[:2]


def test_a_repeated_question_does_not_load_the_graph(project: Path) -> None:
    assert not answered_from_cache(project)  # first time: loaded, and the answers kept
    assert answered_from_cache(project)


def test_render_from_the_cache_writes_the_same_page(project: Path, tmp_path: Path) -> None:
    pages = []
    for name in ("first", "second"):
        out = tmp_path / f"{name}.html"
        run(project, "render", "full", "-o", str(out))
        pages.append(out.read_text(encoding="utf-8"))
    assert pages[0] == pages[1]


EXTRA = """@prefix kg: <https://w3id.org/kg-ir/ontology#> .
@prefix kgr: <https://w3id.org/kg-ir/resource/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
kgr:Freedonia a kg:State ; rdfs:label "Freedonia"@en .
"""


def _stats(root: Path, *options: str) -> dict:
    return json.loads(run(root, *options, "stats", "--json"))


def _change(path: Path, text: str) -> None:
    """Append ``text`` to ``path``, keeping its modification time."""
    before = path.stat()
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))


def test_a_changed_data_file_gives_a_fresh_answer(project: Path) -> None:
    before = _stats(project)
    assert _stats(project) == before
    _change(project / "data" / "triples.ttl", EXTRA)
    after = _stats(project)
    assert after == _stats(project, "--no-cache")
    assert after["triples"] > before["triples"] and after["states"] == before["states"] + 1


LABEL = (
    "SELECT ?l WHERE { <https://w3id.org/kg-ir/resource/Freedonia> ?p ?l . FILTER(isLiteral(?l)) }"
)


def _label(root: Path) -> str:
    graph = load_cached(root=root)
    label = str(graph.query(LABEL).rows[0][0])
    graph.flush()
    return label


def test_a_same_size_edit_with_the_old_mtime_gives_a_fresh_answer(project: Path) -> None:
    data = project / "data" / "triples.ttl"
    data.write_text(data.read_text(encoding="utf-8") + EXTRA, encoding="utf-8")
    assert _label(project) == _label(project) == "Freedonia"
    stat = data.stat()
    # Same length, same modification time: only the content tells.
    data.write_text(data.read_text(encoding="utf-8").replace('"Freedonia"', '"Ruritania"'))
    os.utime(data, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert data.stat().st_size == stat.st_size
    assert _label(project) == "Ruritania"


def test_a_changed_ontology_gives_a_fresh_answer(project: Path) -> None:
    before = _stats(project)
    _change(
        project / "ontology" / "kg.ttl",
        "\n<https://w3id.org/kg-ir/ontology#CacheTestClass> a <http://www.w3.org/2002/07/owl#Class>"
        " .\n",
    )
    changed = _stats(project)
    assert changed["triples"] > before["triples"] and changed == _stats(project, "--no-cache")
    _change(
        project / "ontology" / "vocabularies.ttl",
        "\n<https://w3id.org/kg-ir/kind/cacheTestConcept>"
        " <http://www.w3.org/2000/01/rdf-schema#label> 'cache test' .\n",
    )
    assert _stats(project)["triples"] > changed["triples"]


def test_an_added_or_changed_extra_file_gives_a_fresh_answer(project: Path, tmp_path) -> None:
    before = _stats(project)
    extra = tmp_path / "extra.ttl"
    extra.write_text(EXTRA, encoding="utf-8")
    with_extra = _stats(project, "--add", str(extra))
    assert with_extra["states"] == before["states"] + 1
    _change(extra, "kgr:Freedonia a kg:Event .\n")
    assert _stats(project, "--add", str(extra))["events"] == before["events"] + 1
    assert _stats(project) == before


def test_a_new_data_file_gives_a_fresh_answer(project: Path) -> None:
    before = _stats(project)
    (project / "data" / "more.ttl").write_text(EXTRA, encoding="utf-8")
    assert _stats(project)["states"] == before["states"] + 1


def test_no_cache_writes_nothing_and_clear_removes_everything(project: Path) -> None:
    run(project, "stats", cache=False)
    assert not cached_files()
    run(project, "stats")
    assert cached_files()
    out = run(project, "cache", "clear")
    assert out.startswith("removed ") and not cached_files()
    assert clear() == 0


def test_blank_node_answers_are_not_mixed_across_loads(project: Path) -> None:
    """A result holding blank nodes comes from disk only when the whole run can: a new
    question is answered from one load, so its blank node ids agree with each other."""
    axioms = "SELECT ?ax ?s WHERE { ?ax <http://www.w3.org/2002/07/owl#annotatedSource> ?s }"
    first = load_cached(root=project)
    rows = first.query(axioms).rows
    assert rows and first.is_loaded
    first.flush()
    replay = load_cached(root=project)
    assert replay.query(axioms).rows == rows and not replay.is_loaded
    other = load_cached(root=project)
    other.query("ASK { ?s ?p ?o }")  # a new question: the run may not replay blank nodes
    fresh = other.query(axioms).rows
    assert other.is_loaded
    assert {str(s) for _, s in fresh} == {str(s) for _, s in rows}


def test_an_update_turns_the_cache_off(project: Path) -> None:
    graph = load_cached(root=project)
    n = len(graph)
    graph.update("INSERT DATA { <http://ex/a> <http://ex/b> <http://ex/c> }")
    assert len(graph) == n + 1
    graph.flush()
    assert load_cached(root=project).stats()["triples"] == n


def test_whoever_takes_the_backend_gets_live_answers(project: Path) -> None:
    """kg serve takes the backend and may update it behind the graph's back."""
    ask = "ASK { <http://ex/a> <http://ex/b> <http://ex/c> }"
    warm = load_cached(root=project)
    assert not warm.query(ask).boolean
    warm.flush()
    graph = load_cached(root=project)
    graph.backend.update("INSERT DATA { <http://ex/a> <http://ex/b> <http://ex/c> }")
    assert graph.query(ask).boolean
    graph.flush()
    assert not load_cached(root=project).query(ask).boolean
