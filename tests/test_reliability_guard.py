"""No request gets out of `kg serve`: the text that is checked is the text that is run, and
query workers cannot reach the network anyway.

The listener below records every connection and answers like a SPARQL server (a result
with the value ``LEAKED``), so a leak would show both as a connection and as data in the
response. Servers are real processes on 127.0.0.1, over both embedded engines."""

from __future__ import annotations

import asyncio
import os
import socket
import threading

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from listener import ConnectionRecorder

from kg.serve.testing import running_server
from kg.serve.workers import ProcessPool

pytestmark = pytest.mark.server

ANSWER = (
    b'{"head": {"vars": ["s", "p", "o"]}, "results": {"bindings": [{"s": {"type": "uri", '
    b'"value": "urn:LEAKED"}, "p": {"type": "uri", "value": "urn:LEAKED"}, "o": {"type": '
    b'"literal", "value": "LEAKED"}}]}}'
)
TOKEN = "guard-token-0123456789abcdef"


@pytest.fixture(scope="module")
def listener():
    server = ConnectionRecorder(answer=ANSWER)
    yield server
    server.close()


@pytest.fixture(scope="module", params=["memory", "oxigraph"])
def guarded(request, listener):
    """A server whose network is NOT cut off (an unrelated endpoint is allowed), so these
    tests prove the guard itself; the listener's URL is not allowed."""
    other = "http://127.0.0.1:9/elsewhere"
    args = ["--allow-service", other, "--timeout", "3", "--allow-update"]
    with running_server(
        args, ["--backend", request.param], env={"KG_SERVE_TOKEN": TOKEN}
    ) as server:
        yield server


def quiet(listener, before: int) -> bool:
    return len(listener.settle()) == before


HIDING = [
    # a comment ended by a lone CR: rdflib once read it to the next LF, Oxigraph to the CR
    "SELECT * WHERE {{ # c\r SERVICE <{url}> {{ ?s ?p ?o }} \n}}",
    "SELECT * WHERE {{ # c\r\n SERVICE <{url}> {{ ?s ?p ?o }} }}",
    # \u escapes outside strings (the specification expands them everywhere; Oxigraph not)
    "SELECT * WHERE {{ \\u0053ERVICE <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ ?x ?y 'a\\u005c' . SERVICE <{url}> {{ ?s ?p ?o }} . ?z ?w '' }}",
    # a prefix named SERVICE, and an empty prefix right after the keyword
    "PREFIX SERVICE: <urn:x:> PREFIX : <{base}> SELECT * WHERE {{ SERVICE:sparql {{ ?s ?p ?o }} }}",
    "PREFIX : <{base}> SELECT * WHERE {{ SERVICE:sparql {{ ?s ?p ?o }} }}",
    "select * where {{ sErViCe <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ BIND(1 AS ?a) SERVICE\t<{url}>{{?s ?p ?o}} }}",
]


@pytest.mark.parametrize("template", HIDING)
def test_hidden_service_is_refused_and_nothing_connects(guarded, listener, template):
    query = template.format(url=listener.url, base=listener.url.rsplit("/", 1)[0] + "/")
    before = len(listener.connections)
    response = httpx.post(guarded.url, data={"query": query}, timeout=30)
    assert response.status_code in (400, 403), response.text
    assert "LEAKED" not in response.text
    assert quiet(listener, before)


@pytest.mark.parametrize(
    "template",
    [
        "# c\rLOAD <{url}>",
        "INSERT DATA {{ <urn:a> <urn:b> 'x\\u005c' }} ; LOAD <{url}> ; "
        "INSERT DATA {{ <urn:a> <urn:b> '' }}",
        "\\u004cOAD <{url}>",
        "INSERT {{ ?s ?p ?o }} USING <{url}> WHERE {{ ?s ?p ?o }}",
    ],
)
def test_hidden_load_is_refused_and_nothing_connects(guarded, listener, template):
    before = len(listener.connections)
    response = httpx.post(
        guarded.url,
        data={"update": template.format(url=listener.url)},
        headers={"Authorization": f"Bearer {TOKEN}"},
        timeout=30,
    )
    assert response.status_code in (400, 403), response.text
    assert quiet(listener, before)


fragments = st.sampled_from(
    [
        "SERVICE <@URL@> { ?s ?p ?o }",
        "SERVICE SILENT <@URL@> { ?s ?p ?o }",
        "\\u0053ERVICE <@URL@> { ?s ?p ?o }",
        "sErViCe <@URL@> { ?s ?p ?o }",
        "?s <urn:p> ?o .",
        "FILTER(?o != 'a\\u005c')",
        "OPTIONAL { ?s <urn:p> ?o }",
        "{ ?s <urn:p> ?o } UNION { ?s <urn:q> ?o }",
        "'\\'' .",
        '"""x\r\n"""',
        'BIND("#" AS ?h)',
        "<@URL@>",
    ]
)
separators = st.sampled_from(
    [" ", "\n", "\r", "\r\n", "\t", "", "# c\r", "# c\n", "#\r\n", "\\u000a", "\\u000d"]
)


