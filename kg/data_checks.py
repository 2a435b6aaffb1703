"""Checks of hand-written data that SHACL does not make: terms, references, literals, labels.

:func:`check_data` reads data files beside the schema and reports, each on its file and line,
a kg term the ontology does not define, a reference nothing describes, a literal not valid for
its datatype and an entity without a label (``kg validate`` runs it before the shapes).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from kg.namespaces import (
    CAMEO_IRI,
    KIND_IRI,
    ONTOLOGY_IRI,
    RDFS,
    RESOURCE_IRI,
    SKOS,
    shorten,
)
from kg.parsing import parse_files

__all__ = ["DESCRIBED_NAMESPACES", "Problem", "check_data"]


KG_NS = ONTOLOGY_IRI
#: Namespaces whose IRIs must be described somewhere (in the data or the vocabularies).
DESCRIBED_NAMESPACES = (RESOURCE_IRI, KIND_IRI, CAMEO_IRI)
_DATE_TYPES = ("date", "gYearMonth", "gYear", "dateTime")
_DANGLING = "a misspelt name, or an entity not yet declared?"


@dataclass(frozen=True)
class Problem:
    """A mistake in hand-written data: what is wrong, and the file and line it is on.

    Parameters
    ----------
    kind:
        ``unknown term``, ``dangling reference``, ``invalid literal`` or ``no label``.
    message:
        What is wrong.
    path, line:
        Where (the first line where the term appears), when known.

    Returns
    -------
    Problem

    Example
    -------
    >>> str(Problem("unknown term", "kg:speeker is not defined", "d.ttl", 4))
    'd.ttl:4: kg:speeker is not defined'
    """

    kind: str
    message: str
    path: str | None = None
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}: " if self.path and self.line else ""
        where = where or (f"{self.path}: " if self.path else "")
        return f"{where}{self.message}"


def check_data(schema: Graph, files: Iterable[str | Path]) -> list[Problem]:
    """Check data files for what a hand-writer gets wrong and SHACL does not see.

    Terms in the kg namespace that the ontology does not define (with the closest defined
    ones), references to ``kgr:``/``kind:``/``cameo:`` IRIs that nothing describes,
    literals whose text is not valid for their datatype (``"2023-02-30"^^xsd:date``), a
    date property holding text that is not a typed date (``"14 March 2024"``), and
    entities without a label.

    Parameters
    ----------
    schema:
        The ontology and vocabularies.
    files:
        The data files (Turtle, N-Triples, ...), each parsed on its own so that problems
        name their file.

    Returns
    -------
    list[Problem]

    Example
    -------
    >>> import tempfile, os
    >>> from kg.parsing import parse_text
    >>> schema = parse_text('@prefix kg: <https://w3id.org/kg-ir/ontology#> . '
    ...     'kg:speaker a <http://www.w3.org/2002/07/owl#ObjectProperty> . '
    ...     'kg:State a <http://www.w3.org/2002/07/owl#Class> .')
    >>> p = os.path.join(tempfile.mkdtemp(), "d.ttl")
    >>> _ = open(p, "w").write('''@prefix kg: <https://w3id.org/kg-ir/ontology#> .
    ... @prefix kgr: <https://w3id.org/kg-ir/resource/> .
    ... kgr:s a kg:State ; kg:speeker kgr:Kazakstan .
    ... ''')
    >>> for problem in check_data(schema, [p]): print(problem)
    /.../d.ttl:3: kg:speeker is not a term of the ontology (did you mean: kg:speaker?)
    /.../d.ttl:3: kgr:Kazakstan is described nowhere (a misspelt name, or an entity not ...)
    /.../d.ttl:3: kgr:s has no label (rdfs:label)
    """
    graphs = [(Path(f), parse_files([f], Graph())) for f in files]
    defined = {str(s) for s in schema.subjects() if str(s).startswith(KG_NS)}
    described = {str(s) for s in schema.subjects()}
    for _, g in graphs:
        described.update(str(s) for s in g.subjects())
    dates = _date_properties(schema)
    problems: list[Problem] = []
    labelled: set[str] = set()
    for _, g in graphs:
        labelled.update(str(s) for s in g.subjects(RDFS.label))
        labelled.update(str(s) for s in g.subjects(SKOS.prefLabel))
    for path, g in graphs:
        problems += _file_problems(path, g, defined, described, dates, labelled)
    return problems


def _file_problems(path, g, defined, described, dates, labelled) -> list[Problem]:
    from kg.namespaces import RDF

    lines = _Lines(path)
    out: list[Problem] = []
    seen: set[str] = set()
    for s, p, o in g:
        for term in (s, p, o, getattr(o, "datatype", None)):
            iri = str(term) if isinstance(term, URIRef) else None
            if iri and iri.startswith(KG_NS) and iri not in defined and iri not in seen:
                seen.add(iri)
                message = f"{shorten(iri)} is not a term of the ontology{_closest(iri, defined)}"
                out.append(Problem("unknown term", message, str(path), lines.find(iri)))
        dangling = isinstance(o, URIRef) and str(o).startswith(DESCRIBED_NAMESPACES)
        if dangling and str(o) not in described and str(o) not in seen:
            seen.add(str(o))
            message = f"{shorten(o)} is described nowhere ({_DANGLING})"
            out.append(Problem("dangling reference", message, str(path), lines.find(str(o))))
        if isinstance(o, Literal):
            problem = _literal_problem(p, o, dates)
            if problem:
                out.append(Problem("invalid literal", problem, str(path), lines.find_text(str(o))))
        typed = p == RDF.type and str(o).startswith(KG_NS) and isinstance(s, URIRef)
        if typed and str(s) not in labelled and str(s) not in seen:
            seen.add(str(s))
            message = f"{shorten(s)} has no label (rdfs:label)"
            out.append(Problem("no label", message, str(path), lines.find(str(s))))
    return sorted(out, key=lambda q: (q.line or 0, q.message))


def _literal_problem(p: Node, o: Literal, dates: set[str]) -> str | None:
    if o.datatype is not None and getattr(o, "ill_typed", False):
        return f"{o!s} is not a valid {shorten(o.datatype)} (in {shorten(str(p))})"
    if str(p) in dates and not (o.datatype and str(o.datatype).rsplit("#")[-1] in _DATE_TYPES):
        return (
            f"{shorten(str(p))} is a date: {str(o)!r} must be typed xsd:date, xsd:gYearMonth or"
            " xsd:gYear (text sorts wrongly against dates)"
        )
    return None


def _date_properties(schema: Graph) -> set[str]:
    """kg datatype properties whose values are dates (by range, or a name ending in Date)."""
    from kg.namespaces import OWL, RDF, XSD

    out = set()
    for prop in schema.subjects(RDF.type, OWL.DatatypeProperty):
        name = str(prop)
        ranges = {str(r) for r in schema.objects(prop, RDFS.range)}
        local = name.rsplit("#", 1)[-1]
        if not name.startswith(KG_NS):
            continue
        if (
            ranges & {str(XSD[t]) for t in _DATE_TYPES}
            or local in ("date", "when")
            or local.endswith("Date")
        ):
            out.add(name)
    return out


def _closest(iri: str, defined: set[str]) -> str:
    from rapidfuzz import fuzz, process

    local = iri[len(KG_NS) :]
    names = [d[len(KG_NS) :] for d in defined]
    found = process.extract(local, names, scorer=fuzz.ratio, limit=3, score_cutoff=70)
    return f" (did you mean: {', '.join('kg:' + n for n, _, _ in found)}?)" if found else ""


class _Lines:
    """Find the first line of a file that mentions a term (rdflib keeps no positions)."""

    def __init__(self, path: Path):
        try:
            self.lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            self.lines = []
        self.prefixes = {}
        import re

        for line in self.lines:
            m = re.match(r"\s*@?prefix\s+([\w-]*):\s*<([^>]*)>", line, re.IGNORECASE)
            if m:
                self.prefixes[m.group(2)] = m.group(1)

    def find(self, iri: str) -> int | None:
        import re

        forms = [f"<{iri}>"]
        for ns, prefix in self.prefixes.items():
            if iri.startswith(ns) and len(iri) > len(ns):
                forms.append(f"{prefix}:{iri[len(ns) :]}")
        for number, line in enumerate(self.lines, start=1):
            for form in forms:
                at = line.find(form)
                if at >= 0 and not re.match(r"[\w-]", line[at + len(form) : at + len(form) + 1]):
                    return number
        return None

    def find_text(self, text: str) -> int | None:
        for number, line in enumerate(self.lines, start=1):
            if f'"{text}"' in line:
                return number
        return None
