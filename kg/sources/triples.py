"""The triples a source compiles to: an insertion-ordered set of terms written in N-Triples
syntax (``<iri>``, ``_:label``, ``"text"@en``), never rdflib terms or an rdflib Graph.

``kg add`` builds a few hundred triples per source, a quarter of a million for a batch of a
thousand. An rdflib ``Literal`` costs tens of microseconds to make (its lexical form parsed
into a Python value and back) and an rdflib ``Graph`` as much per ``add``; a term made here
is an f-string, a triple a tuple of three of them, the N-Triples text a join. SHACL and the
store both parse that text in Rust, and Oxigraph's own terms print as the same syntax, so
stored and new triples meet as plain strings (:mod:`kg.sources.check`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef

__all__ = ["Triples", "bnode", "iri_ref", "is_literal", "literal", "nt_line", "nt_term"]

Triple = tuple[str, str, str]
#: A language tag as rdflib accepts one (BCP 47's shape); rdflib lowercases it.
_LANG = re.compile(r"[a-zA-Z]+(?:-[a-zA-Z0-9]+)*")


@lru_cache(maxsize=1 << 16)
def iri_ref(iri: str) -> str:
    """The N-Triples term of an IRI, made once per IRI (a batch names the same few thousand
    over and over); characters an IRI may not hold are percent-encoded, see :func:`nt_term`.

    Example
    -------
    >>> iri_ref("urn:a"), iri_ref("http://x/a>b")
    ('<urn:a>', '<http://x/a%3Eb>')
    """
    return f"<{_iri(iri)}>"


def literal(text: str, lang: str | None = None, datatype: str | None = None) -> str:
    """The N-Triples term of a literal (``datatype`` an IRI; xsd:string is left implicit).

    Raises
    ------
    ValueError
        ``lang`` is not a language tag.

    Example
    -------
    >>> literal('say "hi"', "EN"), literal("7", datatype="urn:t")
    ('"say \\\\"hi\\\\""@en', '"7"^^<urn:t>')
    """
    if _LITERAL_ESCAPES.search(text) is not None:
        text = _LITERAL_ESCAPES.sub(lambda m: _ESCAPED[m.group()], text)
    if lang:
        if _LANG.fullmatch(lang) is None:
            raise ValueError(f"{lang!r} is not a language tag (en, fr, pt-BR ...)")
        return f'"{text}"@{lang.lower()}'
    if datatype is not None and datatype != _XSD_STRING:
        return f'"{text}"^^{iri_ref(datatype)}'
    return f'"{text}"'


def bnode(label: str) -> str:
    """The N-Triples term of the blank node ``label`` (letters and digits).

    Example
    -------
    >>> bnode("ax12")
    '_:ax12'
    """
    return "_:" + label


def is_literal(term: str) -> bool:
    """Whether an N-Triples term is a literal.

    Example
    -------
    >>> is_literal('"x"@en'), is_literal("<urn:a>"), is_literal("_:b")
    (True, False, False)
    """
    return term[:1] == '"'


class Triples:
    """An insertion-ordered set of ``(subject, predicate, object)`` N-Triples terms.

    Parameters
    ----------
    triples:
        Initial triples.

    Returns
    -------
    Triples

    Example
    -------
    >>> t = Triples()
    >>> t.add((iri_ref("urn:a"), iri_ref("urn:p"), literal("x")))
    >>> t.add((iri_ref("urn:a"), iri_ref("urn:p"), literal("x")))
    >>> len(t), t.ntriples(), len(t.to_graph())
    (1, '<urn:a> <urn:p> "x" .\\n', 1)
    """

    __slots__ = ("_text", "_triples")

    def __init__(self, triples: Iterable[Triple] = ()) -> None:
        self._triples: dict[Triple, None] = dict.fromkeys(triples)
        self._text: str | None = None

    def add(self, triple: Triple) -> None:
        """Add one triple (again: no change)."""
        self._triples[triple] = None
        self._text = None

    def __len__(self) -> int:
        return len(self._triples)

    def __iter__(self) -> Iterator[Triple]:
        return iter(self._triples)

    def __contains__(self, triple: object) -> bool:
        return triple in self._triples

    def objects(self, subject: Any, predicate: Any) -> list[Any]:
        """The objects of ``subject predicate ?o`` (a scan: only for rare look-ups)."""
        return [o for s, p, o in self._triples if s == subject and p == predicate]

    def to_graph(self) -> Graph:
        """An rdflib Graph of the triples (for Turtle output and isomorphism checks)."""
        return Graph().parse(data=self.ntriples(), format="nt")

    def ntriples(self) -> str:
        """The triples as N-Triples text, one line each (made once: SHACL and the store
        both read it)."""
        if self._text is None:
            self._text = "".join(f"{s} {p} {o} .\n" for s, p, o in self._triples)
        return self._text


def nt_line(s: Any, p: Any, o: Any, graph: str | None = None) -> str:
    """One N-Triples line of rdflib terms (an N-Quads line when ``graph`` names a graph).

    Example
    -------
    >>> nt_line(URIRef("urn:a"), URIRef("urn:p"), BNode("b1"), "urn:g")
    '<urn:a> <urn:p> _:b1 <urn:g> .\\n'
    """
    if graph is None:
        return f"{nt_term(s)} {nt_term(p)} {nt_term(o)} .\n"
    return f"{nt_term(s)} {nt_term(p)} {nt_term(o)} <{_iri(graph)}> .\n"


def nt_term(term: Any) -> str:
    """An rdflib term in N-Triples syntax; characters an IRI may not hold are percent-encoded
    (not ``\\u``-escaped: SPARQL would read those back), so that text from a source file
    can never end an IRI early, here or in the SPARQL update made of these lines.

    Example
    -------
    >>> nt_term(Literal('say "hi"\\n', lang="en")), nt_term(URIRef("http://x/a>b"))
    ('"say \\\\"hi\\\\"\\\\n"@en', '<http://x/a%3Eb>')
    """
    kind = type(term)
    if kind is URIRef:
        text = str(term)  # a plain str: its hash is C's, not rdflib's
        line = _IRIS.get(text)
        if line is None:
            line = _IRIS[text] = f"<{_iri(text)}>"
        return line
    if kind is Literal or isinstance(term, Literal):
        text = str(term)
        if _LITERAL_ESCAPES.search(text) is not None:
            text = _LITERAL_ESCAPES.sub(lambda m: _ESCAPED[m.group()], text)
        if term.language:
            return f'"{text}"@{term.language}'
        datatype = term.datatype
        if datatype is not None and str(datatype) != _XSD_STRING:
            return f'"{text}"^^{nt_term(datatype)}'
        return f'"{text}"'
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, URIRef):
        return f"<{_iri(str(term))}>"
    raise TypeError(f"not an RDF term: {term!r}")


_IRIS: dict[str, str] = {}


def _iri(text: str) -> str:
    if _IRI_BAD.search(text) is None:
        return text
    return _IRI_BAD.sub(lambda m: "".join(f"%{b:02X}" for b in m.group().encode()), text)


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_ESCAPED = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"}


_LITERAL_ESCAPES = re.compile(r'[\\"\n\r]')
_IRI_BAD = re.compile(r'[\x00-\x20<>"{}|^`\\]')
