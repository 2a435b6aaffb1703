"""Relationship queries on the article's graph: the answers a user asks for, with evidence."""

from __future__ import annotations

import pytest
from views_common import ARTICLE, KGR, article_view

from kg.errors import BadOptionError, KgError
from kg.relations import (
    adversaries,
    allies,
    centrality,
    common_organizations,
    connections,
    contested,
    format_path,
    who_said_what,
)


@pytest.fixture(scope="module")
def full():
    return article_view("full")


@pytest.fixture(scope="module")
def alliances():
    return article_view("alliance")


def quoted_from_article(path):
    return all(s["quote"] and s["quote"] in ARTICLE for s in path)


def test_armenia_russia_connections_include_csto_membership_and_the_2020_agreement(full):
    paths = connections(full, "Armenia", "Russia", max_hops=3)
    through = lambda node: [p for p in paths if any(s["to"] == KGR + node for s in p[:-1])]  # noqa: E731
    csto = [p for p in through("CSTO") if p[0]["key"] == "memberOf" and quoted_from_article(p)]
    deal = [p for p in through("TrilateralStatement2020") if quoted_from_article(p)]
    assert csto and deal
    assert format_path(csto[0]).startswith("Armenia -member of-> Collective Security Treaty")
    assert csto[0][0]["via"] == KGR + "Membership_Armenia_CSTO"
    assert any(s["key"] == "mediator" for p in deal for s in p)
    # every quote offered as evidence is verbatim, whatever the path
    for p in paths:
        for s in p:
            if s["source"] == KGR + "article" and s["quote"] is not None:
                assert s["quote"] in ARTICLE
    assert len(paths[0]) <= len(paths[-1]) <= 3


def test_connections_by_any_name_and_limits(full):
    by_ids = connections(full, "kgr:Armenia", "Q159", max_hops=2)
    assert by_ids == connections(full, "Armenia", "Russia", max_hops=2)
    assert len(connections(full, "Armenia", "Russia", limit=2)) == 2
    with pytest.raises(BadOptionError):
        connections(full, "Armenia", "Russia", max_hops=0)
    with pytest.raises(KgError, match="did you mean: Armenia"):
        connections(full, "Armenai", "Russia")


def test_contested_operation_returns_baku_and_the_armenian_mfa(full):
    [found] = contested(full, "kgr:Offensive2023")
    claims = {c["claim"]: c for c in found["claims"]}
    assert KGR + "Statement_Baku_Announcement" in claims
    assert KGR + "Statement_ArmeniaMFA_Aggression" in claims
    assert (
        claims[KGR + "Statement_Baku_Announcement"]["speaker_label"] == "Government of Azerbaijan"
    )
    assert all(c["quote"] in ARTICLE for c in found["claims"])
    pair = {(a, b) for a, b, why in found["pairs"] if "contradicts" in why}
    assert (KGR + "Statement_ArmeniaMFA_Aggression", KGR + "Statement_Baku_Announcement") in pair
    # Zakharova's statements are about the operation but contradict nobody
    assert KGR + "Statement_Zakharova_MainTask" not in claims
    assert [c["event"] for c in contested(full)] == [KGR + "Offensive2023"]


def test_allies_follow_memberships_and_their_status_in_time(alliances):
    before = {a["label"] for a in allies(alliances, "Armenia", as_of="2023-09-01")}
    after = {a["label"] for a in allies(alliances, "Armenia", as_of="2024-03-01")}
    assert before == {"Russia", "Belarus", "Kazakhstan", "Kyrgyzstan", "Tajikistan"}
    assert after == set()  # frozen since 2024-02-22: a member, not an ally
    assert allies(alliances, "Armenia", as_of="2000-01-01") == []  # before the Charter
    now = {a["label"] for a in allies(alliances, "Russia")}
    assert now == {"Belarus", "Kazakhstan", "Kyrgyzstan", "Tajikistan"}
    russia = [a for a in allies(alliances, "Armenia", as_of="2023-09-01") if a["label"] == "Russia"]
    assert russia[0]["quote"] in ARTICLE


def test_common_organizations_list_frozen_memberships(alliances):
    [csto] = common_organizations(alliances, "Armenia", "Russia")
    assert (csto["label"], csto["status_a"], csto["status_b"]) == (
        "Collective Security Treaty Organization",
        "frozen",
        "active",
    )
    [then] = common_organizations(alliances, "Armenia", "Russia", as_of="2023-09-01")
    assert then["status_a"] == "active"
    assert common_organizations(alliances, "Armenia", "Georgia") == []


def test_adversaries_from_conflicts_and_accusations(full):
    found = {a["label"]: a for a in adversaries(full, "Armenia")}
    assert set(found) == {"Azerbaijan"}
    why = {e["why"] for e in found["Azerbaijan"]["evidence"]}
    assert "accused by Armenia" in why and "accused Armenia" in why
    assert any("against" in w for w in why)
    assert "Ukraine" in {a["label"] for a in adversaries(full, "Russia")}


def test_who_said_what(full):
    said = who_said_what(full, about="kgr:Offensive2023")
    dated = [c["date"] for c in said if c["date"]]
    assert dated == sorted(dated) and dated[0] == "2023-09"
    assert [c["date"] for c in said][: len(dated)] == dated  # undated claims come last
    speakers = {c["speaker_label"] for c in said if c["cls"] == "Statement"}
    # metonymy rule (ontology 0.2.0): "Azerbaijan stated" is the Government of Azerbaijan speaking
    assert {"Government of Azerbaijan", "Maria Zakharova"} <= speakers
    assert "Azerbaijan" not in speakers
    by_armenia = {c["claim"] for c in who_said_what(full, speaker="Armenia")}
    # the MFA (a body of Armenia) and Grigoryan (through his post) speak for Armenia
    assert KGR + "Statement_ArmeniaMFA_Aggression" in by_armenia
    assert KGR + "Statement_Grigoryan_Attacks" in by_armenia
    assert KGR + "Statement_Baku_Announcement" not in by_armenia
    opinions = [c for c in who_said_what(full) if c["cls"] == "Opinion"]
    assert opinions and all(c["speaker"] is None for c in opinions)


def test_centrality(full):
    ranked = centrality(full, "betweenness", groups={"state"}, top=3)
    assert len(ranked) == 3 and ranked[0][1] >= ranked[1][1] >= ranked[2][1]
    assert all(full.nodes[n]["group"] == "state" for n, _ in ranked)
    assert KGR + "Russia" in dict(centrality(full, "degree", top=5))
    with pytest.raises(BadOptionError, match="unknown measure"):
        centrality(full, "pagerankish")
