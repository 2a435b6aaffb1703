"""Answer one protocol job: check it, run it on the knowledge graph, serialize the answer.

This is what a worker process runs (see :mod:`kg.serve.workers`), so everything that costs
time — parsing, the safety checks, evaluation, serialization — happens under the query
timeout, and the web server only moves bytes. It uses nothing but
``KnowledgeGraph.query``, so it works over every backend.
"""

from __future__ import annotations

import contextlib
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from kg.canonical import canonical_result
from kg.errors import KgError, SparqlSyntaxError
from kg.serve.checked import checked_forms
from kg.serve.formats import encode_result
from kg.serve.guard import Limits, RefusedError, checked_update
from kg.serve.kept_pages import HEADER, page_requests, read_kept
from kg.serve.protocol import negotiate
from kg.serve.stream import capped_query

__all__ = [
    "COUNT_TRIPLES",
    "Job",
    "Reply",
    "answer",
    "error_reply",
    "warm",
]

COUNT_TRIPLES = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


@dataclass(frozen=True)
class Job:
    """One unit of work for a worker.

    Parameters
    ----------
    operation:
        ``"query"``, ``"update"`` or ``"count"`` (the number of triples).
    text:
        The query or update text.
    accept:
        The client's ``Accept`` header.

    Returns
    -------
    Job

    Example
    -------
    >>> Job("query", "ASK {}", "text/csv").operation
    'query'
    """

    operation: str
    text: str = ""
    accept: str = ""


@dataclass(frozen=True)
class Reply:
    """A worker's answer, ready to become an HTTP response.

    Parameters
    ----------
    status:
        The HTTP status.
    body:
        The body; for errors, one line of text.
    media_type:
        The body's media type.
    headers:
        Extra headers (``X-SPARQL-Truncated``).
    canonical:
        For a query: the key of what was answered, so that the server can remember the
        answer (:mod:`kg.serve.answer_cache`): the canonical text that was checked and
        run, or for a refusal ``"\\0"`` and the client's text (a canonical text holds no
        control character). ``None``: not to be remembered.

    Returns
    -------
    Reply

    Example
    -------
    >>> Reply(400, b"bad").media_type
    'text/plain; charset=utf-8'
    """

    status: int
    body: bytes
    media_type: str = "text/plain; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    canonical: str | None = None


def error_reply(status: int, message: str) -> Reply:
    """A one-line plain-text error.

    Parameters
    ----------
    status:
        The HTTP status.
    message:
        What went wrong (newlines are folded).

    Returns
    -------
    Reply

    Example
    -------
    >>> error_reply(400, "bad\\nquery").body
    b'bad query\\n'
    """
    return Reply(status, (" ".join(message.split()) + "\n").encode("utf-8"))


def answer(graph: Any, limits: Limits, job: Job) -> Reply:
    """Run ``job`` against ``graph`` within ``limits``; never raises.

    Parameters
    ----------
    graph:
        A ``KnowledgeGraph`` (anything with ``query(text) -> QueryResult``).
    limits:
        The operator's limits (allow-list, row cap, updates).
    job:
        What to do.

    Returns
    -------
    Reply
        200 with the serialized answer; 400 for a malformed query (the parser's message),
        403 for a refused one, 406 for an unacceptable ``Accept``, 500 for a failure.

    Example
    -------
    >>> from kg.backends.memory import MemoryBackend
    >>> reply = answer(MemoryBackend(), Limits(), Job("query", "ASK { ?s ?p ?o }", "text/csv"))
    >>> reply.status, reply.body
    (200, b'_askResult\\r\\nfalse\\r\\n')
    >>> answer(MemoryBackend(), Limits(), Job("query", "LOAD <http://x>")).status
    403
    """
    reply = _answer(graph, limits, job)
    if job.operation == "query" and reply.canonical is None and 400 <= reply.status < 500:
        # a refusal depends on the text alone (and the limits): remembered under it
        return replace(reply, canonical="\0" + job.text)
    return reply


