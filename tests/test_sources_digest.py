"""``kg add --store`` keeps a digest of each source's triples in its record: adding the same
file again is found unchanged by that digest alone (nothing read back, nothing written), a
changed file is still replaced (alone), and a record without a digest (an earlier kg) is
still compared triple by triple."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from sources_common import SOURCES, new_project

from kg.sources import write
from kg.sources.add import add_sources


def _all(store) -> set[str]:
    s = ox.Store(str(store))
    try:
        return {str(q) for q in s if not isinstance(q.subject, ox.BlankNode)}
    finally:
        del s


@pytest.fixture(params=["transaction", "staged"])
def added(request, tmp_path, monkeypatch):
    if request.param == "staged":
        monkeypatch.setattr(write, "STAGED", 0)
    root = new_project(tmp_path, *SOURCES)
    files = [root / "sources" / f"{n}.yaml" for n in SOURCES]
    store = tmp_path / "store"
    add_sources(files, root=root, store=store)
    return root, files, store


def test_each_record_keeps_the_digest_of_what_was_written(added):
    _, _, store = added
    s = ox.Store(str(store))
    try:
        for name in SOURCES[:1]:
            graph = next(g.value for g in s.named_graphs() if name in g.value)
            held = write.stored_digest(s, graph)
            assert held is not None and len(held) == 64
            assert write.recorded(s, graph)
    finally:
        del s


def test_an_unchanged_readd_is_found_by_digest_and_writes_nothing(added, monkeypatch):
    root, files, store = added
    before = _all(store)

    def no_compare(*args):
        raise AssertionError("an unchanged source with a digest must not be read back")

    monkeypatch.setattr(write, "_same", no_compare)
    monkeypatch.setattr(write, "recorded", no_compare)
    monkeypatch.setattr(write, "_staged_write", no_compare)
    again = add_sources(files, root=root, store=store)
    assert [r["status"] for r in again.results] == ["unchanged"] * 3
    assert _all(store) == before


def test_a_changed_file_is_still_replaced_and_the_others_kept(added):
    root, files, store = added
    path = files[0]
    town = "label: Port Elsa town\n    other_names: [Port Elsa]\n"
    path.write_text(path.read_text().replace("label: Port Elsa\n", town))
    changed = add_sources(files, root=root, store=store)
    assert [r["status"] for r in changed.results] == ["replaced", "unchanged", "unchanged"]
    after = _all(store)
    label = (
        "<https://w3id.org/kg-ir/resource/PortElsa> <http://www.w3.org/2000/01/rdf-schema#label>"
    )
    assert f'{label} "Port Elsa town"@en' in after
    assert f'{label} "Port Elsa"@en' not in after
    # the new digest is kept too: adding it once more is unchanged
    assert [r["status"] for r in add_sources(files[:1], root=root, store=store).results] == [
        "unchanged"
    ]


def test_a_record_without_a_digest_is_compared_triple_by_triple(added):
    root, files, store = added
    s = ox.Store(str(store))
    s.update(f"DELETE WHERE {{ GRAPH ?g {{ ?g <{write.DIGEST}> ?d }} }}")
    s.flush()
    del s
    before = _all(store)
    again = add_sources(files, root=root, store=store)
    assert [r["status"] for r in again.results] == ["unchanged"] * 3
    assert _all(store) == before
