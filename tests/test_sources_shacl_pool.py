"""SHACL of a large batch in a worker process while the batch is written into the store's
staged copy (:mod:`kg.sources.shacl_pool`; its threshold lowered here so the fixtures take
it): the same verdicts and the same store as validating first, and on a violation the same
errors with nothing written."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from sources_common import SOURCES, new_project

from kg.sources import shacl_pool, write
from kg.sources.add import SourceErrors, add_sources

pytest.importorskip("pyshacl_turbo")

# a statement whose speaker is a region (Lake Orun, stored by the tribune source): only
# SHACL finds it (tests/test_sources_scope.py)
BAD = """source:
  id: bad
  title: A bad batch
  published: 2031-05-01
  text: "Ana Reyes spoke."
claims:
  - type: statement
    id: BadStatement
    label: A statement
    speaker: Lake Orun
    date: 2031-05-01
    date_qualifier: exact
    kinds: [assessment]
    about: Lake Orun
    quote: Ana Reyes spoke.
"""


def _quads(store) -> set[str]:
    s = ox.Store(str(store))
    try:
        # blank nodes are renamed by each store: compared by count
        plain = {str(q) for q in s if not isinstance(q.subject, ox.BlankNode | ox.Triple)}
        return {q for q in plain if " _:" not in q} | {f"{len(s)} quads"}
    finally:
        del s


def _errors(files, root, store) -> list[str]:
    try:
        add_sources(files, root=root, store=store, shacl="turbo", parallel=True)
    except SourceErrors as exc:
        return sorted(str(e) for e in exc.errors)
    return []


@pytest.fixture(params=["transaction", "staged"])
def project(request, tmp_path, monkeypatch):
    if request.param == "staged":
        monkeypatch.setattr(write, "STAGED", 0)
    root = new_project(tmp_path, *SOURCES)
    (root / "sources" / "bad.yaml").write_text(BAD)
    return root, monkeypatch


def test_a_batch_validated_in_the_worker_gives_the_same_store(project, tmp_path):
    root, monkeypatch = project
    files = [root / "sources" / f"{n}.yaml" for n in SOURCES]
    first = add_sources(files, root=root, store=tmp_path / "first", shacl="turbo")
    assert "overlapped" not in first.timings
    monkeypatch.setattr(shacl_pool, "OVERLAP", 0)
    pooled = add_sources(files, root=root, store=tmp_path / "pooled", shacl="turbo", parallel=True)
    assert pooled.timings["overlapped"] > 0  # the worker did validate
    assert [r["status"] for r in pooled.results] == [r["status"] for r in first.results]
    assert _quads(tmp_path / "pooled") == _quads(tmp_path / "first")


def _bad_batch(root, tmp_path):
    """A store holding the tribune source, a batch with the bad source, and the errors that
    batch gets validated first (below OVERLAP)."""
    store = tmp_path / "store"
    add_sources([root / "sources" / "tribune.yaml"], root=root, store=store, shacl="turbo")
    batch = [root / "sources" / "mereland-mfa.yaml", root / "sources" / "bad.yaml"]
    return store, batch, _errors(batch, root, store)


def test_a_violation_found_in_the_worker_writes_nothing(project, tmp_path):
    root, monkeypatch = project
    store, batch, first = _bad_batch(root, tmp_path)
    before = _quads(store)
    assert first and all("bad.yaml:" in e for e in first), first
    monkeypatch.setattr(shacl_pool, "OVERLAP", 0)
    assert _errors(batch, root, store) == first
    assert _quads(store) == before
    assert not list(store.parent.glob(".store.adding-*"))


def test_calls_the_worker_has_not_started_are_validated_here(project, tmp_path):
    """The calls still queued when the write is done are taken back (here: all of them, the
    worker never starting one) and give the same errors, nothing written."""
    from concurrent.futures import Future

    root, monkeypatch = project
    store, batch, first = _bad_batch(root, tmp_path)
    before = _quads(store)
    assert first
    monkeypatch.setattr(shacl_pool, "OVERLAP", 0)
    monkeypatch.setattr(
        shacl_pool.Validation,
        "submit",
        lambda self, data, focus: self.pending.append((Future(), data, focus)),
    )
    assert _errors(batch, root, store) == first
    assert _quads(store) == before
    files = [root / "sources" / f"{n}.yaml" for n in SOURCES]
    ok = add_sources(files, root=root, store=tmp_path / "ok", shacl="turbo", parallel=True)
    assert [r["status"] for r in ok.results] == ["wrote"] * 3
