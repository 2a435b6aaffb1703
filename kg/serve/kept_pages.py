"""Answer a named query's first page from the page ``kg load`` kept, as ``first_rows`` does.

The query page offers each named query as an example: its text with the parameters bound
to their defaults (:func:`kg.queries.example_text`) and ``LIMIT 100``
(:func:`kg.backends.sparql_text.with_limit`), which is what a person sees first. On a
store ``kg load`` wrote, that page is kept (:mod:`kg.backends.first_pages`), and
``KnowledgeGraph.first_rows`` reads it instead of asking the engine, which may need
minutes to sort every row before the first at 10M triples.

The endpoint recognises such a request by its text alone, so a plain SPARQL client sending
the same text gets the same rows: the request's canonical text (:mod:`kg.serve.canonical`)
must be, token for token, that of ``with_limit(example_text(query), N)`` for some ``N``
(written without leading zeros), or of ``example_text(query)`` itself (all rows: served
only from a page that is the whole answer). Anything else, other parameter values or an
edited text, goes to the engine. The page is then read exactly as ``first_rows`` reads it
(:func:`~kg.backends.first_pages.read_page`: the same query text, the load records it was
computed for, a limit the page holds); any write drops it. An answer to a recognised text is
normalised as every named query's answer is (:func:`kg.canonical.canonical_result`), from
the page or the engine alike, so both give the same rows in the same order.

Example
-------
>>> from pathlib import Path
>>> from kg.named_query import NamedQuery
>>> q = NamedQuery("q", Path("q.rq"), "SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s")
>>> pages = PageRequests.of([q])
>>> pages.match("SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s\\nLIMIT 7")
Asked(name='q', text='SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s', limit=7)
>>> pages.match("SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?o\\nLIMIT 7") is None
True
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from kg.results import QueryResult

__all__ = [
    "HEADER",
    "Asked",
    "PageRequests",
    "examples_with_pages",
    "page_requests",
    "page_text",
    "read_kept",
]

#: The response header saying where a recognised named query's rows came from.
HEADER = "X-KG-First-Page"
#: A limit no named query is written with: where ``with_limit`` puts the number.
_MARK = 918273645
_NUMBER = re.compile(r"0|[1-9][0-9]{0,17}")


@dataclass(frozen=True)
class Asked:
    """A request recognised as a named query with its defaults.

    Parameters
    ----------
    name:
        The query's name.
    text:
        The named query's own text (the one its page was kept for).
    limit:
        The rows asked for (None: all).

    Returns
    -------
    Asked

    Example
    -------
    >>> Asked("q", "SELECT * {}", 100).limit
    100
    """

    name: str
    text: str
    limit: int | None


def page_text(example: str, size: int | None = None) -> str:
    """What the query page asks for a named query: its example text with ``LIMIT size``.

    Parameters
    ----------
    example:
        The example text (:func:`kg.queries.example_text`).
    size:
        The rows of a first page (default :data:`kg.backends.first_pages.PAGE`).

    Returns
    -------
    str

    Example
    -------
    >>> page_text("SELECT ?s { ?s ?p ?o }")
    'SELECT ?s { ?s ?p ?o }\\nLIMIT 100'
    """
    from kg.backends.first_pages import PAGE
    from kg.backends.sparql_text import with_limit

    return with_limit(example, PAGE if size is None else size)


def examples_with_pages(examples: bytes) -> bytes:
    """The page's examples (JSON) with each one's first page (``page``) beside its ``text``.

    Parameters
    ----------
    examples:
        A JSON list of ``{"name", "question", "text"}``.

    Returns
    -------
    bytes

    Example
    -------
    >>> examples_with_pages(b'[{"name": "q", "text": "SELECT * {}"}]')
    b'[{"name": "q", "text": "SELECT * {}", "page": "SELECT * {}\\\\nLIMIT 100"}]'
    """
    import json

    listed = json.loads(examples)
    for example in listed:
        example["page"] = page_text(example["text"])
    return json.dumps(listed).encode("utf-8")


class PageRequests:
    """The canonical texts of the named queries' examples, with and without a LIMIT.

    Parameters
    ----------
    forms:
        Per query: ``(name, text, canonical example, canonical text before and after the
        LIMIT's number or None)``.

    Returns
    -------
    PageRequests

    Example
    -------
    >>> PageRequests([]).match("ASK {}") is None
    True
    """

    def __init__(self, forms: Sequence[tuple[str, str, str, tuple[str, str] | None]]) -> None:
        self.forms = list(forms)
        self._whole = {example: (name, text) for name, text, example, _ in self.forms}

    @classmethod
    def of(cls, queries: Sequence[Any]) -> PageRequests:
        """Build from :class:`~kg.named_query.NamedQuery` objects (SELECTs only are kept).

        A query whose example cannot be canonicalised (or that has a LIMIT of its own) is
        recognised without a LIMIT only, or not at all.
        """
        from kg.backends.sparql_text import query_form
        from kg.errors import KgError
        from kg.queries import example_text
        from kg.serve.canonical import canonical_sparql

        forms = []
        for query in queries:
            if query_form(query.text) != "SELECT":
                continue
            try:
                example = example_text(query)
                whole = canonical_sparql(example).text
                marked = canonical_sparql(page_text(example, _MARK)).text
            except (KgError, ValueError):
                continue
            word = f"LIMIT {_MARK}"
            split = None
            if marked.count(word) == 1 and whole.count(str(_MARK)) == 0:
                before, after = marked.split(word)
                split = (before + "LIMIT ", after)
            forms.append((query.name, query.text, whole, split))
        return cls(forms)

    def match(self, canonical: str) -> Asked | None:
        """The named query (with its defaults) and limit that ``canonical`` asks, if any.

        Parameters
        ----------
        canonical:
            A request's canonical text (:func:`kg.serve.canonical.canonical_sparql`).

        Returns
        -------
        Asked or None
        """
        found = self._whole.get(canonical)
        if found is not None:
            return Asked(found[0], found[1], None)
        for name, text, _whole, split in self.forms:
            if split is None:
                continue
            before, after = split
            if len(canonical) > len(before) + len(after) and canonical.startswith(before):
                number = canonical[len(before) : len(canonical) - len(after)]
                if canonical.endswith(after) and _NUMBER.fullmatch(number):
                    return Asked(name, text, int(number))
        return None


#: Per process: the graph whose named queries were read, and what they gave.
_built: tuple[int, PageRequests] | None = None


def page_requests(graph: Any) -> PageRequests | None:
    """The named-query requests of ``graph``'s project (built once per process and graph).

    Parameters
    ----------
    graph:
        What the endpoint serves: a ``KnowledgeGraph`` (a bare backend has no named
        queries; a graph that caches answers reads no kept pages, as ``first_rows``).

    Returns
    -------
    PageRequests or None

    Example
    -------
    >>> from kg.backends.memory import MemoryBackend
    >>> page_requests(MemoryBackend()) is None
    True
    """
    global _built
    paths = getattr(graph, "paths", None)
    if paths is None or getattr(graph, "caches_answers", True):
        return None
    if _built is None or _built[0] != id(graph):
        from kg.queries import list_queries

        _built = (id(graph), PageRequests.of(list_queries(paths.queries)))
    return _built[1]


def read_kept(graph: Any, asked: Asked) -> QueryResult | None:
    """The kept first rows ``asked`` wants, if a current page holds them (else None).

    Example
    -------
    >>> from kg.backends.memory import MemoryBackend
    >>> read_kept(MemoryBackend(), Asked("q", "SELECT * {}", 5)) is None
    True
    """
    from kg.backends.first_pages import read_page

    return read_page(getattr(graph, "backend", graph), asked.name, asked.text, asked.limit)
