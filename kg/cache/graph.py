"""A KnowledgeGraph that answers repeated queries from disk and loads its files only on a miss.

:func:`load_cached` takes the arguments of :func:`kg.load`. For a graph loaded from files
(the memory backend, or Oxigraph in memory) it returns a :class:`CachedGraph` keyed by
:func:`kg.cache.keys.fingerprint` of every file it would load (the ontology and the
vocabularies included); for a store folder or an endpoint, whose content the files do not
describe, it loads as :func:`kg.load` does. SELECT and ASK results are kept, one JSON file
per fingerprint under ``cache_dir()/results``; a changed file gives another fingerprint,
so a stale answer is never read.

Blank nodes: their ids are only valid for one load, so a result holding one is served from
disk only while this process has not loaded the graph itself and is asking the same queries,
in the same order, as an earlier run that was answered entirely from the cache (a repeated
question). Otherwise it is computed fresh, and the file's blank-node results are replaced by
the fresh ones, so the results in a file are always from one load.
"""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kg.cache.keys import graph_key
from kg.cache.results import decode_result, encode_result, has_blank_nodes
from kg.digests import cache_dir
from kg.graph import KnowledgeGraph

__all__ = ["CachedGraph", "load_cached", "query_key"]

FORMAT = 1
#: Result files kept; the oldest beyond this are removed when one is written.
KEEP_FILES = 64
#: Query sequences remembered per file (the repeated questions that may use blank nodes).
KEEP_SEQUENCES = 64
_LEN = "len"


def _term_key(value: Any) -> list:
    return [type(value).__name__, str(value), str(getattr(value, "datatype", None) or ""),
            getattr(value, "language", None) or ""]  # fmt: skip


def query_key(sparql: str, bindings: dict[str, Any]) -> str:
    """The cache key of a query: its text and its bound values (with their types).

    Parameters
    ----------
    sparql:
        The query text.
    bindings:
        Variable name -> value.

    Returns
    -------
    str

    Example
    -------
    >>> from rdflib import Literal, URIRef
    >>> query_key("ASK {}", {"x": URIRef("http://a")}) == query_key("ASK {}", {"x": Literal("http://a")})
    False
    """
    bound = sorted((name, _term_key(value)) for name, value in bindings.items())
    return hashlib.sha256(json.dumps([sparql, bound]).encode()).hexdigest()[:32]


