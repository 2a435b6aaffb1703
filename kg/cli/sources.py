"""``kg add``, ``kg draft``, ``kg export-source``: sources in, drafted and out, without Turtle."""

from __future__ import annotations

import click

from kg.cli.session import Session, pass_session

__all__ = ["add", "draft", "export_source", "register"]


@click.command(short_help="Check source files and add them to the project.")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--check", "check_only", is_flag=True, help="Check everything, write nothing.")
@click.option(
    "--shacl",
    type=click.Choice(["auto", "pyshacl", "turbo"]),
    default="auto",
    show_default=True,
    help="SHACL engine: pyshacl, turbo (pyshacl-turbo, in Rust), auto (turbo if installed).",
)
@pass_session
def add(session: Session, files: tuple[str, ...], check_only: bool, shacl: str) -> None:
    """Check source FILES (YAML or JSON, see docs/sources.md), then write each to
    data/sources/<id>.ttl of the project, or into --store, all or nothing.

    Everything is checked before anything is written: quotes character-exact in the
    source's text, dates real at their precision, terms known to the ontology, names
    resolved, SHACL conformance of the new nodes with the graph. An error is
    FILE:LINE:COLUMN: what is wrong (exit 2). The same file again changes nothing; a changed
    file replaces that source's triples and nothing else.

    \b
    Example:
        kg add sources/tribune.yaml
        kg add --check sources/*.yaml
        kg --store stores/world add sources/*.yaml
    """
    from kg.sources.add import SourceErrors, add_sources

    store = session.store if session.backend == "oxigraph" else None
    try:
        report = add_sources(
            list(files),
            root=session.project.root,
            store=store,
            check_only=check_only,
            shacl=shacl,
            parallel=True,
        )
    except SourceErrors as exc:
        for error in exc.errors:
            click.echo(f"kg: error: {' '.join(str(error).split())}", err=True)
        raise click.exceptions.Exit(2) from None
    for line in report.lines():
        click.echo(line)


@click.command(short_help="Write a draft source file from plain text.")
@click.argument("article", type=click.Path(dir_okay=False))
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write here, not stdout.")
@click.option("--title", help="The source's title [default: its first line].")
@click.option("--url", help="The source's URL.")
@click.option("--date", "published", help="Publication date (resolves 'on Tuesday' etc.).")
@click.option("--publisher", help="The publisher.")
@pass_session
def draft(
    session: Session,
    article: str,
    output: str | None,
    title: str | None,
    url: str | None,
    published: str | None,
    publisher: str | None,
) -> None:
    """Draft a source file from ARTICLE (plain text), offline and by rules.

    Finds sentences, quotations and their likely speakers (reporting verbs, the persons and
    bodies the graph knows), dates (resolved against --date), and entities (the graph's
    names, countries and cities). Every proposal is marked `reviewed: false`: `kg add` of
    the unedited draft adds only the source document.

    \b
    Example:
        kg draft article.txt -o sources/article.yaml --date 2031-04-03 --publisher "The Tribune"
    """
    from kg.files import write_text_atomically
    from kg.sources.draft import draft_source

    graph = session.graph().rdflib_graph
    text = draft_source(
        article,
        graph,
        out=output,
        title=title,
        url=url,
        published=published,
        publisher=publisher,
    )
    if output:
        write_text_atomically(output, text)
        click.echo(f"wrote {output}: review it, then `kg add {output}`")
    else:
        click.echo(text, nl=False)


@click.command("export-source", short_help="Write a source of the graph back as a source file.")
@click.argument("source", required=False)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write here, not stdout.")
@click.option("--text-file", help="The source's text file, to name in the export.")
@click.option(
    "--context",
    "context",
    is_flag=True,
    help="Write the JSON-LD context of the format instead (a source file as JSON is then RDF).",
)
@pass_session
def export_source(
    session: Session, source: str, output: str | None, text_file: str | None, context: bool
) -> None:
    """Export SOURCE (a source document: IRI, prefixed name or label) as a source file.

    Its nodes (those whose dct:source is SOURCE), with the nodes they name from other
    sources, each with its own source, so that the file adds to a fresh project.

    \b
    Example:
        kg export-source kgr:article -o sources/article.yaml \
            --text-file ../data/sources/000_d20e6f837713f4ad.txt
        kg export-source --context -o sources.context.jsonld
    """
    from kg.files import write_text_atomically
    from kg.resolve import resolve

    if context:
        _write_context(session, output)
        return
    if not source:
        raise click.UsageError("give a SOURCE, or --context")
    from kg.sources.export import export_source as run

    graph = session.graph()
    iri = resolve(graph, source)
    text = run(graph.rdflib_graph, iri, text_file=text_file, out=output)
    if output:
        write_text_atomically(output, text)
        click.echo(f"wrote {output}")
    else:
        click.echo(text, nl=False)


def _write_context(session: Session, output: str | None) -> None:
    import json

    from rdflib import Graph

    from kg.files import write_text_atomically
    from kg.parsing import parse_files
    from kg.sources.terms import Vocabulary, jsonld_context

    schema = parse_files(session.project.schema_files, Graph())
    text = json.dumps(jsonld_context(Vocabulary.from_graph(schema)), indent=2, sort_keys=True)
    if output:
        write_text_atomically(output, text + "\n")
        click.echo(f"wrote {output}")
    else:
        click.echo(text)


def register(group: click.Group) -> None:
    """Add ``add``, ``draft`` and ``export-source`` to the ``kg`` group.

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
    ['add', 'draft', 'export-source']
    """
    group.add_command(add)
    group.add_command(draft)
    group.add_command(export_source)
