"""Parsing never reaches out and never blows up: a remote JSON-LD @context is refused (and
no connection is made), RDF/XML entity bombs and external entities are refused on every
parse path (rdflib, and Oxigraph through `kg load`), an over-long literal and a damaged
store are one-line errors with exit 2."""

from __future__ import annotations

import json
import time

import pytest
from conftest import ROOT, kg_command
from listener import ConnectionRecorder
from rdflib import Graph

from kg.errors import ParseError
from kg.parsing import MAX_ENTITY_EXPANSION, parse_file, parse_text

RDF = 'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:e="http://e/"'
LAUGHS = f"""<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [
 <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
]>
<rdf:RDF {RDF}><rdf:Description rdf:about="http://e/s"><e:p>&d;</e:p></rdf:Description></rdf:RDF>
"""
EXTERNAL = f"""<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [ <!ENTITY x SYSTEM "file:///etc/hostname"> ]>
<rdf:RDF {RDF}><rdf:Description rdf:about="http://e/s"><e:p>&x;</e:p></rdf:Description></rdf:RDF>
"""
NAMESPACES = f"""<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [ <!ENTITY e "http://e/"> ]>
<rdf:RDF {RDF}><rdf:Description rdf:about="&e;s"><e:p>x</e:p></rdf:Description></rdf:RDF>
"""


@pytest.fixture
def recorder():
    rec = ConnectionRecorder()
    yield rec
    rec.close()


def kg(*args, cwd=None):
    return kg_command(*args, cwd=cwd or ROOT, timeout=120)


def one_line_exit_2(result, *needles):
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("kg: error: "), result.stderr
    for needle in needles:
        assert needle in lines[0]


def test_remote_jsonld_context_is_refused_without_a_connection(tmp_path, recorder):
    doc = tmp_path / "d.jsonld"
    context = f"http://127.0.0.1:{recorder.port}/context.jsonld"
    doc.write_text('{"@context": "CTX", "@id": "http://e/s", "name": "x"}'.replace("CTX", context))
    with pytest.raises(ParseError, match="is remote"):
        parse_file(doc)
    one_line_exit_2(kg("--data", str(doc), "stats"), "d.jsonld", "@context", "remote")
    one_line_exit_2(kg("--store", str(tmp_path / "s"), "load", str(doc)), "remote")
    nested = tmp_path / "n.jsonld"
    inner = '{"@context": {"@vocab": "http://e/"}, "@graph": [{"@context": ["CTX"], "@id": "x"}]}'
    nested.write_text(inner.replace("CTX", context))
    with pytest.raises(ParseError, match="is remote"):
        parse_file(nested)
    assert recorder.settle() == []


CONTEXT = json.dumps({"@context": {"@vocab": "http://e/", "name": "http://e/name"}}).encode()


def test_with_the_opt_in_kg_fetches_the_remote_context_itself(tmp_path):
    served = ConnectionRecorder(answer=CONTEXT)  # a local HTTP server holding the context
    try:
        context = f"http://127.0.0.1:{served.port}/context.jsonld"
        text = '{"@context": "CTX", "@id": "http://e/s", "name": "x"}'.replace("CTX", context)
        doc = tmp_path / "d.jsonld"
        doc.write_text(text)
        expected = {("http://e/s", "http://e/name", "x")}
        graph = parse_file(doc, Graph(), allow_remote_context=True)
        assert {tuple(map(str, t)) for t in graph} == expected
        graph = parse_text(text, "json-ld", allow_remote_context=True)
        assert {tuple(map(str, t)) for t in graph} == expected
        assert len(served.connections) == 2
        store = tmp_path / "store"
        result = kg(
            "--store", str(store), "load", "--no-schema", "--allow-remote-context", str(doc)
        )
        assert result.returncode == 0, result.stderr
        assert len(served.connections) == 3
        # the default, on the same file: refused in one line, and nothing connects
        refused = kg("--store", str(tmp_path / "s2"), "load", "--no-schema", str(doc))
        one_line_exit_2(refused, "remote", "--allow-remote-context")
        with pytest.raises(ParseError, match="is remote"):
            parse_file(doc)
        assert len(served.settle()) == 3
    finally:
        served.close()
    import pyoxigraph

    held = pyoxigraph.Store.read_only(str(store))
    quads = held.quads_for_pattern(None, None, None, pyoxigraph.DefaultGraph())
    assert [(q.subject.value, q.predicate.value, q.object.value) for q in quads] == [
        ("http://e/s", "http://e/name", "x")
    ]


