"""Where kg's own files are: the installed ontology, vocabularies, shapes, queries and data.

An installed kg (a wheel) carries them as package data in ``kg/resources/`` (copied there
from the repository's top-level ``ontology/`` and ``data/`` when the wheel is built; see
setup.py). Run from a source checkout or an editable install, they are the repository's
own ``ontology/`` and ``data/``. Projects (:mod:`kg.project`) use these files unless they
have their own.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["INSTALLED_ROOT", "REPO_ROOT", "project_paths"]

#: The folder of the ``kg`` package.
PACKAGE_DIR = Path(__file__).resolve().parent
#: The repository folder, when kg runs from a source checkout: the parent of the package.
REPO_ROOT = PACKAGE_DIR.parent
#: The package data of a built kg (absent in a source checkout).
BUNDLED_ROOT = PACKAGE_DIR / "resources"
#: The folder holding the installed ``ontology/`` and ``data/``.
INSTALLED_ROOT = BUNDLED_ROOT if (BUNDLED_ROOT / "ontology").is_dir() else REPO_ROOT


def project_paths(root: str | Path | None = None):
    """Return the project in ``root``, or the one found from the working directory.

    Parameters
    ----------
    root:
        A project folder. ``None`` means ``KG_ROOT`` if set, else the nearest folder
        upward holding a ``kg.toml``, else the installed project.

    Returns
    -------
    kg.project.Project

    Example
    -------
    >>> project_paths().ontology.name
    'kg.ttl'
    """
    from kg.project import open_project

    return open_project(root)


def __getattr__(name: str):
    """``ProjectPaths`` is :class:`kg.project.Project` (the name kept for older code)."""
    if name == "ProjectPaths":
        from kg.project import Project

        return Project
    raise AttributeError(f"module 'kg.paths' has no attribute {name!r}")


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
