"""Where imported data comes from and on what terms: datasets, import runs, licences.

Every import writes one ``prov:Activity`` (the run: when, which files, which filters, the
access date) that ``prov:used`` the dataset's node; the dataset node carries its licence
(``dct:license``), its terms in words (``dct:rights``), whether they let anyone republish it
(``dct:accessRights kind:redistributionAllowed`` or ``kind:redistributionRestricted``) and the
attribution text it asks for (``dct:bibliographicCitation``). Each imported thing points at
its run with ``prov:wasGeneratedBy`` and at its row with ``kg:sourceRecord``.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
from dataclasses import dataclass
from typing import Any

from kg.importers.ntriples import KG, KGR, KIND, iri, lang_literal, literal, triple, typed
from kg.iris import kg_prefix

__all__ = [
    "Dataset",
    "DATASETS",
    "run_triples",
    "restricted_datasets",
    "refuse_restricted",
    "attributions",
]

DCT = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SCHEMA = "http://schema.org/"


@dataclass(frozen=True)
class Dataset:
    """A dataset kg imports, with its terms of use.

    Example
    -------
    >>> DATASETS["acled"].restricted, DATASETS["gdelt"].restricted
    (True, False)
    """

    key: str
    title: str
    licence: str
    terms: str
    attribution: str
    restricted: bool

    @property
    def node(self) -> str:
        """The dataset's IRI, ``kgr:dataset_KEY``."""
        return f"{KGR}dataset_{self.key}"


DATASETS = {
    "gdelt": Dataset(
        "gdelt",
        "GDELT Event Database",
        "https://www.gdeltproject.org/about.html#termsofuse",
        "GDELT is an open platform: its data may be used, redistributed and republished without "
        "fee, for any purpose, with a citation of the GDELT Project.",
        "Event data from the GDELT Project (https://www.gdeltproject.org/).",
        False,
    ),
    "wikidata": Dataset(
        "wikidata",
        "Wikidata",
        "https://creativecommons.org/publicdomain/zero/1.0/",
        "Wikidata's structured data is released under CC0: no restriction on reuse.",
        "Facts from Wikidata (https://www.wikidata.org/), CC0.",
        False,
    ),
    "atop": Dataset(
        "atop",
        "Alliance Treaty Obligations and Provisions (ATOP)",
        "http://www.atopdata.org/",
        "ATOP is free for research use with a citation of Leeds et al. (2002), 'Alliance Treaty "
        "Obligations and Provisions, 1815-1944', International Interactions 28: 237-260.",
        "Alliance data from the ATOP project (Leeds et al. 2002, http://www.atopdata.org/).",
        False,
    ),
    "acled": Dataset(
        "acled",
        "Armed Conflict Location & Event Data (ACLED)",
        "https://acleddata.com/terms-of-use/",
        "ACLED's terms of use: an account is needed; raw rows may not be redistributed, and no "
        "substitute dataset may be built from them; published use must state the access date, "
        "the filters and the changes made.",
        "Armed Conflict Location & Event Data (ACLED), https://acleddata.com; accessed on the date "
        "and with the filters this import records.",
        True,
    ),
}


def run_triples(
    dataset: Dataset,
    files: list[str],
    *,
    command: str,
    filters: str,
    accessed: _dt.date,
    started: _dt.datetime | None = None,
) -> tuple[str, str]:
    """The import run's node and the triples that describe it and its dataset.

    Parameters
    ----------
    dataset:
        What is imported.
    files:
        The files read (their names are recorded, not their content).
    command:
        The command line, as the run's label.
    filters:
        The filters in words (``""`` for none).
    accessed:
        When the user got the data (their own download), recorded as ``kg:accessDate``.
    started:
        When the import ran (default: now, UTC).

    Returns
    -------
    (str, str)
        The run's IRI and its N-Triples.

    Example
    -------
    >>> import datetime as dt
    >>> run, text = run_triples(DATASETS["acled"], ["a.csv"], command="kg import acled a.csv",
    ...     filters="", accessed=dt.date(2026, 12, 1), started=dt.datetime(2026, 12, 1, 12))
    >>> run.startswith(KGR + "import_acled_"), "redistributionRestricted" in text
    (True, True)
    """
    started = started or _dt.datetime.now(_dt.UTC).replace(microsecond=0)
    digest = hashlib.sha1(f"{command}|{started.isoformat()}".encode()).hexdigest()[:12]
    run = f"{KGR}import_{dataset.key}_{started:%Y%m%dT%H%M%S}_{digest}"
    d, r = iri(dataset.node), iri(run)
    access = KIND + ("redistributionRestricted" if dataset.restricted else "redistributionAllowed")
    lines = [
        triple(d, iri(RDF_TYPE), iri(SCHEMA + "Dataset")),
        triple(d, iri(RDF_TYPE), iri(PROV + "Entity")),
        triple(d, iri(RDFS_LABEL), lang_literal(dataset.title)),
        triple(d, iri(DCT + "license"), iri(dataset.licence)),
        triple(d, iri(DCT + "rights"), lang_literal(dataset.terms)),
        triple(d, iri(DCT + "accessRights"), iri(access)),
        triple(d, iri(DCT + "bibliographicCitation"), lang_literal(dataset.attribution)),
        triple(r, iri(RDF_TYPE), iri(PROV + "Activity")),
        triple(r, iri(RDFS_LABEL), literal(command)),
        triple(r, iri(PROV + "used"), d),
        triple(r, iri(PROV + "startedAtTime"), typed(started.isoformat(), "dateTime")),
        triple(r, iri(KG + "accessDate"), typed(accessed.isoformat(), "date")),
        triple(r, iri(KG + "filters"), literal(filters or "none")),
    ]
    lines += [triple(r, iri(KG + "file"), literal(name)) for name in files]
    return run, "".join(lines)


