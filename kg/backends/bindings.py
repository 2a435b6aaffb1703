"""Turn Python values into RDF terms for SPARQL bindings, and write terms as SPARQL text.

Bindings are never pasted into query text as raw strings: an in-process engine gets them
as terms (rdflib's ``initBindings``), and an engine reached as text (a remote endpoint)
gets each term's escaped N3 form (:func:`term_text`) in place of the variable (see
:mod:`kg.backends.sparql_text`).
"""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Mapping
from typing import Any

from rdflib import BNode, Literal, URIRef, Variable
from rdflib.term import Node

from kg.errors import BadOptionError

__all__ = ["term_text", "to_term", "to_terms", "values_clause"]


def to_term(value: Any) -> Node:
    """Convert a binding value to an rdflib term.

    Parameters
    ----------
    value:
        An rdflib term (kept as is), or a plain ``str``, ``int``, ``float``, ``bool``,
        ``Decimal``, ``date`` or ``datetime`` (made a typed Literal). A ``str`` is always a
        literal, even when it looks like an IRI: pass a ``URIRef`` for an IRI.

    Returns
    -------
    Node

    Example
    -------
    >>> to_term("Armenia")
    rdflib.term.Literal('Armenia')
    >>> to_term(3).n3(), to_term(datetime.date(2024, 5, 1)).n3()
    ('"3"^^<http://www.w3.org/2001/XMLSchema#integer>', '"2024-05-01"^^<http://www.w3.org/2001/XMLSchema#date>')
    >>> to_term("http://x")
    rdflib.term.Literal('http://x')
    """
    if isinstance(value, Node):
        return value
    if isinstance(value, bool | int | float | str | decimal.Decimal | datetime.date):
        return Literal(value)
    raise BadOptionError(f"cannot bind a {type(value).__name__} as a SPARQL value: {value!r}")


def to_terms(bindings: Mapping[str, Any] | None) -> dict[str, Node]:
    """Convert every value of ``bindings`` with :func:`to_term`, checking the names.

    Parameters
    ----------
    bindings:
        Variable name (without ``?``) -> value.

    Returns
    -------
    dict[str, Node]

    Example
    -------
    >>> to_terms({"n": 2})
    {'n': rdflib.term.Literal('2', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#integer'))}
    >>> to_terms({"bad name": 1})
    Traceback (most recent call last):
    ...
    kg.errors.BadOptionError: not a SPARQL variable name: 'bad name'
    """
    terms: dict[str, Node] = {}
    for name, value in (bindings or {}).items():
        bare = name.lstrip("?$")
        if not bare or not all(c.isalnum() or c == "_" for c in bare):
            raise BadOptionError(f"not a SPARQL variable name: {name!r}")
        terms[bare] = to_term(value)
    return terms


def term_text(name: str, term: Node) -> str:
    """Write a bound term as SPARQL text: its N3 form, quotes, backslashes and newlines escaped.

    Parameters
    ----------
    name:
        The variable's name, for the error message.
    term:
        An IRI or a literal; blank nodes cannot be bound (a query cannot name one).

    Returns
    -------
    str

    Raises
    ------
    BadOptionError
        For a blank node or anything that is not an IRI or a literal.

    Example
    -------
    >>> term_text("q", Literal('" } ; DROP ALL ; #'))
    '"\\\\" } ; DROP ALL ; #"'
    >>> term_text("s", BNode("b1"))
    Traceback (most recent call last):
    ...
    kg.errors.BadOptionError: cannot bind ?s to a blank node
    """
    if isinstance(term, BNode):
        raise BadOptionError(f"cannot bind ?{name} to a blank node")
    if not isinstance(term, URIRef | Literal):
        raise BadOptionError(f"cannot bind ?{name} to {term!r}")
    return term.n3()


def values_clause(bindings: Mapping[str, Any] | None) -> str:
    """Render ``bindings`` as a SPARQL ``VALUES`` clause to append after a query.

    A trailing ``VALUES`` block is joined with the whole query's solutions, which is what
    binding a variable means. Each value is written with ``term.n3()``, which escapes quotes,
    backslashes and newlines, so a hostile string stays one literal.

    Parameters
    ----------
    bindings:
        Variable name -> value (see :func:`to_term`). Blank nodes cannot be bound.

    Returns
    -------
    str
        ``""`` when there is nothing to bind, else ``"VALUES (?a ?b) { (... ...) }"``.

    Example
    -------
    >>> values_clause({"state": URIRef("http://ex/Armenia"), "n": 2})
    'VALUES (?state ?n) { (<http://ex/Armenia> "2"^^<http://www.w3.org/2001/XMLSchema#integer>) }'
    >>> values_clause({"q": '" } ; DROP ALL ; #'})
    'VALUES (?q) { ("\\\\" } ; DROP ALL ; #") }'
    >>> values_clause({})
    ''
    """
    terms = to_terms(bindings)
    if not terms:
        return ""
    names = " ".join(Variable(name).n3() for name in terms)
    values = " ".join(term_text(name, term) for name, term in terms.items())
    return f"VALUES ({names}) {{ ({values}) }}"
