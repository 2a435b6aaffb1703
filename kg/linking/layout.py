"""Where the linking commands keep their files in a project, by default.

``kg link --accept`` writes accepted links to :func:`links_file` (loaded with the graph by
``kg link`` and ``kg enrich``); ``kg enrich`` writes the facts it pulls to
:func:`enrichment_file` (a project's kg.toml leaves it out of the data, so it is loaded only
with ``--add``).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kg.project import Project

__all__ = ["ENRICHMENT_FILE", "LINKS_FILE", "enrichment_file", "links_file"]

#: The links file's name, in the project's data folder.
LINKS_FILE = "links.ttl"
#: The enrichment file's name, in the project's data folder.
ENRICHMENT_FILE = "enrichment.trig"


def links_file(project: Project) -> Path:
    """The project's links file, ``data/links.ttl``.

    Parameters
    ----------
    project:
        A :class:`kg.project.Project`.

    Returns
    -------
    Path

    Example
    -------
    >>> from kg.project import open_project
    >>> links_file(open_project()).relative_to(open_project().root).as_posix()
    'data/links.ttl'
    """
    return project.data_dir / LINKS_FILE


def enrichment_file(project: Project) -> Path:
    """The project's enrichment file, ``data/enrichment.trig``.

    Parameters
    ----------
    project:
        A :class:`kg.project.Project`.

    Returns
    -------
    Path

    Example
    -------
    >>> from kg.project import open_project
    >>> enrichment_file(open_project()).name
    'enrichment.trig'
    """
    return project.data_dir / ENRICHMENT_FILE
