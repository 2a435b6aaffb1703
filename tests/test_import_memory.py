"""A 2 GB file never needs more memory than a small one: what an import keeps is bounded.

The importers remember the nodes they wrote (places, actors), the codes they looked up and,
with a mentions table, the ids of the events they wrote; a Wikidata dump is mapped item by
item. Rows here each have a place, an actor
and an id of their own, so any of these growing with the rows shows: in the sizes of what the
import context holds, and in Python's peak memory (tracemalloc) for N rows against 4N.
"""

from __future__ import annotations

import datetime as dt
import json
import tracemalloc
from pathlib import Path

from import_common import DATASETS

from kg.importers import batches, gdelt_mentions, import_gdelt, import_wikidata, run, wikidata
from kg.importers.entities import EntityIndex
from kg.importers.gdelt import gdelt_events
from kg.importers.gdelt_mentions import EventIds
from kg.importers.rows import ErrorLog

EXPORT = DATASETS / "gdelt" / "20230919.export.CSV"
MENTIONS = DATASETS / "gdelt" / "20230919.mentions.CSV"
WIKIDATA = DATASETS / "wikidata"


def _rows(folder: Path, n: int, distinct: int = 0) -> tuple[Path, Path]:
    """``n`` events made from the fixture's first row, each with its own id, and actors and
    places of their own (or ``distinct`` ones, in turn); one mention of each event."""
    first = EXPORT.read_text(encoding="utf-8").splitlines()[0].split("\t")
    mention = MENTIONS.read_text(encoding="utf-8").splitlines()[0].split("\t")
    events, mentions = folder / f"{n}.export.CSV", folder / f"{n}.mentions.CSV"
    with open(events, "w", encoding="utf-8") as out, open(mentions, "w", encoding="utf-8") as m:
        for i in range(n):
            eid, f, k = str(1_300_000_000 + i), list(first), i % (distinct or n)
            f[0], f[5], f[6] = eid, f"AZEX{k:06d}", f"TEST ACTOR {k}"  # an actor of AZE
            f[52], f[58] = f"Test Place {k}, Azerbaijan", str(8_000_000 + k)  # ActionGeo
            f[60] = f"https://news.example.org/test/{eid}"
            out.write("\t".join(f) + "\n")
            m.write(
                "\t".join([eid, *mention[1:5], f"https://news.example.org/m/{i}", *mention[6:]])
            )
            m.write("\n")
    return events, mentions


def _context(mentions: Path | None = None) -> run.ImportContext:
    options = {"mentions": [str(mentions)]} if mentions else {}
    return run.ImportContext(EntityIndex.from_graph(None), "urn:run", ErrorLog(), options)


def test_remembered_nodes_and_codes_are_bounded_and_the_graph_is_the_same(tmp_path, monkeypatch):
    events, _ = _rows(tmp_path, 600, distinct=200)
    whole = list(gdelt_events([str(events)], _context()))
    monkeypatch.setattr(run, "REMEMBERED", 50)
    ctx, bounded, largest = _context(), [], 0
    for text in gdelt_events([str(events)], ctx):
        bounded.append(text)
        largest = max(largest, len(ctx.seen), len(ctx.cache))
    assert largest == 50  # reached, never passed
    # forgetting only writes some nodes again: the same triples, the same graph
    lines = "".join(whole).splitlines()
    again = "".join(bounded).splitlines()
    assert set(again) == set(lines)
    assert len(again) > len(lines)


def test_event_ids_move_to_disk_past_the_limit_and_still_answer():
    ids = EventIds(limit=100)
    for i in range(0, 5000, 2):
        ids.add(str(i))
    try:
        assert len(ids.in_memory) == 0
        assert all(str(i) in ids for i in range(0, 5000, 2))
        assert not any(str(i) in ids for i in range(1, 5000, 2))
        assert "x" not in ids
    finally:
        ids.close()


