"""Ontology 0.2.0 as a release: its version, a changelog naming every term, PLOVER beside CAMEO,
and a catalog that lets OWL tools open the ontology and its imports offline."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
import rdflib
from rdflib import OWL, RDF, RDFS

from kg.namespaces import KG, SKOS
from kg.project import open_project as project_paths

PATHS = project_paths()
ONTOLOGY_DIR = PATHS.ontology.parent
ONTOLOGY_IRI = rdflib.URIRef("https://w3id.org/kg-ir/ontology")
KIND = rdflib.Namespace("https://w3id.org/kg-ir/kind/")
CAMEO = rdflib.Namespace("https://w3id.org/kg-ir/cameo/")
PLOVER = rdflib.Namespace("https://w3id.org/kg-ir/plover/")
CATALOG_NS = "{urn:oasis:names:tc:entity:xmlns:xml:catalog}"


@pytest.fixture(scope="module")
def ontology() -> rdflib.Graph:
    return rdflib.Graph().parse(PATHS.ontology)


@pytest.fixture(scope="module")
def vocabularies() -> rdflib.Graph:
    return rdflib.Graph().parse(PATHS.vocabularies)


def test_the_ontology_is_version_0_2_0(ontology):
    assert str(ontology.value(ONTOLOGY_IRI, OWL.versionInfo)) == "0.2.0"
    assert ontology.value(ONTOLOGY_IRI, OWL.versionIRI) == rdflib.URIRef(
        str(ONTOLOGY_IRI) + "/0.2.0"
    )
    assert ontology.value(ONTOLOGY_IRI, OWL.priorVersion) == rdflib.URIRef(
        str(ONTOLOGY_IRI) + "/0.1.0"
    )


def test_the_changelog_names_every_term_and_concept(ontology, vocabularies):
    changelog = (ONTOLOGY_DIR / "CHANGELOG.md").read_text(encoding="utf-8")
    section = changelog.split("## 0.2.0", 1)[1].split("## 0.1.0", 1)[0]
    assert "### Rules" in section and "### Renamed" in section and "### Removed" in section
    old_terms = {
        "Actor", "Polity", "State", "UnrecognizedState", "InternationalOrganization",
        "MilitaryAlliance", "GovernmentBody", "ArmedForce", "PeacekeepingMission", "Person",
        "PopulationGroup", "Post", "Place", "Region", "Settlement", "Corridor", "SourceDocument",
        "Membership", "Agreement", "Signature", "Obligation", "Event", "Participation", "Claim",
        "Statement", "Opinion", "ReportedFact",
    }  # fmt: skip
    added = [
        t.split("#")[1]
        for k in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
        for t in ontology.subjects(RDF.type, k)
        if str(t).startswith(str(KG)) and t.split("#")[1] not in old_terms
    ]
    # every term new in 0.2.0 (0.1.0 had no kg:when, kg:Quantity ...) is named in the changelog
    new = {"when", "Quantity", "RequiredAction", "Wording", "CurationActivity", "allegedBy",
           "eventStatus", "purpose", "formerMemberOf", "reason", "derivedFromQuote", "accordingTo",
           "declaresTask"}  # fmt: skip
    assert new <= set(added)
    for term in new:
        assert f"`kg:{term}`" in section, term
    concepts = {
        str(c)[len(str(KIND)) :]
        for c in vocabularies.subjects(RDF.type, SKOS.Concept)
        if str(c).startswith(str(KIND))
    }
    for concept in (
        "exact",
        "fromContext",
        "notBefore",
        "lowerBound",
        "alleged",
        "intended",
        "withdraw",
        "nameOfSubject",
        "mediator",
    ):
        assert concept in concepts and f"`kind:{concept}`" in section, concept
    for rule in ("Metonymy", "Embedded claims", "Dates", "Curator", "Alleged", "Memberships"):
        assert re.search(rule, section, re.IGNORECASE), rule


def test_deprecated_terms_name_their_replacement(ontology, vocabularies):
    g = ontology + vocabularies
    deprecated = set(g.subjects(OWL.deprecated, rdflib.Literal(True)))
    assert {
        KG.attestedBy,
        KG.personnel,
        KG.size,
        KIND.mediatorRole,
        KIND.signatoryRole,
    } <= deprecated
    for term in deprecated:
        assert g.value(term, rdflib.DCTERMS.isReplacedBy) is not None, term


def test_kinds_map_to_plover_beside_cameo(vocabularies):
    g = vocabularies
    assert (KIND.ceasefire, SKOS.exactMatch, CAMEO["0871"]) in g
    assert (KIND.ceasefire, SKOS.exactMatch, PLOVER.RETREAT_ceasefire) in g
    assert (KIND.offensive, SKOS.broadMatch, PLOVER.ASSAULT) in g
    assert (KIND.blockade, SKOS.closeMatch, PLOVER.COERCE_restrict) in g
    assert (KIND.accusation, SKOS.closeMatch, PLOVER.ACCUSE_disapprove) in g
    assert (KIND.demand, SKOS.closeMatch, PLOVER.REQUEST) in g
    mapped = {
        s
        for p in (SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch)
        for s, o in g.subject_objects(p)
        if str(o).startswith(str(PLOVER))
    }
    event_kinds = set(g.subjects(SKOS.inScheme, KIND.eventKinds))
    unmapped = {str(k).rsplit("/", 1)[1] for k in event_kinds - mapped}
    assert unmapped == {"dissolution", "policyChange"}  # PLOVER has no category for them
    for concept in {o for _, p, o in g if str(o).startswith(str(PLOVER))} - {PLOVER.scheme}:
        assert (concept, SKOS.inScheme, PLOVER.scheme) in g, concept
        assert g.value(concept, SKOS.notation) is not None, concept


def test_plover_labels_agree_with_the_cameo_vocabulary(vocabularies):
    cameo_file = ONTOLOGY_DIR / "cameo.ttl"
    if not cameo_file.exists():
        pytest.skip("ontology/cameo.ttl is not in this checkout")
    both = vocabularies + rdflib.Graph().parse(cameo_file)
    for concept in set(both.subjects(SKOS.inScheme, PLOVER.scheme)) | {PLOVER.scheme}:
        labels = list(both.objects(concept, SKOS.prefLabel))
        assert len(labels) == 1, (concept, labels)


def test_the_catalog_maps_every_import_to_a_file_declaring_it():
    tree = ET.parse(ONTOLOGY_DIR / "catalog-v001.xml")
    mapped = {u.get("name"): ONTOLOGY_DIR / u.get("uri") for u in tree.iter(CATALOG_NS + "uri")}
    assert mapped[str(ONTOLOGY_IRI)] == PATHS.ontology
    imports = set()
    for path in ONTOLOGY_DIR.glob("*.ttl"):
        g = rdflib.Graph().parse(path)
        imports |= {str(o) for o in g.objects(None, OWL.imports)}
    assert imports and imports <= set(mapped)
    for iri, path in mapped.items():
        assert path.is_file(), path
        g = rdflib.Graph().parse(path)
        declared = {str(s) for s in g.subjects(RDF.type, OWL.Ontology)}
        declared |= {str(v) for v in g.objects(None, OWL.versionIRI)}
        assert iri in declared, (iri, path)


def test_imports_resolve_offline_through_the_catalog():
    """What Protégé does with the catalog: open cameo.ttl, follow owl:imports to files only."""
    tree = ET.parse(ONTOLOGY_DIR / "catalog-v001.xml")
    mapped = {u.get("name"): ONTOLOGY_DIR / u.get("uri") for u in tree.iter(CATALOG_NS + "uri")}
    start = ONTOLOGY_DIR / (
        "cameo.ttl" if (ONTOLOGY_DIR / "cameo.ttl").exists() else "vocabularies.ttl"
    )
    todo, loaded, closure = [start], set(), rdflib.Graph()
    while todo:
        path = todo.pop()
        if path in loaded:
            continue
        loaded.add(path)
        g = rdflib.Graph().parse(path)
        closure += g
        todo += [mapped[str(o)] for o in g.objects(None, OWL.imports)]
    assert PATHS.ontology in loaded and PATHS.vocabularies in loaded
    assert (KG.Claim, RDFS.subClassOf, rdflib.URIRef("http://schema.org/Claim")) in closure
