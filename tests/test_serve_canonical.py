"""The canonical form of a query (what `kg serve` checks and runs) means what the query
means: every project query gives the same answer in both engines, before and after; and
the canonical text no longer holds what the engines read differently."""

from __future__ import annotations

import pytest

import kg
from kg.errors import SparqlSyntaxError
from kg.project import open_project as project_paths
from kg.queries import list_queries
from kg.serve.canonical import canonical_sparql

QUERIES = list_queries(project_paths().queries)


@pytest.fixture(scope="module")
def graphs():
    return kg.load(), kg.load(backend="oxigraph")


def answer(graph, text):
    result = graph.query(text)
    return result.kind, sorted(map(str, result.rows)), result.boolean


@pytest.mark.parametrize("named", QUERIES, ids=lambda q: q.name)
def test_every_project_query_means_the_same_in_canonical_form(graphs, named):
    canonical = canonical_sparql(named.text).text
    for graph in graphs:
        assert answer(graph, canonical) == answer(graph, named.text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ASK { # c\r ?s ?p ?o }", "ASK {\n?s ?p ?o }"),
        ("ASK {\r\n\t?s ?p ?o }", "ASK {\n?s ?p ?o }"),
        ("ASK { \\u003Fs ?p ?o }", "ASK { ?s ?p ?o }"),
        (
            "PREFIX e: <urn:e:> ASK { ?s e:p\\-q ?o }",
            "PREFIX e: <urn:e:> ASK { ?s <urn:e:p-q> ?o }",
        ),
        ("ASK { ?s ?p '''a\nb''' }", 'ASK { ?s ?p "a\\nb" }'),
        (
            "ASK { ?s <urn:p>+ ?o FILTER(CONCAT('a')) }",
            'ASK { ?s <urn:p>+ ?o FILTER(CONCAT("a")) }',
        ),
        ("ASK { ?s ?p ''\"x\" }", 'ASK { ?s ?p "" "x" }'),
    ],
)
def test_canonical_text(text, expected):
    assert canonical_sparql(text).text == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("ASK { ?s ?p e:x }", "unknown prefix e:"),
        ("ASK { ?s ?p 'a\\\\u0041' }", "unknown escape"),  # \\u0041 expands first
        ("ASK { ?s ?p '\\\\\\u00750041' }", "\\u or \\U text"),
        ("ASK { ?s ?p 'a\x01' }", "control character U+0001"),
        ("ASK " + "{" * 100, "nested more than 48 levels"),
        ("ASK { ?s ?p 'open }", "unterminated string"),
        ("ASK { ?s ?p ?o } \u00a0", "unexpected character"),
    ],
)
def test_what_cannot_be_written_plainly_is_refused(text, message):
    with pytest.raises(SparqlSyntaxError, match=None) as info:
        canonical_sparql(text)
    assert message in str(info.value)
    assert len(str(info.value).splitlines()) == 1
