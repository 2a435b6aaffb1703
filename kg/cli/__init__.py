"""The ``kg`` command: a click group whose commands live in one module per topic.

Each module named in :data:`COMMAND_MODULES` exposes ``register(group)``, which adds its
commands to the group. To add commands, write ``kg/cli/<topic>.py`` with a ``register``
function and add one line to :data:`COMMAND_MODULES`. Command modules import only click
and light ``kg`` modules at import time (rdflib, pyshacl ... inside the command bodies), so
``kg --help`` starts fast.

Errors: a :class:`kg.errors.KgError` or a click usage error is printed as one line,
``kg: error: ...``, on stderr, with exit status 2.
"""

from __future__ import annotations

import importlib
import os
import sys

import click

from kg import __version__
from kg.cli.session import Session
from kg.errors import KgError

__all__ = ["cli", "COMMAND_MODULES", "main", "register_commands"]

#: Modules that add commands to the ``kg`` group, in the order of ``kg --help``.
COMMAND_MODULES = [
    "kg.cli.project",
    "kg.cli.sources",
    "kg.cli.info",
    "kg.cli.query",
    "kg.cli.validate",
    "kg.cli.export",
    "kg.cli.serve",
    "kg.cli.link",
    "kg.cli.store",
    "kg.cli.render",
    "kg.cli.views",
    "kg.cli.importers",
    "kg.cli.cache",
]


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="kg")
@click.option(
    "--root",
    type=click.Path(file_okay=False),
    envvar="KG_ROOT",
    help="The project folder [default: KG_ROOT, else the nearest folder upward with a kg.toml, "
    "else the installed project].",
)
@click.option(
    "--data",
    "data",
    multiple=True,
    metavar="PATH",
    help="Load this data file instead of the project's data/ files (repeatable).",
)
@click.option(
    "--add",
    "add",
    multiple=True,
    metavar="PATH",
    help="Load this data file beside the data (repeatable).",
)
@click.option(
    "--backend",
    metavar="NAME",
    help="Triple store: memory (rdflib), oxigraph or remote [default: the project's kg.toml, "
    "else memory].",
)
@click.option(
    "--store",
    metavar="PATH",
    help="Oxigraph store folder, read as it is (only kg load writes to it).",
)
@click.option("--endpoint", metavar="URL", help="SPARQL endpoint URL, for the remote backend.")
@click.option(
    "--update-endpoint",
    metavar="URL",
    help="SPARQL Update URL of the remote endpoint (without it, kg never writes to it).",
)
@click.option(
    "--user",
    metavar="NAME",
    help="HTTP auth user (Basic or Digest) for the endpoint (password in KG_ENDPOINT_PASSWORD; "
    "a bearer token goes in KG_ENDPOINT_TOKEN).",
)
@click.option(
    "--graph",
    "named_graph",
    metavar="IRI",
    help="Read this one named graph of the endpoint (sent as default-graph-uri).",
)
@click.option(
    "--no-cache",
    is_flag=True,
    envvar="KG_NO_CACHE",
    help="Answer from the loaded graph, not from the cache of repeated questions (kg cache).",
)
@click.pass_context
def cli(
    ctx, root, data, add, backend, store, endpoint, update_endpoint, user, named_graph, no_cache
):
    """Query, check and export the international-relations knowledge graph.

    The graph is the installed ontology and vocabularies (or a project's own ontology/)
    and the project's data: every .ttl/.trig file under its data/ (or the --data files),
    plus any --add files. The project is --root, else KG_ROOT, else the nearest folder
    upward holding a kg.toml (see kg init), else the installed project (the article).

    \b
    Example:
        kg init my-project && cd my-project
        kg stats
        kg queries
        kg query in_force_as_of --param asOf=2024-03-01
        kg --data my.ttl validate
        kg --add extra.ttl export --format nt -o out/all.nt
    """
    from_env = ctx.get_parameter_source("root") == click.core.ParameterSource.ENVIRONMENT
    ctx.obj = Session(
        root=root,
        root_source="KG_ROOT" if from_env else "--root",
        data=data,
        add=add,
        backend=backend,
        store=store,
        endpoint=endpoint,
        update_endpoint=update_endpoint,
        user=user,
        named_graph=named_graph,
    )
    ctx.obj.cache = not no_cache


def register_commands(group: click.Group, modules: list[str] | None = None) -> click.Group:
    """Import each command module and let it add its commands to ``group``.

    Parameters
    ----------
    group:
        The click group to add commands to.
    modules:
        Module names; default :data:`COMMAND_MODULES`.

    Returns
    -------
    click.Group
        ``group``.

    Example
    -------
    >>> sorted(register_commands(click.Group("demo"), ["kg.cli.export"]).commands)
    ['export']
    """
    for name in COMMAND_MODULES if modules is None else modules:
        importlib.import_module(name).register(group)
    return group


register_commands(cli)


def main(argv: list[str] | None = None) -> None:
    """Run the ``kg`` command; exit 2 with one line on stderr for any input error.

    Parameters
    ----------
    argv:
        Arguments without the program name; default ``sys.argv[1:]``.

    Returns
    -------
    None
        It exits: 0 on success, 1 when ``kg validate`` finds violations, 2 on errors.

    Example
    -------
    >>> try:
    ...     main(["--version"])
    ... except SystemExit as exit:
    ...     print("exit", exit.code)
    kg, version 0.1.0
    exit 0
    """
    try:
        status = cli.main(args=argv, prog_name="kg", standalone_mode=False)
    except click.exceptions.NoArgsIsHelpError as exc:
        click.echo(exc.ctx.get_help())
        status = 0
    except click.ClickException as exc:
        where = getattr(getattr(exc, "ctx", None), "command_path", "kg")
        _fail(f"{exc.format_message().rstrip('.')} (see {where} --help)")
    except KgError as exc:
        _fail(str(exc))
    except click.Abort:
        _fail("interrupted", status=130)
    except BrokenPipeError:
        # The reader (e.g. `head`) went away: not an error of ours. Point stdout at devnull
        # so that Python's flush at exit does not raise again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        status = 0
    except OSError as exc:
        _fail(f"{exc.filename + ': ' if exc.filename else ''}{exc.strerror or exc}")
    sys.exit(status if isinstance(status, int) else 0)


def _fail(message: str, status: int = 2) -> None:
    """Print ``kg: error: message`` as one line on stderr and exit."""
    click.echo(f"kg: error: {' '.join(message.split())}", err=True)
    sys.exit(status)
