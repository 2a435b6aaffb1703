"""The format's JSON-LD context: a source file written as JSON is RDF for other tools."""

from __future__ import annotations

import json

from rdflib import Graph, Literal, URIRef
from sources_common import ROOT, kg

KG = "https://w3id.org/kg-ir/ontology#"
KGR = "https://w3id.org/kg-ir/resource/"


def test_the_context_reads_fields_as_the_ontologys_properties(tmp_path):
    out = tmp_path / "context.jsonld"
    result = kg("export-source", "--context", "-o", str(out), cwd=ROOT)
    assert result.returncode == 0, result.stderr
    context = json.loads(out.read_text())["@context"]
    doc = {
        "@context": context,
        "@graph": [
            {"id": "Valdoria", "type": "State", "label": "Valdoria", "other_names": ["VR"]},
            {
                "id": "S1",
                "type": "Statement",
                "speaker": "AnaReyes",
                "statement_kind": "kind:assessment",
                "date": {"@value": "2031-04-03", "@type": "xsd:date"},
                "quote": "This accord shows",
            },
        ],
    }
    g = Graph().parse(data=json.dumps(doc), format="json-ld")
    s1 = URIRef(KGR + "S1")
    assert g.value(s1, URIRef(KG + "speaker")) == URIRef(KGR + "AnaReyes")
    assert g.value(s1, URIRef(KG + "statementKind")) == URIRef(
        "https://w3id.org/kg-ir/kind/assessment"
    )
    assert g.value(s1, URIRef(KG + "quote")) == Literal("This accord shows")
    label = g.value(URIRef(KGR + "Valdoria"), URIRef("http://www.w3.org/2000/01/rdf-schema#label"))
    assert label == Literal("Valdoria", lang="en")
