"""``kg view``, ``kg path``, ``kg allies``, ``kg contested``, ``kg said``: views and relations.

Each command is a thin layer over :mod:`kg.views`, :mod:`kg.relations`,
:mod:`kg.views.convert` and :mod:`kg.resolve`; entities are named by label, IRI, prefixed name
or Wikidata id.
"""

from __future__ import annotations

import json
from typing import Any

import click

from kg.cli.session import Session, pass_session

__all__ = ["allies", "contested", "path", "register", "said", "view"]

VIEW_NAMES = ["alliance", "agreement", "event", "statement", "full"]
AS_OF = click.option(
    "--as-of", "as_of", metavar="DATE", help="Keep only what held on this day (YYYY-MM-DD)."
)
JSON = click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
#: As the timeline query's ``--param alleged=true``: what is only alleged or did not occur.
ALLEGED = click.option(
    "--alleged",
    is_flag=True,
    help="Also keep alleged, planned, intended and conditional events and facts, marked.",
)


def _short(iri: str | None) -> str:
    from kg.namespaces import shorten

    return shorten(iri) if iri else "-"


def _entity(session: Session, name: str) -> str:
    from kg.resolve import resolve

    return resolve(session.graph(), name)


def _build(session: Session, view: str, as_of: str | None, alleged: bool = False):
    from kg.views import VIEWS
    from kg.views.timefilter import as_of_string

    return VIEWS[view](session.graph(), as_of=as_of_string(as_of), alleged=alleged)


def _echo_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


def _evidence(quote: str | None, source: str | None, indent: str = "     ") -> str:
    if quote:
        return f'{indent}"{quote}" [{_short(source)}]'
    return f"{indent}(no quote) [{_short(source)}]"


@click.command(short_help="Build a networkx view; print a summary or export it.")
@click.argument("name", type=click.Choice(VIEW_NAMES))
@AS_OF
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["graphml", "gexf", "json", "ttl"]),
    help="Export the view (node-link JSON, or ttl: the view back as RDF) instead of a summary.",
)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to this file.")
@ALLEGED
@pass_session
def view(
    session: Session,
    name: str,
    as_of: str | None,
    fmt: str | None,
    output: str | None,
    alleged: bool,
):
    """Build the NAME view (alliance, agreement, event, statement or full).

    Without --format, print how many nodes and edges of each kind it has.

    \b
    Example:
        kg view alliance --as-of 2023-09-01
        kg view full --format graphml -o full.graphml
        kg view statement --format json
        kg view event --alleged
    """
    from kg.views.convert import summary, write_view

    G = _build(session, name, as_of, alleged)
    if fmt is None:
        click.echo(summary(G))
        return
    text = write_view(G, output, fmt)
    if text is not None:
        click.echo(text, nl=False)
    else:
        click.echo(f"wrote {output} ({len(G)} nodes, {G.number_of_edges()} edges, {fmt})")


@click.command(short_help="How two entities are connected, with the evidence.")
@click.argument("a")
@click.argument("b")
@click.option("--max-hops", default=3, show_default=True, type=click.IntRange(1, 6))
@click.option("--limit", type=click.IntRange(1), help="Show at most this many paths.")
@AS_OF
@ALLEGED
@JSON
@pass_session
def path(session, a, b, max_hops, limit, as_of, alleged, as_json):
    """Every chain of at most --max-hops relations between A and B, shortest first,
    each relation with its quote and source.

    \b
    Example:
        kg path Armenia Russia --max-hops 2
        kg path kgr:Armenia Q159 --limit 5 --json
    """
    from kg.relations import connections, format_path

    ia, ib = _entity(session, a), _entity(session, b)
    G = _build(session, "full", as_of, alleged)
    paths = connections(G, ia, ib, max_hops=max_hops, limit=limit)
    if as_json:
        _echo_json(paths)
        return
    if not paths:
        click.echo(f"no path of at most {max_hops} relations")
    for i, steps in enumerate(paths, 1):
        click.echo(f"{i}. {format_path(steps)}")
        for s in steps:
            click.echo(f"   {s['label']}:")
            click.echo(_evidence(s["quote"], s["source"]))


@click.command(short_help="The allies of a state through military alliances.")
@click.argument("state")
@AS_OF
@JSON
@pass_session
def allies(session, state, as_of, as_json):
    """The states allied with STATE on --as-of (default: now, by the current statuses):
    co-members of a military alliance, both memberships active (a frozen one is not).

    STATE must be a state: for an alliance (kg allies CSTO) the error names its members.

    \b
    Example:
        kg allies Armenia --as-of 2023-09-01
        kg allies Russia --json
    """
    from kg.relations import allies as find_allies

    iri = _entity(session, state)
    G = _build(session, "alliance", None)
    if iri not in G:
        _require_polity(session, iri)
    found = find_allies(G, iri, as_of=as_of)
    if as_json:
        _echo_json(found)
        return
    if not found:
        click.echo("no allies" + (f" on {as_of}" if as_of else " (current statuses)"))
    for a in found:
        since = f" since {a['start']}" if a.get("start") else ""
        click.echo(f"{a['label']} <{_short(a['ally'])}>  in {a['organization_label']}{since}")


