"""Ontology 0.2.0: each pattern of what a sentence carries, checked on the article's graph.

One test (or a few) per pattern: demands and conditions as structured items, quantities with
their qualifier, purpose and topic of events and intended events, alleged things kept out of the
named queries' facts, what a claim's words name, the metonymy rule, the date rule, curator's
inferences, embedded claims, and former members.
"""

from __future__ import annotations

import pytest
import rdflib
from rdflib import OWL, RDF, URIRef

from kg.namespaces import DCT, KG, KGR, SKOS
from kg.project import open_project as project_paths

KIND = rdflib.Namespace("https://w3id.org/kg-ir/kind/")
PROV = rdflib.Namespace("http://www.w3.org/ns/prov#")
PATHS = project_paths()
ARTICLE = (PATHS.data.parent / "sources" / "000_d20e6f837713f4ad.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def graph():
    import kg

    return kg.load()


@pytest.fixture(scope="module")
def g(graph) -> rdflib.Graph:
    return graph.rdflib_graph


def one(g, s, p):
    values = list(g.objects(s, p))
    assert len(values) == 1, (s, p, values)
    return values[0]


# --- conditions and demands ----------------------------------------------------------------------


def test_baku_demand_is_a_structured_item(g):
    action = one(g, KGR.Statement_Baku_Demand, KG.demands)
    assert (action, RDF.type, KG.RequiredAction) in g
    assert one(g, action, KG.requiredOf) == KGR.ArmenianArmedForces
    assert one(g, action, KG.actionKind) == KIND.withdraw
    assert one(g, action, KG.fromPlace) == KGR.NagornoKarabakh
    words = str(one(g, action, KG.words))
    assert (
        words
        == "the withdrawal of military forces, including Armenian armed forces, from the region"
    )
    assert words in ARTICLE


def test_the_ministry_of_defense_condition_lists_each_action_and_the_outcome(g):
    statement = KGR.Statement_AzerbaijanMoD_Condition
    actions = {one(g, a, KG.actionKind): a for a in g.objects(statement, KG.condition)}
    assert set(actions) == {KIND.surrenderWeapons, KIND.leavePositions}
    surrender = actions[KIND.surrenderWeapons]
    assert one(g, surrender, KG.requiredOf) == KGR.NagornoKarabakhRepublic
    assert set(g.objects(surrender, KG.actionObject)) == {KIND.weapons, KIND.heavyEquipment}
    outcome = one(g, statement, KG.conditionalOutcome)
    assert one(g, outcome, KG.eventStatus) == KIND.conditional
    assert one(g, outcome, KG.eventKind) == KIND.ceasefire


def test_every_required_action_is_required_by_something_and_quotes_its_words(graph):
    rows = graph.query(
        """PREFIX kg: <https://w3id.org/kg-ir/ontology#>
        SELECT ?a ?by ?words WHERE {
          ?a a kg:RequiredAction ; kg:words ?words .
          OPTIONAL { ?by kg:requires|kg:demands|kg:condition|kg:recommends|kg:declaresTask ?a }
        }"""
    ).to_dicts()
    assert len({r["a"] for r in rows}) >= 12
    assert all(r["by"] for r in rows)
    assert all(r["words"] in ARTICLE for r in rows)


# --- quantities ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("holder", "value", "counts", "qualifier", "source"),
    [
        ("NagornoKarabakhConflict", 1000, "livesLost", "lowerBound", "article"),
        ("EthnicArmeniansOfKarabakh", 100000, "people", "lowerBound", "article"),
        ("Offensive2023", 1, "days", "lowerBound", "article"),
        ("AzerbaijaniAttacksOnArmenia", 3, "attacks", "exact", "article"),
        ("RussianPeacekeepers", 1960, "servicemen", "exact", "src_primeminister_2020"),
    ],
)
def test_quantities_carry_value_what_is_counted_and_qualifier(
    g, holder, value, counts, qualifier, source
):
    found = [q for q in g.objects(KGR[holder], KG.quantity) if one(g, q, KG.counts) == KIND[counts]]
    assert len(found) == 1, holder
    q = found[0]
    assert one(g, q, KG.numericValue).toPython() == value
    assert one(g, q, KG.quantityQualifier) == KIND[qualifier]
    assert one(g, q, DCT.source) == KGR[source]
    if source == "article":
        assert str(one(g, q, KG.words)) in str(one(g, q, KG.quote))
    else:  # background: never quoted, never attributed to the article
        assert g.value(q, KG.quote) is None