class CachedGraph(KnowledgeGraph):
    """A KnowledgeGraph whose SELECT/ASK answers and size come from disk when they can.

    Everything else (updates, export, validation, the backend) loads the graph first, with
    ``loader``; an update, or taking the backend, also turns the cache off for this graph
    (its content may no longer be the files').

    Parameters
    ----------
    loader:
        Called without arguments, returns the real :class:`kg.graph.KnowledgeGraph`.
    project:
        The project (named queries, shapes).
    key:
        The fingerprint of what ``loader`` loads.
    directory:
        The cache folder (default :func:`kg.digests.cache_dir`).

    Returns
    -------
    CachedGraph

    Example
    -------
    >>> import tempfile, kg
    >>> d = tempfile.mkdtemp()
    >>> first = CachedGraph(kg.load, kg.load().paths, "k", d)
    >>> n = first.stats()["triples"]; first.flush()
    >>> again = CachedGraph(kg.load, first.paths, "k", d)
    >>> again.stats()["triples"] == n, again.is_loaded
    (True, False)
    """

    #: Tells the views to ask queries (answered from disk) rather than read a backend's index.
    caches_answers = True

    def __init__(
        self,
        loader: Callable[[], KnowledgeGraph],
        project: Any,
        key: str,
        directory: str | os.PathLike | None = None,
    ) -> None:
        self.paths = project
        self.key = key
        self._loader = loader
        self._graph: KnowledgeGraph | None = None
        self._file = Path(directory or cache_dir()) / "results" / f"{key}.json"
        self._entry: dict[str, Any] | None = None
        self._asked: list[str] = []
        self._fresh: dict[str, list] = {}
        self._candidates: list[list[str]] | None = None
        self._enabled = True

    # -- the real graph -------------------------------------------------------------------
    @property
    def is_loaded(self) -> bool:
        """Whether the files have been loaded in this process."""
        return self._graph is not None

    @property
    def enabled(self) -> bool:
        """Whether answers still come from (and go to) the cache: no update, no backend taken."""
        return self._enabled

    @property
    def backend(self):  # type: ignore[override]
        """The real graph's backend (loading it).

        Whoever takes the backend may change it (``kg serve --allow-update`` does), so from
        then on every answer comes from the loaded graph, and nothing more is recorded.
        """
        self._enabled = False
        return self.loaded().backend

    def loaded(self) -> KnowledgeGraph:
        """The real graph, loaded on first use."""
        if self._graph is None:
            self._graph = self._loader()
        return self._graph

    def __repr__(self) -> str:
        return f"<CachedGraph {self.key[:12]} loaded={self.is_loaded}>"

    # -- answers --------------------------------------------------------------------------
    def __len__(self) -> int:
        if not self._enabled:
            return len(self.loaded())
        hit = self._lookup(_LEN)
        if hit is not None:
            return hit[1]
        n = len(self.loaded())
        self._fresh[_LEN] = [False, n]
        return n

    def stats(self) -> dict[str, Any]:
        """The counts of :meth:`kg.graph.KnowledgeGraph.stats`, from its (cached) queries.

        Not through the on-disk store's count cache (:mod:`kg.stats_cache`), which would
        load the graph to look at its backend; a CachedGraph is never an on-disk store.
        """
        from kg.counts import count_graph

        return count_graph(_AsBackend(self))

    def query(self, sparql: str, /, **bindings: Any):
        """Answer from the cache when it may, else from the loaded graph (see the module)."""
        if not self._enabled:
            return self.loaded().query(sparql, **bindings)
        key = query_key(sparql, bindings)
        hit = self._lookup(key)
        if hit is not None:
            return decode_result(hit[1])
        result = self.loaded().query(sparql, **bindings)
        if result.kind in ("SELECT", "ASK"):
            encoded = encode_result(result)
            self._fresh[key] = [has_blank_nodes(encoded), encoded]
        return result

    def remember(self, key: Any, compute: Callable[[], Any]) -> Any:
        """A JSON-able value that depends only on the loaded files, kept beside the answers.

        Parameters
        ----------
        key:
            What names the value (JSON-able).
        compute:
            Called on a miss.

        Returns
        -------
        Any
            The value (after a trip through JSON when it comes from the cache).

        Example
        -------
        >>> import tempfile
        >>> g = CachedGraph(lambda: None, None, "k", tempfile.mkdtemp())
        >>> g.remember(["n"], lambda: [1, "x"])
        [1, 'x']
        """
        if not self._enabled:
            return compute()
        name = "value:" + json.dumps(key, default=str)
        found = self._read()["results"].get(name)
        if found is not None:
            return found[1]
        value = json.loads(json.dumps(compute()))
        self._fresh[name] = [False, value]
        return value

    def update(self, sparql: str, /) -> None:
        """Apply an update to the loaded graph; from then on nothing is read from the cache
        or recorded (what was recorded before still holds for the files)."""
        self._enabled = False
        self.loaded().update(sparql)

    def _lookup(self, key: str) -> list | None:
        """``[has_blank_nodes, value]`` from the file if it may be served, else None."""
        if not self._enabled:
            return None
        self._asked.append(key)
        entry = self._read()
        if self._candidates is not None:
            at = len(self._asked) - 1
            self._candidates = [s for s in self._candidates if len(s) > at and s[at] == key]
        found = entry["results"].get(key)
        if found is None or (found[0] and (self.is_loaded or not self._candidates)):
            return None
        return found

    def _read(self) -> dict[str, Any]:
        if self._entry is None:
            self._entry = _read_entry(self._file)
            results = self._entry["results"]
            # Only runs whose every answer is still in the file can be replayed.
            self._candidates = [s for s in self._entry["sequences"] if all(k in results for k in s)]
        return self._entry

    # -- writing --------------------------------------------------------------------------
    def flush(self) -> None:
        """Write what this process learnt (new answers, this run's query sequence).

        Example
        -------
        >>> import tempfile
        >>> CachedGraph(lambda: None, None, "k", tempfile.mkdtemp()).flush()
        """
        if not self._fresh and not self._asked:
            return
        if not self._fresh and self._entry is not None and self._asked in self._entry["sequences"]:
            return  # a repeated question, answered from the file: nothing to add
        entry = _read_entry(self._file)  # again: another run may have written since
        results = entry["results"]
        if self.is_loaded:
            # This run's blank nodes are from its own load: keep no others beside them.
            results = {k: v for k, v in results.items() if not v[0]}
            entry["generation"] = uuid.uuid4().hex
        results.update(self._fresh)
        sequences = [s for s in entry["sequences"] if all(k in results for k in s)]
        if all(k in results for k in self._asked) and self._asked not in sequences:
            sequences.append(self._asked)
        if not self._fresh and sequences == entry["sequences"]:
            return
        entry["results"], entry["sequences"] = results, sequences[-KEEP_SEQUENCES:]
        _write_entry(self._file, entry)
        self._fresh = {}


