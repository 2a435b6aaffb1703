"""Views: the node/edge contract, evidence and as_of, on the article's graph and a fixture."""

from __future__ import annotations

import networkx as nx
import pytest
from rdflib import Graph
from views_common import ARTICLE, KG, KGR, article_graph, article_view

from kg.errors import BadOptionError
from kg.parsing import parse_files, parse_text
from kg.project import open_project as project_paths
from kg.views import VIEWS, agreement_view, alliance_view, event_view, statement_view
from kg.views._fixture import fixture
from kg.views._nodes import ALL_GROUPS
from kg.views.alleged import is_fact


@pytest.fixture(scope="module")
def graph():
    return article_graph()


@pytest.fixture(scope="module")
def views(graph):
    return {name: article_view(name) for name in VIEWS}


def schema_plus(ttl: str) -> Graph:
    g = parse_files(project_paths().schema_files, into=Graph())
    for triple in parse_text(ttl):
        g.add(triple)
    return g


PREFIXES = """@prefix kg: <https://w3id.org/kg-ir/ontology#> .
@prefix kgr: <https://w3id.org/kg-ir/resource/> .
@prefix kind: <https://w3id.org/kg-ir/kind/> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> . @prefix dct: <http://purl.org/dc/terms/> .
"""


@pytest.mark.parametrize("name", sorted(VIEWS))
def test_every_view_keeps_the_contract(views, name):
    G = views[name]
    assert G.is_multigraph() and G.is_directed()
    assert G.graph == {"name": name, "as_of": None}
    assert len(G) > 5 and G.number_of_edges() > 5
    for n, d in G.nodes(data=True):
        assert d["iri"] == n and isinstance(d["label"], str) and d["label"]
        assert d["group"] in ALL_GROUPS
        assert d["cls"] == "" or d["cls"][0].isupper()
        for attr in ("start", "end", "date"):
            if attr in d:
                assert d[attr][:4].isdigit(), (n, attr, d[attr])
    for _, _, key, d in G.edges(keys=True, data=True):
        assert d["relation"].startswith(KG)
        assert key.split("~")[0] == d["relation"][len(KG) :]
        assert d["label"] and " " in d["label"] or d["label"].isalpha()
        assert d["source"] is None or d["source"].startswith("http")
        assert d["quote"] is None or isinstance(d["quote"], str)


@pytest.mark.parametrize("name", sorted(VIEWS))
def test_every_quote_from_the_article_is_verbatim(views, name):
    """Evidence resolution (n-ary node, axiom annotation, subject) never pairs the article
    with a quote that is not in it."""
    G = views[name]
    quoted = 0
    for _, _, d in G.edges(data=True):
        if d["quote"] is not None and d["source"] == KGR + "article":
            assert d["quote"] in ARTICLE, d
            quoted += 1
    assert quoted >= 3


def test_labels_and_classes_are_the_most_specific(views):
    G = views["full"]
    assert G.nodes[KGR + "CSTO"]["cls"] == "MilitaryAlliance"
    assert G.nodes[KGR + "CSTO"]["group"] == "organization"
    assert G.nodes[KGR + "CSTO"]["wikidata"] == "Q318693"
    assert G.nodes[KGR + "RussianPeacekeepers"]["group"] == "force"
    assert G.nodes[KGR + "NagornoKarabakhRepublic"]["cls"] == "UnrecognizedState"
    assert G.nodes[KGR + "Opinion_CSTONoReason"]["group"] == "opinion"
    assert G.nodes[KGR + "Offensive2023"]["kind"] == "military offensive"


def test_membership_edges_carry_their_membership_node_dates_and_status(views):
    e = views["alliance"].edges[KGR + "Armenia", KGR + "CSTO", "memberOf"]
    assert e["via"] == KGR + "Membership_Armenia_CSTO"
    assert (e["start"], e["status"], e["status_date"]) == ("2003-09-18", "frozen", "2024-02-22")
    assert e["label"] == "member of" and e["source"] == KGR + "article"


def test_an_axiom_annotation_is_the_evidence_of_its_triple(views):
    G = views["agreement"]
    # a background triple: its own source, and no quote (not the agreement's quote)
    party = G.edges[KGR + "TrilateralStatement2020", KGR + "Russia", "party"]
    assert (party["source"], party["quote"]) == (KGR + "src_primeminister_2020", None)
    # an annotation with its own quote: the part of the sentence that states the triple
    led = views["alliance"].edges[KGR + "CSTO", KGR + "Russia", "ledBy"]
    assert (led["source"], led["quote"]) == (KGR + "article", "the CSTO, effectively led by Russia")
    # without an annotation, the subject's own evidence
    mediator = G.edges[KGR + "TrilateralStatement2020", KGR + "Russia", "mediator"]
    assert "with Russia as a mediator" in mediator["quote"]


