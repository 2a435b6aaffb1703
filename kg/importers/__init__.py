"""Datasets into the graph: GDELT, Wikidata, ATOP and ACLED, with provenance and licences.

One function per dataset, each streaming its files row by row into the graph's backend (one
transaction: an on-disk Oxigraph store is changed only when every row was read) and/or an
N-Triples file; codes land on the graph's own entities (:mod:`kg.importers.entities`);
every import records its dataset, licence, access date and filters
(:mod:`kg.importers.provenance`), and data whose terms forbid redistribution is marked so
(:func:`restricted_datasets`; ``kg export`` and ``kg serve`` refuse it).

Example
-------
>>> import kg
>>> from kg.importers import import_gdelt
>>> graph = kg.load()
>>> import_gdelt(["tests/fixtures/datasets/gdelt/20230919.export.CSV"], graph=graph).rows_imported
5
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from kg.importers.provenance import attributions, restricted_datasets
from kg.importers.run import ImportResult, run_import

__all__ = [
    "import_gdelt",
    "import_acled",
    "import_atop",
    "import_wikidata",
    "restricted_datasets",
    "attributions",
    "ImportResult",
]


def import_gdelt(
    files: Sequence[str | Path],
    *,
    mentions: Sequence[str | Path] = (),
    since: str | None = None,
    until: str | None = None,
    countries: Sequence[str] = (),
    root_only: bool = False,
    **options: Any,
) -> ImportResult:
    """Import GDELT event files (2.0 or 1.0; ``.zip`` accepted), with mentions files if given.

    Parameters
    ----------
    files:
        Event export files.
    mentions:
        GDELT 2.0 mentions files; mentions of the imported events are kept.
    since, until:
        Keep events dated on or after / on or before this day (``YYYY-MM-DD``).
    countries:
        Keep events whose Actor1 or Actor2 country code is one of these (``ARM``).
    root_only:
        Keep root events only (``IsRootEvent`` = 1).
    **options:
        For :func:`kg.importers.run.run_import`: ``graph``, ``output``, ``skip_bad``, ``report``,
        ``accessed``, ``command``.

    Returns
    -------
    ImportResult
    """
    from kg.importers.gdelt import gdelt_events

    filters = []
    if since:
        filters.append(f"since {since}")
    if until:
        filters.append(f"until {until}")
    if countries:
        filters.append("countries " + ",".join(countries))
    if root_only:
        filters.append("root events only")
    opts = {
        "since": since.replace("-", "") if since else None,
        "until": until.replace("-", "") if until else None,
        "countries": {c.upper() for c in countries} or None,
        "root_only": root_only,
        "mentions": [str(m) for m in mentions] or None,
    }
    return run_import(
        "gdelt", gdelt_events, files, options=opts, filters="; ".join(filters), **options
    )


def import_acled(files: Sequence[str | Path], **options: Any) -> ImportResult:
    """Import ACLED CSV exports (marked redistribution-restricted).

    Parameters
    ----------
    files:
        ACLED CSV files (with the export's header row).
    **options:
        See :func:`import_gdelt`.

    Returns
    -------
    ImportResult
    """
    from kg.importers.acled import acled_events

    return run_import("acled", acled_events, files, **options)


def import_atop(files: Sequence[str | Path], **options: Any) -> ImportResult:
    """Import ATOP alliance-level and/or member-level CSV files.

    Parameters
    ----------
    files:
        ATOP CSVs; each file's header says whether it is alliance- or member-level.
    **options:
        See :func:`import_gdelt`.

    Returns
    -------
    ImportResult
    """
    from kg.importers.atop import atop_alliances

    return run_import("atop", atop_alliances, files, **options)


def import_wikidata(
    files: Sequence[str | Path] = (),
    *,
    sparql: str | None = None,
    items: Sequence[str] = (),
    client: Any = None,
    **options: Any,
) -> ImportResult:
    """Import Wikidata items from entity JSON files or from a SPARQL endpoint.

    Parameters
    ----------
    files:
        Entity JSON (``wbgetentities`` answers or dump lines).
    sparql:
        A Wikidata-shaped SPARQL endpoint (the Wikidata Query Service, or a local copy).
    items:
        Q-ids to ask the endpoint about (default: every Q-id the graph links to).
    client:
        The :class:`kg.linking.http_client.HttpClient` to use.
    **options:
        See :func:`import_gdelt`.

    Returns
    -------
    ImportResult
    """
    from kg.importers.wikidata import wikidata_mapper

    graph = options.get("graph")
    mapper = wikidata_mapper(sparql=sparql, items=list(items), client=client, graph=graph)
    sources = [str(f) for f in files] or ([sparql] if sparql else [])
    return run_import("wikidata", mapper, sources, **options)
