"""``kg add``: three fictional sources covering every claim type, written per source, then
re-added (nothing changes) and replaced (only that source changes)."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF
from sources_common import FIXTURES, SOURCES, kg, new_project, snapshot

from kg.parsing import parse_file

KG = "https://w3id.org/kg-ir/ontology#"
KGR = "https://w3id.org/kg-ir/resource/"
OA = "http://www.w3.org/ns/oa#"
DCT_SOURCE = URIRef("http://purl.org/dc/terms/source")


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = new_project(tmp_path_factory.mktemp("sources"), *SOURCES)
    result = kg("add", *(f"sources/{n}.yaml" for n in SOURCES), cwd=root)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count(": wrote data/sources/") == 3, result.stdout
    return root


@pytest.fixture(scope="module")
def graph(project) -> Graph:
    g = Graph()
    for path in sorted((project / "data" / "sources").glob("*.ttl")):
        parse_file(path, g)
    return g


def instances(g: Graph, cls: str) -> set:
    return set(g.subjects(RDF.type, URIRef(KG + cls)))


def test_one_turtle_file_per_source(project):
    written = sorted(p.name for p in (project / "data" / "sources").iterdir())
    assert written == [
        "harbour-review-2031-04-12.ttl",
        "mereland-mfa-2031-04-10.ttl",
        "tribune-2031-04-03.ttl",
    ]


@pytest.mark.parametrize(
    "cls",
    [
        "Statement",
        "Opinion",
        "ReportedFact",
        "Event",
        "Agreement",
        "Membership",
        "Obligation",
        "RequiredAction",
        "Quantity",
        "Wording",
        "Participation",
        "Signature",
    ],
)
def test_every_claim_type_is_added(graph, cls):
    assert instances(graph, cls), f"no kg:{cls}"


def test_demands_conditions_and_quantities_are_structured(graph):
    demand = URIRef(KGR + "Statement_MerelandMFA_Withdraw")
    (action,) = graph.objects(demand, URIRef(KG + "demands"))
    assert graph.value(action, URIRef(KG + "requiredOf")) == URIRef(KGR + "Valdoria")
    assert graph.value(action, URIRef(KG + "actionKind")).endswith("/withdraw")
    condition = URIRef(KGR + "Statement_MerelandMFA_Condition")
    outcome = graph.value(condition, URIRef(KG + "conditionalOutcome"))
    assert graph.value(outcome, URIRef(KG + "eventStatus")).endswith("/conditional")
    (required,) = graph.objects(condition, URIRef(KG + "condition"))
    (quantity,) = graph.objects(required, URIRef(KG + "quantity"))
    assert graph.value(quantity, URIRef(KG + "numericValue")).toPython() == 30
    assert graph.value(quantity, URIRef(KG + "quantityQualifier")).endswith("/upperBound")


def test_dates_keep_their_precision(graph):
    talks = URIRef(KGR + "LakeOrunTalks")
    assert graph.value(talks, URIRef(KG + "startDate")).datatype.endswith("gYearMonth")
    accord = URIRef(KGR + "LakeOrunWaterAccord")
    signed = graph.value(accord, URIRef(KG + "dateSigned"))
    assert (str(signed), signed.datatype.rsplit("#")[-1]) == ("2031-04-02", "date")
    membership = URIRef(KGR + "Membership_Mereland_OstrianUnion")
    assert graph.value(membership, URIRef(KG + "startDate")).datatype.endswith("gYear")


def test_every_node_names_the_document_it_came_from(graph):
    sources = {
        "tribune-2031-04-03": "LakeOrunWaterAccord",
        "mereland-mfa-2031-04-10": "Obligation_OrunDamOpen",
        "harbour-review-2031-04-12": "Statement_ValdoriaInterior_Denial",
    }
    for source, node in sources.items():
        assert graph.value(URIRef(KGR + node), DCT_SOURCE) == URIRef(KGR + source)
    for node in instances(graph, "Statement") | instances(graph, "Event"):
        assert graph.value(node, DCT_SOURCE) is not None, node


def test_quotes_are_anchored_with_web_annotation_selectors(graph):
    texts = {KGR + "tribune-2031-04-03": (FIXTURES / "tribune.txt").read_text()}
    texts[KGR + "mereland-mfa-2031-04-10"] = (FIXTURES / "mereland-mfa.txt").read_text()
    texts[KGR + "harbour-review-2031-04-12"] = (FIXTURES / "harbour-oped.txt").read_text()
    quotes = set(graph.subject_objects(URIRef(KG + "quote")))
    annotations = list(graph.subjects(RDF.type, URIRef(OA + "Annotation")))
    assert len(annotations) == len(quotes) > 30
    for annotation in annotations:
        body = graph.value(annotation, URIRef(OA + "hasBody"))
        target = graph.value(annotation, URIRef(OA + "hasTarget"))
        text = texts[str(graph.value(target, URIRef(OA + "hasSource")))]
        selectors = {
            str(graph.value(s, RDF.type)).rsplit("#")[-1]: s
            for s in graph.objects(target, URIRef(OA + "hasSelector"))
        }
        exact = str(graph.value(selectors["TextQuoteSelector"], URIRef(OA + "exact")))
        start = graph.value(selectors["TextPositionSelector"], URIRef(OA + "start")).toPython()
        end = graph.value(selectors["TextPositionSelector"], URIRef(OA + "end")).toPython()
        assert text[start:end] == exact
        prefix = str(graph.value(selectors["TextQuoteSelector"], URIRef(OA + "prefix")))
        assert text[:start].endswith(prefix)
        assert (body, Literal(exact)) in quotes


def test_the_project_loads_and_validates_with_the_sources(project):
    result = kg("stats", cwd=project)
    assert result.returncode == 0, result.stderr
    assert "statements" in result.stdout
    stats = dict(line.split()[:2] for line in result.stdout.splitlines()[:12] if line.strip())
    assert int(stats["statements"]) == 5
    assert int(stats["sources"]) == 3


def test_adding_the_same_files_again_changes_nothing(project):
    before = snapshot(project / "data")
    result = kg("add", *(f"sources/{n}.yaml" for n in SOURCES), cwd=project)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count(": unchanged (") == 3, result.stdout
    assert snapshot(project / "data") == before


def test_a_changed_source_replaces_its_triples_and_nothing_else(tmp_path):
    root = new_project(tmp_path, *SOURCES)
    assert kg("add", *(f"sources/{n}.yaml" for n in SOURCES), cwd=root).returncode == 0
    before = snapshot(root / "data")
    path = root / "sources" / "tribune.yaml"
    text = path.read_text()
    text = text.replace(
        "label: Lake Orun\n", "label: Lake Orun basin\n    other_names: [Lake Orun]\n"
    )
    path.write_text(text.replace("    place_signed: Port Elsa\n", ""))
    result = kg("add", "sources/tribune.yaml", cwd=root)
    assert result.returncode == 0, result.stderr
    assert "replaced data/sources/tribune-2031-04-03.ttl" in result.stdout
    after = snapshot(root / "data")
    changed = sorted(k for k in after if after[k] != before.get(k))
    assert changed == ["sources/tribune-2031-04-03.ttl"]
    g = parse_file(root / "data" / "sources" / "tribune-2031-04-03.ttl", Graph())
    lake = URIRef(KGR + "LakeOrun")
    labels = g.objects(lake, URIRef("http://www.w3.org/2000/01/rdf-schema#label"))
    assert {str(o) for o in labels} == {"Lake Orun basin"}
    accord = URIRef(KGR + "LakeOrunWaterAccord")
    assert g.value(accord, URIRef(KG + "placeSigned")) is None
    assert g.value(accord, URIRef(KG + "dateSigned")) is not None
