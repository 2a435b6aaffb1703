"""Read one field's value into RDF terms, by the kind of property it is for.

A value is a scalar, a list of values, or a mapping: ``{value: ..., source: ..., note: ...,
quote: ...}`` (the triple plus an OWL 2 axiom annotation saying where it comes from), or,
for an entity-valued field, ``{type: ..., ...}`` (a node written inline).
"""

from __future__ import annotations

import re
from typing import Any

from kg.sources.dates import parse_date
from kg.sources.errors import SourceError
from kg.sources.terms import XSD, Property
from kg.sources.triples import literal, nt_term
from kg.sources.yamlio import YList, YMap, YScalar

__all__ = ["as_list", "is_annotated", "located_error", "read_literal", "scalar_text", "suggest"]


def located_error(message: str, where: Any, path: str) -> SourceError:
    """A SourceError at the position of the located value ``where``.

    Example
    -------
    >>> str(located_error("bad", YScalar("x", "x", 3, 7), "s.yaml"))
    's.yaml:3:7: bad'
    """
    line = getattr(where, "line", None)
    column = getattr(where, "column", None)
    return SourceError(message, path=path, line=line, column=column)


def as_list(value: Any) -> list[Any]:
    """The items of a YList, else ``[value]`` (``[]`` for None).

    Example
    -------
    >>> as_list(None), len(as_list(YScalar("a", "a", 1, 1)))
    ([], 1)
    """
    if value is None:
        return []
    if isinstance(value, YList):
        return list(value.items)
    return [value]


def scalar_text(value: Any, what: str, path: str) -> str:
    """The text of a scalar, or an error saying a scalar ``what`` was expected.

    Example
    -------
    >>> scalar_text(YScalar(12, "12", 1, 1), "a name", "s.yaml")
    '12'
    """
    if not isinstance(value, YScalar) or value.value is None:
        raise located_error(f"expected {what}", value, path)
    return value.raw if not isinstance(value.value, str) else value.value


def suggest(name: str, choices: list[str], limit: int = 3) -> str:
    """`` (did you mean: a, b?)`` for the close matches of ``name``, or ``""``.

    Example
    -------
    >>> suggest("speeker", ["speaker", "date", "about"])
    ' (did you mean: speaker?)'
    """
    from rapidfuzz import fuzz, process

    found = process.extract(name, choices, scorer=fuzz.ratio, limit=limit, score_cutoff=70)
    return f" (did you mean: {', '.join(c for c, _, _ in found)}?)" if found else ""


def read_literal(prop: Property, value: Any, lang: str, path: str) -> str:
    """The literal a scalar means for ``prop`` (an N-Triples term, see
    :mod:`kg.sources.triples`); a mapping may set ``lang`` or ``datatype``.

    Parameters
    ----------
    prop:
        The property (its ``kind`` says how to read the value).
    value:
        A scalar, or a mapping with ``value`` and optional ``lang`` / ``datatype``.
    lang:
        The source's language, for ``lang`` properties (labels, titles).
    path:
        The file, for errors.

    Returns
    -------
    str

    Raises
    ------
    SourceError
        An impossible date, a number that is not one, a bad datatype.

    Example
    -------
    >>> p = Property("https://w3id.org/kg-ir/ontology#date", "date")
    >>> read_literal(p, YScalar("2023-09", "2023-09", 1, 1), "en", "s.yaml")[-11:]
    'gYearMonth>'
    >>> read_literal(p, YScalar("2023-02-30", "2023-02-30", 2, 7), "en", "s.yaml")
    Traceback (most recent call last):
    ...
    kg.sources.errors.SourceError: s.yaml:2:7: 2023-02-30 is not a real date (February 2023 has ...
    """
    explicit_lang = explicit_type = None
    if isinstance(value, YMap):
        explicit_lang = value.get("lang")
        explicit_type = value.get("datatype")
        value = value.get("value")
    text = scalar_text(value, "a value", path)
    if explicit_type is not None:
        datatype = _datatype(scalar_text(explicit_type, "a datatype", path), explicit_type, path)
        return _checked(text, datatype, value, path)
    if explicit_lang is not None:
        tag = scalar_text(explicit_lang, "a language tag", path)
        try:
            return literal(text, lang=tag)
        except ValueError as exc:
            raise located_error(str(exc), explicit_lang, path) from None
    if prop.kind == "date":
        try:
            date = parse_date(text)
        except ValueError as exc:
            raise located_error(str(exc), value, path) from None
        return literal(date.lexical, datatype=date.datatype)
    if prop.kind == "number":
        if isinstance(value.value, bool) or not isinstance(value.value, int | float):
            raise located_error(f"{prop.local} must be a number, not {text!r}", value, path)
        if isinstance(value.value, int):
            return literal(str(value.value), datatype=XSD + "integer")
        return _decimal(value.value)
    if prop.kind == "untyped" and isinstance(value.value, bool):
        return literal("true" if value.value else "false", datatype=XSD + "boolean")
    if prop.kind == "untyped" and isinstance(value.value, int):
        return literal(str(value.value), datatype=XSD + "integer")
    if prop.kind == "untyped" and isinstance(value.value, float):
        return _decimal(value.value)
    if prop.kind == "bool":
        if not isinstance(value.value, bool):
            raise located_error(f"{prop.local} is true or false, not {text!r}", value, path)
        return literal("true" if value.value else "false", datatype=XSD + "boolean")
    if prop.kind == "uri":
        if not re.match(r"^[a-z][a-z0-9+.-]*:\S+$", text, re.IGNORECASE):
            raise located_error(f"{prop.local} must be a URL, not {text!r}", value, path)
        return literal(text, datatype=XSD + "anyURI")
    if prop.kind == "lang":
        return literal(text, lang=lang)
    return literal(text)


def _decimal(number: float) -> str:
    """An xsd:decimal term, in the lexical form rdflib gives it (``1e-05`` is none)."""
    from rdflib import Literal, URIRef

    return nt_term(Literal(repr(number), datatype=URIRef(XSD + "decimal")))


def _datatype(name: str, where: Any, path: str) -> str:
    from kg.namespaces import expand

    iri = expand(name) if ":" in name and not name.startswith("http") else name
    if iri is None:
        raise located_error(f"unknown datatype {name!r}", where, path)
    return str(iri)


def _checked(text: str, datatype: str, where: Any, path: str) -> str:
    """The literal of an explicit datatype, rejected when its text is not valid for it
    (rdflib reads it: its lexical form as rdflib normalizes it)."""
    from rdflib import Literal, URIRef

    term = Literal(text, datatype=URIRef(datatype))
    if getattr(term, "ill_typed", False):
        raise located_error(f"{term!s} is not a valid {term.datatype}", where, path)
    return nt_term(term)


def is_annotated(value: Any) -> bool:
    """Whether a mapping is a value with an annotation (``{value: ..., source: ...}``).

    Example
    -------
    >>> is_annotated(YMap({"value": YScalar("x", "x", 1, 1)}, 1, 1))
    True
    """
    return isinstance(value, YMap) and "value" in value.items and "type" not in value.items
