"""What a document may make its parser do: read nothing else, fetch nothing, expand boundedly.

Parsing never touches the network or any file but the one named. RDF/XML: external
entities (``SYSTEM``/``PUBLIC``), parameter entities and entities defined through other
entities are refused, and plain entities may add at most :data:`MAX_ENTITY_EXPANSION`
characters. JSON-LD: a ``@context`` (or ``@import``) given by address is refused, since
reading it means fetching it, unless the caller opted in (:func:`remote_contexts_allowed`,
``kg load --allow-remote-context``): kg then fetches each context itself, over HTTP(S)
only, with a time limit and a size cap, and parses the document with the contexts
inlined, so no parser (rdflib's or Oxigraph's) ever opens a connection of its own.
"""

from __future__ import annotations

import contextvars
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from kg.errors import ParseError

__all__ = [
    "CONTEXT_TIMEOUT",
    "MAX_CONTEXT_BYTES",
    "MAX_CONTEXTS",
    "MAX_ENTITY_EXPANSION",
    "check_safe_to_parse",
    "remote_contexts_allowed",
    "safe_document",
]

#: Most characters entity references may add to an RDF/XML file (a billion laughs needs
#: gigabytes; namespace entities in OWL files need a few kilobytes).
MAX_ENTITY_EXPANSION = 10_000_000
#: With the opt-in: seconds one context may take to fetch, its largest size, and the most
#: contexts one document may pull in (contexts may name further contexts).
CONTEXT_TIMEOUT = 10.0
MAX_CONTEXT_BYTES = 1_000_000
MAX_CONTEXTS = 20

_DOCTYPE = re.compile(rb"<!DOCTYPE[^\[>]*\[(.*?)\]\s*>", re.DOTALL)
_ENTITY = re.compile(rb"<!ENTITY\s+(%\s*)?([^\s%;&]+)\s+(.*?)\s*>", re.DOTALL)
_QUOTED = re.compile(rb"^(\"[^\"]*\"|'[^']*')$", re.DOTALL)
_REMOTE_ALLOWED: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "kg_remote_contexts", default=False
)


@contextmanager
def remote_contexts_allowed(allowed: bool = True) -> Iterator[None]:
    """Within the block, JSON-LD documents may name remote contexts (kg fetches them).

    Parameters
    ----------
    allowed:
        The opt-in (``False`` keeps the default refusal, for a flag passed through).

    Example
    -------
    >>> doc = b'{"@context": "http://127.0.0.1:9/c.jsonld"}'
    >>> with remote_contexts_allowed(False):
    ...     safe_document(doc, "json-ld", "d.jsonld")
    Traceback (most recent call last):
    ...
    kg.errors.ParseError: d.jsonld: the JSON-LD @context http://127.0.0.1:9/c.jsonld is remote ...
    """
    token = _REMOTE_ALLOWED.set(allowed or _REMOTE_ALLOWED.get())
    try:
        yield
    finally:
        _REMOTE_ALLOWED.reset(token)


def safe_document(data: bytes, fmt: str, shown: str | Path) -> bytes:
    """The bytes to give the parser: ``data`` itself, or with remote contexts inlined.

    Parameters
    ----------
    data:
        The document's bytes.
    fmt:
        Its rdflib format name (``"xml"``, ``"json-ld"``; others pass unchanged).
    shown:
        The name used in errors.

    Returns
    -------
    bytes

    Raises
    ------
    ParseError
        One line: what was refused, or which context could not be fetched.

    Example
    -------
    >>> safe_document(b'{"@context": {"@vocab": "http://e/"}}', "json-ld", "d.jsonld")
    b'{"@context": {"@vocab": "http://e/"}}'
    """
    if fmt == "json-ld" and _REMOTE_ALLOWED.get():
        return _inline_contexts(data, shown)
    check_safe_to_parse(data, fmt, shown)
    return data


def check_safe_to_parse(data: bytes, fmt: str, shown: str | Path) -> None:
    """Refuse a document whose parsing would reach out, or expand without bound.

    See the module's description for the rules.

    Parameters
    ----------
    data:
        The document's bytes.
    fmt:
        Its rdflib format name (``"xml"``, ``"json-ld"``; others pass).
    shown:
        The name used in the error.

    Raises
    ------
    ParseError
        One line: what was refused.

    Example
    -------
    >>> lol = b'<!DOCTYPE r [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]><r>&b;</r>'
    >>> check_safe_to_parse(lol, "xml", "lol.rdf")
    Traceback (most recent call last):
    ...
    kg.errors.ParseError: lol.rdf: entity b is defined through other entities (refused: ...)
    >>> check_safe_to_parse(b'{"@context": "http://x/c.jsonld"}', "json-ld", "d.jsonld")
    Traceback (most recent call last):
    ...
    kg.errors.ParseError: d.jsonld: the JSON-LD @context http://x/c.jsonld is remote ...
    """
    if fmt == "xml":
        _check_entities(data, shown)
    elif fmt == "json-ld":
        _check_contexts(data, shown)