@st.composite
def hostile_queries(draw):
    parts = draw(st.lists(st.tuples(separators, fragments), min_size=1, max_size=6))
    depth = draw(st.integers(0, 3))
    body = "".join(sep + frag for sep, frag in parts)
    body = "{ " * depth + body + " }" * depth
    head = draw(st.sampled_from(["SELECT * WHERE", "select *", "ASK", "SELECT ?s"]))
    return f"{head} {{ {body} }}"


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
    derandomize=True,
)
@given(query=hostile_queries())
def test_fuzzed_queries_never_connect_and_never_get_a_5xx(guarded, listener, query):
    text = query.replace("@URL@", listener.url)
    before = len(listener.connections)
    response = httpx.post(guarded.url, data={"query": text}, timeout=30)
    assert response.status_code < 500, (text, response.text)
    assert "LEAKED" not in response.text
    assert len(listener.connections) == before, text


def netns(pid: int) -> str:
    return os.readlink(f"/proc/{pid}/ns/net")


def test_workers_live_in_an_empty_network_namespace(listener):
    """Defence in depth: without --allow-service, the query workers have no network."""
    with running_server(["--workers", "2"]) as server:
        httpx.get(server.url, params={"query": "ASK {}"}, timeout=30)
        children = server.descendants()
        assert children
        mine = netns(server.process.pid)
        if all(netns(pid) == mine for pid in children):
            pytest.skip("network namespaces are not available here (not root?)")
        assert all(netns(pid) != mine for pid in children)


def _connect(job):
    """In a worker: try to reach the listener directly, as a leaking engine would."""
    try:
        with socket.create_connection(("127.0.0.1", job), timeout=1):
            return "connected"
    except OSError as exc:
        return type(exc).__name__


def test_an_isolated_worker_cannot_connect_even_if_asked(listener):
    pool = ProcessPool(_connect, size=1, isolate=True)

    async def scenario():
        await pool.start()
        try:
            return await pool.run(listener.port, timeout=5)
        finally:
            pool.close()

    if not pool.isolated:
        pool.close()
        pytest.skip("network namespaces are not available here (not root?)")
    before = len(listener.connections)
    assert asyncio.run(scenario()) != "connected"
    assert quiet(listener, before)


def test_errors_do_not_reveal_what_answers_on_a_local_port(listener):
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    dead_url = f"http://127.0.0.1:{closed.getsockname()[1]}/sparql"
    closed.close()
    garbage = socket.socket()  # answers, but not SPARQL
    garbage.bind(("127.0.0.1", 0))
    garbage.listen(8)
    garbage_url = f"http://127.0.0.1:{garbage.getsockname()[1]}/sparql"

    def answer_garbage():
        garbage.settimeout(0.2)
        while garbage.fileno() != -1:
            try:
                conn, _ = garbage.accept()
            except OSError:
                continue
            with conn:
                conn.recv(65536)
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello")

    threading.Thread(target=answer_garbage, daemon=True).start()
    args = ["--allow-service", dead_url, "--allow-service", garbage_url, "--timeout", "5"]
    try:
        for backend in ("memory", "oxigraph"):
            with running_server(args, ["--backend", backend]) as server:
                answers = set()
                for url in (dead_url, garbage_url):
                    query = f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}"
                    r = httpx.post(server.url, data={"query": query}, timeout=30)
                    answers.add((r.status_code, r.text.replace(url, "URL")))
                assert len(answers) == 1, answers
                assert answers.pop()[0] == 502
    finally:
        garbage.close()


@pytest.mark.parametrize("backend", ["memory", "oxigraph"])
def test_malformed_queries_get_a_one_line_4xx_and_no_traceback_is_logged(backend):
    nested = ["{" * 5000, "SELECT * { FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }"]
    with running_server(["--timeout", "2"], ["--backend", backend]) as server:
        for query in nested:
            r = httpx.post(server.url, data={"query": query}, timeout=30)
            assert r.status_code == 400, r.text
            assert len(r.text.splitlines()) == 1 and "nested" in r.text
        r = httpx.post(
            server.url,
            data={"query": "ASK { GRAPH <file:///etc/passwd> { ?s ?p ?o } }"},
            headers={"Accept": "text/csv"},
            timeout=30,
        )
        # a graph name, never a file to read: no match (Oxigraph), or no named graphs (rdflib)
        assert (r.status_code, backend) in {(200, "oxigraph"), (400, "memory")}, r.text
        assert "root:" not in r.text
        assert "Traceback" not in server.stderr()
