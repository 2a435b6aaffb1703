"""``kg cache clear`` and ``kg cache path``: the on-disk answers of repeated questions."""

from __future__ import annotations

import click

__all__ = ["cache", "clear", "path", "register"]


@click.group(short_help="Show or empty the cache of answers.")
def cache() -> None:
    """The cache of answers to repeated questions (see kg.cache).

    kg keeps the answers of its queries on disk, keyed by the content of every loaded
    file and the ontology, so a repeated question is answered without loading the graph;
    a repeated view, path, said, stats or render command replays its recorded output.
    Any change to a loaded file gives fresh answers; `kg --no-cache ...` skips the cache.

    \b
    Example:
        kg cache path
        kg cache clear
    """


@cache.command(short_help="Remove every cached answer.")
def clear() -> None:
    """Remove every cached answer and remembered file digest.

    \b
    Example:
        kg cache clear
    """
    from kg.cache import cache_dir
    from kg.cache import clear as clear_cache

    removed = clear_cache()
    click.echo(f"removed {removed} file{'s' if removed != 1 else ''} from {cache_dir()}")


@cache.command(short_help="Print the cache folder.")
def path() -> None:
    """Print the folder the cache lives in (answers/ in KG_CACHE_DIR, else in
    XDG_CACHE_HOME/kg, else in ~/.cache/kg).

    \b
    Example:
        kg cache path
    """
    from kg.cache import cache_dir

    click.echo(str(cache_dir()))


def register(group: click.Group) -> None:
    """Add ``cache`` to the ``kg`` group.

    Parameters
    ----------
    group:
        The click group.

    Returns
    -------
    None

    Example
    -------
    >>> g = click.Group("kg"); register(g); sorted(g.commands["cache"].commands)
    ['clear', 'path']
    """
    from kg.cache.replay import install

    group.add_command(cache)
    # Last of the command modules: the commands whose whole output a repeated run replays
    # (kg.cache.replay.REPLAYED) are registered by now.
    install(group)
