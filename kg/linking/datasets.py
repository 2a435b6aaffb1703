"""The external datasets we link to, and the one predicate links are made with.

A link is ``<our entity> skos:exactMatch <canonical IRI>``, the canonical IRI being the
dataset's namespace followed by its identifier: ``http://www.wikidata.org/entity/Q399``,
``https://sws.geonames.org/174982/``, ``http://dbpedia.org/resource/Armenia``. ISO 3166 has no
IRIs; its codes are reported (and exported) as ``wdt:P297`` / ``wdt:P298`` / ``wdt:P299``
literals, Wikidata's own properties for them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rdflib import URIRef

from kg.namespaces import SKOS

__all__ = ["Dataset", "dataset_of", "DATASETS", "LINK_PREDICATE"]

#: The one documented link predicate.
LINK_PREDICATE = SKOS.exactMatch


@dataclass(frozen=True)
class Dataset:
    """An external dataset whose entities we link to.

    Parameters
    ----------
    name:
        Short name used on the command line (``wikidata``).
    title:
        Human-readable name.
    namespace:
        The prefix of its canonical entity IRIs.
    suffix:
        What follows the identifier in a canonical IRI (GeoNames ends with ``/``).
    pattern:
        A regular expression every identifier of the dataset matches.

    Returns
    -------
    Dataset

    Example
    -------
    >>> DATASETS["geonames"].iri("174982")
    rdflib.term.URIRef('https://sws.geonames.org/174982/')
    >>> DATASETS["wikidata"].identifier("http://www.wikidata.org/entity/Q399")
    'Q399'
    >>> DATASETS["wikidata"].identifier("http://www.wikidata.org/entity/Q1> <x") is None
    True
    >>> DATASETS["dbpedia"].identifier("http://dbpedia.org/resource/AC/DC")
    'AC/DC'
    """

    name: str
    title: str
    namespace: str
    suffix: str = ""
    pattern: str = r"[^\s<>\"{}|^`\\]+"

    def iri(self, identifier: str) -> URIRef:
        """The canonical IRI of ``identifier`` in this dataset."""
        return URIRef(f"{self.namespace}{identifier}{self.suffix}")

    def identifier(self, iri: str) -> str | None:
        """The identifier in a canonical IRI of this dataset, else ``None``."""
        if not iri.startswith(self.namespace) or not iri.endswith(self.suffix):
            return None
        local = iri[len(self.namespace) : len(iri) - len(self.suffix)]
        return local if re.fullmatch(self.pattern, local) else None


DATASETS: dict[str, Dataset] = {
    "wikidata": Dataset("wikidata", "Wikidata", "http://www.wikidata.org/entity/", "", r"[QPL]\d+"),
    "geonames": Dataset("geonames", "GeoNames", "https://sws.geonames.org/", "/", r"\d+"),
    "dbpedia": Dataset("dbpedia", "DBpedia", "http://dbpedia.org/resource/"),
}


def dataset_of(iri: str) -> Dataset | None:
    """Return the dataset whose canonical IRIs ``iri`` belongs to.

    Parameters
    ----------
    iri:
        A link target.

    Returns
    -------
    Dataset or None
        ``None`` for IRIs of no known dataset, or non-canonical ones (``http://sws.geonames.org/1``).

    Example
    -------
    >>> dataset_of("http://dbpedia.org/resource/Baku").name
    'dbpedia'
    >>> dataset_of("http://sws.geonames.org/174982/") is None
    True
    """
    for dataset in DATASETS.values():
        if dataset.identifier(str(iri)) is not None:
            return dataset
    return None
