"""Where kg's own files are: the installed ontology, vocabularies, shapes, queries and data.

An installed kg (a wheel) carries them as package data in ``kg/resources/`` (copied there
from the repository's top-level ``ontology/`` and ``data/`` when the wheel is built; see
setup.py). Run from a source checkout or an editable install, they are the repository's
own ``ontology/`` and ``data/``. Projects (:mod:`kg.project`) use these files unless they
have their own; a project is opened with :func:`kg.project.open_project`.

(This module was ``kg.paths``; it was renamed so that it does not share a name with
:mod:`kg.relations.paths`, the paths between entities.)
"""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "BUNDLED_ROOT",
    "DATA",
    "INSTALLED_ROOT",
    "ONTOLOGY",
    "PACKAGE_DIR",
    "QUERIES",
    "REPO_ROOT",
    "SHAPES",
    "VOCABULARIES",
]

#: The folder of the ``kg`` package.
PACKAGE_DIR = Path(__file__).resolve().parent
#: The repository folder, when kg runs from a source checkout: the parent of the package.
REPO_ROOT = PACKAGE_DIR.parent
#: The package data of a built kg (absent in a source checkout).
BUNDLED_ROOT = PACKAGE_DIR / "resources"
#: The folder holding the installed ``ontology/`` and ``data/``.
INSTALLED_ROOT = BUNDLED_ROOT if (BUNDLED_ROOT / "ontology").is_dir() else REPO_ROOT


#: ``ontology/kg.ttl`` as installed.
ONTOLOGY = INSTALLED_ROOT / "ontology" / "kg.ttl"
#: ``ontology/vocabularies.ttl`` as installed.
VOCABULARIES = INSTALLED_ROOT / "ontology" / "vocabularies.ttl"
#: ``ontology/shapes.ttl`` as installed.
SHAPES = INSTALLED_ROOT / "ontology" / "shapes.ttl"
#: ``ontology/queries/`` as installed.
QUERIES = INSTALLED_ROOT / "ontology" / "queries"
#: ``data/triples.ttl`` as installed: the article's graph.
DATA = INSTALLED_ROOT / "data" / "triples.ttl"
