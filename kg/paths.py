"""Where the project's files are: ontology, vocabularies, shapes, named queries, data.

They are found relative to the package (the project is installed editable with
``pip install -e .``), or relative to another project folder given as ``root`` (tests use a
small project under ``tests/fixtures/``; the command line takes ``--root`` or ``KG_ROOT``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

#: The repository folder: the parent of the ``kg`` package.
REPO_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class ProjectPaths:
    """The locations of one project's files.

    Parameters
    ----------
    root:
        The project folder; the other fields are derived from it.

    Returns
    -------
    ProjectPaths
        With ``ontology``, ``vocabularies``, ``shapes``, ``queries`` (a folder) and ``data``.

    Example
    -------
    >>> p = ProjectPaths(Path("/p"))
    >>> p.ontology.as_posix(), p.queries.as_posix(), p.data.as_posix()
    ('/p/ontology/kg.ttl', '/p/ontology/queries', '/p/data/triples.ttl')
    """

    root: Path

    @property
    def ontology(self) -> Path:
        """The OWL ontology, ``ontology/kg.ttl``."""
        return self.root / "ontology" / "kg.ttl"

    @property
    def vocabularies(self) -> Path:
        """The SKOS concept schemes, ``ontology/vocabularies.ttl``."""
        return self.root / "ontology" / "vocabularies.ttl"

    @property
    def shapes(self) -> Path:
        """The SHACL shapes, ``ontology/shapes.ttl``."""
        return self.root / "ontology" / "shapes.ttl"

    @property
    def queries(self) -> Path:
        """The folder of named queries, ``ontology/queries/``."""
        return self.root / "ontology" / "queries"

    @property
    def data(self) -> Path:
        """The default data file, ``data/triples.ttl``."""
        return self.root / "data" / "triples.ttl"

    @property
    def schema_files(self) -> list[Path]:
        """The files loaded before any data: the ontology and the vocabularies."""
        return [self.ontology, self.vocabularies]


def project_paths(root: str | Path | None = None) -> ProjectPaths:
    """Return the file locations of the project in ``root``.

    Parameters
    ----------
    root:
        A project folder. ``None`` means the ``KG_ROOT`` environment variable if set,
        else the repository the package is installed from.

    Returns
    -------
    ProjectPaths

    Example
    -------
    >>> project_paths("/tmp/p").shapes.as_posix()
    '/tmp/p/ontology/shapes.ttl'
    >>> project_paths().root == REPO_ROOT or "KG_ROOT" in os.environ
    True
    """
    if root is None:
        root = os.environ.get("KG_ROOT") or REPO_ROOT
    return ProjectPaths(Path(root))


_DEFAULT = ProjectPaths(REPO_ROOT)
#: ``ontology/kg.ttl`` of the repository.
ONTOLOGY = _DEFAULT.ontology
#: ``ontology/vocabularies.ttl`` of the repository.
VOCABULARIES = _DEFAULT.vocabularies
#: ``ontology/shapes.ttl`` of the repository.
SHAPES = _DEFAULT.shapes
#: ``ontology/queries/`` of the repository.
QUERIES = _DEFAULT.queries
#: ``data/triples.ttl`` of the repository.
DATA = _DEFAULT.data
