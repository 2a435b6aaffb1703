"""Read just enough of a SPARQL query's text to send it to an engine that takes only text.

A remote endpoint cannot be handed terms, so a bound variable is replaced, in the query's
pattern, by its term (escaped N3 from :func:`kg.backends.bindings.term_text`), and bound once
with ``BIND`` at the start of the WHERE group so the projection and ORDER BY still see it.
That is what pre-binding means (rdflib's ``initBindings``, Oxigraph's substitutions), in
plain SPARQL 1.1 that every engine evaluates: constants instead of nine ``VALUES`` blocks,
one per nested group, which Virtuoso's optimiser never finished.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from kg.backends.bindings import term_text, to_terms
from kg.errors import BadOptionError

__all__ = [
    "bind_variables",
    "count_query",
    "query_form",
    "top_limit",
    "where_brace",
    "with_limit",
    "with_values",
]

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
            if m:
                yield i, "?" + m.group(0)
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


def _bound_names_error(name: str, how: str) -> BadOptionError:
    return BadOptionError(f"cannot bind ?{name}: the query {how}")


def _projection_is_star(text: str) -> bool:
    """Whether a SELECT clause's text (after the keyword) projects ``*``."""
    words = text.split()
    while words and words[0].upper() in ("DISTINCT", "REDUCED"):
        words.pop(0)
    return bool(words) and words[0].startswith("*")


def _substitutions(
    sparql: str, tokens: list[tuple[int, str]], first: int, texts: dict[str, str]
) -> list[tuple[int, int, str]]:
    """The edits ``(start, end, replacement)``, in text order, that put each bound term in
    place of its variable inside the WHERE group opening at ``tokens[first]``."""
    edits: list[tuple[int, int, str]] = []
    # frames of nested SELECTs: [state, depth of its group, parens, projected names, star]
    frames: list[list[Any]] = []
    depth, parens, in_values = 1, 0, False
    i = first + 1
    while i < len(tokens) and depth > 0:
        offset, token = tokens[i]
        frame = frames[-1] if frames else None
        upper = token.upper()
        if token == "(":
            parens += 1
        elif token == ")":
            parens -= 1
        elif token == "{":
            depth += 1
            in_values = False
            nxt = tokens[i + 1][1].upper() if i + 1 < len(tokens) else ""
            if nxt == "SELECT" and (frame is None or frame[0] == "body"):
                frames.append(["projection", depth, parens, set(), False, tokens[i + 1][0]])
                i += 2
                continue
            if frame is not None and frame[0] == "projection" and parens == frame[2]:
                frame[0], frame[1] = "body", depth
                star = _projection_is_star(sparql[frame[5] + len("SELECT") : offset])
                names = [n for n in texts if star or n in frame[3]]
                if names:
                    sub = " ".join(f"BIND({texts[n]} AS ?{n})" for n in names)
                    edits.append((offset + 1, offset + 1, f" {sub}"))
        elif token == "}":
            depth -= 1
            if frame is not None and frame[0] == "body" and depth < frame[1]:
                frame[0] = "modifiers"
            elif frame is not None and frame[0] == "modifiers" and depth < frame[1] - 1:
                frames.pop()
        elif upper == "VALUES":
            in_values = True
        elif token[0] == "?" and token[1:] in texts:
            name = token[1:]
            if frame is not None and frame[0] == "projection":
                frame[3].add(name)
            elif frame is None or frame[0] == "body":
                if in_values:
                    raise _bound_names_error(name, f"assigns it (VALUES {token})")
                bound = i >= 2 and tokens[i - 1][1] == "(" and tokens[i - 2][1].upper() == "BOUND"
                closing = i + 1 < len(tokens) and tokens[i + 1][1] == ")"
                if bound and closing:
                    edits.append((tokens[i - 2][0], tokens[i + 1][0] + 1, "true"))
                    parens -= 1  # the "(" of BOUND( was counted; its ")" is skipped
                    i += 2
                    continue
                edits.append((offset, offset + len(token), texts[name]))
        i += 1
    return edits


def bind_variables(sparql: str, bindings: Mapping[str, Any] | None) -> str:
    """Return ``sparql`` with each bound variable replaced by its term, as pre-binding does.

    In the WHERE group (nested groups, OPTIONAL, UNION, FILTER and subqueries included)
    every occurrence of a bound variable becomes its escaped term, and ``BOUND(?v)`` becomes
    ``true``; one ``BIND(term AS ?v)`` opens the WHERE group (and the group of a subquery
    that projects ``?v``), so the projection, GROUP BY and ORDER BY still have the value.

    Parameters
    ----------
    sparql:
        The query text.
    bindings:
        Variable name -> value (see :func:`kg.backends.bindings.to_term`).

    Returns
    -------
    str
        The query unchanged when there is nothing to bind; with a trailing ``VALUES`` when
        it has no WHERE group of its own (``DESCRIBE <x>``, ``CONSTRUCT WHERE { }``).

    Raises
    ------
    BadOptionError
        For a blank node, or a variable the query assigns itself (``AS ?v``, ``VALUES ?v``).

    Example
    -------
    >>> print(bind_variables("SELECT ?s ?o { ?s ?p ?o OPTIONAL { ?o ?q ?s } }", {"o": 'a "}'}))
    SELECT ?s ?o { BIND("a \\"}" AS ?o) ?s ?p "a \\"}" OPTIONAL { "a \\"}" ?q ?s } }
    >>> print(bind_variables("ASK { FILTER(BOUND(?x) && ?x > 1) }", {"x": 2}))
    ASK { BIND("2"^^<http://www.w3.org/2001/XMLSchema#integer> AS ?x) FILTER(true && \
"2"^^<http://www.w3.org/2001/XMLSchema#integer> > 1) }
    >>> bind_variables("SELECT (1 AS ?x) {}", {"x": 2})
    Traceback (most recent call last):
    ...
    kg.errors.BadOptionError: cannot bind ?x: the query assigns it (AS ?x)
    """
    terms = to_terms(bindings)
    if not terms:
        return sparql
    texts = {name: term_text(name, term) for name, term in terms.items()}
    start = where_brace(sparql)
    if start is None:
        values = " ".join(texts.values())
        names = " ".join(f"?{name}" for name in texts)
        return f"{sparql}\nVALUES ({names}) {{ ({values}) }}"
    tokens = list(_tokens(sparql))
    for i, (_, token) in enumerate(tokens):
        if token[0] == "?" and token[1:] in texts and i and tokens[i - 1][1].upper() == "AS":
            raise _bound_names_error(token[1:], f"assigns it (AS {token})")
    first = next(i for i, (offset, _) in enumerate(tokens) if offset == start)
    binds = " ".join(f"BIND({text} AS ?{name})" for name, text in texts.items())
    edits = [(start + 1, start + 1, f" {binds}"), *_substitutions(sparql, tokens, first, texts)]
    parts, previous = [], 0
    for begin, end, replacement in edits:
        parts += [sparql[previous:begin], replacement]
        previous = end
    parts.append(sparql[previous:])
    return "".join(parts)


