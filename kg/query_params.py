"""The declared types of named-query parameters, and the check of a value against one.

A query file declares each parameter's type after its name::

    # param: asOf date - the date to look at (default: "2023-09-01"^^xsd:date)
    # param: speaker iri - restrict to one speaker

The types are ``date`` (a real calendar day, ``YYYY-MM-DD``), ``iri`` (``<http://...>``, a
prefixed name such as ``kgr:Armenia``, or an absolute IRI), ``integer``, ``decimal``,
``boolean`` and ``string``. The same check serves the CLI (``--param``), the library
(``graph.named_query(..., asOf=...)``) and kg serve's examples, so a value that is not of
its type is one clear error everywhere instead of a wrong answer.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from kg.errors import BadOptionError

__all__ = ["PARAM_TYPES", "check_value"]

#: type name -> how it is written, for messages.
PARAM_TYPES = {
    "date": "a date written YYYY-MM-DD",
    "iri": "an IRI (<http://...> or a prefixed name such as kgr:Armenia)",
    "integer": "an integer",
    "decimal": "a decimal number",
    "boolean": "true or false",
    "string": "a string",
}
_XSD = "http://www.w3.org/2001/XMLSchema#"
_DATE = re.compile(r"[+-]?\d{4,}-\d{2}-\d{2}")
_ABSOLUTE_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|^`\\]+")


class _NotOfType(Exception):
    """A value not of its parameter's type (the reason, if any, as its text): internal, it
    becomes the :class:`BadOptionError` of :func:`check_value`."""


def _lexical(value: Any) -> str | None:
    """The text of a value given as a string or a plain literal; None for other terms."""
    from rdflib import Literal, URIRef

    if isinstance(value, URIRef):
        return None
    if isinstance(value, Literal):
        plain = value.datatype is None or str(value.datatype) == _XSD + "string"
        return str(value) if plain and value.language is None else None
    return value if isinstance(value, str) else None


def _date(value: Any) -> Any:
    from rdflib import Literal

    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return Literal(value)
    if isinstance(value, Literal) and str(value.datatype) == _XSD + "date":
        if isinstance(value.value, datetime.date):
            return value
        text: str | None = str(value)
    else:
        text = _lexical(value)
    if text is None or not _DATE.fullmatch(text.strip()):
        raise _NotOfType
    try:
        return Literal(datetime.date.fromisoformat(text.strip()))
    except ValueError as exc:
        raise _NotOfType(f"no such day: {exc}") from None


def _iri(value: Any) -> Any:
    from rdflib import URIRef

    from kg.namespaces import expand

    if isinstance(value, URIRef):
        return value
    text = _lexical(value)
    if text is None:
        raise _NotOfType
    text = text.strip()
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1]
    elif (expanded := expand(text)) is not None:
        return expanded
    if not _ABSOLUTE_IRI.fullmatch(text):
        raise _NotOfType
    return URIRef(text)


def _number(value: Any, kind: str) -> Any:
    from rdflib import Literal

    typed = isinstance(value, Literal) and str(value.datatype) == _XSD + kind
    if typed and not value.ill_typed:
        return value
    if kind == "integer" and isinstance(value, int) and not isinstance(value, bool):
        return Literal(value)
    if (
        kind == "decimal"
        and isinstance(value, int | float | Decimal)
        and not isinstance(value, bool)
    ):
        return Literal(Decimal(str(value)))
    text = _lexical(value)
    if text is None:
        raise _NotOfType
    text = text.strip()
    if kind == "integer":
        if not re.fullmatch(r"[+-]?\d+", text):
            raise _NotOfType
        return Literal(int(text))
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise _NotOfType from None
    if not number.is_finite():
        raise _NotOfType
    return Literal(number)


def _boolean(value: Any) -> Any:
    from rdflib import Literal

    if isinstance(value, bool):
        return Literal(value)
    if isinstance(value, Literal) and str(value.datatype) == _XSD + "boolean":
        return value
    text = _lexical(value)
    if text is None or text.strip().lower() not in ("true", "false"):
        raise _NotOfType
    return Literal(text.strip().lower() == "true")


def _string(value: Any) -> Any:
    from rdflib import Literal

    if isinstance(value, Literal) and (value.language or _lexical(value) is not None):
        return value
    if isinstance(value, str):
        return Literal(value)
    raise _NotOfType


_CHECKS = {
    "date": _date,
    "iri": _iri,
    "integer": lambda v: _number(v, "integer"),
    "decimal": lambda v: _number(v, "decimal"),
    "boolean": _boolean,
    "string": _string,
}


def check_value(query: str, name: str, kind: str, value: Any) -> Any:
    """Check ``value`` against the declared type of parameter ``name`` and return its term.

    Parameters
    ----------
    query:
        The query's name, for the message.
    name:
        The parameter.
    kind:
        Its declared type, a key of :data:`PARAM_TYPES`.
    value:
        An rdflib term, or a Python value (``str``, ``int``, ``datetime.date`` ...); a string
        is read as the type's text (``"2023-09-01"``, ``"kgr:Armenia"``, ``"12"``).

    Returns
    -------
    rdflib.term.Node

    Raises
    ------
    BadOptionError
        One line: the query, the parameter, what it must be and what it got.

    Example
    -------
    >>> check_value("q", "asOf", "date", "2024-03-01").toPython()
    datetime.date(2024, 3, 1)
    >>> check_value("q", "state", "iri", "kgr:Armenia")
    rdflib.term.URIRef('https://w3id.org/kg-ir/resource/Armenia')
    >>> check_value("q", "asOf", "date", "2023-02-30")
    Traceback (most recent call last):
    ...
    kg.errors.BadOptionError: query q: asOf must be a date written YYYY-MM-DD, not '2023-02-30' ...
    >>> check_value("q", "asOf", "date", "March")
    Traceback (most recent call last):
    ...
    kg.errors.BadOptionError: query q: asOf must be a date written YYYY-MM-DD, not 'March'
    """
    try:
        return _CHECKS[kind](value)
    except _NotOfType as exc:
        shown = str.__str__(value) if isinstance(value, str) else str(value)
        why = f" ({exc})" if str(exc) else ""
        raise BadOptionError(
            f"query {query}: {name} must be {PARAM_TYPES[kind]}, not {shown!r}{why}"
        ) from None
