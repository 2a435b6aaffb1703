"""Bad source files: each mistake is one line ``kg: error: FILE:LINE:COLUMN: ...``, exit 2,
and nothing is written."""

from __future__ import annotations

import re

import pytest
from sources_common import assert_one_line_error, kg, new_project, snapshot

# (what is wrong, text replaced in tribune.yaml, its replacement, expected fragments)
CASES = [
    (
        "a quote one character off",
        "quote: The accord was signed in Port Elsa\n",
        "quote: The acord was signed in Port Elsa\n",
        [
            "quote not found in the text",
            "character 7 of the quote: 'o' in the quote, 'c' in the text",
        ],
    ),
    (
        "an unknown speaker",
        "speaker: Ana Reyes",
        "speaker: Ana Reyez",
        ["unknown entity 'Ana Reyez'", "did you mean: Ana Reyes <kgr:AnaReyes>"],
    ),
    (
        "an ambiguous name",
        "    place: Port Elsa\n",
        "    place: Elsa\n",
        ["ambiguous name 'Elsa'", "kgr:PortElsa", "kgr:AnaReyes"],
    ),
    (
        "an impossible date",
        "date_signed: 2 April 2031",
        "date_signed: 31 April 2031",
        ["31 April 2031 is not a real date (April 2031 has 30 days)"],
    ),
    (
        "a YAML syntax error",
        "kinds: [assessment]",
        "kinds: [assessment",
        ["YAML syntax error"],
    ),
    (
        "a missing text file",
        "text_file: tribune.txt",
        "text_file: tribune-missing.txt",
        ["text file tribune-missing.txt not found"],
    ),
    (
        "an unknown claim type",
        "type: reported_fact",
        "type: reported_fakt",
        ["unknown type 'reported_fakt'", "did you mean: ReportedFact"],
    ),
    (
        "an unknown field",
        "    speaker: Ana Reyes",
        "    speeker: Ana Reyes",
        ["unknown field 'speeker' for a Statement", "did you mean: speaker"],
    ),
]


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = new_project(tmp_path_factory.mktemp("bad"), "tribune")
    original = (root / "sources" / "tribune.yaml").read_text()
    # Two names "Elsa" (a town and a person) for the ambiguous-name case.
    original = original.replace(
        "    label: Port Elsa\n", "    label: Port Elsa\n    other_names: [Elsa]\n"
    )
    original = original.replace(
        "    label: Ana Reyes\n", "    label: Ana Reyes\n    other_names: [Elsa]\n"
    )
    (root / "sources" / "tribune.yaml").write_text(original)
    assert kg("add", "--check", "sources/tribune.yaml", cwd=root).returncode == 0
    return root, original


@pytest.mark.parametrize("what, old, new, fragments", CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_one_located_line_and_nothing_is_written(project, what, old, new, fragments):
    root, original = project
    assert original.count(old) == 1, old
    bad = original.replace(old, new)
    path = root / "sources" / "bad.yaml"
    path.write_text(bad)
    before = snapshot(root / "data")
    result = kg("add", "sources/bad.yaml", cwd=root)
    line = bad[: bad.index(new)].count("\n") + 1
    found = assert_one_line_error(result, "sources/bad.yaml:", *fragments)
    at_line, column = re.match(r"kg: error: sources/bad\.yaml:(\d+):(\d+): ", found).groups()
    assert int(at_line) in (line, line + 1), (found, line)  # a YAML error may show where it ends
    assert int(column) >= 1
    assert snapshot(root / "data") == before


def test_a_bad_file_in_a_batch_stops_the_whole_batch(project, tmp_path):
    root, original = project
    (root / "sources" / "good.yaml").write_text(original)
    (root / "sources" / "bad.yaml").write_text(
        original.replace("2 April 2031", "30 February 2031", 1).replace(
            "id: tribune-2031-04-03", "id: other"
        )
    )
    before = snapshot(root / "data")
    result = kg("add", "sources/good.yaml", "sources/bad.yaml", cwd=root)
    assert result.returncode == 2
    assert snapshot(root / "data") == before
