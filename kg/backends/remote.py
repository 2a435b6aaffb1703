"""The remote backend: any SPARQL 1.1 endpoint (Virtuoso, Fuseki, QLever, GraphDB, Oxigraph).

Queries go over the SPARQL 1.1 protocol (URL-encoded POST) with httpx, one keep-alive
connection. The results format is detected per endpoint (:mod:`kg.backends.result_formats`):
W3C TSV where the endpoint writes it, else SPARQL XML with any blank node label accepted;
answers are parsed as they arrive by pyoxigraph's Rust parsers, and rows stay pyoxigraph
terms until ``.rows`` is read (:meth:`RemoteBackend.select` hands them out one by one).
Bound variables are replaced by their escaped terms (:mod:`kg.backends.sparql_text`).
With ``graph=IRI`` every query reads that one named graph (``default-graph-uri``).

An answer Virtuoso cut at its ``ResultSetMaxRows`` is refused in one line
(:mod:`kg.backends.remote_results`). The endpoint's data is what is queried; files are loaded
only with an update endpoint (:mod:`kg.backends.remote_writes`) or through the Graph Store
Protocol (:mod:`kg.backends.graph_store`), and ``kg stats`` reads the counts kept at load
time while they are current (:mod:`kg.backends.void_stats`).
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
from rdflib import Graph

from kg.backends.base import Backend, rdflib_format
from kg.backends.endpoint_http import ChallengeAuth, EndpointError, check_complete, http_error
from kg.backends.oxconvert import OxQueryResult, dump_store, triples_to_graph
from kg.backends.remote_results import check_row_cap, fetch_graph, read_solutions
from kg.backends.remote_writes import drop_stats_update, insert_store, load_via_update, stored_stats
from kg.backends.result_formats import (
    TSV,
    ChunkReader,
    accept_for,
    media_type,
    parse_response,
    tsv_is_standard,
)
from kg.backends.sparql_text import bind_variables, query_form
from kg.errors import BadOptionError, SparqlSyntaxError
from kg.results import QueryResult

__all__ = ["EndpointError", "RemoteBackend", "parse_response"]

#: endpoint URL -> whether its TSV is the W3C format (probed once per process).
_TSV_IS_STANDARD: dict[str, bool] = {}
#: Graphs a fresh Virtuoso holds for itself; its default graph is the union of all graphs.
VIRTUOSO_SYSTEM_GRAPHS = (
    "http://www.openlinksw.com/schemas/virtrdf#",
    "http://www.w3.org/ns/ldp#",
    "http://localuriqaserver/sparql",
)
_BAD_IRI_CHARS = set('<>"{}|^`\\ \t\n')


class RemoteBackend(Backend):
    """A SPARQL 1.1 endpoint reached over HTTP.

    Parameters
    ----------
    endpoint:
        The query URL (``http://localhost:3030/ds/sparql``, ``http://host:7878/query`` ...).
    update_endpoint:
        The SPARQL Update URL; without it the backend is read-only and loads nothing.
    user, password:
        HTTP Basic or Digest auth, as the server asks; ``password`` defaults to the
        ``KG_ENDPOINT_PASSWORD`` variable.
    token:
        A bearer token (``Authorization: Bearer ...``); default ``KG_ENDPOINT_TOKEN``.
    timeout:
        Seconds to wait for an answer (connecting: at most 10 s).
    graph:
        Read (and load into) this one named graph of the store, sent as ``default-graph-uri``.

    Returns
    -------
    RemoteBackend

    Example
    -------
    >>> RemoteBackend("ftp://x")
    Traceback (most recent call last):
    ...
    kg.errors.BadOptionError: endpoint must be an http(s) URL, not 'ftp://x'
    >>> RemoteBackend("http://127.0.0.1:9/sparql", timeout=2).query("ASK {}")
    Traceback (most recent call last):
    ...
    kg.backends.endpoint_http.EndpointError: http://127.0.0.1:9/sparql: cannot connect (...)
    """

    kind = "remote"

    def __init__(
        self,
        endpoint: str,
        update_endpoint: str | None = None,
        user: str | None = None,
        password: str | None = None,
        token: str | None = None,
        timeout: float = 60.0,
        graph: str | None = None,
    ) -> None:
        for url in (endpoint, update_endpoint):
            if url is not None and not url.startswith(("http://", "https://")):
                raise BadOptionError(f"endpoint must be an http(s) URL, not {url!r}")
        if graph is not None and (":" not in graph or _BAD_IRI_CHARS & set(graph)):
            raise BadOptionError(f"--graph must be an absolute IRI, not {graph!r}")
        self.endpoint = endpoint
        self.update_endpoint = update_endpoint
        self.graph = graph
        self.timeout = float(timeout)
        password = password if password is not None else os.environ.get("KG_ENDPOINT_PASSWORD")
        token = token if token is not None else os.environ.get("KG_ENDPOINT_TOKEN")
        headers = {"User-Agent": "kg (https://w3id.org/kg-ir)"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        auth = ChallengeAuth(user, password or "") if user else None
        self.client = httpx.Client(
            headers=headers, auth=auth, timeout=httpx.Timeout(self.timeout, connect=10.0)
        )
        #: the ``Server`` header of the endpoint's last answer
        self.server = ""
        #: files that load() did not send, for want of an update endpoint
        self.unloaded: list[str] = []
        self._rdflib: Graph | None = None

    # -- HTTP ---------------------------------------------------------------------------

    @contextmanager
    def _stream(self, url: str, **kwargs: Any) -> Iterator[httpx.Response]:
        """POST and hand out the response as it arrives; every failure is one line."""
        try:
            with self.client.stream("POST", url, **kwargs) as response:
                if response.status_code >= 400:
                    response.read()
                    raise http_error(response.status_code, response.text, url)
                check_complete(response.headers, url)
                self.server = response.headers.get("server", "")
                yield response
        except httpx.TimeoutException:
            raise EndpointError(f"no answer within {self.timeout:g} s", path=url) from None
        except httpx.ConnectError as exc:
            raise EndpointError(f"cannot connect ({exc})", path=url) from None
        except httpx.HTTPError as exc:
            raise EndpointError(f"HTTP error: {exc}", path=url) from None

    def _post(self, url: str, **kwargs: Any) -> httpx.Response:
        with self._stream(url, **kwargs) as response:
            response.read()
            return response

    def _form(self, text: str, dataset: bool = True) -> dict[str, str]:
        data = {"query": text}
        if dataset and self.graph is not None:
            data["default-graph-uri"] = self.graph
        if self.server.startswith("Virtuoso"):
            # Virtuoso stops a query at `timeout` ms (it answers what it has, flagged as
            # incomplete), rather than running on after kg has given up waiting
            data["timeout"] = str(int(self.timeout * 500))
        return data

    def tsv_is_standard(self) -> bool:
        """Whether the endpoint writes W3C TSV, asked once per endpoint and process.

        Returns
        -------
        bool
            False for Virtuoso (``"s"`` headers, quoted values) and for endpoints that
            answer a TSV request with another format.
        """
        if self.endpoint not in _TSV_IS_STANDARD:
            form = self._form("SELECT ?kg_probe WHERE { }")
            with self._stream(self.endpoint, data=form, headers={"Accept": TSV}) as response:
                media = media_type(response.headers.get("content-type", ""))
                first = ChunkReader(response.iter_bytes()).peek_line()
            _TSV_IS_STANDARD[self.endpoint] = media == TSV and tsv_is_standard(first)
        return _TSV_IS_STANDARD[self.endpoint]

    def _is_virtuoso(self) -> bool:
        if not self.server:
            self.tsv_is_standard() if self.endpoint not in _TSV_IS_STANDARD else self._probe()
        return self.server.startswith("Virtuoso")

    def _probe(self) -> None:
        self._post(self.endpoint, data=self._form("ASK { }"), headers={"Accept": accept_for("ASK")})

    # -- Backend ------------------------------------------------------------------------

    @contextmanager
    def select(
        self,
        sparql: str,
        bindings: Mapping[str, Any] | None = None,
        *,
        dataset: bool = True,
        check_cap: bool = True,
    ) -> Iterator[tuple[list[str], Iterator[tuple]]]:
        """Run a SELECT and hand out its rows (pyoxigraph terms) as they arrive.

        Parameters
        ----------
        sparql:
            The SELECT text.
        bindings:
            Variable name -> value (see :meth:`query`).
        dataset:
            Send ``default-graph-uri`` when the backend has a graph.
        check_cap:
            Refuse an answer the endpoint cut at its row cap (:mod:`kg.backends.remote_results`).

        Returns
        -------
        context manager of (list[str], Iterator[tuple])
            The variable names and the rows; the connection closes when the block ends.

        Raises
        ------
        EndpointError
            As :meth:`query`, also for an answer that breaks off or cannot be read.
        """
        text = bind_variables(sparql, bindings)
        accept = accept_for("SELECT", tsv=self.tsv_is_standard())
        form = self._form(text, dataset)
        with self._stream(self.endpoint, data=form, headers={"Accept": accept}) as response:
            if check_cap:
                check_row_cap(response.headers, text, self._count, self.endpoint)
            yield read_solutions(response, self.endpoint, _TSV_IS_STANDARD)

    def _count(self, text: str) -> int:
        with self.select(text, check_cap=False) as (_, rows):
            return int(next(rows)[0].value)

    def query(self, sparql: str, bindings: Mapping[str, Any] | None = None) -> QueryResult:
        """Send a query to the endpoint, with bound variables replaced by escaped terms.

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
            When the endpoint rejects the query (HTTP 400), with its message.
        EndpointError
            Unreachable, timed out (here or at the server), access refused, a server error.
        """
        form = query_form(sparql)
        if not form:
            raise SparqlSyntaxError("not a SPARQL query (SELECT, ASK, CONSTRUCT or DESCRIBE)")
        if form == "SELECT":
            with self.select(sparql, bindings) as (names, rows):
                return OxQueryResult(names, list(rows))
        text = bind_variables(sparql, bindings)
        headers = {"Accept": accept_for(form)}
        response = self._post(self.endpoint, data=self._form(text), headers=headers)
        return parse_response(response.content, response.headers.get("content-type", ""), form)

    def _select_values(self, sparql: str, dataset: bool = True) -> list[tuple]:
        with self.select(sparql, dataset=dataset) as (_, rows):
            return list(rows)

    @property
    def loads_graph(self) -> str:
        """The graph recording the files loaded (into the default graph, or into ``graph``)."""
        from kg.backends.graph_store import records_graph

        return records_graph(self.graph)

    def load(self, paths: Sequence[str | Path]) -> int:
        """Parse the files here, then send the new ones in one SPARQL Update request.

        Parameters
        ----------
        paths:
            RDF files. Without an update endpoint nothing is sent (see :attr:`unloaded`).

        Returns
        -------
        int
            The number of triples at the endpoint after.

        Raises
        ------
        ParseError
            Naming the file and line; nothing is sent.
        """
        self._rdflib = None
        if paths and self.update_endpoint is None:
            self.unloaded = [str(p) for p in paths]
        elif paths:
            load_via_update(self, paths)
        return len(self)

    def add_graph(self, graph: Graph) -> int:
        """Insert the triples of an rdflib Graph (needs an update endpoint).

        Parameters
        ----------
        graph:
            An rdflib Graph.

        Returns
        -------
        int
            The number of triples at the endpoint after.
        """
        if self.update_endpoint is None:
            raise BadOptionError("the remote backend is read-only: give an update endpoint")
        self._rdflib = None
        insert_store(self, graph.serialize(format="nt", encoding="utf-8"))
        return len(self)

    def update(self, sparql: str) -> None:
        """Send a SPARQL 1.1 Update to the update endpoint (none given: refused, nothing sent).

        Parameters
        ----------
        sparql:
            The update text.
        """
        if self.update_endpoint is None:
            raise BadOptionError("the remote backend is read-only: give an update endpoint")
        self._rdflib = None
        text = drop_stats_update(self.graph) + sparql  # the kept counts are stale after
        headers = {"Content-Type": "application/sparql-update"}
        self._post(self.update_endpoint, content=text.encode("utf-8"), headers=headers)

    def stored_stats(self) -> dict[str, Any] | None:
        """The counts ``kg load --endpoint`` kept for this graph (VoID), while current.

        Returns
        -------
        dict or None
            See :func:`kg.backends.remote_writes.stored_stats`.
        """
        return stored_stats(self)

    def _pattern(self) -> str:
        """The pattern of the store's own triples: on Virtuoso without a graph, every graph
        but Virtuoso's system graphs (its default graph is the union of all of them)."""
        if self.graph is None and self._is_virtuoso():
            system = ", ".join(f"<{g}>" for g in VIRTUOSO_SYSTEM_GRAPHS)
            records = '!STRSTARTS(STR(?g), "urn:x-kg:")'  # kg's own load records and counts
            return f"GRAPH ?g {{ ?s ?p ?o }} FILTER(?g NOT IN ({system}) && {records})"
        return "?s ?p ?o"

    def __len__(self) -> int:
        rows = self._select_values(f"SELECT (COUNT(*) AS ?n) WHERE {{ {self._pattern()} }}")
        return int(rows[0][0].value) if rows else 0

    def serialize(self, format: str = "ttl") -> bytes:
        """Download the endpoint's default graph (or ``graph``) in an export format.

        Parameters
        ----------
        format:
            ``ttl``, ``nt``, ``nq``, ``trig``, ``jsonld`` or ``xml``.

        Returns
        -------
        bytes
        """
        return dump_store(fetch_graph(self), rdflib_format(format))

    def to_rdflib(self) -> Graph:
        """Download the endpoint's default graph (or ``graph``) as an rdflib Graph, kept
        until the next load.

        Returns
        -------
        Graph
        """
        if self._rdflib is None:
            from kg.namespaces import bind_prefixes

            self._rdflib = triples_to_graph(fetch_graph(self), bind_prefixes(Graph()))
        return self._rdflib

    def close(self) -> None:
        """Close the HTTP connection."""
        self.client.close()
