"""Read ``--param name=value`` options into SPARQL bindings.

What a value becomes (so the user needs no SPARQL syntax for the common cases):

- ``<http://...>`` -> that IRI; ``kgr:Armenia`` (a known prefix) -> its full IRI;
- ``12`` -> xsd:integer, ``1.5`` -> xsd:decimal, ``2020-09-27`` -> xsd:date;
- ``"Armenia"@en`` -> a literal with a language tag;
- anything else -> a plain string literal, as is (never parsed as SPARQL).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from decimal import Decimal

from kg.errors import BadOptionError

__all__ = ["parse_params", "parse_value"]

_INTEGER = re.compile(r"[+-]?\d+")
_DECIMAL = re.compile(r"[+-]?\d*\.\d+")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_LANG_STRING = re.compile(r'"(.*)"@([A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*)', re.DOTALL)


def parse_value(text: str):
    """Turn one parameter value, as typed, into an rdflib term.

    Parameters
    ----------
    text:
        The value after ``name=``.

    Returns
    -------
    rdflib.term.Node

    Example
    -------
    >>> parse_value("kgr:Armenia")
    rdflib.term.URIRef('https://w3id.org/kg-ir/resource/Armenia')
    >>> parse_value("<http://example.org/x>")
    rdflib.term.URIRef('http://example.org/x')
    >>> parse_value("2020-09-27").datatype.endswith("#date"), parse_value("3").toPython()
    (True, 3)
    >>> parse_value('"Armenia"@en').language
    'en'
    >>> parse_value("Nikol Pashinyan")
    rdflib.term.Literal('Nikol Pashinyan')
    """
    from rdflib import Literal, URIRef

    from kg.namespaces import expand

    if text.startswith("<") and text.endswith(">"):
        iri = text[1:-1]
        if not iri or any(c.isspace() or c in '<>"{}|^`\\' for c in iri):
            raise BadOptionError(f"not a valid IRI: {text}")
        return URIRef(iri)
    expanded = expand(text)
    if expanded is not None:
        return expanded
    if _INTEGER.fullmatch(text):
        return Literal(int(text))
    if _DECIMAL.fullmatch(text):
        return Literal(Decimal(text))
    if _DATE.fullmatch(text):
        try:
            return Literal(datetime.date.fromisoformat(text))
        except ValueError:
            return Literal(text)
    match = _LANG_STRING.fullmatch(text)
    if match:
        return Literal(match.group(1), lang=match.group(2))
    return Literal(text)


def parse_params(items: Iterable[str]) -> dict:
    """Turn ``name=value`` strings into a bindings dict (see :func:`parse_value`).

    Parameters
    ----------
    items:
        The ``--param`` values.

    Returns
    -------
    dict[str, rdflib.term.Node]

    Example
    -------
    >>> parse_params(["n=2"])
    {'n': rdflib.term.Literal('2', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#integer'))}
    >>> parse_params(["oops"])
    Traceback (most recent call last):
    ...
    kg.errors.BadOptionError: --param needs name=value, got 'oops'
    """
    bindings = {}
    for item in items:
        name, sep, value = item.partition("=")
        name = name.strip().lstrip("?$")
        if not sep or not name:
            raise BadOptionError(f"--param needs name=value, got {item!r}")
        bindings[name] = parse_value(value)
    return bindings
