"""SPARQL plumbing shared by the linking modules: bound queries over our graph, escaped
``VALUES`` rows for remote endpoints, and SPARQL JSON results turned back into rdflib terms.

Our graph is either a :class:`kg.KnowledgeGraph` (``query(sparql, **bindings)``) or a plain
rdflib graph (``query(sparql, initBindings=...)``); :func:`select` hides the difference so the
linking functions work on both, and so that their doctests need no data files.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef, Variable
from rdflib.term import Node

from kg.errors import BadOptionError
from kg.namespaces import sparql_prefixes

__all__ = ["PREFIXES", "rows_from_json", "select", "term_from_json", "values_rows"]

PREFIXES = sparql_prefixes("rdf", "rdfs", "owl", "skos", "kg", "wdt", "schema")


def select(graph: Any, sparql: str, **bindings: Node) -> list[dict[str, Any]]:
    """Run a SELECT query on our graph with ``bindings`` bound (never pasted) and return rows.

    Parameters
    ----------
    graph:
        A ``kg.KnowledgeGraph`` or an rdflib ``Graph``/``Dataset``.
    sparql:
        A SELECT query.
    **bindings:
        Variable name -> rdflib term.

    Returns
    -------
    list[dict[str, Node]]
        One dict per solution, without the unbound variables.

    Example
    -------
    >>> g = Graph().parse(data='<http://a> <http://b> "x" , "y" .', format="turtle")
    >>> sorted(str(r["o"]) for r in select(g, "SELECT ?o WHERE { ?s ?p ?o }", s=URIRef("http://a")))
    ['x', 'y']
    """
    if isinstance(graph, Graph):
        result = graph.query(sparql, initBindings=bindings)  # type: ignore[arg-type]
        names = [str(v) for v in result.vars or ()]
        return [
            {name: value for name, value in zip(names, row, strict=True) if value is not None}
            for row in result
            if isinstance(row, tuple)  # a SELECT's rows (ResultRow is a tuple)
        ]
    result = graph.query(sparql, **bindings)
    return [
        {name: value for name, value in zip(result.vars, row, strict=True) if value is not None}
        for row in result.rows
    ]


def values_rows(names: Sequence[str], rows: Iterable[Sequence[Node]]) -> str:
    """Render a multi-row ``VALUES`` block for a query sent as text to a remote endpoint.

    Each term is written with ``term.n3()``, which escapes quotes, backslashes and newlines,
    so an untrusted label stays one literal and never becomes query code.

    Parameters
    ----------
    names:
        The variable names, without ``?``.
    rows:
        One sequence of IRIs or literals per row.

    Returns
    -------
    str
        ``VALUES (?a ?b) { (.. ..) (.. ..) }``.

    Example
    -------
    >>> values_rows(["k", "q"], [(Literal("0"), Literal('x" } DROP ALL #', lang="en"))])
    'VALUES (?k ?q) { ("0" "x\\\\" } DROP ALL #"@en) }'
    >>> values_rows(["x"], [(BNode(),)])
    Traceback (most recent call last):
    ...
    kg.errors.BadOptionError: cannot send a blank node as a SPARQL value
    """
    for name in names:
        if not name or not all(c.isalnum() or c == "_" for c in name):
            raise BadOptionError(f"not a SPARQL variable name: {name!r}")
    rendered = []
    for row in rows:
        if len(row) != len(names):
            raise BadOptionError(f"a VALUES row has {len(row)} terms for {len(names)} variables")
        for term in row:
            if isinstance(term, BNode) or not isinstance(term, URIRef | Literal):
                raise BadOptionError("cannot send a blank node as a SPARQL value")
            if isinstance(term, URIRef) and any(c in str(term) for c in '<>"{}|^`\\ \n'):
                raise BadOptionError(f"not a valid IRI: {str(term)!r}")
        rendered.append("(" + " ".join(term.n3() for term in row) + ")")
    head = " ".join(Variable(name).n3() for name in names)
    return f"VALUES ({head}) {{ {' '.join(rendered)} }}"


def term_from_json(value: Any) -> Node | None:
    """Turn one SPARQL 1.1 JSON result term into an rdflib term.

    Parameters
    ----------
    value:
        ``{"type": "uri"|"literal"|"typed-literal"|"bnode", "value": ..., ...}``.

    Returns
    -------
    Node or None
        ``None`` when ``value`` is not a well-formed term.

    Example
    -------
    >>> term_from_json({"type": "literal", "value": "Armenia", "xml:lang": "en"})
    rdflib.term.Literal('Armenia', lang='en')
    >>> term_from_json({"type": "uri", "value": "http://www.wikidata.org/entity/Q399"})
    rdflib.term.URIRef('http://www.wikidata.org/entity/Q399')
    >>> term_from_json({"value": 3}) is None
    True
    """
    if not isinstance(value, dict) or not isinstance(value.get("value"), str):
        return None
    kind, text = value.get("type"), value["value"]
    if kind == "uri":
        return URIRef(text)
    if kind in ("literal", "typed-literal"):
        lang, datatype = value.get("xml:lang"), value.get("datatype")
        if lang:
            return Literal(text, lang=lang)
        # normalize=False keeps the endpoint's lexical form ("...Z" stays "...Z").
        return Literal(text, datatype=URIRef(datatype) if datatype else None, normalize=False)
    if kind == "bnode":
        return BNode(text)
    return None


def rows_from_json(answer: dict[str, Any]) -> list[dict[str, Node]]:
    """Turn SPARQL 1.1 JSON results into rows of rdflib terms (ill-formed terms are dropped).

    Parameters
    ----------
    answer:
        The decoded ``application/sparql-results+json`` document.

    Returns
    -------
    list[dict[str, Node]]

    Example
    -------
    >>> rows_from_json({"head": {"vars": ["x"]}, "results": {"bindings": [
    ...     {"x": {"type": "uri", "value": "http://a"}}, {"x": {"type": "?"}}, "junk"]}})
    [{'x': rdflib.term.URIRef('http://a')}, {}]
    """
    rows = []
    for binding in answer.get("results", {}).get("bindings", []):
        if not isinstance(binding, dict):
            continue
        row = {}
        for name, value in binding.items():
            term = term_from_json(value)
            if term is not None:
                row[name] = term
        rows.append(row)
    return rows