def test_no_bare_counts_remain(g):
    assert not list(g.subject_objects(KG.size)) and not list(g.subject_objects(KG.personnel))


# --- purpose and topic, intended and planned events ----------------------------------------------


def test_the_peacekeepers_deployment_has_its_purpose(g):
    purpose = one(g, KGR.PeacekeepersDeployment2020, KG.purpose)
    assert one(g, purpose, KG.eventStatus) == KIND.intended
    assert one(g, purpose, KG.eventKind) == KIND.monitoring
    assert one(g, purpose, KG.about) == KGR.Ceasefire2020
    assert "to monitor the ceasefire" in str(one(g, purpose, KG.quote))


def test_laying_down_arms_was_to_open_negotiations_that_need_not_have_happened(g):
    purpose = one(g, KGR.Surrender2023, KG.purpose)
    assert one(g, purpose, KG.eventKind) == KIND.negotiation
    assert one(g, purpose, KG.eventStatus) == KIND.intended
    assert KGR.GovernmentOfAzerbaijan in set(g.objects(purpose, KG.participant))


def test_the_evlakh_meeting_is_about_its_topics(g):
    assert set(g.objects(KGR.EvlakhMeeting2023, KG.about)) == {
        KIND.reintegration,
        KIND.rightsAndSafety,
    }


def test_every_event_of_the_article_has_one_status(g):
    events = set(g.subjects(RDF.type, KG.Event))
    assert all(len(list(g.objects(e, KG.eventStatus))) == 1 for e in events)
    statuses = {one(g, e, KG.eventStatus) for e in events}
    assert {KIND.occurred, KIND.intended, KIND.conditional, KIND.alleged} <= statuses


# --- alleged things ------------------------------------------------------------------------------


def test_alleged_events_and_facts_follow_one_pattern(g):
    alleged = set(g.subjects(KG.allegedBy, None))
    assert {
        KGR.AzerbaijaniAttacksOnArmenia,
        KGR.AllegedArmenianProvocations2023,
        KGR.AllegedEthnicCleansing2023,
        KGR.Fact_PeacekeepersUnaware,
        KGR.Fact_CSTONoAssistance,
    } <= alleged
    for thing in alleged:
        claim = one(g, thing, KG.allegedBy)
        assert (claim, RDF.type, KG.Statement) in g
        if (thing, RDF.type, KG.Event) in g:
            assert one(g, thing, KG.eventStatus) == KIND.alleged
        else:
            assert (thing, RDF.type, KG.ReportedFact) in g
    assert set(g.subjects(KG.eventStatus, KIND.alleged)) <= alleged


@pytest.fixture(scope="module")
def dated_allegation(tmp_path_factory):
    """The article's graph plus a test-only date on an alleged event, inside the timeline."""
    import kg

    extra = tmp_path_factory.mktemp("alleged") / "dated.ttl"
    extra.write_text(
        "<https://w3id.org/kg-ir/resource/AllegedArmenianProvocations2023> "
        '<https://w3id.org/kg-ir/ontology#startDate> "2023-09-19"'
        "^^<http://www.w3.org/2001/XMLSchema#date> .\n",
        encoding="utf-8",
    )
    return kg.load(extra=[extra])


def test_the_timeline_never_returns_an_alleged_event_as_fact(graph, dated_allegation):
    things = {r["thing"] for r in graph.named_query("timeline_2023_09").to_dicts()}
    assert not {str(t) for t in graph.rdflib_graph.subjects(KG.allegedBy, None)} & things
    dated = dated_allegation.named_query("timeline_2023_09").to_dicts()
    assert str(KGR.AllegedArmenianProvocations2023) not in {r["thing"] for r in dated}
    asked = dated_allegation.named_query("timeline_2023_09", alleged=True).to_dicts()
    row = next(r for r in asked if r["thing"] == str(KGR.AllegedArmenianProvocations2023))
    assert row["status"] == "alleged"
    assert all(r["status"] == "occurred" for r in dated if r["what"] == "event")


