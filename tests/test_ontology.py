"""The ontology: OWL 2 DL header and documentation, consistency under HermiT, and alignment
to the standard vocabularies."""

from __future__ import annotations

import shutil

import pytest
import rdflib
from rdflib import OWL, RDF, RDFS

from kg.namespaces import KG, KGR, ORG, PROV, SCHEMA, SKOS
from kg.project import open_project as project_paths

PATHS = project_paths()
ONTOLOGY_IRI = rdflib.URIRef("https://w3id.org/kg-ir/ontology")


@pytest.fixture(scope="module")
def ontology() -> rdflib.Graph:
    g = rdflib.Graph()
    g.parse(PATHS.ontology)
    g.parse(PATHS.vocabularies)
    return g


def test_header_names_iri_version_label_comment_and_license(ontology):
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in ontology
    for prop in (OWL.versionIRI, RDFS.label, RDFS.comment, rdflib.DCTERMS.license):
        assert ontology.value(ONTOLOGY_IRI, prop) is not None, prop


def own_terms(ontology):
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
    return {s for k in kinds for s in ontology.subjects(RDF.type, k) if str(s).startswith(str(KG))}


def test_every_term_has_an_english_label_and_a_comment(ontology):
    terms = own_terms(ontology)
    assert len(terms) > 60
    unlabelled = [
        t
        for t in terms
        if not any(getattr(v, "language", None) == "en" for v in ontology.objects(t, RDFS.label))
    ]
    uncommented = [t for t in terms if ontology.value(t, RDFS.comment) is None]
    assert unlabelled == [] and uncommented == []


def test_object_properties_have_a_domain_or_range(ontology):
    props = [
        p for p in ontology.subjects(RDF.type, OWL.ObjectProperty) if str(p).startswith(str(KG))
    ]
    loose = [
        p
        for p in props
        if ontology.value(p, RDFS.domain) is None
        and ontology.value(p, RDFS.range) is None
        and ontology.value(p, OWL.inverseOf) is None
        and not any(ontology.subjects(OWL.inverseOf, p))
    ]
    # kg:resultOf links events and agreements alike: left open on purpose
    assert loose == [KG.resultOf]


def test_member_of_and_has_member_are_inverses(ontology):
    assert (KG.hasMember, OWL.inverseOf, KG.memberOf) in ontology


def test_required_classes_exist_and_align_to_standards(ontology):
    expected = {
        KG.State: None,
        KG.UnrecognizedState: None,
        KG.InternationalOrganization: ORG.FormalOrganization,
        KG.MilitaryAlliance: KG.InternationalOrganization,
        KG.Membership: ORG.Membership,
        KG.Agreement: PROV.Entity,
        KG.Obligation: PROV.Entity,
        KG.Event: rdflib.URIRef("http://semanticweb.cs.vu.nl/2009/11/sem/Event"),
        KG.Statement: SCHEMA.Quotation,
        KG.Opinion: KG.Claim,
        KG.Person: SCHEMA.Person,
        KG.Post: ORG.Post,
        KG.GovernmentBody: SCHEMA.GovernmentOrganization,
        KG.PeacekeepingMission: KG.ArmedForce,
        KG.Place: SCHEMA.Place,
        KG.SourceDocument: PROV.Entity,
    }
    for cls, parent in expected.items():
        assert (cls, RDF.type, OWL.Class) in ontology, cls
        if parent is not None:
            assert (cls, RDFS.subClassOf, parent) in ontology, (cls, parent)


def test_statement_and_event_kinds_map_to_cameo(ontology):
    cameo = rdflib.Namespace("https://w3id.org/kg-ir/cameo/")
    kind = rdflib.Namespace("https://w3id.org/kg-ir/kind/")
    assert (kind.accusationOfAggression, SKOS.exactMatch, cameo["1123"]) in ontology
    assert (kind.blockade, SKOS.exactMatch, cameo["191"]) in ontology
    assert (kind.ceasefire, SKOS.exactMatch, cameo["0871"]) in ontology
    assert ontology.value(cameo["1123"], SKOS.notation) == rdflib.Literal("1123")


# --- HermiT -------------------------------------------------------------------------------


def _reason(graph: rdflib.Graph, tmp_path):
    """Run HermiT (owlready2) on the graph; return the list of unsatisfiable classes."""
    from owlready2 import World, sync_reasoner

    g = rdflib.Graph()
    for t in graph:
        if t[1] != OWL.imports:  # nothing is fetched from the network
            g.add(t)
    path = tmp_path / "all.nt"
    g.serialize(path, format="nt", encoding="utf-8")
    world = World()
    onto = world.get_ontology(path.as_uri()).load()
    with onto:
        # xsd:date and xsd:gYear(Month) are declared datatypes outside the OWL 2 map
        sync_reasoner(
            world, infer_property_values=False, debug=0, ignore_unsupported_datatypes=True
        )
    return list(world.inconsistent_classes())


needs_java = pytest.mark.skipif(shutil.which("java") is None, reason="HermiT needs Java")


@pytest.fixture(scope="module")
def ontology_and_data(ontology) -> rdflib.Graph:
    g = rdflib.Graph()
    g += ontology
    g.parse(PATHS.data)
    return g


@needs_java
def test_hermit_finds_ontology_and_data_consistent(ontology_and_data, tmp_path):
    assert _reason(ontology_and_data, tmp_path) == []


@needs_java
def test_hermit_rejects_a_state_that_is_also_unrecognized(ontology_and_data, tmp_path):
    from owlready2 import OwlReadyInconsistentOntologyError

    broken = rdflib.Graph()
    broken += ontology_and_data
    broken.add((KGR.Armenia, RDF.type, KG.UnrecognizedState))
    with pytest.raises(OwlReadyInconsistentOntologyError):
        _reason(broken, tmp_path)


# --- alignment: a client who knows only the standards ------------------------------------


@pytest.fixture(scope="module")
def inferred():
    import kg

    return kg.load(infer=True)


def test_org_client_finds_memberships_after_inference(inferred):
    rows = inferred.query(
        """PREFIX org: <http://www.w3.org/ns/org#>
        SELECT ?member WHERE { ?m a org:Membership ; org:member ?member ;
                                  org:organization ?o . ?o org:hasMember ?member }"""
    )
    members = {str(r[0]).rsplit("/", 1)[-1] for r in rows.rows}
    assert {"Armenia", "Russia", "Belarus"} <= members


def test_prov_and_schema_clients_find_attributed_quotes_after_inference(inferred):
    rows = inferred.query(
        """PREFIX prov: <http://www.w3.org/ns/prov#>
        PREFIX schema: <http://schema.org/>
        SELECT DISTINCT ?s WHERE {
            ?s a schema:Quotation ; prov:wasAttributedTo ?who ; schema:about ?what }""",
        who=KGR.MariaZakharova,
    )
    assert len(rows.rows) == 2