def _check_entities(data: bytes, shown: str | Path) -> None:
    doctype = _DOCTYPE.search(data[:1_000_000])
    if doctype is None:
        return
    added = 0
    body = data[doctype.end() :]
    for m in _ENTITY.finditer(doctype.group(1)):
        name, value = m.group(2).decode("utf-8", "replace"), m.group(3)
        if m.group(1) or not _QUOTED.match(value):
            raise ParseError(
                f"entity {name} is external or a parameter entity (refused: parsing reads "
                "only the named file)",
                path=shown,
            )
        if b"&" in value or b"%" in value:
            raise ParseError(
                f"entity {name} is defined through other entities (refused: nested "
                "entities can expand without bound)",
                path=shown,
            )
        added += body.count(b"&" + m.group(2) + b";") * (len(value) - 2)
        if added > MAX_ENTITY_EXPANSION:
            raise ParseError(
                f"entity references would add more than {MAX_ENTITY_EXPANSION:,} characters",
                path=shown,
            )


def _check_contexts(data: bytes, shown: str | Path) -> None:
    try:
        document = json.loads(data)
    except (ValueError, RecursionError):
        return  # the parser reports it, with its line
    for key, ref in _remote_references(document):
        raise ParseError(
            f"the JSON-LD {key} {ref} is remote (refused: parsing never fetches anything; "
            "put the context inline, or opt in with --allow-remote-context)",
            path=shown,
        )


def _remote_references(document: Any) -> Iterator[tuple[str, str]]:
    """Each ``(key, address)`` of a ``@context``/``@import`` given by address."""
    stack = [document]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            for key, value in item.items():
                if key in ("@context", "@import"):
                    yield from ((key, ref) for ref in _references(value))
                stack.append(value)


def _references(value: object) -> list[str]:
    """The context addresses in a ``@context`` value (a string, or strings in a list)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


def _inline_contexts(data: bytes, shown: str | Path) -> bytes:
    """``data`` with every remote context replaced by its fetched content."""
    try:
        document = json.loads(data)
    except (ValueError, RecursionError):
        return data  # the parser reports it, with its line
    fetched: dict[str, Any] = {}
    resolved = _resolve(document, fetched, shown)
    return data if not fetched else json.dumps(resolved).encode()


def _resolve(item: Any, fetched: dict[str, Any], shown: str | Path, depth: int = 0) -> Any:
    """A copy of ``item`` whose context addresses are replaced by the contexts they name."""
    if isinstance(item, list):
        return [_resolve(v, fetched, shown, depth) for v in item]
    if not isinstance(item, dict):
        return item
    result: dict[str, Any] = {}
    for key, value in item.items():
        if key == "@import" and isinstance(value, str):
            imported = _resolve_context(value, fetched, shown, depth)
            result.update(imported if isinstance(imported, dict) else {})
        elif key == "@context":
            result[key] = _resolve_context(value, fetched, shown, depth)
        else:
            result[key] = _resolve(value, fetched, shown, depth)
    return result


def _resolve_context(value: Any, fetched: dict[str, Any], shown: str | Path, depth: int) -> Any:
    if isinstance(value, str):
        if depth >= MAX_CONTEXTS:  # a context naming itself, directly or not
            raise ParseError(
                f"JSON-LD contexts name further contexts more than {MAX_CONTEXTS} deep",
                path=shown,
            )
        return _resolve_context(_fetch(value, fetched, shown), fetched, shown, depth + 1)
    if isinstance(value, list):
        return [_resolve_context(v, fetched, shown, depth) for v in value]
    return _resolve(value, fetched, shown, depth)


def _fetch(url: str, fetched: dict[str, Any], shown: str | Path) -> Any:
    """The ``@context`` of the JSON-LD document at ``url`` (HTTP(S) only, bounded)."""
    if url in fetched:
        return fetched[url]
    if not url.startswith(("http://", "https://")):
        raise ParseError(
            f"the JSON-LD context {url} is not an http(s) address (refused: parsing reads "
            "only the named file)",
            path=shown,
        )
    if len(fetched) >= MAX_CONTEXTS:
        raise ParseError(f"more than {MAX_CONTEXTS} remote JSON-LD contexts", path=shown)
    body = _download(url, shown)
    try:
        document = json.loads(body)
    except (ValueError, RecursionError):
        raise ParseError(f"the JSON-LD context {url} is not JSON", path=shown) from None
    context = document.get("@context", {}) if isinstance(document, dict) else None
    if context is None:
        raise ParseError(f"the JSON-LD context {url} holds no @context", path=shown)
    fetched[url] = context
    return context


def _download(url: str, shown: str | Path) -> bytes:
    import httpx

    try:
        with httpx.stream("GET", url, timeout=CONTEXT_TIMEOUT, follow_redirects=True) as r:
            r.raise_for_status()
            body = b""
            for chunk in r.iter_bytes():
                body += chunk
                if len(body) > MAX_CONTEXT_BYTES:
                    raise ParseError(
                        f"the JSON-LD context {url} is larger than {MAX_CONTEXT_BYTES:,} bytes",
                        path=shown,
                    )
    except httpx.HTTPError as exc:
        reason = type(exc).__name__
        raise ParseError(f"cannot fetch the JSON-LD context {url} ({reason})", path=shown) from None
    return body
