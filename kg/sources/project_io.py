"""Where a project's schema, data and source outputs are, and its graph loaded for checking.

The project is :mod:`kg.project`'s: a ``kg init`` folder found from the working directory
upward, or from ``--root``/``KG_ROOT``, else the installed one.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["ProjectFiles", "load_schema_and_data", "locate_project", "schema_graph"]


@dataclass(frozen=True)
class ProjectFiles:
    """A project's folders and files (read from :class:`kg.project.Project`).

    Parameters
    ----------
    root:
        The project folder.
    schema:
        The ontology and vocabularies (and the project's schema extensions).
    shapes:
        The SHACL shapes file.
    data_dir:
        ``root/data``: the data the project loads.
    loaded:
        The data files the project loads by default.

    Returns
    -------
    ProjectFiles

    Example
    -------
    >>> import tempfile
    >>> from kg.project import init_project
    >>> p = locate_project(init_project(tempfile.mkdtemp()).root)
    >>> p.out_dir.relative_to(p.root).as_posix(), p.data_files()
    ('data/sources', [])
    """

    root: Path
    schema: tuple[Path, ...]
    shapes: Path
    data_dir: Path
    loaded: tuple[Path, ...] = ()

    @property
    def out_dir(self) -> Path:
        """Where source outputs go: ``data/sources``."""
        return self.data_dir / "sources"

    def data_files(self, exclude: set[Path] | frozenset[Path] = frozenset()) -> list[Path]:
        """The data files the project loads, but those in ``exclude``."""
        skip = {p.resolve() for p in exclude}
        return [p for p in self.loaded if p.resolve() not in skip]


def locate_project(root: str | Path | None = None) -> ProjectFiles:
    """The project of ``root``, else the one found from the working directory or KG_ROOT,
    else the installed one (:func:`kg.project.open_project`).

    Parameters
    ----------
    root:
        A project folder, or None.

    Returns
    -------
    ProjectFiles
    """
    from kg.project import open_project

    project = open_project(root)
    return ProjectFiles(
        Path(project.root),
        tuple(project.schema_files),
        Path(project.shapes),
        Path(project.data_dir),
        tuple(project.data_files()),
    )


def load_schema_and_data(project: ProjectFiles, exclude: set[Path]) -> tuple[Any, Any]:
    """Parse the schema, and the schema with the project's data, into rdflib Graphs.

    Parameters
    ----------
    project:
        Where the files are.
    exclude:
        Data files not to load (the outputs of the sources being replaced).

    Returns
    -------
    (rdflib.Graph, rdflib.Graph)
        The schema alone, and schema plus data.
    """
    from rdflib import Graph

    from kg.parsing import parse_files

    schema = schema_graph(project.schema)
    graph = Graph()
    graph += schema
    parse_files(project.data_files(exclude), graph)
    return schema, graph


_SCHEMAS: dict[tuple, Any] = {}


def schema_graph(files: tuple[Path, ...]) -> Any:
    """The ontology and vocabularies parsed, once per process while the files are unchanged
    (several ``add_sources`` calls in one process read them once). Treat it as read-only.

    Parameters
    ----------
    files:
        The schema files.

    Returns
    -------
    rdflib.Graph
    """
    from rdflib import Graph

    from kg.parsing import parse_files

    key = tuple((str(f), f.stat().st_mtime_ns) for f in files if f.exists())
    if key not in _SCHEMAS:
        _SCHEMAS.clear()
        _SCHEMAS[key] = parse_files(files, Graph())
    return _SCHEMAS[key]
