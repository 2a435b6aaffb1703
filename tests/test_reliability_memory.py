"""Memory is bounded: a query that doubles a string until it needs gigabytes is stopped
with a 503 naming the per-worker limit, and the server answers normally afterwards; rows
are read only up to the row cap, so a result of tens of millions of rows is cut at once.
Real server processes on 127.0.0.1, over both embedded engines."""

from __future__ import annotations

import httpx
import pytest

from kg.serve.testing import running_server

pytestmark = pytest.mark.server

DOUBLINGS = " ".join(f"BIND(CONCAT(?v{i}, ?v{i}) AS ?v{i + 1})" for i in range(27))
#: 16 bytes doubled 27 times: 2 GiB, far past the 128 MB limit below.
GROWING = f'SELECT (STRLEN(?v27) AS ?n) WHERE {{ BIND("0123456789abcdef" AS ?v0) {DOUBLINGS} }}'
#: Every pair of triples: tens of millions of rows if materialised.
CROSS = "SELECT * WHERE { ?a ?p ?b . ?c ?q ?d }"


@pytest.fixture(scope="module", params=["memory", "oxigraph"])
def server(request):
    args = ["--memory-limit", "128", "--timeout", "20", "--max-rows", "5"]
    with running_server(args, ["--backend", request.param]) as running:
        yield running


MESSAGE = "query stopped: it needed more than the 128 MB memory limit of a query worker"


def test_a_query_past_the_memory_limit_gets_a_503_naming_it(server):
    before = server.stderr()
    response = httpx.post(server.url, data={"query": GROWING}, timeout=60)
    assert response.status_code == 503
    assert response.text.strip() == MESSAGE
    ok = httpx.get(server.url, params={"query": "ASK {}"}, timeout=30)
    assert ok.status_code == 200
    # exactly one log line for the event: not the engine's allocator messages as well
    # (Oxigraph's runtime prints two lines as it aborts), not a traceback
    assert server.stderr()[len(before) :].splitlines() == [f"kg serve: {MESSAGE}"]


def test_rows_are_cut_at_the_cap_without_reading_the_rest(server):
    response = httpx.post(
        server.url, data={"query": CROSS}, headers={"accept": "text/csv"}, timeout=60
    )
    assert response.status_code == 200, response.text
    assert response.headers["x-sparql-truncated"] == "true; max-rows=5"
    assert len(response.text.strip().splitlines()) == 1 + 5
