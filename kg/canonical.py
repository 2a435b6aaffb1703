"""Named-query answers that are the same on every engine.

SPARQL leaves two things to the engine that show in kg's named queries:

- the order of the values ``GROUP_CONCAT`` joins: each such column (its separator read from
  the query) gets its parts sorted, and a concatenation of no values is unbound (rdflib
  says ``""``, Oxigraph leaves it unbound);
- how a boolean looks: Virtuoso has no boolean type and answers ``true`` as
  ``"1"^^xsd:integer``. A column the query computes as a boolean (``BIND(a || b AS ?v)``,
  ``(BOUND(?x) AS ?v)``, a comparison ...) gets ``1``/``0`` back as ``true``/``false``.

What the query's text says decides, never the values alone: an integer column stays
an integer. :func:`canonical_result` is applied to every named query by
:meth:`kg.graph.KnowledgeGraph.run_query`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from rdflib import Literal, URIRef

from kg.results import QueryResult

__all__ = ["ColumnRules", "canonical_result", "canonical_rows", "column_rules"]

_XSD = "http://www.w3.org/2001/XMLSchema#"
_XSD_INTEGER = URIRef(_XSD + "integer")
_XSD_BOOLEAN = URIRef(_XSD + "boolean")
_CONCAT = re.compile(r"GROUP_CONCAT\s*\(", re.IGNORECASE)
_SEPARATOR = re.compile(r"""separator\s*=\s*("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')""", re.I)
_ASSIGN = re.compile(r"(?:\bBIND\s*)?\(", re.IGNORECASE)
_BOOLEAN_CALLS = re.compile(
    r"^!?\s*(BOUND|EXISTS|NOT\s+EXISTS|isIRI|isURI|isBlank|isLiteral|isNumeric|sameTerm|"
    r"REGEX|CONTAINS|STRSTARTS|STRENDS|LANGMATCHES)\b",
    re.IGNORECASE,
)
_TOP_LEVEL_BOOLEAN = re.compile(r"\|\||&&|!=|<=|>=|(?<![<!])=|\s[<>]\s|\bIN\b|^!", re.I)


@dataclass
class ColumnRules:
    """What to normalise in a query's answer.

    Parameters
    ----------
    separators:
        Variable -> the ``GROUP_CONCAT`` separator that built it.
    booleans:
        Variables the query computes as booleans.

    Example
    -------
    >>> ColumnRules({"k": "; "}, {"linked"}).empty
    False
    """

    separators: dict[str, str]
    booleans: set[str]

    @property
    def empty(self) -> bool:
        """True when there is nothing to normalise."""
        return not self.separators and not self.booleans


def _closing(text: str, start: int) -> int:
    """The offset of the ``)`` matching the ``(`` at ``start`` (strings skipped)."""
    depth, i = 0, start
    while i < len(text):
        c = text[i]
        if c in "\"'":
            end = text.find(c, i + 1)
            while end > 0 and text[end - 1] == "\\":
                end = text.find(c, end + 1)
            i = end if end > 0 else len(text)
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return len(text)


def _top_level(expression: str) -> str:
    """The expression with every parenthesised part and string blanked out."""
    out, depth, i = [], 0, 0
    while i < len(expression):
        c = expression[i]
        if c in "\"'":
            end = expression.find(c, i + 1)
            i = end + 1 if end > 0 else len(expression)
            out.append(" x ")
            continue
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif depth == 0:
            out.append(c)
        i += 1
    return "".join(out)


def _is_boolean(expression: str) -> bool:
    expression = expression.strip()
    while expression.startswith("(") and _closing(expression, 0) == len(expression) - 1:
        expression = expression[1:-1].strip()
    if _BOOLEAN_CALLS.match(expression):
        return True
    return bool(_TOP_LEVEL_BOOLEAN.search(_top_level(expression).strip()))