def test_qualified_relations_are_not_doubled_by_their_shortcuts(views):
    G = views["full"]
    keys = list(G.get_edge_data(KGR + "Offensive2023", KGR + "Azerbaijan"))
    assert sorted(keys) == ["initiator", "participant"]
    assert G.edges[KGR + "Offensive2023", KGR + "Azerbaijan", "participant"]["role"] == "attacker"
    # the memberOf shortcuts of data/triples.ttl are covered by Membership nodes
    assert list(G.get_edge_data(KGR + "Russia", KGR + "CSTO")) == ["memberOf"]


def test_two_memberships_of_the_same_pair_are_two_edges():
    g = schema_plus(
        PREFIXES
        + """kgr:U a kg:State ; rdfs:label "U"@en .
kgr:O a kg:MilitaryAlliance ; rdfs:label "O"@en .
kgr:m1 kg:member kgr:U ; kg:organization kgr:O ;
    kg:startDate "1994"^^xsd:gYear ; kg:endDate "1999"^^xsd:gYear .
kgr:m2 kg:member kgr:U ; kg:organization kgr:O ;
    kg:startDate "2006"^^xsd:gYear ; kg:endDate "2012"^^xsd:gYear .
"""
    )
    G = alliance_view(g)
    data = G.get_edge_data(KGR + "U", KGR + "O")
    assert sorted(data) == ["memberOf", "memberOf~2"]
    assert {d["via"] for d in data.values()} == {KGR + "m1", KGR + "m2"}
    assert (
        list(alliance_view(g, as_of="2007-01-01").get_edge_data(KGR + "U", KGR + "O").values())[0][
            "via"
        ]
        == KGR + "m2"
    )
    assert len(alliance_view(g, as_of="2001-01-01")) == 0


def test_as_of_cuts_memberships_events_claims_and_agreements():
    g = fixture()
    before = alliance_view(g, as_of="2005-01-01")
    assert KGR + "Uzbekistan" not in before and KGR + "Kazakhstan" in before
    assert KGR + "Uzbekistan" in alliance_view(g, as_of="2010-06-01")
    assert KGR + "Uzbekistan" not in alliance_view(g, as_of="2012-12-20")
    frozen = alliance_view(g, as_of="2024-03-01").edges[KGR + "Armenia", KGR + "CSTO", "memberOf"]
    assert frozen["status"] == "frozen"

    events = event_view(g, as_of="2023-09-19")
    assert KGR + "Offensive2023" in events and KGR + "Surrender2023" not in events
    assert KGR + "SecondKarabakhWar" in events

    claims = statement_view(g, as_of="2023-09-19")
    assert KGR + "Statement_Baku_announcement" in claims
    assert KGR + "Statement_Zakharova_task" not in claims

    deals = agreement_view(g, as_of="2021-01-01")
    assert KGR + "JointStatement2020" in deals
    assert KGR + "FinalPeaceAgreement" not in deals  # never concluded
    assert KGR + "Obligation_Lachin" in deals
    early = agreement_view(g, as_of="2019-01-01")
    assert KGR + "JointStatement2020" not in early and KGR + "Obligation_Lachin" not in early
    assert early.graph["as_of"] == "2019-01-01"


def test_as_of_on_the_article_graph(graph):
    G = article_view("full", "2023-09-01")
    assert KGR + "Offensive2023" not in G and KGR + "Statement_Baku_Announcement" not in G
    assert KGR + "TrilateralStatement2020" in G and KGR + "FinalPeaceAgreement" not in G
    # former members without dates are over; current ones hold
    assert not G.has_edge(KGR + "Georgia", KGR + "CSTO")
    assert G.edges[KGR + "Armenia", KGR + "CSTO", "memberOf"]["status"] == "active"


def test_bad_as_of_is_a_one_line_error():
    with pytest.raises(BadOptionError, match="bad date '2023-13-01'"):
        alliance_view(fixture(), as_of="2023-13-01")


def test_hostile_labels_are_data_not_query_text():
    g = schema_plus(
        PREFIXES
        + r"""kgr:X a kg:State ; rdfs:label "\" } ; DROP ALL ; # <script>"@en .
kgr:O a kg:MilitaryAlliance ; rdfs:label "O"@en .
kgr:m kg:member kgr:X ; kg:organization kgr:O ; kg:quote "}}\"'" .
"""
    )
    G = alliance_view(g)
    assert G.nodes[KGR + "X"]["label"] == '" } ; DROP ALL ; # <script>'
    assert G.edges[KGR + "X", KGR + "O", "memberOf"]["quote"] == "}}\"'"


