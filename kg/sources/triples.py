"""The triples a source compiles to: an insertion-ordered set, written as N-Triples without
going through an rdflib Graph.

``kg add`` builds a few hundred triples per source; an rdflib ``Graph`` costs tens of
microseconds per ``add`` (three indexes and its context bookkeeping) and the batch was then
copied into one more Graph for SHACL. A plain dict of term tuples costs a hash per triple;
the N-Triples text made from it feeds SHACL and the store (both parse it in Rust).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef

__all__ = ["Triples", "iri_ref", "nt_line", "nt_term"]

Triple = tuple[Any, Any, Any]


@lru_cache(maxsize=1 << 16)
def iri_ref(iri: str) -> URIRef:
    """``URIRef(iri)``, made once per IRI: a batch names the same few thousand IRIs over and
    over, and rdflib checks each new URIRef's characters.

    Example
    -------
    >>> iri_ref("urn:a") is iri_ref("urn:a")
    True
    """
    return URIRef(iri)


class Triples:
    """An insertion-ordered set of ``(subject, predicate, object)`` rdflib terms.

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
    >>> t.add((URIRef("urn:a"), URIRef("urn:p"), Literal("x")))
    >>> t.add((URIRef("urn:a"), URIRef("urn:p"), Literal("x")))
    >>> len(t), t.ntriples()
    (1, '<urn:a> <urn:p> "x" .\\n')
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
        graph = Graph()
        for triple in self._triples:
            graph.add(triple)
        return graph

    def ntriples(self) -> str:
        """The triples as N-Triples text, one line each (made once: SHACL and the store
        both read it)."""
        if self._text is None:
            self._text = "".join(nt_line(s, p, o) for s, p, o in self._triples)
        return self._text


def nt_line(s: Any, p: Any, o: Any, graph: str | None = None) -> str:
    """One N-Triples line (an N-Quads line when ``graph`` names a graph).

    Example
    -------
    >>> nt_line(URIRef("urn:a"), URIRef("urn:p"), BNode("b1"), "urn:g")
    '<urn:a> <urn:p> _:b1 <urn:g> .\\n'
    """
    if graph is None:
        return f"{nt_term(s)} {nt_term(p)} {nt_term(o)} .\n"
    return f"{nt_term(s)} {nt_term(p)} {nt_term(o)} <{_iri(graph)}> .\n"


def nt_term(term: Any) -> str:
    """A term in N-Triples syntax; characters an IRI may not hold are percent-encoded
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


def _compile() -> tuple[Any, Any]:
    import re

    return re.compile(r'[\\"\n\r]'), re.compile(r'[\x00-\x20<>"{}|^`\\]')


_LITERAL_ESCAPES, _IRI_BAD = _compile()
