"""Load files into a remote store through the SPARQL 1.1 Graph Store HTTP Protocol.

Every file is parsed here first (a bad file stops everything, naming file and line, and
nothing is sent), the superclass types of the class tree added as every kg load does
(:func:`kg.inference.close_oxigraph_store`); then all the new triples go to the target
graph in **one** request
(``POST`` adds to the graph, ``PUT`` replaces it), which a store applies as one change: the
protocol has no transaction spanning requests, so one request is as all-or-nothing as it
allows. Files the graph already holds (recorded by SHA-256 in a record graph of their own, as
:mod:`kg.backends.load_records` says) are skipped. The Graph Store URLs of the common servers:
Oxigraph ``http://host:7878/store``, Fuseki ``http://host:3030/DATASET/data``, Virtuoso
``http://host:8890/sparql-graph-crud-auth`` (Digest auth), GraphDB
``http://host:7200/repositories/REPO/rdf-graphs/service``.

For files of many millions of triples, a server's own bulk loader is faster than any HTTP
upload (Virtuoso: ``ld_dir`` and ``rdf_loader_run()``; see the README, "Scale out").
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from kg.backends.endpoint_http import ChallengeAuth, EndpointError, http_error
from kg.backends.load_records import LOADS_GRAPH, file_digest
from kg.backends.oxigraph_load import bulk_load_files
from kg.errors import BadOptionError

__all__ = ["GraphStoreReport", "load_into_graph_store", "records_graph"]

_NT = "application/n-triples"


@dataclass
class GraphStoreReport:
    """What a Graph Store load did.

    Parameters
    ----------
    graph:
        The target graph (None: the default graph).
    triples:
        The number of triples sent.
    loaded, skipped:
        Files sent, and files the graph already held.

    Example
    -------
    >>> GraphStoreReport("urn:g", 3, ["a.ttl"]).summary()
    'sent 3 triples from 1 file to <urn:g>'
    """

    graph: str | None
    triples: int
    loaded: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One line for the user."""
        target = f"<{self.graph}>" if self.graph else "the default graph"
        plural = "" if len(self.loaded) == 1 else "s"
        text = f"sent {self.triples:,} triples from {len(self.loaded)} file{plural} to {target}"
        if self.skipped:
            text += f"; skipped {len(self.skipped)} already there"
        return text


def records_graph(graph: str | None) -> str:
    """The graph recording which files were loaded into ``graph``.

    Example
    -------
    >>> records_graph(None)
    'urn:x-kg:loads'
    >>> records_graph("https://example.org/g")
    'urn:x-kg:loads:17a9812f3fddc015'
    """
    if graph is None:
        return LOADS_GRAPH
    return f"{LOADS_GRAPH}:{hashlib.sha256(graph.encode()).hexdigest()[:16]}"


def _target(url: str, graph: str | None) -> tuple[str, dict[str, str]]:
    return url, ({"graph": graph} if graph is not None else {"default": ""})


def _close_types(staging) -> None:
    """Add the superclass types, as every kg load does, so the graph answers as ``kg.load()``."""
    from kg.inference import close_oxigraph_store

    close_oxigraph_store(staging, None)


def _request(client: httpx.Client, method: str, url: str, **kwargs) -> httpx.Response:
    try:
        response = client.request(method, url, **kwargs)
    except httpx.TimeoutException:
        raise EndpointError(f"no answer within {client.timeout.read:g} s", path=url) from None
    except httpx.HTTPError as exc:
        raise EndpointError(f"cannot connect ({exc})", path=url) from None
    if response.status_code >= 400 and not (method != "POST" and response.status_code == 404):
        error = http_error(response.status_code, response.text, url)
        raise EndpointError(str(error).removeprefix(f"{url}: "), path=url)
    return response


def _held(client: httpx.Client, url: str, graph: str | None) -> set[str]:
    """Digests recorded for ``graph`` (a missing record graph is a 404: none)."""
    import pyoxigraph as ox

    target, params = _target(url, records_graph(graph))
    answer = _request(client, "GET", target, params=params, headers={"Accept": _NT})
    if answer.status_code == 404 or not answer.content.strip():
        return set()
    triples = ox.parse(answer.content, ox.RdfFormat.N_TRIPLES)
    return {t.subject.value.rsplit(":", 1)[1] for t in triples if ":" in t.subject.value}


