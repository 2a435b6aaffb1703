"""SHACL of a batch within the shapes' scope gives the same verdict as over the whole graph.

Each bad batch is checked twice against a store holding a valid source: with the data graph
cut to the shapes' scope (what ``kg add`` does) and with the whole graph (what it does for
shapes outside the scope). Both must report the same errors, and the bad ones must fail.
"""

from __future__ import annotations

import pytest
from rdflib import Graph
from sources_common import ROOT, new_project

from kg.parsing import parse_files, parse_text
from kg.sources import check
from kg.sources.add import SourceErrors, add_sources
from kg.sources.scope import supported

ENGINES = ["pyshacl", "turbo"]
TEXT = "Ana Reyes spoke. The talks began. Zeland joined the Ostrian Union."
HEAD = f"""source:
  id: bad
  title: A bad batch
  published: 2031-05-01
  text: "{TEXT}"
"""
STATEMENT = """  - type: statement
    id: BadStatement
    label: A statement
    speaker: {speaker}
    date: 2031-05-01
    date_qualifier: exact
    kinds: [assessment]
    about: Lake Orun
    quote: Ana Reyes spoke.
"""
EVENT = """  - type: event
    id: BadTalks
    label: Talks
    kind: negotiation
    participants: [Valdoria]
    purpose: {purpose}
    quote: The talks began.
"""
MEMBER = """entities:
  - id: Zeland
    type: State
    label: Zeland
    member_of: Ostrian Union
    quote: Zeland joined the Ostrian Union.
claims:
  - type: membership
    id: ZelandInOstrianUnion
    label: Zeland in the Ostrian Union
    member: Zeland
    organization: Ostrian Union
    start_date: 2031
    status: {status}
    quote: Zeland joined the Ostrian Union.
"""
CASES = {
    # the speaker's class is in the store: one step from the new statement
    "speaker is a region": "claims:\n" + STATEMENT.format(speaker="Lake Orun"),
    "speaker is a person": "claims:\n" + STATEMENT.format(speaker="Ana Reyes"),
    "purpose is an agreement": "claims:\n" + EVENT.format(purpose="Lake Orun Water Accord"),
    "purpose is a stored event": "claims:\n" + EVENT.format(purpose="kgr:SigningLakeOrunAccord"),
    # SPARQL constraint reaching ?m kg:member $this
    "member of through an ended membership": MEMBER.format(status="ended"),
    "member of through an active membership": MEMBER.format(status="active"),
}
BAD = {"speaker is a region", "purpose is an agreement", "member of through an ended membership"}


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = new_project(tmp_path_factory.mktemp("scope"), "tribune")
    store = root / "store"
    add_sources([root / "sources" / "tribune.yaml"], root=root, store=store)
    return root, store


def _errors(root, store, engine: str) -> list[str]:
    try:
        add_sources(
            [root / "sources" / "bad.yaml"], root=root, store=store, check_only=True, shacl=engine
        )
    except SourceErrors as exc:
        return sorted(str(e) for e in exc.errors)
    return []


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("case", sorted(CASES))
def test_scope_and_whole_graph_give_the_same_errors(project, case, engine, monkeypatch):
    if engine == "turbo":
        pytest.importorskip("pyshacl_turbo")
    root, store = project
    (root / "sources" / "bad.yaml").write_text(HEAD + CASES[case])
    scoped = _errors(root, store, engine)
    monkeypatch.setattr(check, "_supported", lambda shapes, _: False)
    whole = _errors(root, store, engine)
    assert scoped == whole
    assert bool(scoped) == (case in BAD), scoped


def test_a_replaced_version_no_longer_counts(project, tmp_path):
    """The store's earlier version of a source is not part of the graph the new one is
    checked in: a name only it declared is unknown."""
    root, store = project
    text = (root / "sources" / "tribune.yaml").read_text()
    start = text.index("  - id: AnaReyes")
    end = text.index("  - id: MinistryOfForeignAffairsValdoria")
    (root / "sources" / "tribune-2.yaml").write_text(text[:start] + text[end:])
    with pytest.raises(SourceErrors) as caught:
        add_sources([root / "sources" / "tribune-2.yaml"], root=root, store=store, check_only=True)
    assert "Ana Reyes" in str(caught.value), caught.value.errors


def test_the_shipped_shapes_stay_within_the_scope():
    assert supported(parse_files([ROOT / "ontology" / "shapes.ttl"], Graph()))


@pytest.mark.parametrize(
    "shape",
    [
        "sh:property [ sh:path ( <urn:p> <urn:q> ) ; sh:minCount 1 ]",  # a sequence path
        "sh:property [ sh:path [ sh:zeroOrMorePath <urn:p> ] ; sh:minCount 1 ]",
        "sh:property [ sh:path <urn:p> ; sh:node [ sh:property [ sh:path <urn:q> ; "
        "sh:class <urn:C> ] ] ]",  # a class two steps away
        "sh:property [ sh:path <urn:p> ; sh:node [ sh:property [ sh:path [ sh:inversePath "
        "<urn:q> ] ; sh:minCount 1 ] ] ]",  # into a neighbour
        'sh:sparql [ sh:select "SELECT $this WHERE { $this <urn:p> ?a . ?a <urn:q> ?b . '
        '?b <urn:r> ?c }" ]',  # three steps out
        'sh:sparql [ sh:select "SELECT $this WHERE { ?a <urn:p> $this . ?b <urn:q> ?a }" ]',
        "sh:equals <urn:p> ; sh:js <urn:f>",  # a term the analysis does not know
    ],
)
def test_shapes_beyond_the_scope_are_validated_over_the_whole_graph(shape):
    shapes = parse_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        f"<urn:S> a sh:NodeShape ; sh:targetClass <urn:T> ; {shape} ."
    )
    assert not supported(shapes)


DECLARES = """source:
  id: declares
  title: Declares a person and a region
  published: 2031-05-01
  text: "Ida Varga spoke at Lake Vell."
entities:
  - id: IdaVarga
    type: Person
    label: Ida Varga
    quote: Ida Varga spoke
  - id: LakeVell
    type: Region
    label: Lake Vell
    quote: Lake Vell
"""


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("speaker, bad", [("Ida Varga", False), ("Lake Vell", True)])
def test_a_batch_checked_in_chunks_sees_the_other_chunks(
    project, speaker, bad, engine, monkeypatch
):
    """A speaker declared by another file of the batch, validated in another SHACL call."""
    if engine == "turbo":
        pytest.importorskip("pyshacl_turbo")
    root, store = project
    (root / "sources" / "declares.yaml").write_text(DECLARES)
    (root / "sources" / "bad.yaml").write_text(
        HEAD + "claims:\n" + STATEMENT.format(speaker=speaker)
    )
    files = [root / "sources" / "declares.yaml", root / "sources" / "bad.yaml"]

    def errors() -> list[str]:
        try:
            add_sources(files, root=root, store=store, check_only=True, shacl=engine)
        except SourceErrors as exc:
            return sorted(str(e) for e in exc.errors)
        return []

    monkeypatch.setattr(check, "CHUNK", 1)
    chunked = errors()
    monkeypatch.setattr(check, "CHUNK", 1000)
    assert chunked == errors()
    assert bool(chunked) == bad, chunked