def test_claims_by_kind_lists_allegations_under_the_speaker_never_as_facts(graph):
    rows = graph.named_query("claims_by_kind").to_dicts()
    facts = {r["claim"] for r in rows if r["claimKind"] == "reported fact"}
    alleged = {
        r["claim"]: r["attributedTo"] for r in rows if r["claimKind"] == "alleged by a speaker"
    }
    assert str(KGR.AzerbaijaniAttacksOnArmenia) in alleged
    assert alleged[str(KGR.Fact_PeacekeepersUnaware)] == "Maria Zakharova"
    assert not facts & set(alleged)
    assert str(KGR.CeasefireMonitoring2020) not in facts  # intended, not a fact


def test_views_leave_out_alleged_and_intended_events_unless_asked_then_mark_them(graph):
    from kg.views import full_view

    plain = full_view(graph)
    assert str(KGR.AzerbaijaniAttacksOnArmenia) not in plain
    assert str(KGR.CeasefireMonitoring2020) not in plain
    assert plain.nodes[str(KGR.Offensive2023)]["event_status"] == "occurred"
    G = full_view(graph, alleged=True)
    assert G.nodes[str(KGR.AzerbaijaniAttacksOnArmenia)]["alleged"] == str(
        KGR.Statement_Grigoryan_Attacks
    )
    assert G.nodes[str(KGR.CeasefireMonitoring2020)]["event_status"] == "intended"
    assert G.nodes[str(KGR.Offensive2023)]["event_status"] == "occurred"
    assert "alleged" not in G.nodes[str(KGR.Offensive2023)]


# --- what a claim's words name -------------------------------------------------------------------


def test_characterization_is_only_the_name_of_what_the_claim_is_about(g):
    for claim, words in g.subject_objects(KG.characterization):
        names = [
            w
            for w in g.objects(claim, KG.wording)
            if one(g, w, KG.wordingRole) == KIND.nameOfSubject and one(g, w, KG.words) == words
        ]
        assert len(names) == 1, claim
        assert one(g, names[0], KG.refersTo) in set(g.objects(claim, KG.about))


def test_azerbaijans_cause_is_a_wording_not_its_name_for_the_offensive(g, graph):
    statement = KGR.Statement_Azerbaijan_Provocations
    assert g.value(statement, KG.characterization) is None
    cause = one(g, statement, KG.wording)
    assert one(g, cause, KG.wordingRole) == KIND.cause
    assert one(g, cause, KG.refersTo) == KGR.AllegedArmenianProvocations2023
    assert one(g, cause, KG.inQuotationMarks).toPython() is True
    # comparing how each side names the offensive: only names of the offensive itself
    words = {
        w
        for r in graph.named_query("contradicting_statements").to_dicts()
        for w in (r["words"], r["otherWords"])
        if w
    }
    assert words == {
        "local anti-terrorism measures",
        "a widescale aggression against the people of Nagorno-Karabakh",
    }


def test_the_armenian_mfa_purpose_is_a_wording_of_an_alleged_event(g):
    roles = {
        one(g, w, KG.wordingRole): w
        for w in g.objects(KGR.Statement_ArmeniaMFA_Aggression, KG.wording)
    }
    purpose = roles[KIND.purposeDescription]
    assert str(one(g, purpose, KG.words)) == "ethnic cleansing"
    assert one(g, one(g, purpose, KG.refersTo), KG.eventStatus) == KIND.alleged


# --- metonymy ------------------------------------------------------------------------------------


def test_metonyms_and_named_states_speak_as_their_government(g):
    for statement in g.subjects(RDF.type, KG.Statement):
        speaker = one(g, statement, KG.speaker)
        assert (speaker, RDF.type, KG.State) not in g, statement
        assert (speaker, RDF.type, KG.Settlement) not in g, statement
    assert one(g, KGR.Statement_Azerbaijan_Provocations, KG.speaker) == KGR.GovernmentOfAzerbaijan
    for name, body in (("Baku", KGR.GovernmentOfAzerbaijan), ("Yerevan", KGR.GovernmentOfArmenia)):
        holders = set(g.subjects(SKOS.altLabel, rdflib.Literal(name, lang="en")))
        assert holders == {body}
        assert (body, RDF.type, KG.GovernmentBody) in g
    assert one(g, KGR.Action_CooperateWithWest, KG.requiredOf) == KGR.GovernmentOfArmenia


# --- dates ---------------------------------------------------------------------------------------


