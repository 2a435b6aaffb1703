"""The answer cache of `kg serve` (kg/serve/answer_cache.py): a repeated query costs no
worker, a read after an acknowledged update is never stale, and the cache stays within its
byte bound.

The unit tests drive :class:`AnswerCache` with a counting stand-in for the worker pool; the
server tests run a real ``kg serve`` on 127.0.0.1 (memory and Oxigraph backends)."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from kg.serve.answer_cache import AnswerCache
from kg.serve.evaluate import Job, Reply, answer
from kg.serve.guard import Limits
from kg.serve.testing import running_server

TOKEN = "cache-test-token-0123456789"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { <urn:c:s> <urn:c:p> ?o }"


class Worker:
    """Stands in for the pool: answers with the text's canonical form, counts its calls."""

    def __init__(self, status: int = 200, delay: float = 0.0, body: bytes = b"answer") -> None:
        self.calls: list[str] = []
        self.status, self.delay, self.body = status, delay, body

    async def __call__(self, job: Job) -> Reply:
        self.calls.append(job.text)
        await asyncio.sleep(self.delay)
        return Reply(
            self.status, self.body + job.text.encode(), canonical=" ".join(job.text.split())
        )


def run(coroutine):
    return asyncio.run(coroutine)


def test_a_repeated_query_is_answered_without_a_worker():
    cache, worker = AnswerCache(1 << 20), Worker()

    async def demo():
        first = await cache.answer(Job("query", "ASK {}", "text/csv"), worker)
        second = await cache.answer(Job("query", "ASK {}", "text/csv"), worker)
        return first, second

    first, second = run(demo())
    assert worker.calls == ["ASK {}"]
    assert (first.headers["X-KG-Cache"], second.headers["X-KG-Cache"]) == ("miss", "hit")
    assert second.body == first.body and second.status == 200


def test_the_key_holds_the_accept_header_and_the_operation():
    cache, worker = AnswerCache(1 << 20), Worker()

    async def demo():
        await cache.answer(Job("query", "ASK {}", "text/csv"), worker)
        await cache.answer(Job("query", "ASK {}", "application/json"), worker)
        await cache.answer(Job("reconcile", "ASK {}", "text/csv"), worker)
        await cache.answer(Job("query", "ASK {}", "text/csv"), worker)

    run(demo())
    assert len(worker.calls) == 3


def test_two_spellings_of_one_query_share_one_answer():
    cache, worker = AnswerCache(1 << 20), Worker()

    async def demo():
        await cache.answer(Job("query", "ASK  {}", ""), worker)
        await cache.answer(Job("query", "ASK {}  ", ""), worker)  # learns its canonical form
        return await cache.answer(Job("query", "ASK {}  ", ""), worker)

    reply = run(demo())
    assert reply.headers["X-KG-Cache"] == "hit"
    assert reply.body == b"answerASK  {}"  # the answer stored under the canonical text


def test_errors_of_the_server_are_not_remembered_but_refusals_are():
    cache, busy, refused = AnswerCache(1 << 20), Worker(status=503), Worker(status=403)

    async def demo():
        for _ in range(2):
            await cache.answer(Job("query", "A", ""), busy)
            await cache.answer(Job("query", "B", ""), refused)

    run(demo())
    assert busy.calls == ["A", "A"] and refused.calls == ["B"]


def test_concurrent_requests_for_one_query_share_one_computation():
    cache, worker = AnswerCache(1 << 20), Worker(delay=0.05)

    async def demo():
        jobs = [cache.answer(Job("query", "ASK {}", ""), worker) for _ in range(20)]
        return await asyncio.gather(*jobs)

    replies = run(demo())
    assert worker.calls == ["ASK {}"]
    assert sorted({r.headers["X-KG-Cache"] for r in replies}) == ["miss", "shared"]


def test_a_client_that_goes_away_does_not_cancel_the_others_answer():
    cache, worker = AnswerCache(1 << 20), Worker(delay=0.1)

    async def demo():
        leaving = asyncio.ensure_future(cache.answer(Job("query", "Q", ""), worker))
        staying = asyncio.ensure_future(cache.answer(Job("query", "Q", ""), worker))
        await asyncio.sleep(0.01)
        leaving.cancel()
        return await staying

    assert run(demo()).body == b"answerQ"


def test_an_answer_computed_across_an_update_is_not_kept():
    cache = AnswerCache(1 << 20)
    slow, updates = Worker(delay=0.1), Worker(status=204)

    async def demo():
        reading = asyncio.ensure_future(cache.answer(Job("query", "Q", ""), slow))
        await asyncio.sleep(0.01)
        await cache.changing(lambda: updates(Job("update", "INSERT DATA {}")))
        await reading
        return await cache.answer(Job("query", "Q", ""), slow)

    after = run(demo())
    assert slow.calls == ["Q", "Q"] and after.headers["X-KG-Cache"] == "miss"


def test_an_update_forgets_every_answer_even_when_it_fails():
    cache, worker, failing = AnswerCache(1 << 20), Worker(), Worker(status=400)

    async def demo():
        await cache.answer(Job("query", "Q", ""), worker)
        await cache.changing(lambda: failing(Job("update", "bad")))
        return await cache.answer(Job("query", "Q", ""), worker)

    assert run(demo()).headers["X-KG-Cache"] == "miss"
    assert worker.calls == ["Q", "Q"] and cache.size > 0


