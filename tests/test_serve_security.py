"""`kg serve` is safe by default: read-only, no traffic to other addresses, bounded work.

Every test talks to a real server process; the SERVICE/FROM/LOAD tests prove that no
connection is attempted by pointing the query at a local socket that records connections
(and, as a control, show that the same query does connect once the address is allowed)."""

from __future__ import annotations

import socket
import threading
import time

import httpx
import pytest
from listener import ConnectionRecorder

from kg.serve.testing import running_server

pytestmark = pytest.mark.server

TOKEN = "s3cret-token-for-tests-0123456789"
LONG_QUERY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.fixture(scope="module")
def recorder():
    rec = ConnectionRecorder()
    yield rec
    rec.close()


@pytest.fixture(scope="module")
def strict():
    """The defaults, with a short timeout, a small row cap and a small body cap."""
    args = ["--timeout", "1", "--max-rows", "5", "--max-body", "4096"]
    with running_server(args) as server:
        yield server


@pytest.fixture(scope="module")
def open_server(recorder):
    """An operator who allowed one SERVICE endpoint, updates with a token, and one origin."""
    args = ["--allow-service", recorder.url, "--allow-update", "--token", TOKEN]
    with running_server([*args, "--cors", "http://app.example"]) as server:
        yield server


def get(server, query, **headers):
    return httpx.get(server.url, params={"query": query}, headers=headers, timeout=30)


def post_update(server, text, **headers):
    return httpx.post(server.url, data={"update": text}, headers=headers, timeout=30)


def test_update_refused_403(strict):
    response = post_update(strict, "INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    assert response.status_code == 403
    assert "read-only" in response.text
    direct = httpx.post(
        strict.url,
        content="CLEAR ALL",
        headers={"content-type": "application/sparql-update"},
        timeout=30,
    )
    assert direct.status_code == 403
    assert get(strict, "ASK { <urn:a> <urn:b> <urn:c> }", accept="text/csv").text.endswith(
        "false\r\n"
    )


def test_update_enabled_still_needs_the_bearer_token(open_server):
    text = "INSERT DATA { <urn:a> <urn:b> <urn:c> }"
    assert post_update(open_server, text).status_code == 401
    wrong = post_update(open_server, text, authorization="Bearer nope")
    assert wrong.status_code == 401
    assert wrong.headers["www-authenticate"].startswith("Bearer")
    right = post_update(open_server, text, authorization=f"Bearer {TOKEN}")
    assert right.status_code in (200, 204), right.text
    # every worker sees the update, query after query
    for _ in range(4):
        answer = get(open_server, "ASK { <urn:a> <urn:b> <urn:c> }", accept="text/csv")
        assert answer.text.endswith("true\r\n")


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { SERVICE <{url}> { ?s ?p ?o } }",
        "ASK { FILTER EXISTS { SERVICE SILENT <{url}> { ?s ?p ?o } } }",
        "SELECT * FROM <{url}> WHERE { ?s ?p ?o }",
        "SELECT * WHERE { { SELECT ?s WHERE { SERVICE <{url}> { ?s ?p ?o } } } }",
    ],
)
def test_service_and_from_refused_without_any_connection(strict, recorder, query):
    before = len(recorder.settle())
    response = get(strict, query.replace("{url}", recorder.url))
    assert response.status_code == 403
    assert "is not allowed" in response.text
    assert len(recorder.settle()) == before


def test_load_refused_without_any_connection(strict, open_server, recorder):
    before = len(recorder.settle())
    assert post_update(strict, f"LOAD <{recorder.url}>").status_code == 403
    other = recorder.url.replace("/sparql", "/other.ttl")  # not the allow-listed IRI
    refused = post_update(open_server, f"LOAD <{other}>", authorization=f"Bearer {TOKEN}")
    assert refused.status_code == 403
    assert f"LOAD <{other}> is not allowed" in refused.text
    assert len(recorder.settle()) == before


def test_allow_listed_service_does_connect(open_server, recorder):
    """The control: the recorder does see connections when the endpoint is allowed."""
    before = len(recorder.settle())
    get(open_server, f"SELECT * WHERE {{ SERVICE <{recorder.url}> {{ ?s ?p ?o }} }}")
    assert len(recorder.settle()) > before


def test_long_query_is_stopped_and_server_stays_responsive(strict):
    workers_before = set(strict.descendants())
    result: dict = {}
    sent = threading.Event()

    def slow():
        sent.set()
        result["response"] = get(strict, LONG_QUERY)

    thread = threading.Thread(target=slow)
    thread.start()
    sent.wait()
    answered_meanwhile = 0
    while thread.is_alive():  # the server answers others while the long query runs
        assert get(strict, "ASK { ?s ?p ?o }").json()["boolean"] is True
        answered_meanwhile += thread.is_alive()
    thread.join()
    assert result["response"].status_code == 503
    assert "time limit" in result["response"].text
    assert answered_meanwhile > 0
    # The worker that ran it was killed (not abandoned) and replaced: wait for the replacement.
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        workers_after = set(strict.descendants())
        gone = workers_before - workers_after
        if gone and len(workers_after) == len(workers_before):
            break
        time.sleep(0.05)
    assert len(gone) == 1 and len(workers_after) == len(workers_before)
    assert get(strict, "ASK { ?s ?p ?o }").status_code == 200


def test_row_cap_cuts_and_says_so(strict):
    response = get(strict, "SELECT ?s WHERE { ?s ?p ?o }", accept="application/sparql-results+json")
    assert response.status_code == 200
    assert len(response.json()["results"]["bindings"]) == 5
    assert response.headers["x-sparql-truncated"] == "true; max-rows=5"
    small = get(strict, "SELECT ?s WHERE { ?s ?p ?o } LIMIT 3")
    assert "x-sparql-truncated" not in small.headers


def test_oversized_body_refused(strict):
    query = "ASK { ?s ?p ?o }" + " " * 5000
    response = httpx.post(
        strict.url, content=query, headers={"content-type": "application/sparql-query"}
    )
    assert response.status_code == 413
    assert "4096 bytes" in response.text

    def chunks():  # no Content-Length: the cap is enforced while reading
        for _ in range(10):
            yield b" " * 1000

    chunked = httpx.post(
        strict.url, content=chunks(), headers={"content-type": "application/sparql-query"}
    )
    assert chunked.status_code == 413
    long_get = get(strict, "ASK {}" + " " * 5000)
    assert long_get.status_code == 414 and "use POST" in long_get.text
    assert get(strict, "ASK {}").status_code == 200


def test_cors_off_by_default_and_on_for_the_named_origin(strict, open_server):
    origin = {"origin": "http://app.example"}
    assert "access-control-allow-origin" not in get(strict, "ASK {}", **origin).headers
    allowed = get(open_server, "ASK {}", **origin)
    assert allowed.headers["access-control-allow-origin"] == "http://app.example"
    other = get(open_server, "ASK {}", origin="http://evil.example")
    assert "access-control-allow-origin" not in other.headers


def test_binds_loopback_only(strict):
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:  # a UDP "connect" sends nothing; it only picks the outward interface
        probe.connect(("10.255.255.255", 9))
        outside = probe.getsockname()[0]
    except OSError:
        outside = "127.0.0.1"
    finally:
        probe.close()
    if outside.startswith("127."):
        pytest.skip("this machine has no non-loopback address to try")
    for address, reachable in ((outside, False), ("127.0.0.1", True)):
        with socket.socket() as sock:
            sock.settimeout(1)
            assert (sock.connect_ex((address, strict.port)) == 0) is reachable