#: Events the article does not report as having happened (ontology 0.2.0 kg:eventStatus):
#: alleged by a speaker, intended or conditional; and facts known only from a speaker's claim.
NOT_OCCURRED = {
    "AzerbaijaniAttacksOnArmenia": "alleged",
    "AllegedArmenianProvocations2023": "alleged",
    "AllegedEthnicCleansing2023": "alleged",
    "EndOfBloodshed2020": "intended",
    "CeasefireMonitoring2020": "intended",
    "NegotiationsWithBaku2023": "intended",
    "HaltOfCombatOperations2023": "conditional",
}
ALLEGED_FACTS = {
    "Fact_PeacekeepersUnaware": "Statement_Zakharova_Unaware",
    "Fact_CSTONoAssistance": "Statement_Grigoryan_Attacks",
}


@pytest.mark.parametrize("name", sorted(VIEWS))
def test_no_view_shows_alleged_or_not_occurred_things_by_default(views, name):
    G = views[name]
    assert "alleged" not in G.graph
    shown = [n for n, d in G.nodes(data=True) if not is_fact(d)]
    assert shown == []
    for local in [*NOT_OCCURRED, *ALLEGED_FACTS]:
        assert KGR + local not in G


@pytest.mark.parametrize("name", ["event", "statement", "full"])
def test_alleged_true_keeps_them_marked(graph, name):
    G = VIEWS[name](graph, alleged=True)
    assert G.graph == {"name": name, "as_of": None, "alleged": True}
    events = NOT_OCCURRED if name != "statement" else {}
    facts = ALLEGED_FACTS if name != "event" else {}
    for local, status in events.items():
        d = G.nodes[KGR + local]
        assert d["event_status"] == status and not is_fact(d)
    for local, claim in facts.items():
        assert G.nodes[KGR + local]["alleged"] == KGR + claim
    # an alleged event names its claim (in the statement view it is what a claim is about),
    # and the event views link it to the claim
    attack = G.nodes[KGR + "AzerbaijaniAttacksOnArmenia"]
    assert attack["alleged"] == KGR + "Statement_Grigoryan_Attacks"
    linked = G.has_edge(attack["iri"], KGR + "Statement_Grigoryan_Attacks", "allegedBy")
    assert linked == (name != "statement")
    # nothing else changes: the default view is the alleged one without them
    plain = article_view(name)
    assert set(plain) <= set(G) and {n for n in G if is_fact(G.nodes[n])} >= set(plain)


def test_leaving_them_out_drops_their_edges_and_what_only_they_brought(views, graph):
    full, with_alleged = views["full"], VIEWS["full"](graph, alleged=True)
    # the deployment happened; its purpose, monitoring the ceasefire, is intended
    deployment = KGR + "PeacekeepersDeployment2020"
    assert deployment in full and KGR + "CeasefireMonitoring2020" not in full
    assert with_alleged.has_edge(deployment, KGR + "CeasefireMonitoring2020", "purpose")
    assert not any(k == "purpose" for _, _, k in full.edges(deployment, keys=True))
    # every node the plain view keeps has an edge; none is left hanging
    assert all(full.degree(n) for n in full)
    # the claim itself is plain fact: someone said it
    assert KGR + "Statement_Grigoryan_Attacks" in full


def test_as_of_drops_an_alleged_thing_with_the_claim_alleging_it(graph):
    G = VIEWS["full"](graph, as_of="2023-08-31", alleged=True)
    # alleged by Grigoryan's statement, made in September 2023 (not after 2023-09)
    assert KGR + "Statement_Grigoryan_Attacks" not in G
    assert KGR + "AzerbaijaniAttacksOnArmenia" not in G
    assert KGR + "Fact_CSTONoAssistance" not in G
    for _, d in G.nodes(data=True):
        assert d.get("alleged") is None or d["alleged"] in G


@pytest.mark.parametrize("name", sorted(VIEWS))
def test_edges_written_straight_into_the_adjacency_are_networkx_edges(views, name):
    """Direct edges are written into the graph's dicts (kg.views._direct._insert_plain): the
    same graph networkx builds edge by edge, successors and predecessors alike."""
    G = views[name]
    H = nx.MultiDiGraph(**G.graph)
    H.add_nodes_from(G.nodes(data=True))
    H.add_edges_from(G.edges(keys=True, data=True))
    assert G._succ == H._succ and G._pred == H._pred and G._node == H._node
    for u, v, k in G.edges(keys=True):
        assert G._pred[v][u][k] is G._succ[u][v][k]
    assert sorted(G.in_edges(keys=True)) == sorted(H.in_edges(keys=True))