def test_mentions_kept_are_the_same_when_the_ids_are_on_disk(tmp_path, monkeypatch):
    events, mentions = _rows(tmp_path, 300)
    other = tmp_path / "more.mentions.CSV"  # mentions of events not in the file: left out
    text = mentions.read_text(encoding="utf-8")
    other.write_text(text.replace("1300000", "1400000"), encoding="utf-8")
    common = {"accessed": dt.date(2026, 12, 2)}
    small = import_gdelt([events], mentions=[mentions, other], output=tmp_path / "a.nt", **common)
    monkeypatch.setattr(EventIds, "LIMIT", 10)
    spilled = import_gdelt([events], mentions=[mentions, other], output=tmp_path / "b.nt", **common)

    def mention_lines(name: str, run_iri: str) -> list[str]:  # the run's IRI holds the time
        text = (tmp_path / name).read_text(encoding="utf-8").replace(run_iri, "urn:run")
        return sorted(line for line in text.splitlines() if "_mention_" in line.split(" ")[0])

    a, b = mention_lines("a.nt", small.run), mention_lines("b.nt", spilled.run)
    assert a == b and small.triples == spilled.triples
    assert sum(" <https://w3id.org/kg-ir/ontology#mentionOf> " in line for line in a) == 300


def _peak(tmp_path: Path, n: int) -> int:
    """Python's peak memory (bytes) while importing ``n`` rows and their mentions to a file."""
    folder = tmp_path / str(n)
    folder.mkdir()
    events, mentions = _rows(folder, n)
    tracemalloc.start()
    try:
        result = import_gdelt(
            [events], mentions=[mentions], output=folder / "out.nt", accessed=dt.date(2026, 12, 2)
        )
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert result.rows_imported == n
    return peak


def test_peak_memory_is_flat_from_n_rows_to_4n(tmp_path, monkeypatch):
    # the bounds made small, so that 500 rows go past them as millions would past the real ones
    monkeypatch.setattr(batches, "CHUNK_CHARS", 50_000)
    monkeypatch.setattr(run, "REMEMBERED", 100)
    monkeypatch.setattr(gdelt_mentions.EventIds, "LIMIT", 100)
    _peak(tmp_path, 50)  # first use: the CAMEO tables and the like, loaded once
    small, large = _peak(tmp_path, 500), _peak(tmp_path, 2000)
    # 1,500 more places, actors and ids held: about 900 kB (measured without the bounds)
    assert large - small < 200_000, (small, large)


def test_once_forgets_all_at_the_limit_and_keep_too(monkeypatch):
    monkeypatch.setattr(run, "REMEMBERED", 3)
    ctx = _context()
    assert [ctx.once(k) for k in "abca"] == [True, True, True, False]
    assert ctx.once("d") and ctx.seen == {"d"}  # the fourth: all forgotten first
    assert ctx.once("a")
    for k in "abcd":
        ctx.keep(k, k.upper())
    assert ctx.cache == {"d": "D"}


def test_a_wikidata_dump_is_mapped_item_by_item_without_holding_every_claim(tmp_path, monkeypatch):
    entities = json.loads((WIKIDATA / "entities.json").read_text(encoding="utf-8"))["entities"]
    dump = tmp_path / "dump.json"  # the dump format: "[", then one entity a line
    lines = ",\n".join(json.dumps(e) for e in entities.values())
    dump.write_text(f"[\n{lines}\n]\n", encoding="utf-8")
    held: list[tuple[bool, int]] = []
    map_items = wikidata._map

    def watched(records, ctx, by_qid):
        # what other items' triples need: labels and classes, not the claims
        held.append((isinstance(records, list), sum(len(i.claims) for i in by_qid.values())))
        return map_items(records, ctx, by_qid)

    monkeypatch.setattr(wikidata, "_map", watched)
    day = {"accessed": dt.date(2026, 12, 2)}
    whole = import_wikidata([WIKIDATA / "entities.json"], output=tmp_path / "a.nt", **day)
    streamed = import_wikidata([dump], output=tmp_path / "b.nt", **day)
    assert held == [(False, 0), (False, 0)]

    def triples(name: str, run_iri: str) -> list[str]:  # the run's IRI holds the time
        text = (tmp_path / name).read_text(encoding="utf-8").replace(run_iri, "urn:run")
        return sorted(line for line in text.splitlines() if "urn:run" not in line.split(" ")[0])

    assert streamed.rows_imported == whole.rows_imported == len(entities)
    assert triples("a.nt", whole.run) == triples("b.nt", streamed.run)
    assert any("#Membership>" in line for line in triples("b.nt", streamed.run))
