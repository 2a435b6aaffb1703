"""The Starlette application: the SPARQL endpoint, its query page and its safety nets.

Routes: ``/sparql`` (the SPARQL 1.1 Protocol endpoint; with no query it answers the
service description, or the query page to a browser), ``/queries`` (the named queries as
JSON, for the page's examples), ``/page/*`` (the page's script and style, bundled: the page
makes no request to any other address) and ``/`` (a redirect to ``/sparql``). Other
modules add routes with ``extra_routes`` (e.g. the Reconciliation API).

The web server itself never parses or evaluates a query: it reads the request, then hands
a :class:`~kg.serve.evaluate.Job` to a worker pool that enforces the timeout. The handlers
are in :mod:`kg.serve.handlers`, the middleware in :mod:`kg.serve.middleware`.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from kg.errors import BadOptionError
from kg.serve.answer_cache import AnswerCache
from kg.serve.bearer import token_problem
from kg.serve.evaluate import Job, Reply, answer, error_reply
from kg.serve.guard import Limits
from kg.serve.handlers import Endpoint
from kg.serve.middleware import BodyLimit, SecurityHeaders
from kg.serve.workers import ProcessPool, ThreadPool

__all__ = ["PAGE_DIR", "Answerer", "StoreRoles", "create_app", "make_pool"]

PAGE_DIR = Path(__file__).parent / "page"


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
    cache_mb: float = 64,
) -> Starlette:
    """Build the endpoint's ASGI application over a knowledge graph.

    Parameters
    ----------
    graph:
        A ``KnowledgeGraph`` (any backend); only its ``query`` method is used.
    limits:
        Timeout, row cap, allow-list, updates, queue (default :class:`~kg.serve.guard.Limits`).
    token:
        The bearer token an update must carry (required when ``limits.allow_update``;
        the rule of :func:`kg.serve.bearer.token_problem`).
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
    cache_mb:
        Megabytes of answers the server remembers (:mod:`kg.serve.answer_cache`), so
        that a repeated query costs no worker; ``0`` turns it off. Always off for the
        remote backend, whose data other clients can change.

    Returns
    -------
    Starlette
        ``app.state.run(job)`` runs a :class:`~kg.serve.evaluate.Job` under the limits.

    Raises
    ------
    BadOptionError
        (also a ValueError)
        Updates allowed without an acceptable token.

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
    problem = token_problem(token) if limits.allow_update else None
    if problem is not None:
        raise BadOptionError(f"updates need a bearer token: the token {problem}")
    examples = _examples(graph if named_queries is None else None, named_queries)
    handler = Answerer(graph, limits, _reconcile_jobs(extra_routes), _texts(examples))
    endpoint = Endpoint(
        make_pool(graph, handler, workers, limits),
        limits,
        token,
        (PAGE_DIR / "index.html").read_bytes(),
        examples,
        AnswerCache(_cache_bytes(graph, cache_mb)),
    )
    routes: list[BaseRoute] = [
        Route("/sparql", endpoint.sparql, methods=["GET", "POST"]),
        Route("/queries", endpoint.queries, methods=["GET"]),
        Route("/", endpoint.home, methods=["GET"]),
        Mount("/page", StaticFiles(directory=PAGE_DIR), name="page"),
        *extra_routes,
    ]
    app = Starlette(
        routes=routes, middleware=_middleware(max_body, cors), lifespan=endpoint.lifespan
    )
    app.state.graph, app.state.limits, app.state.pool = graph, limits, endpoint.pool
    app.state.run, app.state.run_reconcile = endpoint.run, endpoint.run_reconcile
    app.state.run_reconcile_preview = endpoint.run_reconcile_preview
    app.state.cache = endpoint.cache
    return app


def _texts(examples: bytes) -> tuple[str, ...]:
    """The example queries' texts (a worker checks them once, before any job)."""
    return tuple(example["text"] for example in json.loads(examples))


def _cache_bytes(graph: Any, cache_mb: float) -> int:
    """The answer cache's size: none over a remote store (it changes behind our back)."""
    kind = getattr(getattr(graph, "backend", graph), "kind", "")
    return 0 if kind == "remote" else int(cache_mb * 1024 * 1024)


def _middleware(max_body: int, cors: Sequence[str]) -> list[Middleware]:
    """Security headers and the body cap always; CORS only for the origins named."""
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
    return middleware


def _examples(graph: Any, named_queries: Sequence[Any] | None) -> bytes:
    """The page's examples as JSON: parameters bound to their defaults, checked by type."""
    from kg.queries import example_text

    if named_queries is None:
        named_queries = _project_queries(graph)
    return json.dumps(
        [{"name": q.name, "question": q.question, "text": example_text(q)} for q in named_queries]
    ).encode()


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

    def __init__(
        self, graph: Any, limits: Limits, reconcile: Any = None, examples: tuple[str, ...] = ()
    ) -> None:
        self.graph, self.limits, self.reconcile = graph, limits, reconcile
        self.examples = examples

    def __call__(self, job: Job) -> Reply:
        if job.operation == "reconcile" and self.reconcile is not None:
            try:
                if job.accept == "preview":
                    reply = self.reconcile.preview(job.text)
                else:
                    reply = self.reconcile(job.text, job.accept == "json")
            except MemoryError:
                return error_reply(503, self.limits.memory_message())
            # the batch's answer depends on its text and the index, which is built once
            return replace(reply, canonical=job.text)
        return answer(self.graph, self.limits, job)

    def warm(self) -> None:
        """Build the SPARQL parsers now (seconds), and check the page's example queries,
        so that no worker pays for them per job (the zygote calls this before forking)."""
        from kg.serve.evaluate import warm
        from kg.serve.guard import check_query, check_update

        check_query("ASK {}", self.limits)
        with contextlib.suppress(Exception):
            check_update("INSERT DATA {}", Limits(allow_update=True))
        warm(self.graph, self.limits, self.examples)


class StoreRoles:
    """Open an on-disk store as each worker process's role needs (see ``reopen``).

    Example
    -------
    >>> from kg.backends.oxigraph import OxigraphBackend
    >>> StoreRoles(OxigraphBackend())("reader")  # in memory: nothing to open
    """

    def __init__(self, backend: Any) -> None:
        self.backend = backend

    def __call__(self, role: str) -> None:
        self.backend.reopen({"reader": "read", "writer": "write"}.get(role, "closed"))


def _project_queries(graph: Any) -> list[Any]:
    """The named queries of the graph's project (none if it has no project)."""
    from kg.queries import list_queries

    paths = getattr(graph, "paths", None)
    return list_queries(paths.queries) if paths is not None else []
