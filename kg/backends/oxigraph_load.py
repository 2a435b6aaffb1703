"""All-or-nothing bulk loading of RDF files into an on-disk Oxigraph store, and opening one.

Oxigraph's bulk loader is fast but not transactional. So a load works on a staging copy:
a checkpoint of the store (hard links, taken in milliseconds) next to it, into which every
file is bulk loaded; only when all files parsed is the copy renamed into place. A file that
fails to parse, an interrupt or a full disk leaves the store exactly as it was. Loaded files
are recorded as :mod:`kg.backends.load_records` says, and not loaded twice.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from kg.backends.load_records import (
    LOADED_AS,
    LOADS_GRAPH,
    LoadReport,
    default_graph_size,
    file_digest,
    loaded_digests,
)
from kg.errors import BadOptionError, KgError, MissingFileError, ParseError

__all__ = ["bulk_load_files", "load_files", "open_store", "rdf_format"]


def rdf_format(path: str | Path) -> Any:
    """Return pyoxigraph's ``RdfFormat`` for a file, from its extension.

    Parameters
    ----------
    path:
        A file name; the extensions are those of :data:`kg.parsing.FORMAT_BY_EXTENSION`.

    Returns
    -------
    pyoxigraph.RdfFormat

    Example
    -------
    >>> rdf_format("data/triples.ttl").name, rdf_format("x.owl").name
    ('Turtle', 'RDF/XML')
    """
    import pyoxigraph as ox

    from kg.parsing import guess_format

    formats = {
        "turtle": ox.RdfFormat.TURTLE,
        "nt": ox.RdfFormat.N_TRIPLES,
        "nquads": ox.RdfFormat.N_QUADS,
        "trig": ox.RdfFormat.TRIG,
        "json-ld": ox.RdfFormat.JSON_LD,
        "xml": ox.RdfFormat.RDF_XML,
        "n3": ox.RdfFormat.N3,
    }
    return formats[guess_format(path)]


class _CountingReader:
    """A binary file whose reads advance a progress bar."""

    def __init__(self, path: Path, bar: Any):
        self.stream = open(path, "rb")  # noqa: SIM115 - closed by close()
        self.bar = bar

    def read(self, size: int = -1) -> bytes:
        chunk = self.stream.read(size)
        self.bar.update(len(chunk))
        return chunk

    def close(self) -> None:
        self.stream.close()


def bulk_load_files(
    store: Any,
    files: Sequence[str | Path],
    *,
    progress: bool = False,
    held: set[str] | frozenset[str] = frozenset(),
    count: bool = True,
) -> LoadReport:
    """Bulk load files into a pyoxigraph store, skipping the ones it already holds.

    Not transactional by itself: callers load into a staging store (see :func:`load_files`).

    Parameters
    ----------
    store:
        A ``pyoxigraph.Store`` (in memory or on disk).
    files:
        RDF files, formats guessed from their extensions.
    progress:
        Show a tqdm progress bar (bytes read) on stderr.
    held:
        Digests of files held elsewhere (the store a staging store will be merged into).
    count:
        Count the store's triples into the report (a scan of the store; a caller that
        adds more first counts once after).

    Returns
    -------
    LoadReport

    Raises
    ------
    MissingFileError, BadOptionError
        Before anything is read, for a missing file or an unknown extension.
    ParseError
        ``FILE:LINE: message`` for the first syntax error.

    Example
    -------
    >>> import pyoxigraph as ox, tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "x.nt")
    >>> _ = open(p, "w").write('<http://a> <http://b> "c" .\\n')
    >>> s = ox.Store()
    >>> bulk_load_files(s, [p]).triples, bulk_load_files(s, [p]).skipped == [p]
    (1, True)
    """
    import pyoxigraph as ox
    from tqdm import tqdm

    paths = [Path(f) for f in files]
    formats = []
    for path in paths:
        if not path.is_file():
            raise MissingFileError(f"no such file: {path}")
        formats.append(rdf_format(path))
    done = loaded_digests(store) | set(held)
    report = LoadReport(0)
    todo = []
    for path, fmt in zip(paths, formats, strict=True):
        digest = file_digest(path)
        if digest in done:
            report.skipped.append(str(path))
        else:
            done.add(digest)
            todo.append((path, fmt, digest))
    total = sum(path.stat().st_size for path, _, _ in todo)
    with tqdm(
        total=total, unit="B", unit_scale=True, disable=not progress or not todo, leave=False
    ) as bar:
        for path, fmt, digest in todo:
            bar.set_description(path.name)
            base = path.resolve().as_uri()
            # without a bar, Oxigraph reads the file itself (no Python call per chunk); a
            # JSON-LD file whose remote contexts were fetched (opt-in) loads its inlined bytes
            source = _check_safe(path) or (_CountingReader(path, bar) if progress else None)
            try:
                if source is None:
                    store.bulk_load(path=str(path), format=fmt, base_iri=base)
                else:
                    store.bulk_load(source, fmt, base_iri=base)
            except SyntaxError as exc:
                raise _parse_error(exc, path) from None
            except ValueError as exc:
                raise ParseError(str(exc), path=path) from None
            except MemoryError as exc:  # Oxigraph caps one token (a literal) at 16 MiB
                raise ParseError(f"a term is too long to load ({exc})", path=path) from None
            finally:
                if isinstance(source, _CountingReader):
                    source.close()
            record = ox.Quad(
                ox.NamedNode(f"urn:sha256:{digest}"),
                ox.NamedNode(LOADED_AS),
                ox.Literal(str(path.resolve())),
                ox.NamedNode(LOADS_GRAPH),
            )
            store.add(record)
            report.loaded.append(str(path))
    if count:
        report.triples = default_graph_size(store)
    return report


def _check_safe(path: Path) -> bytes | None:
    """Refuse RDF/XML entity bombs and remote JSON-LD contexts (see ``kg.parse_safety``).

    Returns the document to load instead of the file (its remote contexts inlined, when
    ``remote_contexts_allowed``), or None to load the file itself.
    """
    from kg.parse_safety import safe_document
    from kg.parsing import guess_format

    fmt = guess_format(path)
    if fmt not in ("xml", "json-ld"):
        return None
    data = path.read_bytes()
    safe = safe_document(data, fmt, path)
    return None if safe is data else safe


def _parse_error(exc: SyntaxError, path: Path) -> ParseError:
    """Oxigraph says 'Parser error between line 2 column 23 and ...: what'; keep 'what'."""
    message = str(exc)
    if message.startswith("Parser error") and ": " in message:
        message = message.split(": ", 1)[1]
    message = re.sub(r"\s*\(line \d+\)$", "", message)
    if exc.offset:
        message += f" (column {exc.offset})"
    return ParseError(message, path=path, line=exc.lineno)


def load_files(
    path: str | Path,
    files: Sequence[str | Path],
    *,
    progress: bool = False,
    store: Any = None,
    release: Callable[[], None] | None = None,
    counts: bool = True,
    close_types: bool = True,
) -> LoadReport:
    """Load files into the on-disk store at ``path``, all or nothing.

    The superclass types of the ontology's class tree are added (``?x a kg:Actor`` answers
    without a reasoner), and the store's ``kg stats`` counts are kept in it
    (:mod:`kg.backends.oxigraph_stats`), in the same all-or-nothing change.

    Parameters
    ----------
    path:
        The store folder; created if missing.
    files:
        RDF files, formats guessed from their extensions.
    progress:
        Show a progress bar on stderr.
    store:
        The store at ``path`` if the caller has it open (only one handle may be open).
    release:
        Called before the staged copy replaces the store; it must drop the caller's handle.
    counts:
        Count the store for ``kg stats`` and keep the counts in it.
    close_types:
        Add the superclass types (False only to measure what they cost,
        scripts/bench_type_closure.py).

    Returns
    -------
    LoadReport

    Raises
    ------
    ParseError
        Naming the file and line; the store is left unchanged.

    Example
    -------
    >>> import tempfile, os
    >>> d = tempfile.mkdtemp()
    >>> good, bad = os.path.join(d, "a.nt"), os.path.join(d, "b.ttl")
    >>> _ = open(good, "w").write('<http://a> <http://b> "c" .\\n')
    >>> _ = open(bad, "w").write('<http://a> <http://b> "c" .\\n<http://a> <http://b> .\\n')
    >>> load_files(os.path.join(d, "store"), [good]).triples
    1
    >>> load_files(os.path.join(d, "store"), [good, bad])
    Traceback (most recent call last):
    ...
    kg.errors.ParseError: /.../b.ttl:2: ...
    >>> load_files(os.path.join(d, "store"), []).triples
    1
    """
    from kg.backends.staging import StagedCopy

    target = Path(path)
    if target.exists() and not target.is_dir():
        raise BadOptionError(f"{target} is a file, not a store folder")
    existing = target.is_dir() and any(target.iterdir())
    source = (store if store is not None else open_store(target)) if existing else None
    staged = StagedCopy(target, source, "loading")
    del source
    try:
        report = _fill(staged.store, files, progress, counts, close_types)
    except BaseException as exc:
        staged.discard(exc)
        raise
    if not report.loaded:
        staged.discard()
        return report
    store = None
    staged.commit(release)
    return report


def _fill(
    staging: Any, files: Sequence[str | Path], progress: bool, counts: bool, close: bool
) -> LoadReport:
    """Bulk load into the staged store, then add the superclass types and the counts."""
    report = bulk_load_files(staging, files, progress=progress, count=False)
    if report.loaded and close:
        from kg.inference import close_oxigraph_store

        close_oxigraph_store(staging, bulk=True)  # ?x a kg:Actor answers without a reasoner
    if report.loaded and counts:
        from kg.backends.oxigraph_stats import describe_counts

        # the report says what the store holds, superclass types included
        report.triples = describe_counts(staging)["triples"]
    else:
        report.triples = default_graph_size(staging)
    return report


def open_store(path: str | Path, *, read_only: bool = False) -> Any:
    """Open the Oxigraph store in a folder, saying plainly when another process holds it or
    it is damaged.

    Parameters
    ----------
    path:
        The store folder (created if missing, unless ``read_only``).
    read_only:
        Open a read-only handle (several processes may hold one).

    Returns
    -------
    pyoxigraph.Store

    Raises
    ------
    KgError
        One line: the folder is locked by another process, is not a store, or is damaged.

    Example
    -------
    >>> import tempfile
    >>> d = tempfile.mkdtemp()
    >>> store = open_store(d); len(store)
    0
    >>> open_store(d)  # the folder's lock is held by ``store``
    Traceback (most recent call last):
    ...
    kg.errors.KgError: /...: the store is open in another process (a kg serve?)
    """
    import pyoxigraph as ox

    try:
        return ox.Store.read_only(str(path)) if read_only else ox.Store(str(path))
    except OSError as exc:
        if "lock" in str(exc).lower():
            raise KgError(f"{path}: the store is open in another process (a kg serve?)") from None
        raise KgError(f"{path}: not an Oxigraph store ({_first_line(exc)})") from None
    except RuntimeError as exc:  # RocksDB reports damage (``Corruption: ...``) this way
        raise KgError(f"{path}: the store cannot be opened: {_first_line(exc)}") from None


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:300] if text else type(exc).__name__
