"""Parse RDF files into rdflib graphs, turning every parser failure into a one-line KgError.

rdflib's parsers fail in many ways (``BadSyntax`` from Turtle/TriG/N3, ``ParserError`` from
N-Triples/N-Quads, SAX errors from RDF/XML, ``JSONDecodeError`` from JSON-LD). The user
should see ``data/x.ttl:12: what is wrong`` whatever the format, so this module knows where
each parser keeps the line number.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from rdflib import Dataset, Graph

from kg.errors import BadOptionError, MissingFileError, ParseError
from kg.parse_safety import (
    MAX_ENTITY_EXPANSION,
    check_safe_to_parse,
    remote_contexts_allowed,
    safe_document,
)

__all__ = [
    "FORMAT_BY_EXTENSION",
    "MAX_ENTITY_EXPANSION",
    "QUAD_FORMATS",
    "check_safe_to_parse",
    "copy_quads",
    "guess_format",
    "parse_file",
    "parse_files",
    "parse_text",
    "remote_contexts_allowed",
]

#: file extension -> rdflib parser name.
FORMAT_BY_EXTENSION = {
    ".ttl": "turtle",
    ".turtle": "turtle",
    ".nt": "nt",
    ".ntriples": "nt",
    ".nq": "nquads",
    ".nquads": "nquads",
    ".trig": "trig",
    ".jsonld": "json-ld",
    ".json": "json-ld",
    ".rdf": "xml",
    ".owl": "xml",
    ".xml": "xml",
    ".n3": "n3",
}

#: Formats that carry named graphs, so they must be parsed into a Dataset to keep them.
QUAD_FORMATS = frozenset({"nquads", "trig", "json-ld"})


def guess_format(path: str | Path) -> str:
    """Return rdflib's parser name for ``path``, from its extension.

    Parameters
    ----------
    path:
        A file name such as ``data/triples.ttl``.

    Returns
    -------
    str
        ``"turtle"``, ``"nt"``, ``"nquads"``, ``"trig"``, ``"json-ld"``, ``"xml"`` or ``"n3"``.

    Example
    -------
    >>> guess_format("data/triples.ttl"), guess_format("x.NQ"), guess_format("a.jsonld")
    ('turtle', 'nquads', 'json-ld')
    >>> guess_format("notes.txt")
    Traceback (most recent call last):
    ...
    kg.errors.BadOptionError: notes.txt: cannot tell the RDF format from the extension '.txt' ...
    """
    suffix = Path(path).suffix.lower()
    try:
        return FORMAT_BY_EXTENSION[suffix]
    except KeyError:
        known = " ".join(sorted(FORMAT_BY_EXTENSION))
        raise BadOptionError(
            f"cannot tell the RDF format from the extension {suffix!r} (known: {known})",
            path=path,
        ) from None


def parse_file(
    path: str | Path,
    into: Graph | None = None,
    *,
    format: str | None = None,
    allow_remote_context: bool = False,
) -> Graph:
    """Parse one RDF file into ``into`` (a new Dataset if not given).

    Parameters
    ----------
    path:
        The file; its format is guessed from the extension unless ``format`` is given.
    into:
        The Graph or Dataset to add to. Triple formats go to a Dataset's default graph;
        quad formats keep their named graphs.
    format:
        An rdflib parser name, to override the guess.
    allow_remote_context:
        Let a JSON-LD file name remote contexts: kg fetches them (bounded, HTTP(S) only)
        and inlines them; refused by default (see :mod:`kg.parse_safety`).

    Returns
    -------
    Graph
        ``into`` (or the new Dataset), with the file's triples added.

    Raises
    ------
    MissingFileError
        ``no such file: PATH``.
    ParseError
        ``PATH:LINE: parser message`` (without ``LINE`` when the parser gives none).

    Example
    -------
    >>> import tempfile, os
    >>> d = tempfile.mkdtemp()
    >>> p = os.path.join(d, "x.ttl")
    >>> _ = open(p, "w").write('<http://a> <http://b> "c" .\\n<http://a> <http://b> "d .\\n')
    >>> parse_file(p)
    Traceback (most recent call last):
    ...
    kg.errors.ParseError: /.../x.ttl:2: Bad syntax (newline found in string literal)
    >>> parse_file(os.path.join(d, "missing.ttl"))
    Traceback (most recent call last):
    ...
    kg.errors.MissingFileError: no such file: /.../missing.ttl
    """
    fmt = format or guess_format(path)
    file = Path(path)
    if not file.exists():
        raise MissingFileError(f"no such file: {path}")
    if file.is_dir():
        raise MissingFileError(f"{path} is a folder, not an RDF file")
    graph = Dataset() if into is None else into
    # Triples go straight into a Dataset's default graph (Dataset.parse would do the same,
    # through a deprecated rdflib code path). Quads are parsed into a fresh Dataset and
    # copied: rdflib 7 empties the default graph of a Dataset it parses N-Quads into.
    if isinstance(graph, Dataset):
        target = Dataset() if fmt in QUAD_FORMATS else graph.default_graph
    else:
        target = Dataset() if fmt in QUAD_FORMATS else graph
    data = None
    if fmt in ("xml", "json-ld"):
        with remote_contexts_allowed(allow_remote_context):
            data = safe_document(file.read_bytes(), fmt, path)
    try:
        with open(file, "rb") as stream, _quiet_rdflib():
            source = stream if data is None else io.BytesIO(data)
            target.parse(source=source, format=fmt, publicID=file.resolve().as_uri())
    except Exception as exc:  # rdflib's parsers raise many unrelated types; see module doc
        raise _parse_error(exc, file, path, fmt) from exc
    if target is not graph and target is not getattr(graph, "default_graph", None):
        copy_quads(target, graph)
    return graph


def copy_quads(source: Graph, target: Graph) -> Graph:
    """Add every triple of ``source`` to ``target``, keeping named graphs between Datasets.

    Parameters
    ----------
    source:
        A Graph or Dataset.
    target:
        A Graph (named graphs are merged into it) or a Dataset (named graphs are kept;
        a Graph's triples go into the default graph).

    Returns
    -------
    Graph
        ``target``.

    Example
    -------
    >>> from rdflib import URIRef
    >>> a = Dataset()
    >>> a.graph(URIRef("http://g")).add((URIRef("http://s"), URIRef("http://p"), URIRef("http://o")))
    <Graph identifier=http://g (<class 'rdflib.graph.Graph'>)>
    >>> b = copy_quads(a, Dataset())
    >>> [str(g.identifier) for g in b.graphs() if len(g)]
    ['http://g']
    >>> len(copy_quads(a, Graph()))
    1
    """
    if isinstance(target, Dataset):
        if isinstance(source, Dataset):
            target.addN((s, p, o, target.graph(c)) for s, p, o, c in source.quads())
        else:
            default = target.default_graph
            default.addN((s, p, o, default) for s, p, o in source)
    else:
        triples = source.quads() if isinstance(source, Dataset) else source
        target.addN((t[0], t[1], t[2], target) for t in triples)
    return target


def parse_files(paths: Iterable[str | Path], into: Graph | None = None) -> Graph:
    """Parse several RDF files into one graph (a new Dataset if ``into`` is not given).

    Parameters
    ----------
    paths:
        The files, in loading order.
    into:
        The Graph or Dataset to add to.

    Returns
    -------
    Graph
        The graph holding all the files' triples. On an error, ``into`` may hold a part of
        them: parse into a fresh graph first when all-or-nothing matters (backends do).

    Example
    -------
    >>> len(parse_files([]))
    0
    """
    graph = Dataset() if into is None else into
    for path in paths:
        parse_file(path, graph)
    return graph


def parse_text(
    text: str,
    format: str = "turtle",
    *,
    source: str = "<text>",
    allow_remote_context: bool = False,
) -> Graph:
    """Parse RDF text into a new Graph.

    Parameters
    ----------
    text:
        The RDF document.
    format:
        An rdflib parser name.
    source:
        The name used in error messages.
    allow_remote_context:
        As for :func:`parse_file`.

    Returns
    -------
    Graph

    Example
    -------
    >>> len(parse_text('<http://a> <http://b> <http://c> .'))
    1
    >>> parse_text('<http://a> <http://b> .', source="inline")
    Traceback (most recent call last):
    ...
    kg.errors.ParseError: inline:1: Bad syntax (objectList expected)
    """
    graph = Graph()
    data = text.encode("utf-8", "replace")
    with remote_contexts_allowed(allow_remote_context):
        safe = safe_document(data, format, source)
    try:
        with _quiet_rdflib():
            graph.parse(data=text if safe is data else safe.decode(), format=format)
    except Exception as exc:  # see parse_file
        raise _parse_error(exc, None, source, format, text=text) from exc
    return graph


def _parse_error(
    exc: Exception, file: Path | None, shown: str | Path, fmt: str, *, text: str | None = None
) -> ParseError:
    """Build the one-line error for ``exc``, raised while parsing ``file`` (or ``text``)."""
    message, line = _message_and_line(exc)
    if line is None and fmt in ("nt", "nquads"):
        line = _first_bad_line(file, text, fmt)
    return ParseError(message or type(exc).__name__, path=shown, line=line)


def _message_and_line(exc: Exception) -> tuple[str, int | None]:
    """Return the parser's own message and the 1-based line it reports, if any."""
    # Turtle, TriG and N3: notation3.BadSyntax counts the newlines before the error.
    lines = getattr(exc, "lines", None)
    if hasattr(exc, "_why") and isinstance(lines, int):
        return f"Bad syntax ({exc._why})", lines + 1
    # RDF/XML: xml.sax.SAXParseException.
    if hasattr(exc, "getLineNumber") and hasattr(exc, "getMessage"):
        return exc.getMessage(), exc.getLineNumber()
    # JSON-LD: json.JSONDecodeError.
    lineno = getattr(exc, "lineno", None)
    if isinstance(lineno, int) and hasattr(exc, "msg"):
        return str(exc.msg), lineno
    if isinstance(exc, UnicodeDecodeError):
        return f"not UTF-8 text ({exc.reason} at byte {exc.start})", None
    return str(getattr(exc, "msg", None) or exc), None


def _first_bad_line(file: Path | None, text: str | None, fmt: str) -> int | None:
    """Find the first line the line-based parser rejects, as N-Triples errors carry none."""
    try:
        lines = file.read_text(encoding="utf-8").splitlines() if file else (text or "").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        try:
            with _quiet_rdflib():
                (Dataset() if fmt == "nquads" else Graph()).parse(data=line + "\n", format=fmt)
        except Exception:  # any failure marks the line
            return number
    return None


@contextmanager
def _quiet_rdflib() -> Iterator[None]:
    """Silence the DeprecationWarnings rdflib's own parsers raise about its own API."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=DeprecationWarning, module="rdflib")
        yield
