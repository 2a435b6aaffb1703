"""kg import atop: alliances, COW-coded members on the right states, obligations and conditions."""

from __future__ import annotations

import pytest
from import_common import DATASETS, KGR, one_line_error, values
from import_common import kg as run_kg

import kg
from kg.importers import import_atop
from kg.importers.rows import BadRowsError

ATOP = DATASETS / "atop"


@pytest.fixture(scope="module")
def graph():
    g = kg.load()
    import_atop(
        [ATOP / "atop-alliance-level-test.csv", ATOP / "atop-member-level-test.csv"], graph=g
    )
    return g


def test_cow_codes_land_on_the_graphs_states(graph):
    rows = values(
        graph,
        """SELECT ?member ?start ?end ?status WHERE {
        ?m kg:organization kgr:atop_9901_alliance ; kg:member ?member ; kg:startDate ?start ;
           kg:membershipStatus ?status OPTIONAL { ?m kg:endDate ?end } }""",
    )
    active = KGR.replace("resource", "kind") + "active"
    assert rows == [
        (KGR + "Armenia", "1992-05-15", None, active),  # COW 371
        (KGR + "Kazakhstan", "1992-05-15", None, active),  # COW 705
        (KGR + "Russia", "1992-05-15", None, active),  # COW 365
        (KGR + "Tajikistan", "1992-05-15", None, active),  # COW 702
    ]
    parties = values(graph, "SELECT ?p WHERE { kgr:atop_9902 kg:party ?p }")
    assert parties == [(KGR + "Azerbaijan",), (KGR + "Georgia",)]  # Georgia by name: no Q-id listed


def test_dates_keep_the_precision_atop_gives(graph):
    rows = values(
        graph,
        """SELECT ?start ?end (DATATYPE(?start) AS ?ts) (DATATYPE(?end) AS ?te) WHERE {
        kgr:atop_9902_member_373 kg:startDate ?start ; kg:endDate ?end }""",
    )
    xsd = "http://www.w3.org/2001/XMLSchema#"
    assert rows == [("1997", "2005-06", xsd + "gYear", xsd + "gYearMonth")]
    assert values(graph, "SELECT ?d WHERE { kgr:atop_9901 kg:dateSigned ?d }") == [("1992-05-15",)]


def test_obligations_with_their_types_and_conditions(graph):
    rows = values(
        graph,
        """SELECT ?type ?cond WHERE {
        ?o kg:obligedParty kgr:Armenia ; kg:underAgreement kgr:atop_9901 ; kg:obligationType ?type
        OPTIONAL { ?o kg:obligationCondition ?cond } }""",
    )
    kind = KGR.replace("resource", "kind")
    assert rows == [
        (kind + "consultationObligation", None),
        (kind + "defenceObligation", "conditional (ATOP codes conditions)"),
        (kind + "defenceObligation", "only in a named location"),
    ]
    nonagg = values(
        graph,
        "SELECT ?who WHERE { ?o kg:obligedParty ?who ; "
        "kg:obligationType <https://w3id.org/kg-ir/kind/nonAggressionObligation> }",
    )
    assert nonagg == [(KGR + "Azerbaijan",), (KGR + "Georgia",)]


def test_bad_rows_are_named_and_nothing_is_written(tmp_path):
    with pytest.raises(BadRowsError) as caught:
        import_atop([ATOP / "atop-bad.csv"], output=tmp_path / "x.nt")
    message = str(caught.value)
    assert "atop-bad.csv:2:member: unknown COW country code '9999'" in message
    assert "atop-bad.csv:3:yrent: not a year: '20x1'" in message
    assert "atop-bad.csv:4:defense: not 0 or 1: '7'" in message
    assert not list(tmp_path.iterdir())
    one_line_error(
        run_kg("import", "atop", str(ATOP / "atop-bad.csv"), "-o", str(tmp_path / "x.nt")),
        "atop-bad.csv:2:member",
    )
