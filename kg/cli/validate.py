"""``kg validate``: check the graph against the SHACL shapes, and the data files for what
a hand-writer gets wrong (unknown kg terms, dangling references, invalid literals, entities
without a label), each with its file and line."""

from __future__ import annotations

import click

from kg.cli.session import Session, pass_session

__all__ = ["register", "validate"]


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
    Then checks each data file (memory backend): terms in the kg namespace the ontology
    does not define (with did-you-mean), references described nowhere, literals invalid
    for their datatype, entities without a label: FILE:LINE: what is wrong.

    \b
    Example:
        kg validate
        kg validate --infer
        kg --data draft.ttl validate --shapes ontology/shapes.ttl
    """
    _quiet_rdflib_literals()
    report = session.graph().validate(infer=infer, shapes=shapes)
    problems = data_problems(session)
    for problem in problems:
        click.echo(f"Problem: {problem}")
    for v in report.violations:
        value = f" (value: {v.value})" if v.value else ""
        where = f"{v.focus_label}, {v.path}" if v.path else v.focus_label
        click.echo(f"{v.severity}: {where}: {v.message}{value}")
    counts: dict[str, int] = {}
    for v in report.violations:
        counts[v.severity] = counts.get(v.severity, 0) + 1
    summary = ", ".join(f"{n} {s.lower()}{'s' if n != 1 else ''}" for s, n in counts.items())
    if problems:
        n = len(problems)
        summary = ", ".join(
            filter(None, [summary, f"{n} problem{'s' if n != 1 else ''} in the data files"])
        )
    if report.conforms and not problems:
        click.echo(f"conforms{f' ({summary})' if summary else ''}")
    else:
        click.echo(f"does not conform: {summary}")
        raise click.exceptions.Exit(1)


def data_files(session: Session) -> list:
    """The data files the session loads into memory (none for a store or an endpoint).

    Parameters
    ----------
    session:
        The command's session.

    Returns
    -------
    list[pathlib.Path]

    Example
    -------
    >>> data_files(Session(store="/tmp/s"))
    []
    """
    from pathlib import Path

    if session.backend != "memory":
        return []
    files = [Path(p) for p in session.data] or list(session.project.data_files())
    return [
        f for f in [*files, *(Path(p) for p in session.add)] if f.suffix in (".ttl", ".nt", ".n3")
    ]


def data_problems(session: Session) -> list:
    """:func:`kg.data_checks.check_data` over the session's data files.

    Parameters
    ----------
    session:
        The command's session.

    Returns
    -------
    list[kg.data_checks.Problem]
    """
    from rdflib import Graph

    from kg.data_checks import check_data
    from kg.parsing import parse_files

    files = data_files(session)
    if not files:
        return []
    schema = parse_files(session.project.schema_files, Graph())
    return check_data(schema, files)


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
    # Every command that loads the data warns when its files do not validate; the warning
    # reports ill-typed literals itself, so rdflib's own traceback for them is not printed.
    group.result_callback()(warn_if_invalid)
    _quiet_rdflib_literals()


#: Above this many bytes of data files, other commands do not re-check them (it would cost
#: more than the command); `kg validate` always does.
WARN_LIMIT = 20_000_000


def warn_if_invalid(*_: object, **__: object) -> None:
    """After a command that loaded the data, warn on stderr when the data files have problems
    (those :func:`data_problems` finds; SHACL is only run by ``kg validate``)."""
    ctx = click.get_current_context(silent=True)
    session = getattr(ctx, "obj", None) if ctx else None
    if ctx is None or not isinstance(session, Session):
        return
    if ctx.invoked_subcommand in ("validate", None):
        return
    if not getattr(session, "_graphs", None):
        return
    files = data_files(session)
    if not files or sum(f.stat().st_size for f in files if f.exists()) > WARN_LIMIT:
        return

    def count_and_first() -> list:
        problems = data_problems(session)
        return [len(problems), str(problems[0]) if problems else None]

    # A graph answering from kg.cache keeps this too (it depends only on the files' content).
    remember = getattr(session._graphs.get(False), "remember", None)
    key = ["data_problems", [str(f) for f in files]]
    n, first = remember(key, count_and_first) if remember else count_and_first()
    if n:
        click.echo(
            f"kg: warning: the data does not validate ({n} problem{'s' if n != 1 else ''}; first:"
            f" {first}); run kg validate",
            err=True,
        )


def _quiet_rdflib_literals() -> None:
    """rdflib logs a traceback for every ill-typed literal it parses; kg reports them itself."""
    import logging

    logging.getLogger("rdflib.term").setLevel(logging.ERROR)
