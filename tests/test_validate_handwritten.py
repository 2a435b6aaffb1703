"""``kg validate`` on hand-written Turtle: misspelt terms, dangling names, invalid literals and
missing labels, each with file and line; exit 1; other commands warn."""

from __future__ import annotations

from pathlib import Path

from sources_common import ROOT, kg

BAD = ROOT / "tests" / "fixtures" / "validate" / "handwritten.ttl"


def problems(result) -> list[str]:
    return [line for line in result.stdout.splitlines() if line.startswith("Problem: ")]


def test_each_mistake_is_reported_with_its_file_and_line():
    result = kg("--data", str(BAD), "validate", cwd=ROOT)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    found = problems(result)
    where = f"Problem: {BAD}"
    assert (
        f"{where}:15: kg:speeker is not a term of the ontology (did you mean: kg:speaker?)" in found
    )
    assert any(p.startswith(f"{where}:16: kg:date is a date: '14 March 2031'") for p in found)
    assert f"{where}:18: kgr:Valdorya is described nowhere" in " ".join(found)
    assert f"{where}:21: kgr:Talks has no label (rdfs:label)" in found
    assert f"{where}:23: 2031-02-30 is not a valid xsd:date (in kg:startDate)" in found
    assert len(found) == 5, found
    assert result.stdout.splitlines()[-1].endswith("5 problems in the data files")


def test_the_repository_data_has_no_problems():
    result = kg("validate", cwd=ROOT)
    assert problems(result) == [], result.stdout


def test_other_commands_warn_when_the_data_does_not_validate():
    result = kg("--data", str(BAD), "stats", cwd=ROOT)
    assert result.returncode == 0, result.stderr
    (warning,) = result.stderr.splitlines()
    assert warning.startswith("kg: warning: the data does not validate (5 problems; first: ")
    assert warning.endswith("run kg validate")
    clean = kg("stats", cwd=ROOT)
    assert clean.returncode == 0 and clean.stderr == "", clean.stderr


def test_a_correct_file_passes(tmp_path: Path):
    good = (
        BAD.read_text().replace("kg:speeker", "kg:speaker").replace("kgr:Valdorya", "kgr:Valdoria")
    )
    good = good.replace('"14 March 2031"', '"2031-03-14"^^xsd:date').replace(
        "2031-02-30", "2031-02-28"
    )
    good = good.replace("kgr:Talks a kg:Event ;", 'kgr:Talks a kg:Event ; rdfs:label "Talks"@en ;')
    path = tmp_path / "good.ttl"
    path.write_text(good)
    result = kg("--data", str(path), "validate", cwd=ROOT)
    assert problems(result) == [], result.stdout
