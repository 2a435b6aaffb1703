"""The endpoint's request handlers: ``/sparql``, ``/queries``, ``/`` and the pool's lifespan.

Each handler is a small method of :class:`Endpoint`, which holds what they share (the
limits, the token, the page, the worker pool behind an
:class:`~kg.serve.admission.Admission`). The web server never parses or evaluates a query
here: it reads the request and hands a :class:`~kg.serve.evaluate.Job` to a worker.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from kg.serve.admission import Admission
from kg.serve.answer_cache import AnswerCache
from kg.serve.bearer import refuse_update
from kg.serve.evaluate import Job, Reply, error_reply
from kg.serve.guard import Limits
from kg.serve.kept_pages import examples_with_pages
from kg.serve.middleware import response_of
from kg.serve.protocol import ProtocolError, read_request, service_description, wants_html

__all__ = ["Endpoint"]


class Endpoint:
    """The route handlers over one worker pool.

    Parameters
    ----------
    pool:
        The worker pool that runs every job.
    limits:
        The operator's limits.
    token:
        The update token (None: updates are refused).
    page:
        The query page's HTML.
    examples:
        The named queries as JSON, for the page (each given its first page's text).
    cache:
        The answers remembered (default: none).

    Returns
    -------
    Endpoint

    Example
    -------
    >>> from kg.serve.threads import ThreadPool
    >>> endpoint = Endpoint(ThreadPool(print), Limits(), None, b"<html>", b"[]")
    >>> endpoint.admission.limits.timeout
    10.0
    """

    def __init__(
        self,
        pool: Any,
        limits: Limits,
        token: str | None,
        page: bytes,
        examples: bytes,
        cache: AnswerCache | None = None,
    ) -> None:
        self.pool, self.limits, self.token = pool, limits, token
        self.cache = cache or AnswerCache(0)
        # each example with its first page, the text the query page runs (kg.serve.kept_pages)
        self.page, self.examples = page, examples_with_pages(examples)
        self.admission = Admission(pool, limits)
        # The triple count of the service description: counted once when the graph
        # cannot change, at every description when updates are on.
        self._triples: int | None = None

    async def sparql(self, request: Request) -> Response:
        """``GET``/``POST /sparql``: a query, an update, or the description or page."""
        body = await request.body() if request.method == "POST" else b""
        try:
            wanted = read_request(
                request.method,
                request.headers.get("content-type", ""),
                body,
                request.query_params.multi_items(),
            )
        except ProtocolError as exc:
            return response_of(error_reply(exc.status, str(exc)))
        accept = request.headers.get("accept", "")
        if wanted.operation == "describe":
            if wants_html(accept):
                return Response(self.page, media_type="text/html; charset=utf-8")
            return await self.describe(request)
        if wanted.operation == "update":
            authorization = request.headers.get("authorization", "")
            refusal = refuse_update(authorization, self.limits.allow_update, self.token)
            if refusal is not None:
                return response_of(refusal)
        job = Job(wanted.operation, wanted.text, accept)
        if wanted.operation == "update":
            return response_of(await self.cache.changing(lambda: self.run(job)))
        return response_of(await self.cache.answer(job, self.run))

    async def describe(self, request: Request) -> Response:
        """The service description (Turtle), with the graph's triple count."""
        if self._triples is None or self.limits.allow_update:
            reply = await self.run(Job("count"))
            if reply.status == 200:
                self._triples = int(reply.body)
        endpoint = str(request.url.replace(query=""))
        text = service_description(endpoint, update=self.limits.allow_update, triples=self._triples)
        return Response(text, media_type="text/turtle; charset=utf-8")

    async def queries(self, request: Request) -> Response:
        """``GET /queries``: the named queries, for the page's examples."""
        return Response(self.examples, media_type="application/json")

    async def home(self, request: Request) -> Response:
        """``GET /``: to the endpoint."""
        return RedirectResponse("/sparql", status_code=307)

    async def run(self, job: Job) -> Reply:
        """Run a job in a worker under the limits (see :class:`Admission`)."""
        return await self.admission.run(job)

    async def run_reconcile(self, text: str, is_json: bool) -> Reply:
        """Run a reconciliation batch in a worker (``/reconcile`` calls this)."""
        job = Job("reconcile", text, "json" if is_json else "")
        return await self.cache.answer(job, self.admission.run)

    async def run_reconcile_preview(self, identifier: str) -> Reply:
        """One entity's preview card, from a worker's index (``/reconcile/preview``)."""
        return await self.cache.answer(Job("reconcile", identifier, "preview"), self.admission.run)

    @asynccontextmanager
    async def lifespan(self, app: Starlette) -> AsyncIterator[None]:
        """Start the workers with the server, stop them with it."""
        await self.pool.start()
        try:
            yield
        finally:
            self.pool.close()
