"""ontology/cameo.ttl: the CAMEO code list as SKOS, mapped to the project's kinds and PLOVER."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import SKOS

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
