"""Read just enough of a SPARQL query's text to send it to an engine that takes only text.

A remote endpoint cannot be handed terms, so bindings travel as a ``VALUES`` block (made by
:func:`kg.backends.bindings.values_clause`, which escapes every term). The block opens every
group of the WHERE clause, not only the end of the query: a trailing ``VALUES`` is joined
after grouping, and one at the top only would not reach nested groups, while rdflib's
``initBindings`` and Oxigraph's substitutions bind the variable everywhere.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from kg.backends.bindings import values_clause

_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# A prefixed name (``kg:speaker``, ``:x``, ``select:``), skipped whole so that its parts are
# never read as keywords.
_PNAME = re.compile(r"(?:[A-Za-z_][\w.\-]*)?:[^\s{}()<>,;\"'#]*")
# An IRI reference: no spaces, quotes or braces before its closing ">".
_IRI = re.compile(r'<[^<>"{}|^`\\\s]*>')


def _tokens(sparql: str) -> Iterator[tuple[int, str]]:
    """Yield ``(offset, token)`` for braces, parentheses and words outside strings,
    IRIs and comments; everything else is skipped."""
    i, n = 0, len(sparql)
    while i < n:
        c = sparql[i]
        if c == "#":
            end = sparql.find("\n", i)
            i = n if end < 0 else end + 1
        elif c in "\"'":
            quote = c * 3 if sparql.startswith(c * 3, i) else c
            j = i + len(quote)
            while j < n and not sparql.startswith(quote, j):
                j += 2 if sparql[j] == "\\" else 1
            i = j + len(quote)
        elif c == "<" and (m := _IRI.match(sparql, i)):
            i = m.end()
        elif c in "{}()":
            yield i, c
            i += 1
        elif c in "?$":
            m = _WORD.match(sparql, i + 1)
            i = m.end() if m else i + 1
        elif m := _PNAME.match(sparql, i):
            i = m.end()
        elif m := _WORD.match(sparql, i):
            yield i, m.group(0)
            i = m.end()
        else:
            i += 1


def query_form(sparql: str) -> str:
    """Return the form of a query: ``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``.

    Parameters
    ----------
    sparql:
        The query text (prefixes and comments may come first).

    Returns
    -------
    str
        The form, or ``""`` when none is found (an update, or not SPARQL).

    Example
    -------
    >>> query_form("PREFIX select: <http://select/> # ASK me\\n ask { ?s select:where ?o }")
    'ASK'
    >>> query_form("INSERT DATA { }")
    ''
    """
    for _, token in _tokens(sparql):
        upper = token.upper()
        if upper in _FORMS:
            return upper
        if upper in ("INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY"):
            return ""
    return ""


def where_brace(sparql: str) -> int | None:
    """Return the offset of the ``{`` that opens the query's WHERE group, if there is one.

    Parameters
    ----------
    sparql:
        The query text.

    Returns
    -------
    int or None
        ``None`` for a query without a pattern (``DESCRIBE <x>``) or whose pattern is also
        its template (``CONSTRUCT WHERE { ... }``).

    Example
    -------
    >>> q = "CONSTRUCT { ?s ?p '{' } WHERE { ?s ?p ?o }"
    >>> q[where_brace(q):]
    '{ ?s ?p ?o }'
    >>> q = "SELECT (EXISTS { ?a ?b ?c } AS ?x) { ?s ?p ?o }"
    >>> q[where_brace(q):]
    '{ ?s ?p ?o }'
    """
    form = ""
    depth = parens = 0
    after_where = False
    groups_seen = 0
    for offset, token in _tokens(sparql):
        upper = token.upper()
        if not form:
            form = upper if upper in _FORMS else ""
            continue
        if token == "(":
            parens += 1
        elif token == ")":
            parens -= 1
        elif token == "{":
            if depth == 0 and parens == 0:
                # the first top-level group is the pattern, except CONSTRUCT's template;
                # in the short form CONSTRUCT WHERE { } the pattern is the template too,
                # which may hold only triples, so it gets no VALUES block
                if form != "CONSTRUCT" or groups_seen == 1:
                    return offset
                if after_where:
                    return None
                groups_seen += 1
            depth += 1
        elif token == "}":
            depth -= 1
        elif upper == "WHERE" and depth == 0 and parens == 0:
            after_where = True
    return None


def group_braces(sparql: str) -> list[int]:
    """Return the offsets of the ``{`` of every group of the WHERE clause, nested ones too.

    Left out: braces of ``VALUES`` data blocks, and groups holding a subquery (a
    ``{ SELECT ... }`` group may hold nothing else; its own WHERE group is counted).

    Parameters
    ----------
    sparql:
        The query text.

    Returns
    -------
    list[int]
        Empty when the query has no WHERE group (see :func:`where_brace`).

    Example
    -------
    >>> q = "SELECT * { ?s ?p ?o { SELECT ?s { ?s ?q ?x } } VALUES ?o { 1 } OPTIONAL { ?o ?r ?z } }"
    >>> [q[i:i + 6] for i in group_braces(q)]
    ['{ ?s ?', '{ ?s ?', '{ ?o ?']
    """
    start = where_brace(sparql)
    if start is None:
        return []
    found: list[int] = []
    values_block = False
    pending: int | None = None  # a group opened just before: is it a subquery?
    for offset, token in _tokens(sparql[start:]):
        upper = token.upper()
        if pending is not None:
            if upper != "SELECT":
                found.append(pending)
            pending = None
        if upper == "VALUES":
            values_block = True
        elif token == "{":
            if values_block:
                values_block = False
            else:
                pending = start + offset
    if pending is not None:
        found.append(pending)
    return found


def with_values(sparql: str, bindings: Mapping[str, Any] | None) -> str:
    """Return ``sparql`` with ``bindings`` as a ``VALUES`` block opening each of its groups.

    One block in every group of the WHERE clause gives what pre-binding gives (rdflib's
    ``initBindings``, Oxigraph's substitutions): SPARQL evaluates groups bottom-up, so a
    block only at the top would not reach a ``BIND`` or ``FILTER`` inside a ``UNION``
    branch or an ``OPTIONAL``, and a trailing one would join after grouping.

    Parameters
    ----------
    sparql:
        The query text.
    bindings:
        Variable name -> value (see :func:`kg.backends.bindings.to_term`).

    Returns
    -------
    str
        The query unchanged when there is nothing to bind; a trailing ``VALUES`` when the
        query has no WHERE group.

    Example
    -------
    >>> with_values("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", {"o": 'say "hi" }'})
    'SELECT (COUNT(*) AS ?n) WHERE { VALUES (?o) { ("say \\\\"hi\\\\" }") }  ?s ?p ?o }'
    >>> print(with_values("SELECT * { { ?a ?b 1 } UNION { ?a ?b 2 } }", {"b": 1}))
    SELECT * { VALUES (?b) { ("1"^^<http://www.w3.org/2001/XMLSchema#integer>) }  \
    { VALUES (?b) { ("1"^^<http://www.w3.org/2001/XMLSchema#integer>) }  ?a ?b 1 } UNION \
    { VALUES (?b) { ("1"^^<http://www.w3.org/2001/XMLSchema#integer>) }  ?a ?b 2 } }
    """
    clause = values_clause(bindings)
    if not clause:
        return sparql
    braces = group_braces(sparql)
    if not braces:
        return f"{sparql}\n{clause}"
    parts = []
    previous = 0
    for brace in braces:
        parts += [sparql[previous : brace + 1], f" {clause} "]
        previous = brace + 1
    parts.append(sparql[previous:])
    return "".join(parts)
