"""Our graph as a W3C Reconciliation Service API v0.2 endpoint (what OpenRefine speaks).

``kg serve`` mounts these routes beside its SPARQL endpoint:

- ``GET /reconcile`` — the manifest (``versions``, ``name``, ``identifierSpace`` = the ``kgr:``
  namespace, ``schemaSpace`` = the ``kg:`` namespace, ``defaultTypes``, ``view``, ``preview``);
- ``POST /reconcile`` with a form field ``queries`` (or ``GET /reconcile?queries=...``) — a
  batch of keyed queries ``{query, type, limit, properties: [{pid, v}], type_strict}``,
  answered ``{key: {result: [{id, name, score, match, type: [{id, name}], description}]}}``;
- ``GET /reconcile/preview?id=...`` — a small HTML card for one entity (text escaped).

Candidates come from a :class:`~kg.linking.reconcile_index.ReconciliationIndex` of the graph
(scoring is described there), built on the first batch or preview that needs it
(:class:`IndexOnDemand`): reading every entity's values takes minutes at ten million triples,
which no server start and no SPARQL user should wait for. Inside ``kg serve`` that is in the
query worker that answers it, under the worker's time and memory limits.
"""

from __future__ import annotations

import json
import os
import threading
from typing import Any
from urllib.parse import parse_qs

from kg.linking.reconcile_index import (
    ALIAS_PENALTY,
    MATCH_THRESHOLD,
    ReconciliationError,
    ReconciliationIndex,
)
from kg.linking.sparql import select

__all__ = [
    "ALIAS_PENALTY",
    "MATCH_THRESHOLD",
    "ReconciliationError",
    "IndexOnDemand",
    "ReconciliationIndex",
    "reconciliation_routes",
]


#: Up to this many labelled resources, the entity index is built with the service (so that
#: every worker starts with it); beyond, on the first batch or preview, in that process.
#: The environment variable ``KG_RECONCILE_BUILD_AT_START`` sets another bound.
BUILD_AT_START = 50_000

_LABELLED = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT (COUNT(*) AS ?n) WHERE {
  SELECT ?s WHERE { ?s rdfs:label ?label } LIMIT %d
}
"""


def _bound() -> int:
    """:data:`BUILD_AT_START`, or the environment's ``KG_RECONCILE_BUILD_AT_START``."""
    from kg.errors import KgError

    raw = os.environ.get("KG_RECONCILE_BUILD_AT_START")
    if raw is None:
        return BUILD_AT_START
    if not raw.strip().isdigit():
        raise KgError(f"KG_RECONCILE_BUILD_AT_START must be a whole number, not {raw!r}")
    return int(raw)


class IndexOnDemand:
    """A :class:`ReconciliationIndex` of ``graph``, built when first needed if it is large.

    The manifest needs only the class tree, read now (two small queries). The entity index
    is built now too when the graph has at most :data:`BUILD_AT_START` labelled resources
    (counted by a query that stops there); otherwise once, on the first batch or preview.

    Parameters
    ----------
    graph:
        A ``KnowledgeGraph`` (or rdflib graph).
    build_now:
        Build the entity index now (True), on first use (False), or by its size (None).

    Returns
    -------
    IndexOnDemand

    Example
    -------
    >>> from rdflib import Graph
    >>> IndexOnDemand(Graph()).built
    True
    >>> index = IndexOnDemand(Graph(), build_now=False)
    >>> index.built, index.preview("Atlantis"), index.built
    (False, None, True)
    """

    def __init__(self, graph: Any, build_now: bool | None = None) -> None:
        self.graph = graph
        self.schema = ReconciliationIndex.schema_of(graph)
        self._index: ReconciliationIndex | None = None
        self._lock = threading.Lock()
        if build_now is None:
            bound = _bound()
            build_now = int(select(graph, _LABELLED % (bound + 1))[0]["n"]) <= bound
        if build_now:
            self.get()

    def __getstate__(self) -> dict[str, Any]:
        # sent to kg serve's workers with the graph they query: a lock is not picklable
        return {key: value for key, value in self.__dict__.items() if key != "_lock"}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._lock = threading.Lock()

    @property
    def built(self) -> bool:
        """Whether the entity index has been built in this process."""
        return self._index is not None

    def get(self) -> ReconciliationIndex:
        """The entity index, built now if it is not yet."""
        with self._lock:  # a standalone app answers batches in a thread pool
            if self._index is None:
                self._index = ReconciliationIndex.from_graph(self.graph)
            return self._index

    def manifest(self, base_url: str) -> dict[str, Any]:
        """The service manifest (see :meth:`ReconciliationIndex.manifest`)."""
        return self.schema.manifest(base_url)

    def reconcile(self, queries: Any) -> dict[str, Any]:
        """Answer a batch (see :meth:`ReconciliationIndex.reconcile`)."""
        return self.get().reconcile(queries)

    def preview(self, identifier: str) -> str | None:
        """An entity's card (see :meth:`ReconciliationIndex.preview`)."""
        return self.get().preview(identifier)


