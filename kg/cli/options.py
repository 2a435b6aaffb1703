"""Option kinds that click lacks: options of which a command takes at most one."""

from __future__ import annotations

from typing import Any

import click

__all__ = ["OneOf"]


class OneOf(click.Option):
    """An option that excludes the other options of its group (click has no such group).

    Parameters
    ----------
    *args:
        As for :class:`click.Option`.
    group:
        The parameter names of the options that exclude each other, this one included.
    **kwargs:
        As for :class:`click.Option`.

    Returns
    -------
    OneOf

    Raises
    ------
    click.UsageError
        At parse time, when two options of the group are given.

    Example
    -------
    >>> ACTIONS = ("a", "b")
    >>> @click.command()
    ... @click.option("--a", cls=OneOf, group=ACTIONS)
    ... @click.option("--b", cls=OneOf, group=ACTIONS)
    ... def command(a, b):
    ...     print(a, b)
    >>> command.main(["--a", "1"], standalone_mode=False)
    1 None
    >>> command.main(["--a", "1", "--b", "2"], standalone_mode=False)
    Traceback (most recent call last):
    ...
    click.exceptions.UsageError: use one of --a, --b at a time
    """

    def __init__(self, *args: Any, group: tuple[str, ...], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.group = group

    def handle_parse_result(
        self, ctx: click.Context, opts: Any, args: list[str]
    ) -> tuple[Any, list[str]]:
        """Refuse this option beside another of its group, then parse it as usual."""
        given = [name for name in self.group if opts.get(name) is not None]
        if self.name in given and len(given) > 1:
            flags = [f"--{name.replace('_', '-')}" for name in given]
            raise click.UsageError(f"use one of {', '.join(flags)} at a time", ctx=ctx)
        return super().handle_parse_result(ctx, opts, args)
