"""A repeated command replays its recorded output (kg.cache.replay): the same stdout, stderr
and written file as a fresh run, without touching the graph; any change to a loaded file or
to the ontology gives a fresh run, and a failed or uncached run records nothing.

The commands run for real through click's runner (which closes the context as the ``kg``
process does); each test has its own project copy and cache folder.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from kg.cli import cli
from kg.cli.session import Session
from kg.errors import KgError

#: The repository: its ontology/ and data/ are the installed project's.
INSTALLED_ROOT = Path(__file__).resolve().parent.parent

EXTRA = """@prefix kg: <https://w3id.org/kg-ir/ontology#> .
@prefix kgr: <https://w3id.org/kg-ir/resource/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
kgr:Freedonia a kg:State ; rdfs:label "Freedonia"@en .
"""


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
    return root


def invoke(root: Path, *args: str, cache: bool = True) -> Result:
    argv = ["--root", str(root), *([] if cache else ["--no-cache"]), *args]
    return CliRunner().invoke(cli, argv, catch_exceptions=False)


def run(root: Path, *args: str, cache: bool = True) -> tuple[str, str]:
    result = invoke(root, *args, cache=cache)
    assert result.exit_code == 0, result.output
    return result.stdout, result.stderr


def records() -> list[Path]:
    return sorted((Path(os.environ["KG_CACHE_DIR"]) / "answers" / "commands").glob("*.json"))


@pytest.fixture(autouse=True)
def steady_code(monkeypatch: pytest.MonkeyPatch) -> None:
    """The code stamp taken once: others editing kg/ in a shared tree must not change keys
    mid-test (that a changed stamp gives a fresh run is tested below)."""
    from kg.cache import keys, replay

    stamp, engine = replay.code_stamp(), keys.engine_stamp()
    monkeypatch.setattr(replay, "code_stamp", lambda: stamp)
    monkeypatch.setattr(keys, "engine_stamp", lambda: engine)


@pytest.fixture
def no_graph(monkeypatch: pytest.MonkeyPatch):
    """Make loading the graph fail: what runs then is answered without it."""

    def refuse(self: Session, infer: bool = False) -> None:
        raise AssertionError("the graph was loaded")

    def apply() -> None:
        monkeypatch.setattr(Session, "graph", refuse)

    return apply


def test_a_replayed_command_equals_a_fresh_one(project: Path, tmp_path: Path, no_graph) -> None:
    out = tmp_path / "out" / "full.html"
    commands = [
        ["stats", "--json"],
        ["path", "Armenia", "Russia"],
        ["said", "--about", "kgr:Offensive2023", "--json"],
        ["view", "alliance", "--as-of", "2023-09-01", "--format", "json"],
        ["render", "alliance", "-o", str(out)],
    ]
    firsts = [run(project, *args) for args in commands]
    page = out.read_bytes()
    assert len(records()) == len(commands)
    assert "wrote" in firsts[-1][1]  # render reports on stderr: that is replayed too
    assert [run(project, *args, cache=False) for args in commands[:2]] == firsts[:2]
    out.unlink()
    no_graph()
    assert [run(project, *args) for args in commands] == firsts
    assert out.read_bytes() == page  # the page is written again, byte for byte


def test_a_record_is_what_is_replayed_and_no_cache_ignores_it(project: Path) -> None:
    first = run(project, "stats")
    (record,) = records()
    entry = json.loads(record.read_text())
    entry["stdout"] = "replayed from the record\n"
    record.write_text(json.dumps(entry))
    assert run(project, "stats")[0] == "replayed from the record\n"
    assert run(project, "stats", cache=False) == first


def test_a_changed_data_file_or_ontology_gives_a_fresh_run(project: Path) -> None:
    before = json.loads(run(project, "stats", "--json")[0])
    path_before = run(project, "path", "Armenia", "Russia")
    data = project / "data" / "triples.ttl"
    stat = data.stat()
    text = data.read_text(encoding="utf-8").replace("weakened and entangled", "weakened, entangled")
    data.write_text(text + EXTRA, encoding="utf-8")
    os.utime(data, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # only the content tells
    after = json.loads(run(project, "stats", "--json")[0])
    assert after["states"] == before["states"] + 1
    path_after = run(project, "path", "Armenia", "Russia")
    assert "weakened, entangled" in path_after[0] and "weakened and" in path_before[0]
    assert path_after == run(project, "path", "Armenia", "Russia", cache=False)
    kg_ttl = project / "ontology" / "kg.ttl"
    kg_ttl.write_text(
        kg_ttl.read_text(encoding="utf-8") + "\n<https://w3id.org/kg-ir/ontology#ReplayTestClass>"
        " a <http://www.w3.org/2002/07/owl#Class> .\n",
        encoding="utf-8",
    )
    changed = json.loads(run(project, "stats", "--json")[0])
    assert changed["triples"] > after["triples"]
    assert changed == json.loads(run(project, "stats", "--json", cache=False)[0])


def test_a_failed_or_uncached_run_records_nothing(project: Path) -> None:
    with pytest.raises(KgError, match="Nowhereland"):  # kg.cli.main makes it exit 2
        invoke(project, "path", "Armenia", "Nowhereland")
    run(project, "stats", cache=False)
    assert records() == []


def test_the_data_warning_is_replayed(project: Path, no_graph) -> None:
    (project / "data" / "bad.ttl").write_text(
        "@prefix kgr: <https://w3id.org/kg-ir/resource/> .\n"
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
        'kgr:Armenia <https://w3id.org/kg-ir/ontology#startDate> "soon"^^xsd:date .\n',
        encoding="utf-8",
    )
    first = run(project, "stats")
    assert "kg: warning: the data does not validate" in first[1]
    no_graph()
    assert run(project, "stats") == first


def test_a_changed_code_stamp_gives_a_fresh_run(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kg.cache import replay

    run(project, "stats")
    run(project, "stats")
    assert len(records()) == 1
    stamp = replay.code_stamp()
    monkeypatch.setattr(replay, "code_stamp", lambda: [*stamp, ["edited.py", 1, 1]])
    run(project, "stats")
    assert len(records()) == 2