_RESTRICTED = (
    kg_prefix()
    + f"PREFIX kind: <{KIND}>\n"
    + """PREFIX dct: <http://purl.org/dc/terms/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?dataset (SAMPLE(?l) AS ?label) (SAMPLE(?t) AS ?terms) (COUNT(DISTINCT ?run) AS ?runs)
WHERE {
  ?dataset dct:accessRights kind:redistributionRestricted .
  OPTIONAL { ?dataset rdfs:label ?l } OPTIONAL { ?dataset dct:rights ?t }
  OPTIONAL { ?run prov:used ?dataset }
} GROUP BY ?dataset ORDER BY ?dataset
"""
)


def restricted_datasets(graph: Any) -> list[dict[str, Any]]:
    """The datasets in the graph whose terms forbid redistribution.

    Parameters
    ----------
    graph:
        A :class:`kg.graph.KnowledgeGraph`.

    Returns
    -------
    list[dict]
        ``dataset`` (IRI), ``label``, ``terms`` and ``runs`` (import runs), one per dataset.

    Example
    -------
    >>> from kg.graph import KnowledgeGraph
    >>> from kg.backends.memory import MemoryBackend
    >>> restricted_datasets(KnowledgeGraph(MemoryBackend()))
    []
    """
    return graph.query(_RESTRICTED).to_dicts()


def refuse_restricted(graph: Any, action: str, *, include_restricted: bool = False) -> list[dict]:
    """Refuse to publish a graph holding data whose terms forbid redistribution.

    Parameters
    ----------
    graph:
        A :class:`kg.graph.KnowledgeGraph`.
    action:
        What is refused, for the message (``"kg export"``, ``"kg serve"``).
    include_restricted:
        Publish anyway (the user says they may); the restricted datasets are returned.

    Returns
    -------
    list[dict]
        The restricted datasets (see :func:`restricted_datasets`), when allowed.

    Raises
    ------
    KgError
        Naming each restricted dataset and its terms.

    Example
    -------
    >>> from kg.graph import KnowledgeGraph
    >>> from kg.backends.memory import MemoryBackend
    >>> refuse_restricted(KnowledgeGraph(MemoryBackend()), "kg export")
    []
    """
    from kg.errors import KgError

    found = restricted_datasets(graph)
    if found and not include_restricted:
        names = "; ".join(f"{d['label'] or d['dataset']}: {d['terms']}" for d in found)
        raise KgError(
            f"{action} refused: the graph holds data whose terms forbid redistribution ({names}). "
            "Publish it only if your agreement allows it: add --include-restricted"
        )
    return found


_ATTRIBUTIONS = (
    kg_prefix()
    + """PREFIX dct: <http://purl.org/dc/terms/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT ?dataset ?label ?attribution ?licence ?access ?run ?accessed ?filters ?started WHERE {
  ?dataset dct:bibliographicCitation ?attribution ; dct:license ?licence .
  OPTIONAL { ?dataset rdfs:label ?label } OPTIONAL { ?dataset dct:accessRights ?access }
  OPTIONAL { ?run prov:used ?dataset ; prov:startedAtTime ?started
             OPTIONAL { ?run kg:accessDate ?accessed } OPTIONAL { ?run kg:filters ?filters } }
} ORDER BY ?dataset ?started
"""
)


def attributions(graph: Any) -> list[dict[str, Any]]:
    """Each imported dataset's attribution, licence and import runs, for renders and exports.

    Parameters
    ----------
    graph:
        A :class:`kg.graph.KnowledgeGraph`.

    Returns
    -------
    list[dict]
        One per dataset: ``dataset``, ``label``, ``attribution``, ``licence``, ``restricted``
        and ``runs`` (``run``, ``started``, ``accessed``, ``filters``).

    Example
    -------
    >>> from kg.graph import KnowledgeGraph
    >>> from kg.backends.memory import MemoryBackend
    >>> attributions(KnowledgeGraph(MemoryBackend()))
    []
    """
    out: dict[str, dict[str, Any]] = {}
    for row in graph.query(_ATTRIBUTIONS).to_dicts():
        item = out.setdefault(
            row["dataset"],
            {
                "dataset": row["dataset"],
                "label": row["label"],
                "attribution": row["attribution"],
                "licence": row["licence"],
                "restricted": str(row.get("access") or "").endswith("redistributionRestricted"),
                "runs": [],
            },
        )
        if row.get("run"):
            run = {k: _plain(row.get(k)) for k in ("run", "started", "accessed", "filters")}
            if run not in item["runs"]:
                item["runs"].append(run)
    return list(out.values())


def _plain(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value