def _answer(graph: Any, limits: Limits, job: Job) -> Reply:
    try:
        if job.operation == "query":
            return _run_query(graph, limits, job)
        if job.operation == "update":
            return _run_update(graph, limits, job)
        if job.operation == "count":
            rows = graph.query(COUNT_TRIPLES).rows
            return Reply(200, str(int(rows[0][0])).encode())
        return error_reply(400, f"unknown operation {job.operation!r}")
    except RefusedError as exc:
        return error_reply(exc.status, str(exc))
    except _OutsideFailed:
        return error_reply(502, "an allowed SERVICE/FROM/LOAD endpoint gave no usable answer")
    except (SparqlSyntaxError, KgError) as exc:
        return error_reply(400, str(exc))
    except MemoryError:
        return error_reply(503, limits.memory_message())
    except RecursionError:
        return error_reply(400, "query nested too deeply to parse or evaluate")
    except Exception as exc:
        if "requiring a dataset" in str(exc):  # rdflib: GRAPH over a single graph
            return error_reply(
                400,
                "GRAPH needs named graphs; the memory backend holds one graph "
                "(use --backend oxigraph)",
            )
        # One line, not a traceback: the log must not be floodable by clients.
        print(f"kg serve: internal error: {type(exc).__name__}: {_short(exc)}", file=sys.stderr)
        return error_reply(500, f"internal error while answering: {type(exc).__name__}")


def _parses_with_rdflib(graph: Any) -> bool:
    """Whether the engine is rdflib: then the guard's rdflib parse is the one that runs.

    Other engines parse the canonical text themselves; its tokens were checked, so rdflib's
    slow parse (seconds for a long query) is not needed to keep requests in.
    """
    return getattr(getattr(graph, "backend", graph), "kind", "memory") == "memory"


class _OutsideFailed(Exception):
    """An allow-listed endpoint failed; the reply must not say how."""


@contextlib.contextmanager
def _outside_errors_hidden(text: str) -> Iterator[None]:
    """Give one fixed 502 for any failure of a request that reaches an allowed endpoint.

    What failed (refused, reset, not SPARQL, a parse error of its answer) would tell a
    client which local ports answer, so none of it reaches the reply.
    """
    if not _REACHES_OUT.search(text):
        yield
        return
    try:
        yield
    except (MemoryError, RecursionError):
        raise
    except Exception:  # KgError too: an engine's message can quote the endpoint's answer
        raise _OutsideFailed from None


_REACHES_OUT = re.compile(r"(?:^|\s)(?:SERVICE|FROM|LOAD|USING)(?=\s|<)", re.IGNORECASE)


def _short(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:200]


def warm(graph: Any, limits: Limits, texts: tuple[str, ...]) -> None:
    """Check (and on rdflib parse) ``texts`` now, in this process (see :mod:`kg.serve.checked`).

    The texts are the page's examples: each is checked as written and as the page asks it,
    with ``LIMIT 100`` (:func:`kg.serve.kept_pages.page_text`), and the named queries'
    requests are read (:func:`kg.serve.kept_pages.page_requests`), so that no worker's
    first page pays for either.

    Example
    -------
    >>> from kg.backends.memory import MemoryBackend
    >>> warm(MemoryBackend(), Limits(), ("SELECT * { ?s ?p ?o }",))
    >>> ("SELECT * { ?s ?p ?o }\\nLIMIT 100", Limits(), True) in checked_forms._kept
    True
    """
    from kg.serve.kept_pages import page_text

    page_requests(graph)
    pages = tuple(page_text(text) for text in texts)
    checked_forms.warm(texts + pages, limits, _parses_with_rdflib(graph))


def _run_query(graph: Any, limits: Limits, job: Job) -> Reply:
    # remembered per process: parsing is most of a query's cost on rdflib, and clients
    # repeat their queries; refusals raise, so they are never kept
    form, text, prepared = checked_forms.get(job.text, limits, _parses_with_rdflib(graph))
    media_type, fmt = negotiate(job.accept, form)
    headers = {}
    with _outside_errors_hidden(text):
        # a named query's first page, as the query page asks it: read from the page kept at
        # load when it is current, as KnowledgeGraph.first_rows does (kg.serve.kept_pages)
        requests = page_requests(graph)
        asked = requests.match(text) if requests is not None else None
        kept = read_kept(graph, asked) if asked is not None else None
        if kept is not None:
            result = kept
        else:
            # the canonical text the guard checked, not the client's; read up to the cap only
            result = capped_query(graph, text, limits.max_rows, prepared)
            if asked is not None:  # normalised as the kept page is (and every named query)
                result = canonical_result(result, asked.text)
        if asked is not None:
            headers[HEADER] = "engine" if kept is None else "kept"
        encoded = encode_result(result, media_type, fmt, limits.max_rows)
    if encoded.truncated:
        headers["X-SPARQL-Truncated"] = f"true; max-rows={limits.max_rows}"
    return Reply(200, encoded.body, encoded.media_type, headers, canonical=text)


def _run_update(graph: Any, limits: Limits, job: Job) -> Reply:
    _names, text = checked_update(job.text, limits)
    with _outside_errors_hidden(text):
        graph.update(text)  # a backend that cannot write raises a KgError: answered 400
    return Reply(204, b"")
