"""The links as a Turtle file or a CSV table, for other tools and other graphs.

The Turtle file holds every ``skos:exactMatch`` link to a known dataset, each entity's label,
and, for states, their ISO 3166-1 codes as ``wdt:P297`` (alpha-2), ``wdt:P298`` (alpha-3) and
``wdt:P299`` (numeric), Wikidata's properties for them. The CSV has one row per entity and
identifier: ``entity,label,class,dataset,identifier,iri``.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal, URIRef

from kg.errors import BadOptionError
from kg.linking.datasets import LINK_PREDICATE
from kg.linking.identifiers import EntityLinks, entity_links
from kg.namespaces import RDFS, WDT, bind_prefixes, shorten

__all__ = ["CSV_COLUMNS", "export_links", "format_link_table", "link_rows", "links_graph"]

CSV_COLUMNS = ["entity", "label", "class", "dataset", "identifier", "iri"]


def link_rows(reports: list[EntityLinks]) -> list[dict[str, str]]:
    """One row per entity and identifier (ISO 3166 codes included for states).

    Parameters
    ----------
    reports:
        From :func:`kg.linking.identifiers.entity_links`.

    Returns
    -------
    list[dict[str, str]]
        With the keys of :data:`CSV_COLUMNS`.

    Example
    -------
    >>> from kg.namespaces import KG
    >>> e = EntityLinks(URIRef("https://w3id.org/kg-ir/resource/Baku"), "Baku", KG.Settlement,
    ...                 {"geonames": ["https://sws.geonames.org/587084/"]})
    >>> [(r["dataset"], r["identifier"]) for r in link_rows([e])]
    [('geonames', '587084')]
    """
    rows = []
    for report in reports:
        base = {
            "entity": str(report.entity),
            "label": report.label,
            "class": shorten(str(report.kind)) if report.kind else "",
        }
        for dataset, iris in report.links.items():
            for iri in iris:
                rows.append(
                    {
                        **base,
                        "dataset": dataset,
                        "identifier": report.identifiers(dataset)[iris.index(iri)],
                        "iri": iri,
                    }
                )
        if report.iso3166:
            iso = report.iso3166
            for name, code in (
                ("iso3166-alpha2", iso.alpha_2),
                ("iso3166-alpha3", iso.alpha_3),
                ("iso3166-numeric", iso.numeric),
            ):
                rows.append({**base, "dataset": name, "identifier": code, "iri": ""})
    return rows


def links_graph(reports: list[EntityLinks]) -> Graph:
    """The links, labels and ISO codes of ``reports`` as an RDF graph.

    Parameters
    ----------
    reports:
        From :func:`kg.linking.identifiers.entity_links`.

    Returns
    -------
    Graph

    Example
    -------
    >>> from kg.namespaces import KG
    >>> from kg.linking.identifiers import iso3166_codes
    >>> e = EntityLinks(URIRef("https://w3id.org/kg-ir/resource/Armenia"), "Armenia", KG.State,
    ...                 {"wikidata": ["http://www.wikidata.org/entity/Q399"]},
    ...                 iso3166=iso3166_codes("AM"))
    >>> print(links_graph([e]).serialize(format="nt").strip().count("\\n") + 1)
    5
    """
    graph = bind_prefixes(Graph())
    for report in reports:
        if not report.linked and report.iso3166 is None:
            continue
        graph.add((report.entity, RDFS.label, Literal(report.label)))
        for iris in report.links.values():
            for iri in iris:
                graph.add((report.entity, LINK_PREDICATE, URIRef(iri)))
        if report.iso3166:
            graph.add((report.entity, WDT.P297, Literal(report.iso3166.alpha_2)))
            graph.add((report.entity, WDT.P298, Literal(report.iso3166.alpha_3)))
            graph.add((report.entity, WDT.P299, Literal(report.iso3166.numeric)))
    return graph


def export_links(graph: Any, path: str | Path | None = None, fmt: str | None = None) -> str:
    """Render the graph's links as Turtle or CSV, and write them to ``path`` if given.

    Parameters
    ----------
    graph:
        Our graph.
    path:
        ``*.ttl`` or ``*.csv`` (written atomically), or ``None`` to only return the text.
    fmt:
        ``"ttl"`` or ``"csv"``; default from ``path``'s extension, else ``ttl``.

    Returns
    -------
    str
        The rendered links.

    Example
    -------
    >>> g = Graph().parse(format="turtle", data='''
    ... @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
    ... @prefix kg: <https://w3id.org/kg-ir/ontology#> .
    ... <https://w3id.org/kg-ir/resource/NATO> a kg:MilitaryAlliance ;
    ...   skos:exactMatch <http://www.wikidata.org/entity/Q7184> .''')
    >>> header, row = export_links(g, fmt="csv").splitlines()
    >>> row.split(",")[1:5]
    ['NATO', 'kg:MilitaryAlliance', 'wikidata', 'Q7184']
    """
    if fmt is None:
        fmt = Path(path).suffix.lower().lstrip(".") if path else "ttl"
    if fmt not in ("ttl", "csv"):
        raise BadOptionError(f"links can be exported as .ttl or .csv, not {fmt!r}")
    reports = entity_links(graph)
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(link_rows(reports))
        text = out.getvalue()
    else:
        text = links_graph(reports).serialize(format="turtle")
    if path is not None:
        from kg.files import write_text_atomically

        write_text_atomically(path, text)
    return text


def format_link_table(reports: list[EntityLinks]) -> str:
    """The ``kg link`` report: one line per entity, a summary, then the notes.

    Parameters
    ----------
    reports:
        From :func:`kg.linking.identifiers.entity_links`.

    Returns
    -------
    str

    Example
    -------
    >>> from kg.namespaces import KG
    >>> e = EntityLinks(URIRef("https://w3id.org/kg-ir/resource/NATO"), "NATO", KG.MilitaryAlliance,
    ...                 {"wikidata": ["http://www.wikidata.org/entity/Q7184"]})
    >>> print(format_link_table([e]))
    entity    class                wikidata  geonames  dbpedia  iso3166
    kgr:NATO  kg:MilitaryAlliance  Q7184     -         -        -
    <BLANKLINE>
    linked: 1 of 1 entities (wikidata 1, geonames 0, dbpedia 0); not linked: 0
    """
    from kg.linking.datasets import DATASETS

    header = ["entity", "class", *DATASETS, "iso3166"]
    lines = [header]
    for r in reports:
        iso = f"{r.iso3166.alpha_2} {r.iso3166.alpha_3}" if r.iso3166 else "-"
        ids = [" ".join(r.identifiers(name)) or "-" for name in DATASETS]
        lines.append([shorten(str(r.entity)), shorten(str(r.kind)) if r.kind else "-", *ids, iso])
    widths = [max(len(row[i]) for row in lines) for i in range(len(header))]
    text = [
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in lines
    ]
    linked = sum(r.linked for r in reports)
    per = ", ".join(f"{name} {sum(bool(r.links.get(name)) for r in reports)}" for name in DATASETS)
    text += [
        "",
        f"linked: {linked} of {len(reports)} entities ({per}); not linked: {len(reports) - linked}",
    ]
    notes = [f"  {shorten(str(r.entity))}: {n}" for r in reports for n in r.notes]
    if notes:
        text += ["notes:", *notes]
    return "\n".join(text)
