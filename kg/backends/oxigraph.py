"""The Oxigraph backend: pyoxigraph's embedded store, in memory or on disk.

On disk (``store=PATH``) the store persists across runs; files already loaded into it are
recorded and not loaded twice (see :mod:`kg.backends.oxigraph_load`). Loads are all or
nothing: in memory, files are bulk loaded into a fresh store that replaces (or is merged
into) the current one only when every file parsed; on disk, a staged copy is renamed into
place.

Results stay pyoxigraph terms until a caller asks for rdflib terms (see
:mod:`kg.backends.oxconvert`). Queries read the default graph, where triple files go;
named graphs of N-Quads/TriG files are kept and reachable with ``GRAPH``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Dataset, Graph

from kg.backends.base import Backend, rdflib_format
from kg.backends.bindings import to_terms
from kg.backends.load_records import LOADS_GRAPH, VOID_GRAPH, default_graph_size, loaded_digests
from kg.backends.oxconvert import (
    dump_store,
    index_triples,
    ox_result,
    to_oxigraph,
    triples_to_graph,
)
from kg.backends.oxigraph_errors import sparql_error
from kg.backends.oxigraph_load import bulk_load_files, load_files, open_store
from kg.backends.sparql_text import with_values
from kg.inference import close_oxigraph_store
from kg.results import QueryResult

__all__ = ["OxigraphBackend", "sparql_error"]


class OxigraphBackend(Backend):
    """A pyoxigraph Store, in memory or in a folder.

    Parameters
    ----------
    store:
        A folder to keep the store in (created if missing); ``None`` keeps it in memory.

    Returns
    -------
    OxigraphBackend

    Example
    -------
    >>> from kg.parsing import parse_text
    >>> b = OxigraphBackend()
    >>> b.add_graph(parse_text('<http://a> <http://b> "x" .'))
    1
    >>> b.query("SELECT ?s WHERE { ?s ?p ?o }", {"o": "x"}).to_dicts()
    [{'s': 'http://a'}]
    """

    kind = "oxigraph"
    #: load() adds the superclass types itself (kg.loading need not).
    closes_types = True
    #: property_triples reads the index directly (kg.backends.base.Backend.reads_index).
    reads_index = True

    def __init__(self, store: str | Path | None = None) -> None:
        self.path = Path(store) if store is not None else None
        self.store: Any = self._open()  # None while closed (reopen)
        self._rdflib: Graph | None = None
        self._read_only = False
        #: counts kg.stats_cache made this session, kept again at close (see close)
        self.counted_stats: dict[str, Any] | None = None

    def _open(self) -> ox.Store:
        if self.path is None:
            return ox.Store()
        if self.path.exists() and not self.path.is_dir():
            from kg.errors import BadOptionError

            raise BadOptionError(f"{self.path} is a file, not a store folder")
        return open_store(self.path)

    def load(self, paths: Sequence[str | Path], *, progress: bool = False) -> int:
        """Bulk load RDF files, all or nothing; files the store already holds are skipped.

        The superclass types of the class tree the store holds are added in the same load
        (:func:`kg.inference.close_oxigraph_store`), so ``?x a kg:Actor`` needs no reasoner.

        Parameters
        ----------
        paths:
            RDF files, formats guessed from their extensions.
        progress:
            Show a progress bar on stderr.

        Returns
        -------
        int
            The number of triples after loading.

        Raises
        ------
        ParseError
            ``FILE:LINE: message``; the store is left as it was.

        Example
        -------
        >>> import tempfile, os
        >>> p = os.path.join(tempfile.mkdtemp(), "x.ttl")
        >>> _ = open(p, "w").write("[] <http://b> 1 .")
        >>> b = OxigraphBackend()
        >>> b.load([p]), b.load([p])  # the blank node is not loaded twice
        (1, 1)
        """
        self._rdflib = None
        self.counted_stats = None
        if self.path is not None:

            def release() -> None:
                self.store = None

            try:
                return load_files(
                    self.path, paths, progress=progress, store=self.store, release=release
                ).triples
            finally:
                if self.store is None:
                    self.store = self._open()
        staging = ox.Store()
        held = loaded_digests(self.store)
        report = bulk_load_files(staging, paths, progress=progress, held=held, count=False)
        if next(iter(self.store), None) is None:  # not len(): that scans the store
            self.store = staging  # the common case, a fresh backend: no copy at all
        else:
            dump = staging.dump(format=ox.RdfFormat.N_QUADS)
            self.store.load(dump, ox.RdfFormat.N_QUADS)  # one transaction
        if report.loaded:
            close_oxigraph_store(self.store)  # ?x a kg:Actor answers without a reasoner
        return len(self)

    def add_graph(self, graph: Graph) -> int:
        """Add the triples of an rdflib Graph (a Dataset's named graphs are kept), at once.

        Parameters
        ----------
        graph:
            An rdflib Graph or Dataset.

        Returns
        -------
        int
            The number of triples after.

        Example
        -------
        >>> OxigraphBackend().add_graph(Graph())
        0
        """
        self._rdflib = None
        default = ox.DefaultGraph()
        quad: Any = ox.Quad  # its stub cannot follow to_oxigraph's term kinds
        if isinstance(graph, Dataset):
            quads = (
                quad(*map(to_oxigraph, (s, p, o)), _graph_name(c, graph))
                for s, p, o, c in graph.quads()
            )
        else:
            quads = (quad(*map(to_oxigraph, t), default) for t in graph)
        self.store.extend(list(quads))  # extend is one transaction
        self._written()
        return len(self)

    def query(self, sparql: str, bindings: Mapping[str, Any] | None = None) -> QueryResult:
        """Run a query with Oxigraph; bound variables are substituted as terms.

        Parameters
        ----------
        sparql:
            The query text.
        bindings:
            Variable name -> value (rdflib term, or a plain value made a literal).

        Returns
        -------
        QueryResult
            Rows are converted to rdflib terms only when ``.rows`` is read.

        Raises
        ------
        SparqlSyntaxError
            ``line N: SPARQL syntax error: ... (column C)``.

        Example
        -------
        >>> OxigraphBackend().query("SELECT ?s WHERE {\\n ?s ?p \\n}")
        Traceback (most recent call last):
        ...
        kg.errors.SparqlSyntaxError: line 3: SPARQL syntax error: expected OPTIONAL (column 2)
        """
        terms = to_terms(bindings)
        substitutions: dict[Any, Any] = {ox.Variable(k): to_oxigraph(v) for k, v in terms.items()}
        try:
            try:
                answer = self.store.query(sparql, substitutions=substitutions or None)
            except RuntimeError as exc:
                # Oxigraph substitutes only projected variables; bind the others with a
                # VALUES block opening the WHERE group (same meaning, escaped terms).
                if "projection" not in str(exc):
                    raise
                answer = self.store.query(with_values(sparql, terms))
        except SyntaxError as exc:
            raise sparql_error(exc) from None
        return ox_result(answer)

    def update(self, sparql: str) -> None:
        """Run a SPARQL 1.1 Update with Oxigraph (one transaction).

        Parameters
        ----------
        sparql:
            The update text.

        Example
        -------
        >>> b = OxigraphBackend()
        >>> b.update('INSERT DATA { <http://ex/a> <http://ex/b> "c" }'); len(b)
        1
        """
        try:
            self.store.update(sparql)
        except SyntaxError as exc:
            raise sparql_error(exc) from None
        self._written()

    def _written(self) -> None:
        """The store changed: counts kept by the loader are stale (on disk only)."""
        self.counted_stats = None
        if self.path is not None:
            from kg.backends.oxigraph_stats import drop_counts

            drop_counts(self.store)

    def stored_stats(self) -> dict[str, Any] | None:
        """The ``kg stats`` counts ``kg load`` kept in an on-disk store, if still current.

        Returns
        -------
        dict or None
            None in memory, or without current counts (:mod:`kg.backends.oxigraph_stats`).

        Example
        -------
        >>> OxigraphBackend().stored_stats() is None
        True
        """
        if self.path is None or self.store is None:
            return None
        from kg.backends.oxigraph_stats import stored_counts

        return stored_counts(self.store)

    def property_triples(
        self, prop: str, *, iri_subjects: bool = True, iri_objects: bool = False
    ) -> list[tuple[str, str, str | None]]:
        """Every triple of ``prop`` in the default graph (the one SPARQL reads), read straight
        from the index, as ``(subject, object, language)`` text: what ``SELECT ?n ?o ?lang
        { ?n <prop> ?o FILTER(isIRI(?n)) BIND(LANG(?o) AS ?lang) }`` gives, in a third of the
        time of the query's rows (the views use it for large graphs).

        Parameters
        ----------
        prop:
            The property IRI.
        iri_subjects, iri_objects:
            Keep only the triples whose subject (object) is an IRI.

        Returns
        -------
        list[tuple]
            ``language`` is ``None`` for an IRI or blank node object, ``""`` for a literal without.

        Example
        -------
        >>> b = OxigraphBackend()
        >>> b.update('INSERT DATA { <http://a> <http://p> "x"@en, <http://b> . '
        ...          '_:c <http://p> "y" }')
        >>> sorted(b.property_triples("http://p"))
        [('http://a', 'http://b', None), ('http://a', 'x', 'en')]
        >>> b.property_triples("http://p", iri_objects=True)
        [('http://a', 'http://b', None)]
        """
        return index_triples(self.store, prop, iri_subjects, iri_objects)

    def __len__(self) -> int:
        return default_graph_size(self.store)

    def serialize(self, format: str = "ttl") -> bytes:
        """Write the store as ``ttl``, ``nt``, ``nq``, ``trig``, ``jsonld`` or ``xml``.

        Parameters
        ----------
        format:
            An export format name (see :data:`kg.backends.base.EXPORT_FORMATS`).

        Returns
        -------
        bytes
            UTF-8 text; triple formats hold the default graph.

        Example
        -------
        >>> OxigraphBackend().serialize("nt")
        b''
        """
        # the load records and kept counts are bookkeeping, not data
        return dump_store(self.store, rdflib_format(format), leave_out=(LOADS_GRAPH, VOID_GRAPH))

    def to_rdflib(self) -> Graph:
        """Return the default graph as an rdflib Graph (built once, until the next load).

        Returns
        -------
        Graph

        Example
        -------
        >>> len(OxigraphBackend().to_rdflib())
        0
        """
        if self._rdflib is None:
            from kg.namespaces import bind_prefixes

            quads = self.store.quads_for_pattern(None, None, None, ox.DefaultGraph())
            self._rdflib = triples_to_graph(quads, bind_prefixes(Graph()))
        return self._rdflib

    def reopen(self, mode: str) -> None:
        """Hold the on-disk store ``"read"``-only, for ``"write"``, or ``"closed"``.

        ``kg serve`` keeps one read-write handle at a time on a folder: a query worker
        opens it read-only, the one writer read-write (see :mod:`kg.serve.workers`).
        RocksDB handles must not be shared by forked processes.

        Parameters
        ----------
        mode:
            ``"read"``, ``"write"`` or ``"closed"``; an in-memory store ignores it.

        Example
        -------
        >>> import tempfile
        >>> b = OxigraphBackend(tempfile.mkdtemp())
        >>> b.update('INSERT DATA { <http://a> <http://b> "c" }')
        >>> b.reopen("read"); len(b)
        1
        >>> b.reopen("closed"); b.store is None
        True
        """
        if self.path is None:
            return
        self.close()
        self._rdflib = None
        if mode == "read":
            self.store = open_store(self.path, read_only=True)
            self._read_only = True
        elif mode == "write":
            self.store = self._open()

    def close(self) -> None:
        """Flush an on-disk store and drop the handle (the folder's lock is released)."""
        if self.store is not None and self.path is not None and not self._read_only:
            self.store.flush()
        self.store = None
        self._read_only = False
        counts, self.counted_stats = self.counted_stats, None
        if counts is not None and self.path is not None:
            from kg.stats_cache import keep_counts

            # dropping the handle waited for RocksDB's compactions: the files are settled now
            keep_counts(self.path, counts)


def _graph_name(context: Any, dataset: Dataset) -> Any:
    """The pyoxigraph graph name for an rdflib quad's context."""
    identifier = getattr(context, "identifier", context)
    if identifier is None or identifier == dataset.default_graph.identifier:
        return ox.DefaultGraph()
    return to_oxigraph(identifier)