_CLASS_OF = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?polity ?class WHERE {
  ?x a ?class .
  OPTIONAL { ?class rdfs:subClassOf* ?polity FILTER(?polity = ?top) }
  # the most specific class: none of the entity's other classes is below it
  FILTER NOT EXISTS { ?x a ?sub . ?sub rdfs:subClassOf+ ?class FILTER(?sub != ?class) }
} ORDER BY DESC(BOUND(?polity)) STR(?class)"""


def _require_polity(session: Session, iri: str) -> None:
    """Raise NotAStateError unless ``iri`` is a kg:Polity (a state, recognized or not)."""
    from rdflib import URIRef

    from kg.namespaces import KG, shorten
    from kg.relations.allies import NotAStateError

    rows = session.graph().query(_CLASS_OF, x=URIRef(iri), top=KG.Polity).rows
    if rows and rows[0][0] is not None:
        return
    what = f" but a {shorten(rows[0][1])}" if rows else ""
    raise NotAStateError(f"{shorten(iri)} is not a state{what}; name a state")


@click.command(short_help="Statements about one event that conflict.")
@click.argument("event", required=False)
@JSON
@pass_session
def contested(session, event, as_json):
    """Claims about EVENT (default: every event) that contradict each other, or that
    speakers for different sides word differently.

    \b
    Example:
        kg contested kgr:Offensive2023
        kg contested --json
    """
    from kg.importers.coded import coded_events
    from kg.relations import contested as find_contested

    iri = _entity(session, event) if event else None
    found = find_contested(_build(session, "full", None), iri)
    for item in found:  # what event datasets (GDELT, ACLED) coded beside the claims
        item["coded"] = coded_events(session.graph(), item["event"])
    if as_json:
        _echo_json(found)
        return
    if not found:
        click.echo("no contested event")
    for item in found:
        click.echo(f"{item['label']} <{_short(item['event'])}>")
        for c in item["claims"]:
            click.echo(f"  {c['speaker_label'] or 'the author'} ({c['kind'] or c['cls']}):")
            click.echo(_evidence(c["quote"], c["source"], indent="    "))
        for x, y, why in item["pairs"]:
            click.echo(f"  {_short(x)} x {_short(y)}: {why}")
        for c in item["coded"]:
            code = f"CAMEO {c['code']}, " if c["code"] else ""
            click.echo(f"  coded by {_short(c['dataset'])} ({code}{c['record']}): {c['label']}")


@click.command(short_help="Who said what, about what.")
@click.option("--about", metavar="ENTITY", help="Only claims about this entity.")
@click.option("--speaker", metavar="ENTITY", help="Only statements by this speaker (or its state).")
@AS_OF
@ALLEGED
@JSON
@pass_session
def said(session, about, speaker, as_of, alleged, as_json):
    """The claims of the graph (statements, the author's opinions, reported facts), by date.

    \b
    Example:
        kg said --about kgr:Offensive2023
        kg said --speaker Armenia --json
    """
    from kg.relations import who_said_what

    about_iri = _entity(session, about) if about else None
    speaker_iri = _entity(session, speaker) if speaker else None
    G = _build(session, "full", as_of, alleged)
    found = who_said_what(G, about=about_iri, speaker=speaker_iri)
    from kg.relations.kinds import claim_kinds

    kinds = claim_kinds(session.graph())
    for c in found:  # a view keeps one kind per node; a claim may have several
        c["kinds"] = kinds.get(c["claim"], [c["kind"]] if c["kind"] else [])
    if as_json:
        _echo_json(found)
        return
    if not found:
        click.echo("no claims")
    for c in found:
        who = c["speaker_label"] or ("the author" if c["cls"] == "Opinion" else "reported")
        kind = ", ".join(c["kinds"]) or c["cls"]
        click.echo(f"{c['date'] or 'undated'}  {who} ({kind}): {c['label']}")
        click.echo(_evidence(c["quote"], c["source"], indent="    "))


def register(group: click.Group) -> None:
    """Add ``view``, ``path``, ``allies``, ``contested`` and ``said`` to the ``kg`` group.

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
    ['allies', 'contested', 'path', 'said', 'view']
    """
    for command in (view, path, allies, contested, said):
        group.add_command(command)