def test_every_statement_date_has_one_qualifier_from_the_date_scheme(g):
    for statement in g.subjects(RDF.type, KG.Statement):
        qualifier = one(g, statement, KG.dateQualifier)
        assert (qualifier, SKOS.inScheme, KIND.dateQualifiers) in g
        one(g, statement, KG.date)
    assert one(g, KGR.Statement_Grigoryan_CSTOProblems, KG.dateQualifier) == KIND.notAfter
    assert one(g, KGR.Statement_Baku_Announcement, KG.dateQualifier) == KIND.fromContext


def test_every_date_property_is_one_pattern(g):
    for p in (KG.date, KG.startDate, KG.endDate, KG.dateSigned, KG.dateInForce, KG.statusDate):
        assert (p, rdflib.RDFS.subPropertyOf, KG.when) in g, p


def test_dates_the_article_does_not_give_are_curator_inferences(g):
    for statement in g.subjects(KG.dateQualifier, KIND.notAfter):
        date = one(g, statement, KG.date)
        assert _curated(g, statement, KG.date, date), statement


# --- curator's inferences ------------------------------------------------------------------------


def _curated(g, s, p, o) -> bool:
    for ax in g.subjects(OWL.annotatedSource, s):
        annotates = (ax, OWL.annotatedProperty, p) in g and (ax, OWL.annotatedTarget, o) in g
        makers = g.objects(ax, PROV.wasGeneratedBy)
        if annotates and any((a, RDF.type, KG.CurationActivity) in g for a in makers):
            return True
    return False


def test_every_curator_inference_has_a_reason_and_verbatim_quotes(g):
    inferences = [
        s
        for s, a in g.subject_objects(PROV.wasGeneratedBy)
        if (a, RDF.type, KG.CurationActivity) in g
    ]
    assert len(inferences) >= 15
    for node in inferences:
        assert g.value(node, KG.reason) is not None, node
        quotes = [str(q) for q in g.objects(node, KG.derivedFromQuote)]
        assert quotes and all(q in ARTICLE for q in quotes), node


@pytest.mark.parametrize(
    ("s", "p", "o"),
    [
        (KGR.Part_Offensive_Azerbaijan, KG.role, KIND.attacker),
        (KGR.Part_Offensive_NKR, KG.role, KIND.defender),
        (KGR.Obligation_CSTODefence, KG.beneficiary, KGR.Armenia),
        (KGR.CessationAgreement2023, KG.party, KGR.Azerbaijan),
        (KGR.Statement_ArmeniaMFA_Aggression, KG.contradicts, KGR.Statement_Baku_Announcement),
        (KGR.Surrender2023, KG.resultOf, KGR.Offensive2023),
    ],
)
def test_roles_beneficiaries_parties_and_judgements_the_article_does_not_state_are_marked(
    g, s, p, o
):
    assert (s, p, o) in g and _curated(g, s, p, o)


def test_what_the_article_does_not_state_is_gone(g):
    assert not list(g.subject_objects(KG.guarantor))
    assert g.value(KGR.LachinCorridorClosure, KG.initiator) is None
    assert not list(g.subjects(KG.role, KIND.observer))
    assert one(g, KGR.TrilateralStatement2020, KG.agreementStatus) == KIND.signed
    assert one(g, KGR.CessationAgreement2023, KG.agreementStatus) == KIND.agreed
    assert KIND.ceasefire not in set(g.objects(KGR.Surrender2023, KG.eventKind))


def test_curator_inferences_query_answers_what_is_not_the_source_s(graph, g):
    rows = graph.named_query("curator_inferences").to_dicts()
    triples = {(r["subject"], r["property"], str(r["object"])) for r in rows}
    assert (str(KGR.Surrender2023), str(KG.resultOf), str(KGR.Offensive2023)) in triples
    assert all(r["reason"] and r["quotes"] >= 1 for r in rows)
    curated = sum(
        1
        for s, a in g.subject_objects(PROV.wasGeneratedBy)
        if (a, RDF.type, KG.CurationActivity) in g
    )
    assert len(rows) == curated


# --- embedded claims -----------------------------------------------------------------------------


def test_an_aside_in_reported_speech_is_the_authors_opinion(g):
    opinion = KGR.Opinion_CSTOEffectivelyLedByRussia
    assert (opinion, RDF.type, KG.Opinion) in g
    aside = str(one(g, opinion, KG.quote))
    assert aside in str(one(g, KGR.Statement_Grigoryan_CSTOProblems, KG.quote))
    axioms = [
        ax
        for ax in g.subjects(OWL.annotatedSource, KGR.CSTO)
        if (ax, OWL.annotatedProperty, KG.ledBy) in g
    ]
    assert [one(g, ax, KG.accordingTo) for ax in axioms] == [opinion]