def reconciliation_routes(graph: Any, prefix: str = "/reconcile") -> list:
    """The Starlette routes of the reconciliation service over ``graph``.

    Parameters
    ----------
    graph:
        A ``KnowledgeGraph`` (or rdflib graph); its class tree is read now, its entities
        on the first batch or preview (:class:`IndexOnDemand`).
    prefix:
        Where the service lives.

    Returns
    -------
    list[starlette.routing.Route]
        For ``create_app(graph, extra_routes=...)`` of :mod:`kg.serve.app`.

    Example
    -------
    >>> from rdflib import Graph
    >>> [r.path for r in reconciliation_routes(Graph())]
    ['/reconcile', '/reconcile/preview']
    """
    from starlette.concurrency import run_in_threadpool
    from starlette.requests import Request
    from starlette.responses import HTMLResponse, JSONResponse, Response
    from starlette.routing import Route

    index = IndexOnDemand(graph)

    def error(status: int, message: str) -> JSONResponse:
        return JSONResponse({"status": "error", "message": message}, status_code=status)

    async def service(request: Request) -> Response:
        # Inside `kg serve`, batches run in its bounded query workers (kg.serve.reconcile).
        run = getattr(request.app.state, "run_reconcile", None)
        raw = request.query_params.get("queries")
        is_json = False
        if request.method == "POST":
            kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
            body = await request.body()
            if kind == "application/json":
                is_json = True
                if run is None:
                    raw = _json_field(body)
                elif body.strip():
                    raw = body.decode("utf-8", "replace")
            else:  # application/x-www-form-urlencoded, as OpenRefine sends it
                form = parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
                raw = form.get("queries", [raw])[0]
        if raw is None:
            return JSONResponse(index.manifest(str(request.base_url)))
        if run is not None:
            reply = await run(raw, is_json)
            return Response(reply.body, reply.status, reply.headers, reply.media_type)
        try:
            queries = json.loads(raw) if isinstance(raw, str | bytes) else raw
            answer = await run_in_threadpool(index.reconcile, queries)
        except json.JSONDecodeError as exc:
            return error(400, f"queries is not valid JSON ({exc.msg} at column {exc.colno})")
        except ReconciliationError as exc:
            return error(400, str(exc))
        return JSONResponse(answer)

    async def preview(request: Request):
        identifier = request.query_params.get("id", "")
        # Inside `kg serve`, the worker that holds the index answers (kg.serve.reconcile).
        run = getattr(request.app.state, "run_reconcile_preview", None)
        if run is not None and identifier:
            reply = await run(identifier)
            return Response(reply.body, reply.status, reply.headers, reply.media_type)
        card = await run_in_threadpool(index.preview, identifier) if identifier else None
        if card is None:
            return error(404, "no such entity")
        return HTMLResponse(card)

    routes = [
        Route(prefix, service, methods=["GET", "POST"]),
        Route(prefix + "/preview", preview, methods=["GET"]),
    ]
    routes[0].reconcile_index = index  # type: ignore[attr-defined]  # kg serve's workers read it
    return routes


def _json_field(body: bytes) -> Any:
    """The ``queries`` of a JSON body ``{"queries": ...}``, or the body itself."""
    try:
        data = json.loads(body or b"null")
    except json.JSONDecodeError:
        return body.decode("utf-8", "replace")
    return data.get("queries", data) if isinstance(data, dict) else data