def test_the_cache_stays_within_its_bytes():
    bound = 64 * 1024
    cache, worker = AnswerCache(bound), Worker(body=b"x" * 1000)

    async def demo():
        for i in range(500):
            await cache.answer(Job("query", f"SELECT {i}", ""), worker)
            assert cache.size <= bound
        # the most recent answers are the ones kept
        return await cache.answer(Job("query", "SELECT 499", ""), worker)

    assert run(demo()).headers["X-KG-Cache"] == "hit"
    assert len(worker.calls) == 500


def test_an_answer_too_large_for_the_cache_is_not_kept():
    cache, worker = AnswerCache(8 * 1024), Worker(body=b"x" * 4096)

    async def demo():
        for _ in range(2):
            await cache.answer(Job("query", "Q", ""), worker)

    run(demo())
    assert len(worker.calls) == 2 and cache.size == 0


def test_a_size_of_zero_keeps_nothing():
    cache, worker = AnswerCache(0), Worker()

    async def demo():
        for _ in range(2):
            reply = await cache.answer(Job("query", "Q", ""), worker)
        return reply

    assert "X-KG-Cache" not in run(demo()).headers and len(worker.calls) == 2


def test_a_worker_reply_names_the_canonical_text_it_ran():
    from kg.backends.memory import MemoryBackend

    graph = MemoryBackend()
    reply = answer(graph, Limits(), Job("query", "ASK { ?s ?p ?o } # comment", "text/csv"))
    assert reply.canonical == "ASK { ?s ?p ?o }"
    refused = answer(graph, Limits(), Job("query", "SELECT * { ?s ?p }"))
    assert refused.status == 400 and refused.canonical == "\0SELECT * { ?s ?p }"
    assert answer(graph, Limits(), Job("count")).canonical is None


@pytest.mark.server
@pytest.mark.parametrize("backend", ["memory", "oxigraph"])
def test_a_read_after_an_update_sees_it(backend):
    args = ["--allow-update", "--workers", "2"]
    env = {"KG_SERVE_TOKEN": TOKEN}
    with running_server(args, ["--backend", backend], env=env) as server, httpx.Client() as c:

        def count():
            response = c.get(server.url, params={"query": COUNT}, headers={"Accept": "text/csv"})
            assert response.status_code == 200, response.text
            return int(response.text.split()[1]), response.headers["X-KG-Cache"]

        assert count() == (0, "miss")
        assert count() == (0, "hit")
        for value in range(1, 4):
            update = f"INSERT DATA {{ <urn:c:s> <urn:c:p> {value} }}"
            assert c.post(server.url, data={"update": update}, headers=AUTH).status_code == 204
            assert count() == (value, "miss")
            assert count() == (value, "hit")


@pytest.mark.server
def test_a_cached_answer_equals_a_fresh_one():
    query = "SELECT ?c (COUNT(?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c ORDER BY ?c"
    params, accept = {"query": query}, {"Accept": "text/csv"}
    with running_server(["--workers", "1"]) as cached, httpx.Client(timeout=60) as c:
        first = c.get(cached.url, params=params, headers=accept)
        again = c.get(cached.url, params=params, headers=accept)
    with running_server(["--workers", "1", "--cache-mb", "0"]) as fresh:
        uncached = httpx.get(fresh.url, params=params, headers=accept, timeout=60)
    assert again.headers["X-KG-Cache"] == "hit" and "X-KG-Cache" not in uncached.headers
    assert first.text == again.text == uncached.text
    assert len(first.text.splitlines()) > 3


def test_a_worker_keeps_long_checked_queries_within_its_character_bound():
    from kg.serve.checked import CheckedForms

    forms = CheckedForms(max_characters=40_000)
    long_text = 'SELECT * WHERE { ?s ?p ?o FILTER(?o != "' + "x" * 10_000 + '") }'
    assert 9_000 < len(long_text) < 20_000  # longer than the old 8 kB cut-off
    first = forms.get(long_text, Limits(), True)
    assert forms.get(long_text, Limits(), True) is first  # parsed once
    for i in range(3):
        forms.get(long_text.replace("?o", f"?o{i}"), Limits(), False)
        assert forms.size <= 40_000
    assert len(forms) == 3  # the oldest went first
    assert forms.get(long_text, Limits(), True) is not first


def test_warming_checks_the_examples_and_skips_the_refused():
    from kg.serve.checked import CheckedForms

    forms = CheckedForms()
    forms.warm(
        ("ASK { ?s ?p ?o }", "SELECT * { SERVICE <http://x/> { ?s ?p ?o } }"), Limits(), True
    )
    assert len(forms) == 1 and forms.size == len("ASK { ?s ?p ?o }")


def test_in_threads_too_a_read_after_an_update_sees_it():
    from kg.backends.memory import MemoryBackend
    from kg.serve.app import create_app

    limits = Limits(allow_update=True)
    app = create_app(MemoryBackend(), limits=limits, token=TOKEN, workers=0, named_queries=[])

    async def demo():
        seen = []
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://kg") as c:
                for value in range(1, 3):
                    for _ in range(2):
                        r = await c.get(
                            "/sparql", params={"query": COUNT}, headers={"Accept": "text/csv"}
                        )
                        seen.append((r.text.split()[1], r.headers["X-KG-Cache"]))
                    update = f"INSERT DATA {{ <urn:c:s> <urn:c:p> {value} }}"
                    r = await c.post("/sparql", data={"update": update}, headers=AUTH)
                    assert r.status_code == 204
                r = await c.get("/sparql", params={"query": COUNT}, headers={"Accept": "text/csv"})
                seen.append((r.text.split()[1], r.headers["X-KG-Cache"]))
        return seen

    assert run(demo()) == [("0", "miss"), ("0", "hit"), ("1", "miss"), ("1", "hit"), ("2", "miss")]
