"""HTTP for SPARQL endpoints: authentication as the server asks for it, and one-line errors.

Servers differ in how they want a password: Fuseki and GraphDB take HTTP Basic, Virtuoso's
``/sparql-auth`` and ``/sparql-graph-crud-auth`` only Digest. :class:`ChallengeAuth` answers
whichever challenge the server sends (and then keeps to that scheme). Every failure becomes
an :class:`EndpointError` or a :class:`~kg.errors.SparqlSyntaxError` of one line, including
the answers that look like success: Virtuoso stopping a query at its time limit answers
200 with partial results and says so only in its ``X-SQL-State`` header.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Generator

import httpx

from kg.errors import KgError, SparqlSyntaxError

__all__ = ["ChallengeAuth", "EndpointError", "check_complete", "http_error"]


class EndpointError(KgError):
    """A SPARQL endpoint that cannot be reached, refuses access or fails.

    Example
    -------
    >>> str(EndpointError("no answer within 5 s", path="http://x/sparql"))
    'http://x/sparql: no answer within 5 s'
    """


class ChallengeAuth(httpx.Auth):
    """HTTP Basic or Digest, whichever the server's ``WWW-Authenticate`` challenge names.

    The first request goes without credentials; a 401 challenge picks the scheme, which
    later requests use from the start (Digest reuses the server's nonce).

    Parameters
    ----------
    user, password:
        The credentials.

    Returns
    -------
    ChallengeAuth

    Example
    -------
    >>> ChallengeAuth("dba", "secret").scheme is None
    True
    """

    requires_request_body = True  # a Digest challenge means sending the body again

    def __init__(self, user: str, password: str) -> None:
        self.user, self.password = user, password
        self.scheme: str | None = None
        self._digest = httpx.DigestAuth(user, password)

    def _basic(self, request: httpx.Request) -> httpx.Request:
        pair = f"{self.user}:{self.password}".encode()
        request.headers["Authorization"] = "Basic " + base64.b64encode(pair).decode()
        return request

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if self.scheme == "basic":
            yield self._basic(request)
            return
        if self.scheme == "digest":
            yield from self._digest.auth_flow(request)
            return
        response = yield request
        if response.status_code != 401:
            return
        challenge = response.headers.get("www-authenticate", "").strip().lower()
        if challenge.startswith("digest"):
            self.scheme = "digest"
            flow = self._digest.auth_flow(request)
            next(flow)  # the unauthenticated request, already sent above
            try:
                authed = flow.send(response)
                flow.send((yield authed))
            except StopIteration:
                pass
        elif challenge.startswith("basic"):
            self.scheme = "basic"
            yield self._basic(request)


def _detail(text: str) -> str:
    """The server's message on one line: Virtuoso's echo of the query is dropped."""
    text = re.split(r"\bSPARQL query:", text, maxsplit=1)[0]
    detail = " ".join(text.split())
    return detail if len(detail) <= 200 else detail[:197] + "..."


def http_error(code: int, text: str, url: str) -> KgError:
    """A one-line error for an HTTP error status, with the server's message.

    Parameters
    ----------
    code:
        The status code (>= 400).
    text:
        The response body.
    url:
        The URL asked.

    Returns
    -------
    KgError
        A :class:`~kg.errors.SparqlSyntaxError` for 400, else an :class:`EndpointError`.

    Example
    -------
    >>> body = "Virtuoso 37000 Error SP030: line 1: syntax error\\n\\nSPARQL query:\\nSELECT"
    >>> print(http_error(400, body, "http://h/sparql"))
    http://h/sparql: the endpoint rejected the query (HTTP 400): Virtuoso 37000 Error SP030: \
line 1: syntax error
    """
    detail = _detail(text)
    if code == 400:
        return SparqlSyntaxError(f"{url}: the endpoint rejected the query (HTTP 400): {detail}")
    if code in (401, 403):
        return EndpointError(
            f"access refused (HTTP {code}): give --user (password in KG_ENDPOINT_PASSWORD)"
            " or a token in KG_ENDPOINT_TOKEN",
            path=url,
        )
    if code == 404:
        return EndpointError("no SPARQL endpoint here (HTTP 404)", path=url)
    lowered = detail.lower()
    if code in (408, 504) or any(w in lowered for w in ("timeout", "timed out", "time limit")):
        return EndpointError(f"the endpoint stopped the query (HTTP {code}): {detail}", path=url)
    return EndpointError(f"HTTP {code}: {detail}", path=url)


def check_complete(headers: httpx.Headers, url: str) -> None:
    """Raise when a 200 answer says it is incomplete (Virtuoso's anytime-query timeout).

    Parameters
    ----------
    headers:
        The response headers.
    url:
        The URL asked, for the message.

    Raises
    ------
    EndpointError
        When ``X-SQL-State`` is ``S1TAT``, with the server's ``X-SQL-Message``.

    Example
    -------
    >>> h = httpx.Headers({"X-SQL-State": "S1TAT", "X-SQL-Message": "incomplete results"})
    >>> check_complete(h, "http://h/sparql")
    Traceback (most recent call last):
    ...
    kg.backends.endpoint_http.EndpointError: http://h/sparql: the endpoint stopped the query ...
    """
    if headers.get("x-sql-state", "").strip().upper() == "S1TAT":
        message = " ".join(headers.get("x-sql-message", "").split())
        raise EndpointError(
            "the endpoint stopped the query at its time limit and sent incomplete results"
            + (f" ({message})" if message else ""),
            path=url,
        )
