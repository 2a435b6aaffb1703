"""The HTTP client every external call of ``kg.linking`` goes through.

External services (Wikidata's query service, a reconciliation service, any SPARQL endpoint)
ask clients to identify themselves, to space their requests and to back off when told to.
:class:`HttpClient` does all three, caches good answers on disk so that a re-run does not ask
again, and turns every failure (HTTP 429/5xx after retries, a timeout, a refused connection,
an answer that is not JSON) into one :class:`ExternalServiceError` line.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from kg.errors import KgError
from kg.files import write_text_atomically

__all__ = [
    "default_cache_dir",
    "DEFAULT_USER_AGENT",
    "ExternalServiceError",
    "HttpClient",
    "SPARQL_JSON",
]

#: Wikimedia's User-Agent policy asks for a name, a version and a way to reach the operator.
DEFAULT_USER_AGENT = "kg/0.1 (knowledge-graph toolkit; https://w3id.org/kg-ir) httpx"

SPARQL_JSON = "application/sparql-results+json"


class ExternalServiceError(KgError):
    """An external service that failed or gave an answer we cannot use.

    Example
    -------
    >>> str(ExternalServiceError("HTTP 500 Internal Server Error after 3 attempts", path="http://x/q"))
    'http://x/q: HTTP 500 Internal Server Error after 3 attempts'
    """


def default_cache_dir() -> Path:
    """Return the folder of the on-disk HTTP cache.

    Parameters
    ----------
    None

    Returns
    -------
    Path
        ``$KG_CACHE_DIR`` if set, else ``$XDG_CACHE_HOME/kg/http`` (``~/.cache/kg/http``).

    Example
    -------
    >>> default_cache_dir().name in ("http",) or "KG_CACHE_DIR" in os.environ
    True
    """
    if os.environ.get("KG_CACHE_DIR"):
        return Path(os.environ["KG_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "kg" / "http"


@dataclass
class HttpClient:
    """A polite JSON-over-HTTP client: User-Agent, rate limit, retries with backoff, disk cache.

    Parameters
    ----------
    user_agent:
        Sent with every request.
    timeout:
        Seconds to wait for a connection or an answer.
    min_interval:
        Least number of seconds between two requests to the same host.
    retries:
        How many times to retry after HTTP 429, HTTP 5xx, a timeout or a refused connection.
    backoff:
        Seconds to wait before the first retry; doubled each time. A ``Retry-After`` header
        (seconds) is obeyed instead, up to ``max_wait``.
    max_wait:
        The longest single wait.
    cache_dir:
        Where good answers are kept (``None``: no cache).
    cache_ttl:
        Seconds a cached answer stays good.

    Returns
    -------
    HttpClient

    Example
    -------
    >>> client = HttpClient(cache_dir=None, retries=0, timeout=0.5)
    >>> client.get_json("http://127.0.0.1:9/nothing")
    Traceback (most recent call last):
    ...
    kg.linking.http_client.ExternalServiceError: http://127.0.0.1:9/nothing: cannot connect ...
    """

    user_agent: str = DEFAULT_USER_AGENT
    timeout: float = 30.0
    min_interval: float = 1.0
    retries: int = 3
    backoff: float = 1.0
    max_wait: float = 60.0
    cache_dir: Path | None = field(default_factory=default_cache_dir)
    cache_ttl: float = 7 * 24 * 3600
    _last_request: dict[str, float] = field(default_factory=dict, repr=False)
    requests_sent: int = field(default=0, repr=False)

    def get_json(
        self, url: str, params: dict[str, str] | None = None, *, accept: str = "application/json"
    ) -> Any:
        """GET ``url`` and return its JSON answer.

        Parameters
        ----------
        url:
            The address.
        params:
            Query-string parameters (encoded by httpx, never pasted).
        accept:
            The Accept header.

        Returns
        -------
        Any
            The decoded JSON.

        Example
        -------
        >>> HttpClient(cache_dir=None, retries=0).get_json("not a url")
        Traceback (most recent call last):
        ...
        kg.linking.http_client.ExternalServiceError: not a url: not an http(s) address
        """
        return self._request("GET", url, params=params, data=None, accept=accept)

    def post_json(self, url: str, data: dict[str, str], *, accept: str = "application/json") -> Any:
        """POST ``data`` form-encoded to ``url`` and return its JSON answer.

        Parameters
        ----------
        url:
            The address.
        data:
            Form fields (``application/x-www-form-urlencoded``).
        accept:
            The Accept header.

        Returns
        -------
        Any
            The decoded JSON.

        Example
        -------
        >>> HttpClient(cache_dir=None, retries=0).post_json("ftp://x", {})
        Traceback (most recent call last):
        ...
        kg.linking.http_client.ExternalServiceError: ftp://x: not an http(s) address
        """
        return self._request("POST", url, params=None, data=data, accept=accept)

    def sparql(self, endpoint: str, query: str) -> dict[str, Any]:
        """Run a SPARQL query on ``endpoint`` (SPARQL 1.1 protocol, POST) and return its JSON.

        Parameters
        ----------
        endpoint:
            The SPARQL endpoint, e.g. ``https://query.wikidata.org/sparql``.
        query:
            The query text; any untrusted value in it must already be escaped (see
            :func:`kg.linking.sparql.values_rows`).

        Returns
        -------
        dict
            The SPARQL 1.1 JSON results, checked to have ``head`` and ``results.bindings``.

        Example
        -------
        >>> client = HttpClient(cache_dir=None, retries=0, timeout=0.5)
        >>> client.sparql("http://127.0.0.1:9/q", "ASK {}")
        Traceback (most recent call last):
        ...
        kg.linking.http_client.ExternalServiceError: http://127.0.0.1:9/q: ... after 1 attempt
        """
        answer = self._request(
            "POST", endpoint, params=None, data={"query": query}, accept=SPARQL_JSON
        )
        if isinstance(answer, dict) and "boolean" in answer:
            return answer
        results = answer.get("results") if isinstance(answer, dict) else None
        if not isinstance(results, dict) or not isinstance(results.get("bindings"), list):
            raise ExternalServiceError(
                "the answer is JSON but not SPARQL results (no results.bindings)", path=endpoint
            )
        return answer

    # -- internals ---------------------------------------------------------------------------

    def _request(self, method: str, url: str, *, params, data, accept: str) -> Any:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ExternalServiceError("not an http(s) address", path=url)
        key = self._cache_key(method, url, params, data, accept)
        cached = self._cache_get(key)
        if cached is not None:
            return cached
        import httpx  # lazy: kg --help must start fast

        headers = {"User-Agent": self.user_agent, "Accept": accept}
        attempt = 0
        with httpx.Client(timeout=self.timeout, headers=headers, follow_redirects=True) as client:
            while True:
                self._wait_turn(parts.netloc)
                problem, wait = None, self.backoff * (2**attempt)
                try:
                    self.requests_sent += 1
                    response = client.request(method, url, params=params, data=data)
                except httpx.TimeoutException:
                    problem = f"timed out after {self.timeout:g} s"
                except httpx.TransportError as exc:
                    problem = f"cannot connect ({type(exc).__name__}: {exc})"
                else:
                    if response.status_code == 429 or response.status_code >= 500:
                        problem = f"HTTP {response.status_code} {response.reason_phrase}"
                        wait = _retry_after(response, default=wait)
                    elif response.status_code >= 400:
                        snippet = " ".join(response.text.split())[:160]
                        raise ExternalServiceError(
                            f"HTTP {response.status_code} {response.reason_phrase}: {snippet}",
                            path=url,
                        )
                if problem is None:
                    value = _decode_json(response.content, url)
                    self._cache_put(key, value)
                    return value
                if attempt >= self.retries:
                    tries = attempt + 1
                    raise ExternalServiceError(
                        f"{problem} after {tries} attempt{'s' if tries > 1 else ''}", path=url
                    )
                time.sleep(min(wait, self.max_wait))
                attempt += 1

    def _wait_turn(self, host: str) -> None:
        last = self._last_request.get(host)
        if last is not None:
            delay = self.min_interval - (time.monotonic() - last)
            if delay > 0:
                time.sleep(delay)
        self._last_request[host] = time.monotonic()

    def _cache_key(self, method, url, params, data, accept) -> str:
        blob = json.dumps(
            [method, url, sorted((params or {}).items()), sorted((data or {}).items()), accept]
        )
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()

    def _cache_get(self, key: str) -> Any | None:
        if self.cache_dir is None:
            return None
        path = Path(self.cache_dir) / key[:2] / f"{key}.json"
        try:
            if time.time() - path.stat().st_mtime > self.cache_ttl:
                return None
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def _cache_put(self, key: str, value: Any) -> None:
        if self.cache_dir is None:
            return
        # a cache that cannot be written only costs a repeated request
        with contextlib.suppress(OSError):
            write_text_atomically(Path(self.cache_dir) / key[:2] / f"{key}.json", json.dumps(value))


def _retry_after(response, default: float) -> float:
    """Seconds the server asked us to wait (``Retry-After`` in seconds), else ``default``."""
    value = response.headers.get("Retry-After", "").strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        return default


def _decode_json(content: bytes, url: str) -> Any:
    """Decode a JSON answer, or say in one line where it is malformed."""
    try:
        return json.loads(content.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ExternalServiceError(f"the answer is not UTF-8 ({exc.reason})", path=url) from None
    except json.JSONDecodeError as exc:
        raise ExternalServiceError(
            f"malformed JSON in the answer ({exc.msg} at line {exc.lineno} column {exc.colno})",
            path=url,
        ) from None
