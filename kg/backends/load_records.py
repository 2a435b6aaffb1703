"""The record of which files a store holds, shared by every backend that loads files.

Each loaded file is recorded by its SHA-256 in the graph ``<urn:x-kg:loads>`` of the store,
so that loading the same file again (``kg.load`` on a persistent store, run after run) is a
no-op instead of a second copy of its blank nodes. Queries read the default graph, so the
record never shows up in answers. The Oxigraph bulk loader (:mod:`kg.backends.oxigraph_load`),
the Graph Store loader and the remote backend all keep it this way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = [
    "LOADED_AS",
    "LOADS_GRAPH",
    "VOID_GRAPH",
    "LoadReport",
    "default_graph_size",
    "file_digest",
    "loaded_digests",
]

#: The named graph holding one record per loaded file.
LOADS_GRAPH = "urn:x-kg:loads"
#: The graph holding the store's counts, kept by the loader (:mod:`kg.backends.oxigraph_stats`).
VOID_GRAPH = "urn:x-kg:void"
#: The predicate of a load record: ``<urn:sha256:DIGEST> LOADED_AS "path"``.
LOADED_AS = "urn:x-kg:loadedAs"


@dataclass
class LoadReport:
    """What a load did.

    Parameters
    ----------
    triples:
        Triples in the store's default graph after the load.
    loaded, skipped:
        The files loaded, and those skipped because the store already held them.

    Returns
    -------
    LoadReport

    Example
    -------
    >>> LoadReport(10, ["a.ttl"]).summary()
    'loaded 1 file; the store holds 10 triples'
    """

    triples: int
    loaded: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One line for the user."""
        plural = "" if len(self.loaded) == 1 else "s"
        text = f"loaded {len(self.loaded)} file{plural}"
        if self.skipped:
            text += f", skipped {len(self.skipped)} already in the store"
        return f"{text}; the store holds {self.triples:,} triples"


def file_digest(path: str | Path) -> str:
    """The SHA-256 of a file's bytes, in hex, hashed again only when its size or mtime changed.

    A large file's digest is remembered by path, size and modification time
    (:func:`kg.digests.remembered_digest`), so loading or reading beside a store a file it
    already holds does not read the whole file again.

    Parameters
    ----------
    path:
        The file.

    Returns
    -------
    str

    Example
    -------
    >>> import tempfile
    >>> f = tempfile.NamedTemporaryFile(delete=False); _ = f.write(b"x"); f.close()
    >>> file_digest(f.name)[:12]
    '2d711642b726'
    """
    from kg.digests import remembered_digest

    return remembered_digest(path)


def loaded_digests(store: Any) -> set[str]:
    """The digests of the files recorded as loaded in a pyoxigraph store.

    Parameters
    ----------
    store:
        A ``pyoxigraph.Store``.

    Returns
    -------
    set[str]

    Example
    -------
    >>> import pyoxigraph as ox
    >>> loaded_digests(ox.Store())
    set()
    """
    import pyoxigraph as ox

    graph = ox.NamedNode(LOADS_GRAPH)
    return {
        q.subject.value.rsplit(":", 1)[1] for q in store.quads_for_pattern(None, None, None, graph)
    }


def default_graph_size(store: Any) -> int:
    """The number of triples of a store outside its bookkeeping (load records, counts).

    Parameters
    ----------
    store:
        A ``pyoxigraph.Store``.

    Returns
    -------
    int

    Example
    -------
    >>> import pyoxigraph as ox
    >>> default_graph_size(ox.Store())
    0
    """
    import pyoxigraph as ox

    kept = 0
    for name in (LOADS_GRAPH, VOID_GRAPH):
        kept += sum(1 for _ in store.quads_for_pattern(None, None, None, ox.NamedNode(name)))
    return len(store) - kept
