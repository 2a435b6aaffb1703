"""What the remote backend writes through a SPARQL Update endpoint, and the counts it keeps.

Files are parsed here first (a bad file stops everything, naming file and line), then sent in
one ``INSERT { ... } WHERE { }`` request, which SPARQL stores apply atomically. Files the
endpoint already holds (recorded by SHA-256 in the load-record graph) are not sent again.
Every write also drops the VoID counts of the graph (:mod:`kg.backends.void_stats`), in the
same request, so that ``kg stats`` never reads counts older than the data.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.backends.load_records import LOADS_GRAPH, file_digest
from kg.backends.oxigraph_load import bulk_load_files
from kg.backends.void_stats import loads_digest, stats_from_void, stats_graph

__all__ = ["drop_stats_update", "held_digests", "insert_store", "load_via_update", "stored_stats"]


def drop_stats_update(graph: str | None) -> str:
    """The update operation that drops the VoID counts of ``graph``, ended by ``;``.

    Example
    -------
    >>> drop_stats_update(None)
    'DROP SILENT GRAPH <urn:x-kg:void> ;\\n'
    """
    return f"DROP SILENT GRAPH <{stats_graph(graph)}> ;\n"


def insert_store(backend: Any, staging: ox.Store | bytes) -> None:
    """Send every graph of ``staging`` to ``backend`` in one update (N-Triples is SPARQL
    syntax); the default graph goes into ``backend.graph`` when there is one, the load
    records into the backend's record graph.

    ``INSERT { ... } WHERE { }`` rather than ``INSERT DATA``: the same triples, but Virtuoso
    refuses blank nodes in ``INSERT DATA``.

    Parameters
    ----------
    backend:
        A :class:`kg.backends.remote.RemoteBackend` with an update endpoint.
    staging:
        The triples to send (a store, or N-Triples for the default graph).
    """
    if isinstance(staging, bytes):
        text, staging = staging, ox.Store()
        staging.load(text, ox.RdfFormat.N_TRIPLES)
    nt = ox.RdfFormat.N_TRIPLES
    data = staging.dump(format=nt, from_graph=ox.DefaultGraph()) or b""
    parts = [drop_stats_update(backend.graph).encode(), b"INSERT {\n"]
    if backend.graph is not None:
        parts += [f"GRAPH <{backend.graph}> {{\n".encode(), data, b"}\n"]
    else:
        parts.append(data)
    for name in staging.named_graphs():
        target = ox.NamedNode(backend.loads_graph) if name.value == LOADS_GRAPH else name
        parts += [f"GRAPH {target} {{\n".encode(), staging.dump(format=nt, from_graph=name) or b""]
        parts.append(b"}\n")
    parts.append(b"} WHERE { }\n")
    headers = {"Content-Type": "application/sparql-update"}
    backend._post(backend.update_endpoint, content=b"".join(parts), headers=headers)


def held_digests(backend: Any) -> set[str]:
    """The digests of the files the endpoint's load records hold (for the backend's graph)."""
    records = ox.NamedNode(backend.loads_graph)
    query = f"SELECT DISTINCT ?d WHERE {{ GRAPH {records} {{ ?d ?p ?o }} }}"
    return {row[0].value.rsplit(":", 1)[1] for row in backend._select_values(query, False)}


def load_via_update(backend: Any, paths: Sequence[str | Path]) -> None:
    """Parse ``paths`` here, then send the files the endpoint does not hold yet in one update.

    Parameters
    ----------
    backend:
        A :class:`kg.backends.remote.RemoteBackend` with an update endpoint.
    paths:
        RDF files.

    Raises
    ------
    ParseError, MissingFileError
        Naming the file (and line); nothing is sent.
    """
    held = held_digests(backend)
    new = [p for p in paths if Path(p).is_file() and file_digest(p) not in held]
    missing = [p for p in paths if not Path(p).is_file()]
    staging = ox.Store()
    bulk_load_files(staging, missing + new)  # raises for missing or malformed files
    if new:
        from kg.inference import close_oxigraph_store

        close_oxigraph_store(staging, None)  # superclass types, as every kg load adds
        insert_store(backend, staging)


def stored_stats(backend: Any) -> dict[str, Any] | None:
    """The counts ``kg load --endpoint`` kept for the backend's graph, if still current.

    Parameters
    ----------
    backend:
        A :class:`kg.backends.remote.RemoteBackend`.

    Returns
    -------
    dict or None
        None without a description, or when the loads recorded since differ from those
        it counted.
    """
    stats = stats_graph(backend.graph)
    # the first pages kept there too (kg.backends.first_pages) are not counts: left out
    query = (
        f"SELECT ?s ?p ?o WHERE {{ GRAPH <{stats}> {{ ?s ?p ?o "
        f'FILTER(!STRSTARTS(STR(?s), "{stats}#page-")) }} }}'
    )
    rows = backend._select_values(query, False)
    found = stats_from_void(((s.value, p.value, o.value) for s, p, o in rows), backend.graph)
    if found is None or found[1] != loads_digest(held_digests(backend)):
        return None
    return found[0]
