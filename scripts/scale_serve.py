"""The query page's first page of every named query through a real ``kg serve`` on a store.

``scripts/bench_scale.py --serve --oxigraph-store STORE`` calls :func:`serve_table`. The
store is one ``kg load`` wrote (its first pages kept). A fresh ``kg serve`` on it (its
defaults but ``--timeout``) gets, for each named query, what the query page sends (the
``page`` text of ``/queries``, ``POST`` with the page's ``Accept``), timed from the request
to the last byte, the first time (the server has not seen it) and again (kg serve's answer
cache answers then). The baseline is the engine's first page: the same request answered by
kg serve's own worker code (``kg.serve.evaluate.answer``) on a copy of the store without
the pages; the two answers are compared byte for byte, and ``X-KG-First-Page`` says which
came from the page. (One server only: at 10M triples ``kg serve`` takes minutes to start,
most of it building the reconciliation index.)

Example:
    .venv/bin/python scripts/bench_scale.py --serve --oxigraph-store STORE --limit 300
"""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

__all__ = ["serve_table"]

#: What the query page's script sends as Accept.
ACCEPT = "application/sparql-results+json, text/turtle;q=0.9"


def copy_without_pages(store: Path, folder: Path) -> Path:
    """A copy of ``store`` in ``folder`` with the kept first pages removed (counts kept)."""
    import pyoxigraph as ox

    from kg.backends.load_records import VOID_GRAPH
    from kg.backends.void_stats import KGS

    copy = folder / "no-pages"
    shutil.copytree(store, copy)
    db = ox.Store(str(copy))
    graph = ox.NamedNode(VOID_GRAPH)
    pages = [
        q.subject for q in db.quads_for_pattern(None, ox.NamedNode(f"{KGS}pageOf"), None, graph)
    ]
    for node in pages:
        for quad in list(db.quads_for_pattern(node, None, None, graph)):
            db.remove(quad)
    db.flush()
    del db
    return copy


def _timed(client: Any, url: str, text: str) -> dict:
    start = time.perf_counter()
    response = client.post(url, data={"query": text}, headers={"Accept": ACCEPT})
    body = response.content
    seconds = time.perf_counter() - start
    return {
        "status": response.status_code,
        "seconds": seconds,
        "body": body,
        "from": response.headers.get("x-kg-first-page", "-"),
    }


def _serve(store: Path, timeout: float, texts: dict[str, str], url: str | None) -> dict:
    """Time each text twice on the kg serve at ``url`` (None: start one on ``store``)."""
    import contextlib

    import httpx

    from kg.serve.testing import running_server

    with contextlib.ExitStack() as stack:
        if url is None:
            start = time.perf_counter()
            args = ["--timeout", f"{timeout:g}"]
            server = stack.enter_context(running_server(args, ["--store", str(store)], startup=900))
            url = server.url
            print(f"kg serve listening after {time.perf_counter() - start:.1f} s", flush=True)
        answers = {}
        with httpx.Client(timeout=timeout + 60) as client:
            for name, text in texts.items():
                first = _timed(client, url, text)
                again = _timed(client, url, text)
                answers[name] = {"first": first, "again": again}
                print(f"  {name}: {first['seconds'] * 1000:,.1f} ms ({first['from']})", flush=True)
    return answers


def _engine(store: Path, texts: dict[str, str]) -> dict:
    """Each text answered as kg serve's worker answers it (``kg.serve.evaluate.answer``)
    on ``store``, which keeps no pages: the engine's first page, timed."""
    from kg.backends.oxigraph import OxigraphBackend
    from kg.graph import KnowledgeGraph
    from kg.serve.evaluate import Job, answer
    from kg.serve.guard import Limits

    backend = OxigraphBackend(store)
    graph, limits, answers = KnowledgeGraph(backend), Limits(), {}
    try:
        answer(graph, limits, Job("query", "SELECT * { } LIMIT 1", ACCEPT))  # imports, not timed
        for name, text in texts.items():
            start = time.perf_counter()
            reply = answer(graph, limits, Job("query", text, ACCEPT))
            seconds = time.perf_counter() - start
            where = reply.headers.get("X-KG-First-Page", "-")
            answers[name] = {"status": reply.status, "seconds": seconds, "body": reply.body}
            answers[name]["from"] = where
            print(f"  {name}: {seconds * 1000:,.1f} ms ({where})", flush=True)
    finally:
        backend.close()
    return answers


def _rows(body: bytes) -> int:
    import json

    try:
        return len(json.loads(body)["results"]["bindings"])
    except (ValueError, KeyError):
        return 0


def _ms(answer: dict) -> str:
    if answer["status"] != 200:
        return f"HTTP {answer['status']}"
    return f"{answer['seconds'] * 1000:,.1f}"


def serve_table(store: Path, timeout: float, url: str | None = None) -> None:
    """Print, per named query: the query page's first page through kg serve on ``store``
    (first request, again), the engine's (kg serve's own answering code on a copy of the
    store without pages), their ratio, and whether the two are the same bytes. ``url``:
    a kg serve already started on ``store`` and not asked anything yet (at 10M triples it
    takes minutes to start: start it outside the benchmark's lock)."""
    from kg.queries import example_text, list_queries
    from kg.serve.kept_pages import page_text

    # what /queries gives the page as each example's "page" (tests/test_serve_first_pages.py)
    texts = {q.name: page_text(example_text(q)) for q in list_queries()}
    print("kg serve on the store:", flush=True)
    kept = _serve(store, timeout, texts, url)
    folder = Path(tempfile.mkdtemp(prefix="kg-serve-scale-", dir=store.parent))
    try:
        start = time.perf_counter()
        plain = copy_without_pages(store, folder)
        print(f"copy without pages: {time.perf_counter() - start:.1f} s", flush=True)
        print("the engine (kg.serve.evaluate.answer on the copy):", flush=True)
        engine = _engine(plain, texts)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    head = f"{'query':<28} {'rows':>5} {'from':>6} {'page 1st ms':>11} {'again ms':>9}"
    head += f" {'engine ms':>10} {'from':>6} {'engine/page':>11} {'same':>4}"
    print(head)
    print("-" * len(head))
    for name in texts:
        read, fresh = kept[name]["first"], engine[name]
        both = read["status"] == fresh["status"] == 200
        ratio = f"{fresh['seconds'] / read['seconds']:,.1f}x" if both else "-"
        same = ("yes" if read["body"] == fresh["body"] else "NO") if both else "-"
        line = f"{name:<28} {_rows(read['body']):>5} {read['from']:>6} {_ms(read):>11}"
        line += f" {_ms(kept[name]['again']):>9} {_ms(fresh):>10} {fresh['from']:>6}"
        print(f"{line} {ratio:>11} {same:>4}")
