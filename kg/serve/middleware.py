"""ASGI middleware of the endpoint: a cap on request bodies and the page's security headers.

Both wrap the whole application (see :func:`kg.serve.app.create_app`); ``response_of``
turns a worker's :class:`~kg.serve.evaluate.Reply` into a Starlette response.
"""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from kg.serve.evaluate import Reply, error_reply

__all__ = ["SECURITY_HEADERS", "BodyLimit", "SecurityHeaders", "response_of"]

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


def response_of(reply: Reply) -> Response:
    """The Starlette response for a reply.

    Example
    -------
    >>> response_of(error_reply(400, "bad")).status_code
    400
    """
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

    def __init__(self, app: Any, max_body: int) -> None:
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
        response = response_of(error_reply(status, message))
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

    def __init__(self, app: Any) -> None:
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
