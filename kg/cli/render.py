"""``kg render``: write a view (or the contested claims of an event) as an interactive HTML page."""

from __future__ import annotations

import click

from kg.cli.session import Session, pass_session

__all__ = ["register", "render"]

#: The views ``kg render`` draws (kg.views.VIEWS, listed here so --help stays fast),
#: ``contested``: an event's claims grouped by side, and ``entity``: one entity's page.
VIEW_NAMES = ["full", "alliance", "agreement", "event", "statement", "contested", "entity"]


@click.command(short_help="Write a view as an interactive, offline HTML page.")
@click.argument("view", type=click.Choice(VIEW_NAMES))
@click.argument("entity", required=False, metavar="[ENTITY]")
@click.option(
    "--output",
    "-o",
    required=True,
    type=click.Path(dir_okay=False),
    help="The .html file to write (atomically; its folder is created).",
)
@click.option("--as-of", "as_of", metavar="DATE", help="The graph as of this date (YYYY-MM-DD).")
@click.option(
    "--focus",
    metavar="ENTITY",
    help="Keep only this entity's neighbourhood (IRI, prefixed name or label). For "
    "'contested': the event [default: the event with the most claims].",
)
@click.option(
    "--hops", type=click.IntRange(min=1), default=1, show_default=True, help="Radius of --focus."
)
@click.option("--title", metavar="TEXT", help="Page title [default: the view's name].")
@click.option(
    "--alleged",
    is_flag=True,
    help="Also draw alleged, planned, intended and conditional events and facts (marked).",
)
@pass_session
def render(
    session: Session,
    view: str,
    entity: str | None,
    output: str,
    as_of: str | None,
    focus: str | None,
    hops: int,
    title: str | None,
    alleged: bool,
) -> None:
    """Write VIEW as one self-contained HTML page that works offline (from file://).

    The page has a search box, class and relation filters, an "as of" slider over the
    dated facts, a focus on an entity's neighbourhood and a details panel; it makes no
    network request. VIEW is one of the kg.views views, 'contested' (an event with the
    claims about it, grouped by side), or 'entity' followed by ENTITY (a state,
    organization or person: its neighbourhood and the timeline of its memberships,
    agreements, events and statements, each with its quote and source).

    \b
    Example:
        kg render full -o out/full.html
        kg render alliance --as-of 2023-09-01 -o out/alliance.html
        kg render full --focus kgr:Armenia --hops 2 -o out/armenia.html
        kg render contested -o out/contested.html
        kg render entity kgr:Armenia -o out/armenia-page.html
        kg render event --alleged -o out/events-alleged.html
    """
    from kg.errors import BadOptionError
    from kg.importers import attributions
    from kg.render import focus_subgraph
    from kg.render import render as render_view
    from kg.render.contested import render_contested
    from kg.views import VIEWS
    from kg.views.timefilter import as_of_string

    if (view == "entity") != (entity is not None):
        raise BadOptionError(
            "kg render entity needs an ENTITY (kg render entity kgr:Armenia -o FILE)"
            if view == "entity"
            else f"unexpected argument {entity!r}: only 'kg render entity' takes an ENTITY"
        )
    as_of = as_of_string(as_of)
    graph = session.graph()
    # each imported dataset's attribution, licence and terms, shown on the page (issue 13)
    credits = attributions(graph)
    if view == "entity":
        from kg.render.entity import entity_view, render_entity

        assert entity is not None  # checked above
        full = VIEWS["full"](graph, as_of=as_of, alleged=alleged)
        page = entity_view(full, entity)
        render_entity(full, entity, output, title=title, credits=credits)
        size = f"{page.number_of_nodes()} nodes, {len(page.graph['timeline'])} timeline items"
        click.echo(f"wrote {output} (entity {entity}: {size})", err=True)
        return
    if view == "contested":
        render_contested(
            VIEWS["full"](graph, as_of=as_of, alleged=alleged),
            output,
            focus,
            title=title,
            credits=credits,
        )
        click.echo(f"wrote {output} (contested{', ' + focus if focus else ''})", err=True)
        return
    built = VIEWS[view](graph, as_of=as_of, alleged=alleged)
    if focus:
        built = focus_subgraph(built, focus, hops)
    render_view(built, output, title=title, credits=credits)
    around = f", around {focus} within {hops} hop{'s' if hops > 1 else ''}" if focus else ""
    size = f"{built.number_of_nodes()} nodes, {built.number_of_edges()} edges"
    click.echo(f"wrote {output} ({view}{around}: {size})", err=True)


def register(group: click.Group) -> None:
    """Add ``render`` to the ``kg`` command group.

    Parameters
    ----------
    group:
        The ``kg`` click group.

    Returns
    -------
    None

    Example
    -------
    >>> g = click.Group("kg"); register(g); sorted(g.commands)
    ['render']
    """
    group.add_command(render)
