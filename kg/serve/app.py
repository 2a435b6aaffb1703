"""The Starlette application: the SPARQL endpoint, its query page and its safety nets.

Routes: ``/sparql`` (the SPARQL 1.1 Protocol endpoint; with no query it answers the
service description, or the query page to a browser), ``/queries`` (the named queries as
JSON, for the page's examples), ``/page/*`` (the page's script and style, bundled: the page
makes no request to any other address) and ``/`` (a redirect to ``/sparql``). Other
modules add routes with ``extra_routes`` (e.g. the Reconciliation API).

The web server itself never parses or evaluates a query: it reads the request, then hands
a :class:`~kg.serve.evaluate.Job` to a worker pool that enforces the timeout.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
from collections.abc import Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from kg.serve.evaluate import Job, Reply, answer, error_reply
from kg.serve.guard import Limits
from kg.serve.protocol import ProtocolError, read_request, service_description, wants_html
from kg.serve.workers import PoolBusy, ProcessPool, QueryTimeout, ThreadPool, WorkerDied

PAGE_DIR = Path(__file__).parent / "page"
#: Applied to every response: the page may load only its own script, style and data.
SECURITY_HEADERS = [
    (
        b"content-security-policy",
        b"default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
        b"img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    ),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
]


def create_app(
    graph: Any,
    *,
    limits: Limits | None = None,
    token: str | None = None,
    cors: Sequence[str] = (),
    max_body: int = 1_000_000,
    workers: int | None = None,
    named_queries: Sequence[Any] | None = None,
    extra_routes: Sequence[BaseRoute] = (),
) -> Starlette:
    """Build the endpoint's ASGI application over a knowledge graph.

    Parameters
    ----------
    graph:
        A ``KnowledgeGraph`` (any backend); only its ``query`` method is used.
    limits:
        Timeout, row cap, allow-list, updates (default :class:`~kg.serve.guard.Limits`).
    token:
        The bearer token an update must carry (required when ``limits.allow_update``).
    cors:
        Origins allowed to call the endpoint from a browser; none by default.
    max_body:
        Largest request body accepted, in bytes (larger: 413).
    workers:
        Query worker processes (forked now, before any socket is open); ``0`` runs
        queries in threads instead (a timed-out query is then abandoned, not stopped);
        ``None`` chooses (see :func:`make_pool`).
    named_queries:
        :class:`~kg.queries.NamedQuery` objects offered as examples on the page; default
        the graph's project queries.
    extra_routes:
        More Starlette routes, mounted beside the endpoint.

    Returns
    -------
    Starlette
        ``app.state.run(job)`` runs a :class:`~kg.serve.evaluate.Job` under the limits.

    Example
    -------
    >>> import asyncio, httpx
    >>> from kg.backends.memory import MemoryBackend
    >>> app = create_app(MemoryBackend(), workers=0, named_queries=[])
    >>> async def ask(query):
    ...     async with app.router.lifespan_context(app):
    ...         transport = httpx.ASGITransport(app=app)
    ...         async with httpx.AsyncClient(transport=transport, base_url="http://kg") as c:
    ...             return await c.get("/sparql", params={"query": query},
    ...                                headers={"accept": "text/csv"})
    >>> r = asyncio.run(ask("ASK {}"))
    >>> r.status_code, r.text
    (200, '_askResult\\r\\ntrue\\r\\n')
    """
    limits = limits or Limits()
    if limits.allow_update and not token:
        raise ValueError("updates need a bearer token")
    if named_queries is None:
        named_queries = _project_queries(graph)
    from kg.queries import example_text  # parameters bound: defaults, checked by type

    examples = json.dumps(
        [{"name": q.name, "question": q.question, "text": example_text(q)} for q in named_queries]
    ).encode()
    page = (PAGE_DIR / "index.html").read_bytes()

    handler = Answerer(graph, limits, _reconcile_jobs(extra_routes))
    pool = make_pool(graph, handler, workers, limits)
    # Batches may hold all workers but one: /sparql always keeps a worker of its own.
    reconcile_slots = asyncio.Semaphore(max(1, pool.size - 1))

    async def run(job: Job) -> Reply:
        try:
            return await pool.run(job, limits.timeout, changes_state=job.operation == "update")
        except QueryTimeout:
            return error_reply(
                503, f"query stopped: it ran longer than the {limits.timeout:g} s time limit"
            )
        except PoolBusy:
            reply = error_reply(503, "server busy: no query worker became free in time")
            reply.headers["Retry-After"] = "1"
            return reply
        except WorkerDied:
            return error_reply(503, limits.memory_message())

    async def run_reconcile(text: str, is_json: bool) -> Reply:
        """Run a reconciliation batch in a worker, under the query timeout."""
        try:
            await asyncio.wait_for(reconcile_slots.acquire(), limits.timeout)
        except TimeoutError:
            reply = error_reply(503, "server busy: too many reconciliation batches at once")
            reply.headers["Retry-After"] = "1"
            return reply
        try:
            return await run(Job("reconcile", text, "json" if is_json else ""))
        finally:
            reconcile_slots.release()

    async def sparql(request: Request) -> Response:
        accept = request.headers.get("accept", "")
        body = await request.body() if request.method == "POST" else b""
        try:
            wanted = read_request(
                request.method,
                request.headers.get("content-type", ""),
                body,
                request.query_params.multi_items(),
            )
        except ProtocolError as exc:
            return _response(error_reply(exc.status, str(exc)))
        if wanted.operation == "describe":
            if wants_html(accept):
                return Response(page, media_type="text/html; charset=utf-8")
            return await describe(request)
        if wanted.operation == "update":
            refusal = _check_token(request, limits, token)
            if refusal is not None:
                return _response(refusal)
        return _response(await run(Job(wanted.operation, wanted.text, accept)))

    triples: dict[str, int] = {}

    async def describe(request: Request) -> Response:
        if "n" not in triples or limits.allow_update:
            reply = await run(Job("count"))
            if reply.status == 200:
                triples["n"] = int(reply.body)
        endpoint = str(request.url.replace(query=""))
        text = service_description(endpoint, update=limits.allow_update, triples=triples.get("n"))
        return Response(text, media_type="text/turtle; charset=utf-8")

    async def queries(request: Request) -> Response:
        return Response(examples, media_type="application/json")

    async def home(request: Request) -> Response:
        return RedirectResponse("/sparql", status_code=307)

    @asynccontextmanager
    async def lifespan(app: Starlette):
        await pool.start()
        try:
            yield
        finally:
            pool.close()

    routes: list[BaseRoute] = [
        Route("/sparql", sparql, methods=["GET", "POST"]),
        Route("/queries", queries, methods=["GET"]),
        Route("/", home, methods=["GET"]),
        Mount("/page", StaticFiles(directory=PAGE_DIR), name="page"),
        *extra_routes,
    ]
    middleware = [Middleware(SecurityHeaders), Middleware(BodyLimit, max_body=max_body)]
    if cors:
        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=list(cors),
                allow_methods=["GET", "POST"],
                allow_headers=["Accept", "Content-Type"],
                expose_headers=["X-SPARQL-Truncated"],
            )
        )
    app = Starlette(routes=routes, middleware=middleware, lifespan=lifespan)
    app.state.graph, app.state.limits, app.state.pool, app.state.run = graph, limits, pool, run
    app.state.run_reconcile = run_reconcile
    return app


#: Backends whose ``query`` may run in several threads at once (they do not parse SPARQL
#: with rdflib, whose parser is not thread-safe).
THREAD_SAFE_BACKENDS = frozenset({"remote"})


def make_pool(
    graph: Any, handler: Any, workers: int | None, limits: Limits | None = None
) -> ProcessPool | ThreadPool:
    """Choose where queries run: forked worker processes, or threads.

    Processes are the default: a query past its timeout is killed, a worker's memory is
    capped (``limits.memory_mb``) and, unless ``--allow-service`` names an endpoint,
    workers live in an empty network namespace, so that even a query the guard missed
    reaches no address. An on-disk Oxigraph store is closed here and opened by each
    worker: read-only in query workers, read-write in the one writer. A ``remote``
    backend gets threads instead: its work happens on the other server (which has its
    own time limits), and a forked copy of its open HTTP connections would be shared.

    Parameters
    ----------
    graph:
        The KnowledgeGraph; ``graph.backend.kind`` names its backend.
    handler:
        What runs each job.
    workers:
        The number of processes; ``0`` for threads; ``None`` to choose by backend.

    Returns
    -------
    ProcessPool or ThreadPool
        Threads: 4 for a thread-safe backend, else 1 (rdflib parses one query at a time).

    Example
    -------
    >>> from types import SimpleNamespace
    >>> remote = SimpleNamespace(backend=SimpleNamespace(kind="remote"))
    >>> pool = make_pool(remote, print, None)
    >>> type(pool).__name__, pool.size
    ('ThreadPool', 4)
    """
    limits = limits or Limits()
    backend = getattr(graph, "backend", graph)
    kind = getattr(backend, "kind", "")
    if workers is None:
        workers = 0 if kind == "remote" else 2
    if workers <= 0:
        return ThreadPool(handler, 4 if kind in THREAD_SAFE_BACKENDS else 1)
    memory = limits.memory_mb * 1024 * 1024 if limits.memory_mb else None
    isolate = not limits.allow_service
    if getattr(backend, "path", None) is not None and hasattr(backend, "reopen"):
        backend.reopen("closed")  # no RocksDB handle may be forked
        return ProcessPool(
            handler,
            workers,
            setup=StoreRoles(backend),
            memory=memory,
            isolate=isolate,
            on_disk=True,
        )
    return ProcessPool(handler, workers, memory=memory, isolate=isolate)


def _reconcile_jobs(routes: Sequence[BaseRoute]) -> Any:
    """The worker side of ``/reconcile``, when the routes carry a reconciliation index."""
    for route in routes:
        index = getattr(route, "reconcile_index", None)
        if index is not None:
            from kg.serve.reconcile import ReconcileJobs

            return ReconcileJobs(index)
    return None


class Answerer:
    """``answer(graph, limits, job)`` as a picklable callable (a worker pool's handler).

    Example
    -------
    >>> from kg.backends.memory import MemoryBackend
    >>> Answerer(MemoryBackend(), Limits())(Job("query", "ASK {}", "text/csv")).status
    200
    """

    def __init__(self, graph: Any, limits: Limits, reconcile: Any = None):
        self.graph, self.limits, self.reconcile = graph, limits, reconcile

    def __call__(self, job: Job) -> Reply:
        if job.operation == "reconcile" and self.reconcile is not None:
            try:
                return self.reconcile(job.text, job.accept == "json")
            except MemoryError:
                return error_reply(503, self.limits.memory_message())
        return answer(self.graph, self.limits, job)

    def warm(self) -> None:
        """Build the SPARQL parsers now (seconds), so that no worker pays it per job."""
        from kg.serve.guard import check_query, check_update

        check_query("ASK {}", self.limits)
        with contextlib.suppress(Exception):
            check_update("INSERT DATA {}", Limits(allow_update=True))


class StoreRoles:
    """Open an on-disk store as each worker process's role needs (see ``reopen``).

    Example
    -------
    >>> from kg.backends.oxigraph import OxigraphBackend
    >>> StoreRoles(OxigraphBackend())("reader")  # in memory: nothing to open
    """

    def __init__(self, backend: Any):
        self.backend = backend

    def __call__(self, role: str) -> None:
        self.backend.reopen({"reader": "read", "writer": "write"}.get(role, "closed"))


def _project_queries(graph: Any) -> list[Any]:
    """The named queries of the graph's project (none if it has no project)."""
    from kg.queries import list_queries

    paths = getattr(graph, "paths", None)
    return list_queries(paths.queries) if paths is not None else []


def _check_token(request: Request, limits: Limits, token: str | None) -> Reply | None:
    """Refuse an update: 403 when updates are off, 401 without the right bearer token."""
    if not limits.allow_update:
        return error_reply(403, "SPARQL Update is disabled: this endpoint is read-only")
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    # bytes, not str: compare_digest refuses non-ASCII text (headers arrive as latin-1)
    offered = given.strip().encode("latin-1", "replace")
    if scheme.lower() != "bearer" or not hmac.compare_digest(offered, (token or "").encode()):
        reply = error_reply(401, "an update needs the operator's bearer token")
        reply.headers["WWW-Authenticate"] = 'Bearer realm="kg"'
        return reply
    return None


def _response(reply: Reply) -> Response:
    return Response(reply.body, reply.status, reply.headers, reply.media_type)


class _BodyTooLarge(Exception):
    """Raised inside the app when the body grows past the cap."""


class BodyLimit:
    """ASGI middleware answering 413 to a request body larger than ``max_body`` bytes.

    A declared ``Content-Length`` is checked before anything is read; a chunked body is
    counted as it arrives. A query string over the same size gets 414.

    Parameters
    ----------
    app:
        The wrapped ASGI app.
    max_body:
        The cap in bytes.

    Returns
    -------
    BodyLimit

    Example
    -------
    >>> BodyLimit(None, max_body=10).max_body
    10
    """

    def __init__(self, app: Any, max_body: int):
        self.app, self.max_body = app, max_body

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if len(scope.get("query_string", b"")) > self.max_body:
            message = f"query string too long: the limit is {self.max_body} bytes; use POST"
            await self._refuse(scope, send, 414, message)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_body):
            await self._refuse(scope, send)
            return
        received = 0
        started = False

        async def counted_receive() -> dict:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body:
                    raise _BodyTooLarge
            return message

        async def watched_send(message: dict) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted_receive, watched_send)
        except _BodyTooLarge:
            if not started:
                await self._refuse(scope, send)

    async def _refuse(
        self, scope: dict, send: Any, status: int = 413, message: str | None = None
    ) -> None:
        message = message or f"request body too large: the limit is {self.max_body} bytes"
        response = _response(error_reply(status, message))
        response.headers["Connection"] = "close"
        await response(scope, _no_body, send)


async def _no_body() -> dict:
    return {"type": "http.disconnect"}


class SecurityHeaders:
    """ASGI middleware adding :data:`SECURITY_HEADERS` to every response.

    Parameters
    ----------
    app:
        The wrapped ASGI app.

    Returns
    -------
    SecurityHeaders

    Example
    -------
    >>> SecurityHeaders(None).app is None
    True
    """

    def __init__(self, app: Any):
        self.app = app

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: dict) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *SECURITY_HEADERS]}
            await send(message)

        await self.app(scope, receive, send_with_headers)
