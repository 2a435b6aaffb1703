"""Our graph as a W3C Reconciliation Service API v0.2 endpoint (what OpenRefine speaks).

``kg serve`` mounts these routes beside its SPARQL endpoint:

- ``GET /reconcile`` — the manifest (``versions``, ``name``, ``identifierSpace`` = the ``kgr:``
  namespace, ``schemaSpace`` = the ``kg:`` namespace, ``defaultTypes``, ``view``, ``preview``);
- ``POST /reconcile`` with a form field ``queries`` (or ``GET /reconcile?queries=...``) — a
  batch of keyed queries ``{query, type, limit, properties: [{pid, v}], type_strict}``,
  answered ``{key: {result: [{id, name, score, match, type: [{id, name}], description}]}}``;
- ``GET /reconcile/preview?id=...`` — a small HTML card for one entity (text escaped).

Candidates come from a :class:`~kg.linking.reconcile_index.ReconciliationIndex` of the graph,
built once when the app is created; scoring is described there.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs

from kg.linking.reconcile_index import (
    ALIAS_PENALTY,
    MATCH_THRESHOLD,
    ReconciliationError,
    ReconciliationIndex,
)

__all__ = [
    "ALIAS_PENALTY",
    "MATCH_THRESHOLD",
    "ReconciliationError",
    "ReconciliationIndex",
    "reconciliation_routes",
]


def reconciliation_routes(graph: Any, prefix: str = "/reconcile") -> list:
    """The Starlette routes of the reconciliation service over ``graph``.

    Parameters
    ----------
    graph:
        A ``KnowledgeGraph`` (or rdflib graph); indexed once, now.
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

    index = ReconciliationIndex.from_graph(graph)

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
        card = index.preview(identifier) if identifier else None
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
