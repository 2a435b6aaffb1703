"""Landing a dataset's codes on the graph's own entities: COW, ISO 3166, CAMEO, Wikidata.

:class:`EntityIndex` reads, once per import, what the graph already says about its
polities and organizations (their Wikidata links, ISO codes and names). A code then resolves
by Wikidata Q-id first (through ``data/crosswalks/countries.csv``), then by ISO code, then by
English name; only when the graph has no such entity does the importer mint one
(``kgr:state_ISO3``, ``kgr:wd_Q...``) with the code and Q-id it knows, written once.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from kg.importers.ntriples import KG, KGR, iri, lang_literal, literal, slug, triple
from kg.installed import INSTALLED_ROOT
from kg.iris import kg_prefix

__all__ = ["Country", "crosswalk", "EntityIndex"]

CROSSWALK = INSTALLED_ROOT / "data" / "crosswalks" / "countries.csv"
WD = "http://www.wikidata.org/entity/"
SKOS_MATCH = "http://www.w3.org/2004/02/skos/core#exactMatch"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
P298 = "http://www.wikidata.org/prop/direct/P298"


@dataclass(frozen=True)
class Country:
    """One row of the COW / ISO 3166 / Wikidata crosswalk."""

    cow: str
    cow_abbr: str
    alpha2: str
    alpha3: str
    numeric: str
    name: str
    wikidata: str


@cache
def crosswalk(path: str | Path = CROSSWALK) -> dict[str, dict[str, Country]]:
    """The crosswalk, indexed by ``cow``, ``alpha3`` and ``numeric`` code.

    Example
    -------
    >>> w = crosswalk()
    >>> w["cow"]["371"].alpha3, w["alpha3"]["ARM"].wikidata, w["numeric"]["31"].name
    ('ARM', 'Q399', 'Azerbaijan')
    """
    with open(path, encoding="utf-8") as stream:
        rows = [Country(*r) for r in list(csv.reader(stream))[1:]]
    return {
        "cow": {c.cow: c for c in rows},
        "alpha3": {c.alpha3: c for c in rows if c.alpha3},
        "numeric": {c.numeric.lstrip("0"): c for c in rows if c.numeric},
    }


_INDEX = (
    kg_prefix()
    + """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX wdt: <http://www.wikidata.org/prop/direct/>
SELECT ?e ?q ?iso ?label WHERE {
  ?e a ?class . ?class rdfs:subClassOf* kg:Actor .
"""
    + f'  FILTER(STRSTARTS(STR(?e), "{KGR}"))\n'
    + """  { ?e skos:exactMatch ?q FILTER(STRSTARTS(STR(?q), "http://www.wikidata.org/entity/Q")) }
  UNION { ?e wdt:P298 ?iso } UNION { ?e wdt:P297 ?iso }
  UNION { ?e rdfs:label|skos:altLabel ?label FILTER(langMatches(lang(?label), "en")) }
}
"""
)


@dataclass
class EntityIndex:
    """What the graph knows of its actors, for resolving codes; mints entities it lacks.

    Parameters
    ----------
    by_qid, by_iso, by_name:
        Q-id / ISO code / folded English name -> entity IRI.

    Example
    -------
    >>> index = EntityIndex({"Q399": KGR + "Armenia"})
    >>> index.state(alpha3="ARM")[0] == KGR + "Armenia"
    True
    >>> iri_, text = index.state(alpha3="GEO"); iri_, "Georgia" in text
    ('https://w3id.org/kg-ir/resource/state_GEO', True)
    >>> index.state(alpha3="GEO")[1]
    ''
    """

    by_qid: dict[str, str] = field(default_factory=dict)
    by_iso: dict[str, str] = field(default_factory=dict)
    by_name: dict[str, str] = field(default_factory=dict)
    minted: set[str] = field(default_factory=set)
    labels: dict[str, str] = field(default_factory=dict)
    _memo: dict[tuple, str | None] = field(default_factory=dict)

    @classmethod
    def from_graph(cls, graph: Any) -> EntityIndex:
        """Read the index from a :class:`kg.graph.KnowledgeGraph` (one query)."""
        index = cls()
        if graph is None:
            return index
        for e, q, iso, label in graph.query(_INDEX).lexical_rows():
            if q:
                index.by_qid.setdefault(q.rsplit("/", 1)[1], e)
            if iso:
                index.by_iso.setdefault(iso.upper(), e)
            if label:
                index.by_name.setdefault(label.casefold(), e)
                index.labels.setdefault(e, label)
        return index

    def state(
        self, *, alpha3: str = "", cow: str = "", numeric: str = ""
    ) -> tuple[str | None, str]:
        """The state a code names, and the triples minting it when the graph lacks it.

        Parameters
        ----------
        alpha3, cow, numeric:
            An ISO 3166 alpha-3 code (or CAMEO country code), a COW code, an ISO numeric code.

        Returns
        -------
        (str or None, str)
            The entity's IRI (``None`` for a code the crosswalk does not know) and N-Triples
            to write (empty when nothing new).
        """
        key = (alpha3, cow, numeric.lstrip("0"))
        if key in self._memo:
            return self._memo[key], ""
        walk = crosswalk()
        country = (
            walk["cow"].get(cow)
            if cow
            else walk["alpha3"].get(alpha3)
            if alpha3
            else walk["numeric"].get(numeric.lstrip("0"))
        )
        if country is None:
            self._memo[key] = None
            return None, ""
        found = self._find(country)
        text = ""
        if found is None:
            found, text = self._mint(country)
        self._memo[key] = found
        return found, text

    def _find(self, c: Country) -> str | None:
        if c.wikidata and c.wikidata in self.by_qid:
            return self.by_qid[c.wikidata]
        for code in (c.alpha3, c.alpha2):
            if code and code in self.by_iso:
                return self.by_iso[code]
        names = {c.name.casefold()} | _iso_names(c.alpha3)
        return next((self.by_name[n] for n in sorted(names) if n in self.by_name), None)

    def _mint(self, c: Country) -> tuple[str, str]:
        local = f"state_{c.alpha3}" if c.alpha3 else f"state_cow{c.cow}"
        e = KGR + local
        lines = [
            triple(iri(e), iri(RDF_TYPE), iri(KG + "State")),
            triple(iri(e), iri(RDFS_LABEL), lang_literal(c.name)),
        ]
        if c.alpha3:
            lines.append(triple(iri(e), iri(P298), literal(c.alpha3)))
        if c.wikidata:
            lines.append(triple(iri(e), iri(SKOS_MATCH), iri(WD + c.wikidata)))
            self.by_qid[c.wikidata] = e
        self.minted.add(e)
        return e, "".join(lines)

    def wikidata_entity(self, qid: str) -> tuple[str, bool]:
        """The graph's entity for a Wikidata item, else a minted ``kgr:wd_Q...`` (new: True).

        Example
        -------
        >>> EntityIndex({"Q399": "x"}).wikidata_entity("Q399"), EntityIndex().wikidata_entity("Q1")
        (('x', False), ('https://w3id.org/kg-ir/resource/wd_Q1', True))
        """
        if qid in self.by_qid:
            return self.by_qid[qid], False
        return KGR + "wd_" + slug(qid), True


@cache
def _iso_names(alpha3: str) -> frozenset[str]:
    """pycountry's names of a country (name, common and official name), folded."""
    if not alpha3:
        return frozenset()
    import pycountry

    c = pycountry.countries.get(alpha_3=alpha3)
    if c is None:
        return frozenset()
    names = {getattr(c, k, None) for k in ("name", "common_name", "official_name")}
    return frozenset(n.casefold() for n in names if n)
