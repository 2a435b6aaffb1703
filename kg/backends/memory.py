"""The default backend: one rdflib Graph in memory.

Why a Graph and not an rdflib Dataset: the project's files are all triples, pyshacl and
owlrl take a Graph directly, and rdflib 7 Datasets emit a DeprecationWarning on every
triple pattern a query matches. So named graphs in N-Quads/TriG/JSON-LD input are merged
into the one graph here (the Oxigraph backend keeps them), and ``nq``/``trig`` exports
write everything in the default graph.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from rdflib import Dataset, Graph

from kg.backends.base import Backend, rdflib_format
from kg.backends.bindings import to_terms
from kg.backends.rdflib_fixes import apply_rdflib_fixes
from kg.errors import KgError, SparqlSyntaxError
from kg.namespaces import bind_prefixes
from kg.parsing import copy_quads, parse_files
from kg.results import QueryResult

__all__ = ["MemoryBackend", "prepare_sparql", "syntax_error"]


class MemoryBackend(Backend):
    """An rdflib Graph in memory.

    Parameters
    ----------
    (none)

    Returns
    -------
    MemoryBackend
        An empty store.

    Example
    -------
    >>> from kg.parsing import parse_text
    >>> b = MemoryBackend()
    >>> b.add_graph(parse_text('<http://a> <http://b> "x" .'))
    1
    >>> b.query("SELECT ?s WHERE { ?s ?p ?o }", {"o": "x"}).to_dicts()
    [{'s': 'http://a'}]
    """

    kind = "memory"

    def __init__(self) -> None:
        apply_rdflib_fixes()
        self.graph = bind_prefixes(Graph())

    def load(self, paths: Sequence[str | Path]) -> int:
        """Parse the files into a staging graph, then add it, so a bad file adds nothing.

        Parameters
        ----------
        paths:
            RDF files, formats guessed from their extensions.

        Returns
        -------
        int
            The number of triples in the store after loading.

        Example
        -------
        >>> MemoryBackend().load([])
        0
        """
        staged = parse_files(paths, bind_prefixes(Graph()))
        if len(self.graph) == 0:
            self.graph = staged  # the common case, a fresh backend: no copy
            return len(staged)
        return self.add_graph(staged)

    def add_graph(self, graph: Graph) -> int:
        """Add the triples of ``graph`` (a Dataset's named graphs are merged).

        Parameters
        ----------
        graph:
            An rdflib Graph or Dataset.

        Returns
        -------
        int
            The number of triples in the store after.

        Example
        -------
        >>> MemoryBackend().add_graph(Graph())
        0
        """
        copy_quads(graph, self.graph)
        return len(self.graph)

    def query(self, sparql: str, bindings: Mapping[str, Any] | None = None) -> QueryResult:
        """Run a query with rdflib, binding values through ``initBindings``.

        Parameters
        ----------
        sparql:
            The query text.
        bindings:
            Variable name -> value (rdflib term, or a plain value made a literal).

        Returns
        -------
        QueryResult

        Raises
        ------
        SparqlSyntaxError
            ``line N: SPARQL syntax error: ...`` when rdflib cannot parse the query.

        Example
        -------
        >>> MemoryBackend().query("ASK { ?s ?p ?o }").boolean
        False
        >>> MemoryBackend().query("SELECT ?s WHERE {\\n ?s ?p \\n}")
        Traceback (most recent call last):
        ...
        kg.errors.SparqlSyntaxError: line 2: SPARQL syntax error: Expected SelectQuery, ...
        """
        from rdflib.plugins.sparql.sparql import SPARQLError

        prepared = prepare_sparql(sparql)
        try:
            # from_rdflib reads every row, so evaluation errors surface here.
            result = self.graph.query(prepared, initBindings=to_terms(bindings))  # type: ignore[arg-type]
            return QueryResult.from_rdflib(result)
        except SPARQLError as exc:
            raise KgError(f"SPARQL evaluation error: {exc}") from None

    def update(self, sparql: str) -> None:
        """Run a SPARQL 1.1 Update with rdflib.

        Parameters
        ----------
        sparql:
            The update text.

        Example
        -------
        >>> b = MemoryBackend()
        >>> b.update('INSERT DATA { <http://ex/a> <http://ex/b> "c" }'); len(b)
        1
        >>> b.update("INSERT DATA { <http://ex/a> }")
        Traceback (most recent call last):
        ...
        kg.errors.SparqlSyntaxError: line 1: SPARQL syntax error: ...
        """
        from pyparsing import ParseBaseException
        from rdflib.plugins.sparql.sparql import SPARQLError

        try:
            self.graph.update(sparql)
        except ParseBaseException as exc:
            raise syntax_error(exc) from None
        except SPARQLError as exc:
            raise KgError(f"SPARQL update error: {exc}") from None

    def __len__(self) -> int:
        return len(self.graph)

    def serialize(self, format: str = "ttl") -> bytes:
        """Write the store as ``ttl``, ``nt``, ``nq``, ``trig``, ``jsonld`` or ``xml``.

        Parameters
        ----------
        format:
            An export format name (see :data:`kg.backends.base.EXPORT_FORMATS`).

        Returns
        -------
        bytes
            UTF-8 text.

        Example
        -------
        >>> MemoryBackend().serialize("nt")
        b''
        """
        name = rdflib_format(format)
        source: Graph = self.graph
        if name in ("nquads", "trig"):
            source = bind_prefixes(copy_quads(self.graph, Dataset()))
        with warnings.catch_warnings():
            # rdflib's own Dataset serializers call its deprecated Dataset API.
            warnings.filterwarnings("ignore", category=DeprecationWarning, module="rdflib")
            return source.serialize(format=name, encoding="utf-8")

    def to_rdflib(self) -> Graph:
        """Return the live graph (no copy: it can be large); do not modify it.

        Returns
        -------
        Graph

        Example
        -------
        >>> len(MemoryBackend().to_rdflib())
        0
        """
        return self.graph


_LOCATION = re.compile(r"\s*\(at char \d+\), \(line:\d+, col:\d+\)\s*$")


def syntax_error(exc: Any) -> SparqlSyntaxError:
    """The one-line error for a pyparsing failure of rdflib's SPARQL parser (query or update)."""
    message = _LOCATION.sub("", str(exc))
    return SparqlSyntaxError(f"SPARQL syntax error: {message} (column {exc.col})", line=exc.lineno)


def prepare_sparql(sparql: str) -> Any:
    """Parse and translate a SPARQL query with rdflib, turning failures into one-line errors.

    Parameters
    ----------
    sparql:
        The query text.

    Returns
    -------
    rdflib.plugins.sparql.sparql.Query
        A prepared query that ``Graph.query`` runs without parsing again.

    Example
    -------
    >>> prepare_sparql("SELECT * WHERE { ?s a nope:X }")
    Traceback (most recent call last):
    ...
    kg.errors.SparqlSyntaxError: SPARQL error: Unknown namespace prefix : nope
    """
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        parsed = parseQuery(sparql)
    except ParseBaseException as exc:
        raise syntax_error(exc) from None
    try:
        return translateQuery(parsed)
    except Exception as exc:  # rdflib raises bare Exceptions for unknown prefixes etc.
        raise SparqlSyntaxError(f"SPARQL error: {exc}") from None