# --- former members ------------------------------------------------------------------------------


def test_former_members_are_never_members_in_the_shortcuts(graph):
    rows = graph.query(
        """PREFIX kg: <https://w3id.org/kg-ir/ontology#>
        PREFIX kind: <https://w3id.org/kg-ir/kind/>
        SELECT ?state ?shortcut WHERE {
          ?m kg:member ?state ; kg:organization ?org ; kg:membershipStatus kind:ended .
          ?state ?shortcut ?org .
        }"""
    ).to_dicts()
    assert {r["shortcut"] for r in rows} == {str(KG.formerMemberOf)}
    assert {r["state"].rsplit("/", 1)[1] for r in rows} == {"Azerbaijan", "Georgia", "Uzbekistan"}


def test_owl_reasoning_does_not_make_former_members_members():
    import kg

    inferred = kg.load(infer=True)
    members = {
        str(r[0]).rsplit("/", 1)[1]
        for r in inferred.query(
            "SELECT ?s WHERE { ?s <https://w3id.org/kg-ir/ontology#memberOf> "
            "<https://w3id.org/kg-ir/resource/CSTO> }"
        ).rows
    }
    assert members == {"Armenia", "Russia", "Belarus", "Kazakhstan", "Kyrgyzstan", "Tajikistan"}


def test_shapes_reject_a_former_member_in_the_shortcut(tmp_path):
    import kg

    extra = tmp_path / "wrong.ttl"
    extra.write_text(
        "<https://w3id.org/kg-ir/resource/Georgia> <https://w3id.org/kg-ir/ontology#memberOf> "
        "<https://w3id.org/kg-ir/resource/CSTO> .\n",
        encoding="utf-8",
    )
    report = kg.load(extra=[extra]).validate()
    assert {(str(v.focus_node), v.message) for v in report.violations} == {
        (
            str(KGR.Georgia),
            "kg:memberOf needs a membership that is not ended"
            " (a former member is kg:formerMemberOf)",
        )
    }


def test_shapes_reject_the_new_patterns_broken(tmp_path):
    import kg

    text = PATHS.data.read_text(encoding="utf-8")
    broken = (
        text.replace("    kg:conditionalOutcome kgr:HaltOfCombatOperations2023 ;\n", "")
        .replace(
            "    kg:numericValue 1000 ; kg:counts kind:livesLost ;"
            " kg:quantityQualifier kind:lowerBound ;",
            "    kg:numericValue 1000 ; kg:counts kind:livesLost ;",
        )
        .replace(
            '    kg:words "local anti-terrorism measures" ; kg:refersTo kgr:Offensive2023 ;',
            '    kg:words "local anti-terrorism measures" ;'
            " kg:refersTo kgr:AllegedArmenianProvocations2023 ;",
        )
        .replace(
            "    kg:eventKind kind:provocation ; kg:eventStatus kind:alleged ;",
            "    kg:eventKind kind:provocation ; kg:eventStatus kind:occurred ;",
        )
    )
    assert broken.count("\n") < text.count("\n")
    path = tmp_path / "broken.ttl"
    path.write_text(broken, encoding="utf-8")
    found = {(str(v.focus_node), v.message) for v in kg.load(path).validate().violations}
    assert found == {
        (
            str(KGR.Statement_AzerbaijanMoD_Condition),
            "a claim with conditions says what happens if they are met (kg:conditionalOutcome)",
        ),
        (
            str(KGR.Qty_ConflictLivesLost),
            "a quantity is exact, a lower bound, an upper bound or approximate",
        ),
        (
            str(KGR.Statement_Baku_Announcement),
            "kg:characterization must be the words of the claim's kind:nameOfSubject wording"
            " of a thing it is about",
        ),
        (
            str(KGR.AllegedArmenianProvocations2023),
            "an event alleged by a claim has kg:eventStatus kind:alleged",
        ),
    }


def test_data_still_uses_no_deprecated_term(g):
    deprecated = set(g.subjects(OWL.deprecated, rdflib.Literal(True)))
    data = rdflib.Graph().parse(PATHS.data)
    used = {p for _, p, _ in data} | {o for _, _, o in data if isinstance(o, URIRef)}
    assert not deprecated & used