def column_rules(text: str) -> ColumnRules:
    """Read from a query's text which columns to normalise.

    Parameters
    ----------
    text:
        The query.

    Returns
    -------
    ColumnRules

    Example
    -------
    >>> q = '''SELECT ?e (GROUP_CONCAT(?k; separator=" | ") AS ?kinds) ?linked
    ... WHERE { BIND(BOUND(?w) || ?n > 1 AS ?linked) BIND(?n + 1 AS ?m) }'''
    >>> rules = column_rules(q)
    >>> rules.separators, sorted(rules.booleans)
    ({'kinds': ' | '}, ['linked'])
    """
    separators: dict[str, str] = {}
    booleans: set[str] = set()
    for match in _ASSIGN.finditer(text):
        start = match.end() - 1
        end = _closing(text, start)
        inner = text[start + 1 : end]
        assigned = re.search(r"\bAS\s+[?$](\w+)\s*$", inner, re.IGNORECASE)
        if not assigned:
            continue
        name, expression = assigned.group(1), inner[: assigned.start()]
        if _CONCAT.match(expression.strip()):
            found = _SEPARATOR.search(expression)
            separators[name] = (
                found.group(1)[1:-1].encode().decode("unicode_escape") if found else " "
            )
        elif _is_boolean(expression):
            booleans.add(name)
    return ColumnRules(separators, booleans)


def _normal(term, name: str, rules: ColumnRules):
    if term is None or not isinstance(term, Literal):
        return term
    if name in rules.separators:
        if not str(term):
            return None  # over no values: rdflib says "", Oxigraph leaves it unbound
        separator = rules.separators[name]
        parts = sorted(str(term).split(separator))
        return Literal(separator.join(parts), lang=term.language, datatype=term.datatype)
    if name in rules.booleans and term.datatype == _XSD_INTEGER and str(term) in ("0", "1"):
        return Literal(str(term) == "1", datatype=_XSD_BOOLEAN)
    return term


def canonical_rows(names: list[str], rows: Iterable[tuple], text: str) -> Iterator[tuple]:
    """Normalise rows of rdflib terms one at a time (see :func:`canonical_result`).

    Parameters
    ----------
    names:
        The variables, in the rows' order.
    rows:
        Tuples of rdflib terms or None, e.g. as they arrive from an endpoint.
    text:
        The query they answer.

    Returns
    -------
    Iterator[tuple]

    Example
    -------
    >>> q = 'SELECT (GROUP_CONCAT(?x; separator=", ") AS ?xs) {}'
    >>> next(canonical_rows(["xs"], [(Literal("b, a"),)], q))
    (rdflib.term.Literal('a, b'),)
    """
    rules = column_rules(text)
    if not any(v in rules.separators or v in rules.booleans for v in names):
        yield from rows
        return
    for row in rows:
        yield tuple(_normal(term, name, rules) for term, name in zip(row, names, strict=True))


def canonical_result(result: QueryResult, text: str) -> QueryResult:
    """Return ``result`` with its GROUP_CONCAT parts sorted and its boolean columns booleans.

    Parameters
    ----------
    result:
        The answer to ``text``, from any backend.
    text:
        The query it answers.

    Returns
    -------
    QueryResult
        ``result`` itself when there is nothing to change (ASK, CONSTRUCT, plain columns).

    Example
    -------
    >>> q = 'SELECT (GROUP_CONCAT(?x; separator="; ") AS ?xs) (1 > 0 AS ?b) {}'
    >>> r = QueryResult("SELECT", ["xs", "b"], [(Literal("b; a"), Literal(1))])
    >>> canonical_result(r, q).to_dicts()
    [{'xs': 'a; b', 'b': True}]
    """
    if result.kind != "SELECT":
        return result
    rules = column_rules(text)
    if not any(v in rules.separators or v in rules.booleans for v in result.vars):
        return result
    names = list(result.vars)
    return QueryResult("SELECT", names, list(canonical_rows(names, result.rows, text)))
