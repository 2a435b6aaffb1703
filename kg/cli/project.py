"""``kg init``: create a project folder (kg.toml, data/, sources/)."""

from __future__ import annotations

import click

__all__ = ["init", "register"]


@click.command(short_help="Create a project folder: kg.toml, data/ and sources/.")
@click.argument("directory", metavar="DIR", type=click.Path(file_okay=False))
@click.option(
    "--backend",
    type=click.Choice(["memory", "oxigraph", "remote"]),
    default="memory",
    show_default=True,
    help="The project's default backend, written to kg.toml.",
)
@click.option(
    "--store",
    metavar="PATH",
    help="An Oxigraph store folder, relative to DIR, as the default store (implies oxigraph).",
)
def init(directory: str, backend: str, store: str | None) -> None:
    """Create a project in DIR: kg.toml (its default backend/store), data/ and sources/.

    Commands run anywhere inside DIR use this project (as git finds a repository): every
    .ttl/.trig file under data/ is loaded, with the installed ontology, vocabularies,
    shapes and named queries. An ontology/ folder in DIR would override or extend them.

    \b
    Example:
        kg init my-project
        cd my-project && kg stats
        kg init big --store store   # commands read the Oxigraph store big/store
    """
    from kg.project import init_project

    init_project(directory, backend=backend, store=store)
    click.echo(f"created a kg project in {directory}: kg.toml, data/, sources/")


def register(group: click.Group) -> None:
    """Add ``init`` to the ``kg`` group.

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
    ['init']
    """
    group.add_command(init)
