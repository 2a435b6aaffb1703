"""external_links.rq finds each entity's most specific class with at most two rdfs:subClassOf
steps (Virtuoso 7.2 evaluates the transitive form wrongly there); this keeps that true."""

from __future__ import annotations

import re
from pathlib import Path

import rdflib
from rdflib.namespace import RDFS

ROOT = Path(__file__).resolve().parent.parent
KG = "https://w3id.org/kg-ir/ontology#"


def listed_classes() -> set[rdflib.URIRef]:
    text = (ROOT / "ontology/queries/external_links.rq").read_text()
    block = re.search(r"VALUES \?class \{([^}]*)\}", text).group(1)
    return {rdflib.URIRef(KG + name) for name in re.findall(r"kg:(\w+)", block)}


def test_listed_classes_are_at_most_two_subclass_steps_apart():
    ontology = rdflib.Graph().parse(ROOT / "ontology/kg.ttl")
    classes = listed_classes()
    assert rdflib.URIRef(KG + "MilitaryAlliance") in classes
    for narrower in classes:
        one = set(ontology.objects(narrower, RDFS.subClassOf))
        two = {c for b in one for c in ontology.objects(b, RDFS.subClassOf)}
        every = set(ontology.transitive_objects(narrower, RDFS.subClassOf)) - {narrower}
        assert (every & classes) <= (one | two), narrower