class _AsBackend:
    """A CachedGraph as :func:`kg.counts.count_graph` reads a backend: its answers cached."""

    def __init__(self, graph: CachedGraph) -> None:
        self.graph = graph

    def query(self, sparql: str, bindings: dict[str, Any] | None = None) -> Any:
        return self.graph.query(sparql, **(bindings or {}))

    def __len__(self) -> int:
        return len(self.graph)


def _read_entry(file: Path) -> dict[str, Any]:
    empty: dict[str, Any] = {"format": FORMAT, "generation": None, "results": {}, "sequences": []}
    try:
        entry = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return empty
    if not isinstance(entry, dict) or entry.get("format") != FORMAT:
        return empty
    return entry


def _write_entry(file: Path, entry: dict[str, Any]) -> None:
    from kg.files import write_text_atomically

    try:
        write_text_atomically(file, json.dumps(entry, separators=(",", ":")))
        _prune(file.parent)
    except OSError:
        pass  # a cache that cannot be written only costs time, never an answer


def _prune(folder: Path) -> None:
    files = sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
    for old in files[KEEP_FILES:]:
        old.unlink(missing_ok=True)


def load_cached(data=None, *, backend=None, infer=False, root=None, extra=(), **options):
    """:func:`kg.load`, answering repeated queries from the on-disk cache when it can.

    The parameters and errors are those of :func:`kg.load`.

    Returns
    -------
    KnowledgeGraph
        A :class:`CachedGraph` for a graph loaded from files, else what :func:`kg.load` gives.

    Example
    -------
    >>> import tempfile
    >>> os.environ["KG_CACHE_DIR"] = tempfile.mkdtemp()
    >>> g = load_cached()
    >>> type(g).__name__, g.is_loaded
    ('CachedGraph', False)
    >>> del os.environ["KG_CACHE_DIR"]
    """
    import kg

    key, project = graph_key(data, backend=backend, infer=infer, root=root, extra=extra, **options)
    args = dict(backend=backend, infer=infer, root=project, extra=list(extra), **options)
    if key is None:
        return kg.load(data, **args)
    graph = CachedGraph(lambda: kg.load(data, **args), project, key)
    _flush_at_end(graph)
    return graph


def _flush_at_end(graph: CachedGraph) -> None:
    """Write the graph's new answers when the ``kg`` command ends (else at exit)."""
    import sys

    ctx = None
    if "click" in sys.modules:
        import click

        ctx = click.get_current_context(silent=True)
    if ctx is not None:
        ctx.find_root().call_on_close(graph.flush)
    else:
        import atexit

        atexit.register(graph.flush)