def load_into_graph_store(
    url: str,
    files: Sequence[str | Path],
    graph: str | None = None,
    *,
    replace: bool = False,
    user: str | None = None,
    password: str | None = None,
    token: str | None = None,
    timeout: float = 600.0,
    query_endpoint: str | None = None,
    first_pages: Sequence[tuple[str, str, dict[str, Any]]] = (),
) -> GraphStoreReport:
    """Parse ``files`` here, then send their triples to ``graph`` in one request.

    Parameters
    ----------
    url:
        The Graph Store Protocol URL (see the module's docstring).
    files:
        RDF files, formats guessed from their extensions (quads: only the default graph).
    graph:
        The target graph IRI; None means the store's default graph.
    replace:
        Replace the graph's content (``PUT``) instead of adding to it (``POST``).
    user, password, token:
        Credentials (Basic or Digest, as the server asks; or a bearer token); the password
        defaults to ``KG_ENDPOINT_PASSWORD``, the token to ``KG_ENDPOINT_TOKEN``.
    timeout:
        Seconds to wait for the server.
    query_endpoint:
        The store's SPARQL query URL: then the graph is counted after the load (also when no
        file was new: after a bulk load by the server's own loader) and the counts are kept
        as VoID for ``kg stats`` (:mod:`kg.backends.void_stats`); without it, counts kept
        earlier are dropped when files are loaded.
    first_pages:
        ``(name, text, default bindings)`` per named query: with ``query_endpoint``, the
        first page of each is asked and kept beside the counts
        (:mod:`kg.backends.first_pages`).

    Returns
    -------
    GraphStoreReport

    Raises
    ------
    ParseError, MissingFileError
        Naming the file (and line); nothing is sent.
    EndpointError
        The server refused or failed; it says so in one line.

    Example
    -------
    >>> load_into_graph_store("http://127.0.0.1:9/store", ["missing.ttl"], "urn:g")
    Traceback (most recent call last):
    ...
    kg.errors.MissingFileError: no such file: missing.ttl
    """
    import pyoxigraph as ox

    if not url.startswith(("http://", "https://")):
        raise BadOptionError(f"the graph store must be an http(s) URL, not {url!r}")
    if graph is not None and (":" not in graph or set(graph) & set('<>"{}|^`\\ \t\n')):
        raise BadOptionError(f"--graph must be an absolute IRI, not {graph!r}")
    staging = ox.Store()
    bulk_load_files(staging, files)  # parse everything first: errors name file and line
    password = password if password is not None else os.environ.get("KG_ENDPOINT_PASSWORD")
    token = token if token is not None else os.environ.get("KG_ENDPOINT_TOKEN")
    headers = {"User-Agent": "kg (https://w3id.org/kg-ir)"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    auth = ChallengeAuth(user, password or "") if user else None
    with httpx.Client(
        auth=auth, headers=headers, timeout=httpx.Timeout(timeout, connect=10)
    ) as client:
        held = set() if replace else _held(client, url, graph)
        report = GraphStoreReport(graph, 0)
        new = []
        for path in files:
            digest = file_digest(path)
            (report.skipped if digest in held else report.loaded).append(str(path))
            if digest not in held:
                new.append(Path(path))
        credentials = {"user": user, "password": password, "token": token, "timeout": timeout}
        pages = list(first_pages)
        if not new:
            if query_endpoint is not None:
                _keep_counts(client, url, graph, query_endpoint, held, credentials, pages)
            return report
        if len(new) < len(files):  # only what is not there yet
            staging = ox.Store()
            bulk_load_files(staging, new)
        _close_types(staging)
        report.triples = _send(client, url, graph, staging, "PUT" if replace else "POST")
        loaded = {file_digest(path) for path in new}
        digests = loaded if replace else held | loaded
        _keep_counts(client, url, graph, query_endpoint, digests, credentials, pages)
    return report


def _send(client: httpx.Client, url: str, graph: str | None, staging: Any, method: str) -> int:
    """Send the staged default graph to ``graph``, then its load records; return its size."""
    import pyoxigraph as ox

    body = staging.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    triples = sum(1 for _ in staging.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    target, params = _target(url, graph)
    _request(client, method, target, params=params, content=body, headers={"Content-Type": _NT})
    records = staging.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(LOADS_GRAPH))
    target, params = _target(url, records_graph(graph))
    _request(client, method, target, params=params, content=records, headers={"Content-Type": _NT})
    return triples


def _keep_counts(
    client: httpx.Client,
    url: str,
    graph: str | None,
    query_endpoint: str | None,
    digests: set[str],
    credentials: dict[str, Any],
    pages: Sequence[tuple[str, str, dict[str, Any]]],
) -> None:
    """Count ``graph`` at ``query_endpoint`` and keep the counts as VoID in its stats graph,
    with the first pages of the named queries ``pages``; without a query endpoint, drop
    the counts kept (a 404: there were none)."""
    from kg.backends.first_pages import compute_pages, pages_ntriples
    from kg.backends.remote import RemoteBackend
    from kg.backends.void_stats import loads_digest, stats_graph, void_ntriples
    from kg.counts import count_graph

    target, params = _target(url, stats_graph(graph))
    if query_endpoint is None:
        _request(client, "DELETE", target, params=params)
        return
    backend = RemoteBackend(query_endpoint, graph=graph, **credentials)
    loads = loads_digest(digests)
    try:
        stats = count_graph(backend)  # counted afresh: the data changed
        kept = pages_ntriples(compute_pages(backend, pages), graph, loads)
    finally:
        backend.close()
    body = (void_ntriples(stats, graph, loads) + kept).encode()
    _request(client, "PUT", target, params=params, content=body, headers={"Content-Type": _NT})