def _modifiers(sparql: str) -> tuple[int, list[tuple[int, str]]] | None:
    """The offset just after the WHERE group's closing brace and the top-level tokens after
    it (GROUP BY, ORDER BY, LIMIT, OFFSET, VALUES ...); None without a WHERE group."""
    start = where_brace(sparql)
    if start is None:
        return None
    depth, end = 0, None
    tail: list[tuple[int, str]] = []
    for offset, token in _tokens(sparql):
        if offset < start:
            continue
        if end is None:  # inside the WHERE group: only its braces count
            depth += {"{": 1, "}": -1}.get(token, 0)
            end = offset + 1 if depth == 0 else None
        elif token in "})":
            depth -= 1
        else:
            if depth == 0:
                tail.append((offset, token))
            depth += token in "{("
    return (end, tail) if end is not None else None


def top_limit(sparql: str) -> int | None:
    """The query's own top-level ``LIMIT`` (None without one).

    Example
    -------
    >>> top_limit("SELECT * { { SELECT ?s { ?s ?p ?o } LIMIT 9 } } ORDER BY ?s LIMIT 20")
    20
    >>> top_limit("SELECT * { { SELECT ?s { ?s ?p ?o } LIMIT 9 } }") is None
    True
    """
    found = _modifiers(sparql)
    for offset, token in found[1] if found else ():
        if token.upper() == "LIMIT":
            number = re.match(r"LIMIT\s+(\d+)", sparql[offset:], re.IGNORECASE)
            return int(number.group(1)) if number else None
    return None


def with_limit(sparql: str, limit: int) -> str:
    """Ask a SELECT for at most ``limit`` rows (its own LIMIT, if smaller, stays): what a first
    page asks for, so the engine may stop early or keep only the top rows of its sort.

    Parameters
    ----------
    sparql:
        A SELECT query.
    limit:
        The most rows wanted.

    Returns
    -------
    str

    Example
    -------
    >>> with_limit("SELECT ?s { ?s ?p ?o } ORDER BY ?s", 100)
    'SELECT ?s { ?s ?p ?o } ORDER BY ?s\\nLIMIT 100'
    >>> with_limit("SELECT ?s { ?s ?p ?o } LIMIT 5 VALUES ?s { 1 }", 100)
    'SELECT ?s { ?s ?p ?o } LIMIT 5 VALUES ?s { 1 }'
    >>> with_limit("SELECT ?s { ?s ?p ?o } LIMIT 500 OFFSET 3", 100)
    'SELECT ?s { ?s ?p ?o } LIMIT 100 OFFSET 3'
    """
    found = _modifiers(sparql)
    if found is None or query_form(sparql) != "SELECT":
        return sparql
    own = top_limit(sparql)
    if own is not None:
        if own <= limit:
            return sparql
        for offset, token in found[1]:
            if token.upper() == "LIMIT":
                number = re.match(r"LIMIT\s+\d+", sparql[offset:], re.IGNORECASE)
                end = offset + (number.end() if number else len(token))
                return f"{sparql[:offset]}LIMIT {limit}{sparql[end:]}"
    values = [offset for offset, token in found[1] if token.upper() == "VALUES"]
    if values:
        return f"{sparql[: values[0]]}LIMIT {limit}\n{sparql[values[0] :]}"
    return f"{sparql.rstrip()}\nLIMIT {limit}"


def count_query(sparql: str) -> str:
    """A query counting the rows of the SELECT ``sparql`` (wrapped whole as a subquery).

    Example
    -------
    >>> print(count_query("PREFIX x: <urn:x#>\\nSELECT ?s { ?s x:p ?o } ORDER BY ?s"))
    PREFIX x: <urn:x#>
    SELECT (COUNT(*) AS ?kg_rows) WHERE { SELECT ?s { ?s x:p ?o } ORDER BY ?s
    }
    """
    select = next(offset for offset, token in _tokens(sparql) if token.upper() == "SELECT")
    return f"{sparql[:select]}SELECT (COUNT(*) AS ?kg_rows) WHERE {{ {sparql[select:].rstrip()}\n}}"


#: The name this function had when bindings travelled as ``VALUES`` blocks.
with_values = bind_variables
