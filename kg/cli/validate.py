"""``kg validate``: check the graph against the SHACL shapes."""

from __future__ import annotations

import click

from kg.cli.session import Session, pass_session


@click.command(short_help="Check the graph against the SHACL shapes.")
@click.option("--infer", is_flag=True, help="Add the OWL 2 RL closure (owlrl) before validating.")
@click.option(
    "--shapes",
    type=click.Path(dir_okay=False),
    help="Shapes file to use instead of ontology/shapes.ttl.",
)
@pass_session
def validate(session: Session, infer: bool, shapes: str | None) -> None:
    """Validate the graph against the SHACL shapes; exit 1 if it does not conform.

    Prints one line per result: severity, the node's label, the property and the message.

    \b
    Example:
        kg validate
        kg validate --infer
        kg --data draft.ttl validate --shapes ontology/shapes.ttl
    """
    report = session.graph().validate(infer=infer, shapes=shapes)
    for v in report.violations:
        value = f" (value: {v.value})" if v.value else ""
        where = f"{v.focus_label}, {v.path}" if v.path else v.focus_label
        click.echo(f"{v.severity}: {where}: {v.message}{value}")
    counts = {}
    for v in report.violations:
        counts[v.severity] = counts.get(v.severity, 0) + 1
    summary = ", ".join(f"{n} {s.lower()}{'s' if n != 1 else ''}" for s, n in counts.items())
    if report.conforms:
        click.echo(f"conforms{f' ({summary})' if summary else ''}")
    else:
        click.echo(f"does not conform: {summary}")
        raise click.exceptions.Exit(1)


def register(group: click.Group) -> None:
    """Add ``validate`` to the ``kg`` group.

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
    ['validate']
    """
    group.add_command(validate)
