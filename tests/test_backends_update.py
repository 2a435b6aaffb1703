"""SPARQL Update through KnowledgeGraph.update on each backend that can write."""

from __future__ import annotations

import pytest
from conftest import OxigraphServer

from kg.backends import open_backend
from kg.errors import BadOptionError, SparqlSyntaxError
from kg.graph import KnowledgeGraph

INSERT = 'INSERT DATA { <urn:kg:a> <http://www.w3.org/2000/01/rdf-schema#label> "A"@en }'
ASK = "ASK { <urn:kg:a> ?p ?o }"


@pytest.fixture(params=["memory", "oxigraph", "remote"])
def writable(request):
    if request.param != "remote":
        yield KnowledgeGraph(open_backend(request.param))
        return
    server = OxigraphServer()
    try:
        backend = open_backend(
            "remote", endpoint=server.query_url, update_endpoint=server.update_url
        )
        yield KnowledgeGraph(backend)
    finally:
        server.stop()


def test_insert_then_delete_is_seen_by_queries(writable):
    writable.update(INSERT)
    assert writable.query(ASK).boolean is True
    writable.update("DELETE WHERE { <urn:kg:a> ?p ?o }")
    assert writable.query(ASK).boolean is False


def test_a_malformed_update_is_one_line_error_and_changes_nothing():
    graph = KnowledgeGraph(open_backend("oxigraph"))
    with pytest.raises(SparqlSyntaxError):
        graph.update("INSERT DATA { <urn:kg:a> }")
    assert len(graph) == 0


def test_remote_without_update_endpoint_refuses_and_sends_nothing():
    server = OxigraphServer()
    try:
        graph = KnowledgeGraph(open_backend("remote", endpoint=server.query_url))
        with pytest.raises(BadOptionError, match="read-only"):
            graph.update(INSERT)
        assert graph.query(ASK).boolean is False
    finally:
        server.stop()
