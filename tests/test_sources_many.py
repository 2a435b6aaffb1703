"""Many sources: claims about the same thing from two documents are shown each with the
document it came from (its own dct:source, never another's)."""

from __future__ import annotations

import pytest
from rdflib import URIRef
from sources_common import SOURCES, kg, new_project

KGR = "https://w3id.org/kg-ir/resource/"


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = new_project(tmp_path_factory.mktemp("many"), *SOURCES)
    result = kg("add", *(f"sources/{n}.yaml" for n in SOURCES), cwd=root)
    assert result.returncode == 0, result.stderr
    return root


def test_contested_shows_each_claim_with_its_own_source(project):
    result = kg("contested", "kgr:LakeOrunWaterAccord", cwd=project)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Lake Orun Water Accord <kgr:LakeOrunWaterAccord>" in out
    assert "[kgr:tribune-2031-04-03]" in out  # Reyes's statement
    assert "[kgr:harbour-review-2031-04-12]" in out  # the op-ed's opinion
    assert "kgr:Opinion_AccordFragile x kgr:Statement_Reyes_WaterUnites: contradicts" in out


def test_said_shows_each_claim_with_its_own_source(project):
    result = kg("said", "--about", "Lake Orun Water Accord", cwd=project)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    reyes = lines.index(next(x for x in lines if "Reyes: the accord shows" in x))
    assert lines[reyes + 1].endswith("[kgr:tribune-2031-04-03]")
    opinion = lines.index(next(x for x in lines if "The Lake Orun accord is fragile" in x))
    assert lines[opinion + 1].endswith("[kgr:harbour-review-2031-04-12]")


def test_a_claims_source_is_the_document_it_came_from(project):
    import kg as kg_library
    from kg.relations import who_said_what
    from kg.views import full_view

    graph = kg_library.load(root=project)
    store = graph.rdflib_graph
    records = who_said_what(full_view(graph))
    assert len(records) >= 7  # 5 statements, 1 opinion, 1 reported fact
    for record in records:
        stated = store.value(URIRef(record["claim"]), URIRef("http://purl.org/dc/terms/source"))
        assert record["source"] == str(stated), record["claim"]
