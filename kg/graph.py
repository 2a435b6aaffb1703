"""KnowledgeGraph: the project's graph on some backend, with named queries and checks.

Everything here talks SPARQL to the backend (statistics included), so it works the same
on rdflib in memory, Oxigraph or a remote endpoint.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, ClassVar

from kg.backends.base import Backend
from kg.counts import COUNTED_CLASSES, count_graph
from kg.errors import BadOptionError, KgError
from kg.project import Project, open_project
from kg.queries import NamedQuery, default_term, get_query, load_query_file
from kg.results import QueryResult

__all__ = ["COUNTED_CLASSES", "KnowledgeGraph"]


class KnowledgeGraph:
    """The graph (ontology, vocabularies, data) held by a backend.

    Parameters
    ----------
    backend:
        A loaded :class:`~kg.backends.base.Backend`.
    paths:
        The project whose shapes and named queries to use (default: the repository).

    Returns
    -------
    KnowledgeGraph

    Example
    -------
    >>> from kg.backends.memory import MemoryBackend
    >>> from kg.parsing import parse_text
    >>> b = MemoryBackend()
    >>> _ = b.add_graph(parse_text('<http://a> <http://b> "x" .'))
    >>> kg = KnowledgeGraph(b)
    >>> len(kg), kg.query("SELECT ?s WHERE { ?s ?p ?o }", o="x").to_dicts()
    (1, [{'s': 'http://a'}])
    """

    #: Whether answers come from a cache rather than the backend (kg.cache.graph.CachedGraph):
    #: then the views ask queries instead of reading the backend's index.
    caches_answers: ClassVar[bool] = False

    def __init__(self, backend: Backend, paths: Project | None = None):
        self.backend = backend
        self.paths = paths or open_project()

    def __len__(self) -> int:
        return len(self.backend)

    def __repr__(self) -> str:
        return f"<KnowledgeGraph {self.backend.kind} {len(self)} triples>"

    @property
    def rdflib_graph(self) -> Any:
        """The content as an ``rdflib.Graph``, for rdflib, pyshacl or owlrl code.

        On the default backend this is the store itself (changes show in queries); on
        Oxigraph and remote backends it is a copy made on first use: treat it as read-only.

        Example
        -------
        >>> from kg.backends.memory import MemoryBackend
        >>> graph = KnowledgeGraph(MemoryBackend())
        >>> graph.update('INSERT DATA { <http://ex/a> <http://ex/b> "c" }')
        >>> len(graph.rdflib_graph)
        1
        """
        return self.backend.to_rdflib()

    def query(self, sparql: str, /, **bindings: Any) -> QueryResult:
        """Run a SPARQL query, with ``bindings`` bound as values (never pasted into the text).

        Parameters
        ----------
        sparql:
            SELECT, ASK, CONSTRUCT or DESCRIBE text.
        **bindings:
            Variable name -> value: an rdflib term, or a str/int/float/date made a literal.

        Returns
        -------
        QueryResult

        Raises
        ------
        SparqlSyntaxError
            With the parser's message and line.

        Example
        -------
        >>> from kg.backends.memory import MemoryBackend
        >>> KnowledgeGraph(MemoryBackend()).query("ASK { ?s ?p ?o }").boolean
        False
        """
        return self.backend.query(sparql, bindings)

    def update(self, sparql: str, /) -> None:
        """Run a SPARQL 1.1 Update on the store (the remote backend needs an update endpoint).

        Parameters
        ----------
        sparql:
            The update text; its values are part of the text, so build it only from trusted
            input (values from users belong in ``query`` bindings).

        Example
        -------
        >>> from kg.backends.memory import MemoryBackend
        >>> graph = KnowledgeGraph(MemoryBackend())
        >>> graph.update('INSERT DATA { <http://ex/a> <http://ex/b> "c" }'); len(graph)
        1
        """
        self.backend.update(sparql)

    def named_query(self, name: str, /, **bindings: Any) -> QueryResult:
        """Run the named query ``name`` (``ontology/queries/NAME.rq``).

        Parameters
        ----------
        name:
            The query's file name without ``.rq``.
        **bindings:
            Values for its parameters (see :meth:`query`).

        Returns
        -------
        QueryResult

        Raises
        ------
        UnknownQueryError
            Naming close matches.
        BadOptionError
            For a binding that is neither a declared parameter nor a variable of the query.

        Example
        -------
        >>> from kg.backends.memory import MemoryBackend
        >>> KnowledgeGraph(MemoryBackend()).named_query("x")
        Traceback (most recent call last):
        ...
        kg.errors.UnknownQueryError: unknown query 'x'; known queries: agreements, ...
        """
        return self.run_query(get_query(name, self.paths.queries), **bindings)

    def query_file(self, path: str | Path, /, **bindings: Any) -> QueryResult:
        """Run the query in a ``.rq`` file; errors name the file and line.

        Parameters
        ----------
        path:
            The query file.
        **bindings:
            Values for its variables (see :meth:`query`).

        Returns
        -------
        QueryResult

        Example
        -------
        >>> from kg.backends.memory import MemoryBackend
        >>> KnowledgeGraph(MemoryBackend()).query_file("missing.rq")
        Traceback (most recent call last):
        ...
        kg.errors.MissingFileError: no such file: missing.rq
        """
        return self.run_query(load_query_file(path), **bindings)

    def run_query(self, query: NamedQuery, /, **bindings: Any) -> QueryResult:
        """Run a :class:`~kg.queries.NamedQuery`, checking the binding names against it.

        Parameters
        ----------
        query:
            The query and its header.
        **bindings:
            Values for its parameters.

        Returns
        -------
        QueryResult

        Example
        -------
        >>> from kg.backends.memory import MemoryBackend
        >>> q = NamedQuery("q", Path("q.rq"), "ASK { ?s ?p ?o }")
        >>> KnowledgeGraph(MemoryBackend()).run_query(q, x=1)
        Traceback (most recent call last):
        ...
        kg.errors.BadOptionError: query q has no parameter 'x' (parameters: none)
        """
        bindings = self.query_bindings(query, bindings)
        from kg.canonical import canonical_result  # same answer on every engine

        try:
            return canonical_result(self.query(query.text, **bindings), query.text)
        except KgError as exc:
            if exc.path is None:
                raise exc.at(query.path) from None
            raise

    def first_rows(
        self, query: NamedQuery | str, limit: int | None = None, /, **bindings: Any
    ) -> QueryResult:
        """The first ``limit`` rows of a named query (None: all), as :meth:`run_query` gives.

        Asked with its default parameters on a store ``kg load`` wrote (on disk or an
        endpoint) that has not changed since, the rows come from the first page kept at load
        (:mod:`kg.backends.first_pages`) when it holds them; otherwise the engine is asked,
        with ``LIMIT limit``.

        Parameters
        ----------
        query:
            A :class:`~kg.queries.NamedQuery` or a query name.
        limit:
            The most rows wanted.
        **bindings:
            Values for its parameters.

        Returns
        -------
        QueryResult

        Example
        -------
        >>> from kg.backends.memory import MemoryBackend
        >>> q = NamedQuery("q", Path("q.rq"), "SELECT ?s WHERE { VALUES ?s { 1 2 3 } }")
        >>> len(KnowledgeGraph(MemoryBackend()).first_rows(q, 2))
        2
        """
        named = query if isinstance(query, NamedQuery) else get_query(query, self.paths.queries)
        asked = self.query_bindings(named, dict(bindings))
        if not self.caches_answers and asked == self.query_bindings(named, {}):
            from kg.backends.first_pages import read_page

            kept = read_page(self.backend, named.name, named.text, limit)
            if kept is not None:
                return kept
        if limit is not None:
            from dataclasses import replace

            from kg.backends.sparql_text import with_limit

            named = replace(named, text=with_limit(named.text, limit))
        return self.run_query(named, **bindings)

    def query_bindings(self, query: NamedQuery, bindings: dict[str, Any]) -> dict[str, Any]:
        """The bindings :meth:`run_query` sends: names checked, types checked, defaults added.

        Example
        -------
        >>> from kg.backends.memory import MemoryBackend
        >>> q = NamedQuery("q", Path("q.rq"), "ASK { ?s ?p ?o }")
        >>> KnowledgeGraph(MemoryBackend()).query_bindings(q, {})
        {}
        """
        for name in bindings:
            declared = name in query.param_names
            if not declared and not re.search(rf"[?$]{re.escape(name)}\b", query.text):
                known = ", ".join(query.param_names) or "none"
                raise BadOptionError(
                    f"query {query.name} has no parameter {name!r} (parameters: {known})"
                )
        bindings = query.check_bindings(bindings)  # declared types: one clear error
        for name, n3 in query.defaults:
            bindings.setdefault(name, default_term(n3, query))
        return bindings

    def stats(self) -> dict[str, Any]:
        """Count what the graph holds, with SPARQL (so any backend can answer).

        Returns
        -------
        dict
            ``triples``, ``entities`` (nodes in the ``kgr:`` namespace), one count per key
            of :data:`COUNTED_CLASSES` (subclasses included), ``quotes`` (``kg:quote``
            values), ``annotated_triples`` (``owl:Axiom`` annotations) and ``classes``
            (prefixed class name -> number of entities, most common first).

        Example
        -------
        >>> from kg.backends.memory import MemoryBackend
        >>> s = KnowledgeGraph(MemoryBackend()).stats()
        >>> s["triples"], s["entities"], s["events"], s["classes"]
        (0, 0, 0, {})
        """
        from kg.stats_cache import cached_stats  # an on-disk store: once per store version

        return cached_stats(self.backend, self._stats)

    def _stats(self) -> dict[str, Any]:
        """The counts, asked afresh (:func:`kg.counts.count_graph`)."""
        return count_graph(self.backend)

    def serialize(self, format: str = "ttl") -> bytes:
        """Write the whole graph in ``ttl``, ``nt``, ``nq``, ``trig``, ``jsonld`` or ``xml``.

        Parameters
        ----------
        format:
            The export format name.

        Returns
        -------
        bytes

        Example
        -------
        >>> from kg.backends.memory import MemoryBackend
        >>> KnowledgeGraph(MemoryBackend()).serialize("yaml")
        Traceback (most recent call last):
        ...
        kg.errors.BadOptionError: unknown RDF format 'yaml' (known: ttl, nt, nq, trig, jsonld, xml)
        """
        return self.backend.serialize(format)

    def validate(self, infer: bool = False, shapes: str | Path | None = None):
        """Validate the graph against the project's SHACL shapes.

        Parameters
        ----------
        infer:
            Add the OWL 2 RL closure before validating.
        shapes:
            A shapes file to use instead of ``ontology/shapes.ttl``.

        Returns
        -------
        ValidationReport

        Example
        -------
        >>> from kg.backends.memory import MemoryBackend
        >>> KnowledgeGraph(MemoryBackend()).validate(shapes="/nonexistent/shapes.ttl")
        Traceback (most recent call last):
        ...
        kg.errors.MissingFileError: no such file: /nonexistent/shapes.ttl
        """
        from kg.validation import validate

        return validate(self.backend.to_rdflib(), shapes or self.paths.shapes, infer=infer)
