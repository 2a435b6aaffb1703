"""ontology/cameo.ttl: the CAMEO code list as SKOS, mapped to the project's kinds and PLOVER."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, SKOS

from kg.importers.cameo import event_codes

ONTOLOGY = Path(__file__).resolve().parents[1] / "ontology"
CAMEO = "https://w3id.org/kg-ir/cameo/"
PLOVER = "https://w3id.org/kg-ir/plover/"


def _graph() -> Graph:
    return Graph().parse(ONTOLOGY / "cameo.ttl").parse(ONTOLOGY / "vocabularies.ttl")


def test_every_cameo_code_with_its_notation_label_and_broader_code():
    codes = event_codes()
    assert len(codes) == 280
    roots = [c for c in codes if len(c) == 2]
    assert roots == sorted(roots) and len(roots) == 20
    g = _graph()
    for code in ("0871", "193", "1123", "20", "010"):
        node = URIRef(CAMEO + code)
        assert str(g.value(node, SKOS.notation)) == code
    assert g.value(URIRef(CAMEO + "1123"), SKOS.broader) == URIRef(CAMEO + "112")
    assert g.value(URIRef(CAMEO + "193"), SKOS.broader) == URIRef(CAMEO + "190")


def test_one_preferred_label_per_code_even_beside_vocabularies_ttl():
    g = _graph()
    counts = Counter((s, o.language) for s, o in g.subject_objects(SKOS.prefLabel))
    assert [k for k, n in counts.items() if n > 1] == []


def test_mapped_to_the_projects_kinds_and_to_plover():
    codes = event_codes()
    assert codes["190"].kinds == ("https://w3id.org/kg-ir/kind/offensive",)
    assert codes["196"].kinds == ("https://w3id.org/kg-ir/kind/offensive",)
    assert codes["0871"].kinds == ("https://w3id.org/kg-ir/kind/ceasefire",)
    assert codes["042"].kinds == ("https://w3id.org/kg-ir/kind/meeting",)
    g = _graph()
    plover = {
        code: {
            str(o)[len(PLOVER) :]
            for o in g.objects(URIRef(CAMEO + code), SKOS.broadMatch)
            if str(o).startswith(PLOVER)
        }
        for code in codes
    }
    assert (
        plover["0871"] == {"RETREAT"}
        and plover["1123"] == {"ACCUSE"}
        and plover["191"] == {"COERCE"}
    )
    # only the public statements (01) have no PLOVER category
    assert sorted(c for c, p in plover.items() if not p) == sorted(
        c for c in codes if c.startswith("01")
    )


@pytest.mark.skipif(shutil.which("java") is None, reason="HermiT needs Java")
def test_hermit_finds_the_imports_consistent_with_the_ontology_and_the_article(tmp_path):
    """Every importer's output, with the ontology, vocabularies, cameo.ttl and the article."""
    from owlready2 import World, sync_reasoner

    import kg
    from kg.importers import import_acled, import_atop, import_gdelt, import_wikidata
    from kg.project import open_project as project_paths

    data = Path(__file__).resolve().parent / "fixtures" / "datasets"
    graph = kg.load()
    outputs = {
        "gdelt": import_gdelt([data / "gdelt" / "20230919.export.CSV"], output=tmp_path / "g.nt"),
        "acled": import_acled([data / "acled" / "acled-test-export.csv"], output=tmp_path / "a.nt"),
        "atop": import_atop(
            sorted((data / "atop").glob("*-level-test.csv")), output=tmp_path / "t.nt"
        ),
        "wikidata": import_wikidata(
            [data / "wikidata" / "entities.json"], output=tmp_path / "w.nt"
        ),
    }
    del graph
    g = Graph()
    paths = project_paths()
    for path in [*paths.schema_files, paths.data, *(Path(r.output) for r in outputs.values())]:
        g.parse(path)
    for t in list(g.triples((None, OWL.imports, None))):
        g.remove(t)  # nothing is fetched from the network
    everything = tmp_path / "all.nt"
    g.serialize(everything, format="nt", encoding="utf-8")
    world = World()
    onto = world.get_ontology(everything.as_uri()).load()
    with onto:
        sync_reasoner(
            world, infer_property_values=False, debug=0, ignore_unsupported_datatypes=True
        )
    assert list(world.inconsistent_classes()) == []
