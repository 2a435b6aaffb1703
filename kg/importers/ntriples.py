"""N-Triples text for the importers: terms written as strings, fast, and always escaped.

Importers write each row's triples as N-Triples lines (no rdflib term per value), because
the row loop is the hot path of a multi-gigabyte import; Oxigraph bulk loads the lines.
Everything that comes from a file is escaped here: a literal's quotes, backslashes and line
breaks, and the characters an IRI may not hold.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from kg.iris import CAMEO_IRI, KIND_IRI, ONTOLOGY_IRI, RESOURCE_IRI

__all__ = [
    "KG",
    "KGR",
    "KIND",
    "CAMEO",
    "XSD",
    "iri",
    "literal",
    "lang_literal",
    "typed",
    "triple",
    "slug",
    "safe_iri",
    "kg_term",
    "A",
    "LABEL",
    "IDENTIFIER",
    "SOURCE",
    "GENERATED_BY",
]

KG = ONTOLOGY_IRI
KGR = RESOURCE_IRI
KIND = KIND_IRI
CAMEO = CAMEO_IRI
XSD = "http://www.w3.org/2001/XMLSchema#"

#: Terms every importer writes, in angle brackets.
A = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
IDENTIFIER = "<http://purl.org/dc/terms/identifier>"
SOURCE = "<http://purl.org/dc/terms/source>"
GENERATED_BY = "<http://www.w3.org/ns/prov#wasGeneratedBy>"

_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})
_IRI_BAD = re.compile(r'[\x00-\x20<>"{}|^`\\\x7f]')
_SLUG_BAD = re.compile(r"[^A-Za-z0-9_.-]+")


def iri(value: str) -> str:
    """An IRI the caller built (no untrusted characters), in angle brackets.

    Example
    -------
    >>> iri(KGR + "Armenia")
    '<https://w3id.org/kg-ir/resource/Armenia>'
    """
    return f"<{value}>"


def kg_term(name: str) -> str:
    """A term of the kg ontology, in angle brackets.

    Example
    -------
    >>> kg_term("Event")
    '<https://w3id.org/kg-ir/ontology#Event>'
    """
    return f"<{KG}{name}>"


def safe_iri(value: str) -> str | None:
    """An IRI read from a file (a source URL): characters N-Triples forbids are %-encoded.

    Parameters
    ----------
    value:
        The text of the IRI.

    Returns
    -------
    str or None
        ``<...>``, or ``None`` when the text is not an absolute http(s) address.

    Example
    -------
    >>> safe_iri('https://example.org/a b"c')
    '<https://example.org/a%20b%22c>'
    >>> safe_iri("javascript:alert(1)") is None
    True
    """
    if not value.startswith(("http://", "https://")):
        return None
    return "<" + _IRI_BAD.sub(lambda m: quote(m.group(0)), value) + ">"


def literal(text: str) -> str:
    """A plain (``xsd:string``) literal, escaped.

    Example
    -------
    >>> literal('say "hi"\\n')
    '"say \\\\"hi\\\\"\\\\n"'
    """
    return '"' + _escaped(text) + '"'


def _escaped(text: str) -> str:
    """``text`` with N-Triples' string escapes; most values need none, and ``in`` is cheap."""
    if "\\" in text or '"' in text or "\n" in text or "\r" in text:
        return text.translate(_ESCAPES)
    return text


def lang_literal(text: str, lang: str = "en") -> str:
    """A language-tagged literal, escaped.

    Example
    -------
    >>> lang_literal("Armenia")
    '"Armenia"@en'
    """
    return '"' + _escaped(text) + '"@' + lang


def typed(lexical: str, datatype: str) -> str:
    """A typed literal; ``datatype`` is a local name in XSD (``date``, ``integer``...).

    Example
    -------
    >>> typed("2023-09-19", "date")
    '"2023-09-19"^^<http://www.w3.org/2001/XMLSchema#date>'
    """
    return '"' + _escaped(lexical) + '"^^<' + XSD + datatype + ">"


def triple(s: str, p: str, o: str) -> str:
    """One N-Triples line from three written terms.

    Example
    -------
    >>> triple("<http://a>", "<http://b>", '"c"')
    '<http://a> <http://b> "c" .\\n'
    """
    return f"{s} {p} {o} .\n"


def slug(text: str) -> str:
    """A local name made from a dataset code or id (letters, digits, ``_ . -``).

    Example
    -------
    >>> slug("ARM GOV/1")
    'ARM_GOV_1'
    """
    return _SLUG_BAD.sub("_", text).strip("_") or "_"
