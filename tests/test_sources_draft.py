"""``kg draft``: offline, rule-based drafts of the three fictional texts find their entities,
dates and quotations; ``kg add`` of an unedited draft adds only the source document."""

from __future__ import annotations

import pytest
from rdflib import Graph, URIRef
from sources_common import kg, new_project

from kg.parsing import parse_file
from kg.sources.yamlio import load_yaml

# (text, sources already in the project, --date, names the draft must find (as written in
# the draft), dates, quoted words, proposed entities)
CASES = {
    "tribune": (
        [],
        "2031-04-03",
        [],
        {"2031-04-02", "2030-03", "2015"},
        ["This accord shows that water can unite us,", "a wound that is finally closing."],
        {"AnaReyes": "Person"},
    ),
    "mereland-mfa": (
        ["tribune"],
        "10 April 2031",
        ["kgr:Valdoria", "kgr:Mereland", "kgr:LakeOrun"],
        {"2019"},
        ["The lake belongs to both peoples,"],
        {"TomasBerg": "Person"},
    ),
    "harbour-oped": (
        ["tribune", "mereland-mfa"],
        "2031-04-12",
        ["kgr:Valdoria", "kgr:Mereland", "kgr:ValdorianBorderGuards"],
        {"2031-04-08", "2031-04-11", "2031-05", "2031-04-07"},  # "on Monday" before the 12th
        ["a fabrication meant to derail the talks."],
        {"Geneva": "Settlement"},
    ),
}


def plain(node):
    """A located YAML value as plain Python."""
    if hasattr(node, "items") and isinstance(node.items, dict):
        return {k: plain(v) for k, v in node.items.items()}
    if hasattr(node, "items"):
        return [plain(v) for v in node.items]
    return node.value


@pytest.fixture(scope="module", params=sorted(CASES))
def drafted(request, tmp_path_factory):
    name = request.param
    before, date, *_ = CASES[name]
    root = new_project(tmp_path_factory.mktemp(name), *before, name)
    if before:
        assert kg("add", *(f"sources/{b}.yaml" for b in before), cwd=root).returncode == 0
    result = kg(
        "draft",
        f"sources/{name}.txt",
        "-o",
        "sources/draft.yaml",
        "--date",
        date,
        "--publisher",
        "Test Press",
        cwd=root,
    )
    assert result.returncode == 0, result.stderr
    assert "wrote sources/draft.yaml" in result.stdout
    return name, root, plain(load_yaml(root / "sources" / "draft.yaml"))


def test_the_draft_finds_names_dates_and_quotations(drafted):
    name, root, draft = drafted
    _, _, names, dates, quotes, proposed = CASES[name]
    claims = draft["claims"]
    assert all(c["reviewed"] is False for c in claims)
    assert all(e["reviewed"] is False for e in draft["entities"])
    mentioned = set()
    for claim in claims:
        for key in ("speaker", "about", "participants", "place"):
            value = claim.get(key)
            mentioned.update(value if isinstance(value, list) else [value] if value else [])
    text = (root / "sources" / "draft.yaml").read_text()
    for ref in names:
        assert ref in mentioned or f"-> {ref}" in text, ref
    found_dates = {c.get("date") for c in claims} | {c.get("start_date") for c in claims}
    assert dates <= {str(d) for d in found_dates if d}, found_dates
    statements = [c for c in claims if c["type"] == "statement"]
    assert [c["words"] for c in statements] == quotes
    source_text = (root / "sources" / f"{name}.txt").read_text()
    assert all(c["quote"] in source_text for c in claims)
    assert {e["id"]: e["type"] for e in draft["entities"]} == proposed
    assert draft["source"]["publisher"] == "Test Press"


def test_a_speaker_the_graph_knows_is_named_by_its_iri(drafted):
    name, _, draft = drafted
    if name != "harbour-oped":
        pytest.skip("only this text has a known actor next to a reporting verb")
    (statement,) = [c for c in draft["claims"] if c["type"] == "statement"]
    assert statement["speaker"] == "kgr:Valdoria"
    assert "speaker guessed from" in statement["review"]


def test_adding_the_unedited_draft_adds_only_the_source_document(drafted):
    name, root, draft = drafted
    result = kg("add", "sources/draft.yaml", cwd=root)
    assert result.returncode == 0, result.stderr
    assert "not reviewed (left out)" in result.stdout
    out = root / "data" / "sources" / f"{draft['source']['id']}.ttl"
    g = parse_file(out, Graph())
    assert {str(s) for s in g.subjects()} == {
        f"https://w3id.org/kg-ir/resource/{draft['source']['id']}"
    }
    assert (
        URIRef(f"https://w3id.org/kg-ir/resource/{draft['source']['id']}"),
        URIRef("https://w3id.org/kg-ir/ontology#publisher"),
        None,
    ) in g


def test_a_reviewed_proposal_is_added(drafted, tmp_path):
    name, root, draft = drafted
    if name != "tribune":
        pytest.skip("one text is enough")
    path = root / "sources" / "draft.yaml"
    text = path.read_text()
    # Review the proposed person: delete its `reviewed: false` line.
    text = text.replace('    label: "Ana Reyes"\n    reviewed: false\n', '    label: "Ana Reyes"\n')
    path.write_text(text)
    result = kg("add", "sources/draft.yaml", cwd=root)
    assert result.returncode == 0, result.stderr
    g = parse_file(root / "data" / "sources" / f"{draft['source']['id']}.ttl", Graph())
    assert (URIRef("https://w3id.org/kg-ir/resource/AnaReyes"), None, None) in g


def test_she_said_is_the_last_person_named(drafted):
    """Simple coreference: "She called ..." after Ana Reyes spoke is proposed as hers."""
    name, _, draft = drafted
    if name != "tribune":
        pytest.skip("the tribune's second quotation follows 'She called'")
    (statement,) = [
        c
        for c in draft["claims"]
        if c["type"] == "statement" and c["words"] == "a wound that is finally closing."
    ]
    assert statement["speaker"] == "AnaReyes"
    assert "'She' taken as 'Ana Reyes'" in statement["review"]
    assert statement["reviewed"] is False
