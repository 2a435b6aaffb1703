"""The small test graph the docstring examples run on (``tests/fixtures/views/mini.ttl``).

It holds the ontology, the vocabularies and a few of the article's facts in the ontology's
terms, parsed once per process.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from kg.installed import REPO_ROOT
from kg.project import open_project as project_paths

MINI = REPO_ROOT / "tests" / "fixtures" / "views" / "mini.ttl"


@lru_cache(maxsize=1)
def fixture() -> Any:
    """The fixture graph: an rdflib Graph of ontology + vocabularies + ``mini.ttl``.

    Returns
    -------
    rdflib.Graph
        Shared between callers: do not modify it.

    Example
    -------
    >>> len(fixture()) > 500
    True
    """
    from rdflib import Graph

    from kg.parsing import parse_files

    return parse_files([*project_paths().schema_files, MINI], into=Graph())