def test_the_opt_in_fetches_only_http_and_stops_at_a_context_naming_itself(tmp_path, recorder):
    doc = tmp_path / "f.jsonld"
    doc.write_text('{"@context": "file:///etc/hostname", "@id": "http://e/s"}')
    with pytest.raises(ParseError, match="not an http"):
        parse_file(doc, allow_remote_context=True)
    looping = ConnectionRecorder(answer=b"")
    looping.answer = json.dumps({"@context": looping.url}).encode()
    try:
        doc.write_text(json.dumps({"@context": looping.url, "@id": "http://e/s"}))
        with pytest.raises(ParseError, match="more than 20 deep"):
            parse_file(doc, allow_remote_context=True)
        assert len(looping.connections) == 1  # fetched once, then found in the cache
    finally:
        looping.close()


@pytest.mark.parametrize(
    ("text", "message"),
    [(LAUGHS, "defined through other entities"), (EXTERNAL, "external")],
)
def test_xml_entity_bombs_and_external_entities_are_refused_on_every_path(tmp_path, text, message):
    doc = tmp_path / "bomb.rdf"
    doc.write_text(text)
    started = time.monotonic()
    with pytest.raises(ParseError, match=message):
        parse_file(doc)
    one_line_exit_2(kg("--data", str(doc), "stats"), "bomb.rdf", message)
    store = tmp_path / "store"
    one_line_exit_2(kg("--store", str(store), "load", str(doc)), "bomb.rdf", message)
    assert time.monotonic() - started < 60
    assert not store.exists() or sum(f.stat().st_size for f in store.rglob("*")) < 50_000_000


def test_plain_namespace_entities_still_load(tmp_path):
    doc = tmp_path / "ns.rdf"
    doc.write_text(NAMESPACES)
    assert len(parse_file(doc)) == 1


def test_many_plain_entity_references_are_bounded(tmp_path):
    value = "x" * 1000
    refs = "&v;" * (MAX_ENTITY_EXPANSION // 1000 + 10)
    doc = tmp_path / "wide.rdf"
    doc.write_text(
        f'<?xml version="1.0"?><!DOCTYPE rdf:RDF [ <!ENTITY v "{value}"> ]>'
        f'<rdf:RDF {RDF}><rdf:Description rdf:about="http://e/s"><e:p>{refs}</e:p>'
        "</rdf:Description></rdf:RDF>"
    )
    with pytest.raises(ParseError, match="would add more than"):
        parse_file(doc)


def test_a_100_mb_literal_is_one_line_exit_2(tmp_path):
    doc = tmp_path / "big.nt"
    with open(doc, "w") as out:
        out.write('<http://e/s> <http://e/p> "')
        for _ in range(100):
            out.write("x" * 1_000_000)
        out.write('" .\n')
    store = tmp_path / "store"
    one_line_exit_2(kg("--store", str(store), "load", str(doc)), "big.nt", "too long")


def test_a_damaged_store_is_one_line_exit_2(tmp_path):
    data = tmp_path / "d.ttl"
    data.write_text("<http://e/s> <http://e/p> 1 .\n")
    store = tmp_path / "store"
    assert kg("--store", str(store), "load", str(data)).returncode == 0
    for manifest in store.glob("MANIFEST-*"):
        manifest.write_bytes(b"\x00garbage" * 64)
    result = kg("--backend", "oxigraph", "--store", str(store), "stats")
    one_line_exit_2(result, str(store))
    assert "Traceback" not in result.stderr
