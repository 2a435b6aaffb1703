"""``kg add --store`` of a batch through a staged copy of the store (the bulk-loaded path,
taken from :data:`kg.sources.write.STAGED` triples on; lowered here so the fixtures take it):
written, unchanged when added again, replaced alone, and all or nothing."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from sources_common import SOURCES, new_project

from kg.sources import write
from kg.sources.add import add_sources

KGR = "https://w3id.org/kg-ir/resource/"


def _quads(store) -> set[str]:
    """The store's quads without blank nodes (the store renames those)."""
    s = ox.Store(str(store))
    try:
        return {str(q) for q in s if not isinstance(q.subject, ox.BlankNode)}
    finally:
        del s


def _sources(store) -> dict[str, set[str]]:
    """Each source's record graph -> its stored triples without blank nodes."""
    s = ox.Store(str(store))
    try:
        return {
            g.value: {
                str(q)
                for q in write.recorded(s, g.value)
                if not isinstance(q.subject, ox.BlankNode)
            }
            for g in s.named_graphs()
            if g.value.startswith("urn:x-kg:source:")
        }
    finally:
        del s


@pytest.fixture
def staged(tmp_path, monkeypatch):
    monkeypatch.setattr(write, "STAGED", 0)
    root = new_project(tmp_path, *SOURCES)
    return root, tmp_path / "store"


def test_a_staged_batch_is_written_then_unchanged_then_replaced_alone(staged):
    root, store = staged
    files = [root / "sources" / f"{n}.yaml" for n in SOURCES]
    first = add_sources(files, root=root, store=store)
    assert [r["status"] for r in first.results] == ["wrote"] * 3
    before = _quads(store)
    assert any(f"<{KGR}PortElsa>" in q for q in before)
    again = add_sources(files[:1], root=root, store=store)
    assert [r["status"] for r in again.results] == ["unchanged"]
    assert _quads(store) == before
    kept = {g: t for g, t in _sources(store).items() if "tribune" not in g}
    assert len(kept) == 2 and all(kept.values())
    path = files[0]
    path.write_text(
        path.read_text().replace(
            "label: Port Elsa\n", "label: Port Elsa town\n    other_names: [Port Elsa]\n"
        )
    )
    changed = add_sources(files[:1], root=root, store=store)
    assert [r["status"] for r in changed.results] == ["replaced"]
    after = _quads(store)
    assert (
        f'<{KGR}PortElsa> <http://www.w3.org/2000/01/rdf-schema#label> "Port Elsa town"@en' in after
    )
    assert (
        f'<{KGR}PortElsa> <http://www.w3.org/2000/01/rdf-schema#label> "Port Elsa"@en' not in after
    )
    # the other two sources' triples are exactly as they were
    assert {g: t for g, t in _sources(store).items() if "tribune" not in g} == kept
    assert not list(store.parent.glob(".store.adding-*"))


def test_a_failed_staged_write_leaves_the_store_as_it_was(staged, monkeypatch):
    root, store = staged
    add_sources([root / "sources" / "tribune.yaml"], root=root, store=store)
    before = _quads(store)
    monkeypatch.setattr(write, "_record", lambda triples, name, *digest: "<urn:broken> .\n")
    with pytest.raises(SyntaxError):
        add_sources([root / "sources" / "mereland-mfa.yaml"], root=root, store=store)
    assert _quads(store) == before
    assert not list(store.parent.glob(".store.adding-*"))
