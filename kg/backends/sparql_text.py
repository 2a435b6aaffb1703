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
    edits: list[tuple[int, int, str]] = []  # (start, end, replacement), in text order
    first = next(i for i, (offset, _) in enumerate(tokens) if offset == start)
    binds = " ".join(f"BIND({text} AS ?{name})" for name, text in texts.items())
    edits.append((start + 1, start + 1, f" {binds}"))
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
    parts, previous = [], 0
    for begin, end, replacement in edits:
        parts += [sparql[previous:begin], replacement]
        previous = end
    parts.append(sparql[previous:])
    return "".join(parts)


#: The name this function had when bindings travelled as ``VALUES`` blocks.
with_values = bind_variables
