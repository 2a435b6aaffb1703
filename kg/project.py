"""Projects: a folder with a ``kg.toml``, its data and its sources, over the installed ontology.

A project folder looks like this (``kg init DIR`` makes one)::

    DIR/kg.toml        the config: the default backend and store
    DIR/data/          every Turtle (.ttl) and TriG (.trig) file here, at any depth, is loaded
    DIR/sources/       source files for people (see docs/sources.md)
    DIR/ontology/      optional: kg.ttl, vocabularies.ttl or shapes.ttl here replace the
                       installed ones, other .ttl files extend the schema, and queries/*.rq
                       add named queries (or replace installed ones of the same name)

Commands find the project as git finds a repository: the ``--root`` option or ``KG_ROOT``,
else the nearest folder upward from the working directory holding a ``kg.toml``, else the
installed project (the ontology and the article's graph shipped with kg).

``kg.toml``::

    [store]
    backend = "memory"            # memory (rdflib), oxigraph or remote
    # path = "store"              # the Oxigraph store folder, relative to kg.toml
    # endpoint = "http://127.0.0.1:7878/query"

    [data]
    exclude = []                  # glob patterns, relative to data/, of files not loaded
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import MissingFileError
from kg.installed import INSTALLED_ROOT
from kg.project_config import CONFIG_NAME, read_config, write_project

__all__ = [
    "CONFIG_NAME",
    "DATA_SUFFIXES",
    "SCHEMA_MODULES",
    "Project",
    "find_project",
    "init_project",
    "installed_project",
    "open_project",
]

#: The file endings of data files a project loads by default.
DATA_SUFFIXES = (".ttl", ".trig")
#: The installed schema files loaded before any data, in this order (a project's own
#: ``ontology/`` file of the same name replaces one). Add a module of the ontology here.
SCHEMA_MODULES = ("kg.ttl", "vocabularies.ttl", "cameo.ttl")
#: Files of a project's ontology/ folder that are not schema extensions.
_NOT_EXTENSIONS = (*SCHEMA_MODULES, "shapes.ttl")


@dataclass(frozen=True)
class Project:
    """One project folder: where its data, sources, ontology and queries are.

    Parameters
    ----------
    root:
        The project folder.
    config:
        The parsed ``kg.toml`` (empty when the folder has none).
    found_by:
        How it was found, for messages: ``"--root"``, ``"KG_ROOT"``, the kg.toml's path,
        or ``"installed"``.

    Returns
    -------
    Project

    Example
    -------
    >>> p = Project(Path("/p"))
    >>> p.data_dir.as_posix(), p.sources_dir.as_posix(), p.backend
    ('/p/data', '/p/sources', 'memory')
    """

    root: Path
    config: dict = field(default_factory=dict, compare=False)
    found_by: str = field(default="--root", compare=False)

    @classmethod
    def at(cls, root: str | Path, found_by: str = "--root") -> Project:
        """Open the project in ``root``, reading its ``kg.toml`` when there is one.

        Parameters
        ----------
        root:
            The project folder; it must exist.
        found_by:
            How it was named (for error messages).

        Returns
        -------
        Project

        Raises
        ------
        MissingFileError
            When ``root`` is not a folder (the message says how to make one).
        BadOptionError
            For a ``kg.toml`` that is not valid TOML or has unknown keys.

        Example
        -------
        >>> Project.at("/nonexistent")
        Traceback (most recent call last):
        ...
        kg.errors.MissingFileError: no project folder /nonexistent (given by --root); ...
        """
        folder = Path(root).expanduser()
        if not folder.is_dir():
            raise MissingFileError(
                f"no project folder {folder} (given by {found_by}); "
                f"create one with `kg init {folder}` or point --root/KG_ROOT at another"
            )
        config_file = folder / CONFIG_NAME
        config = read_config(config_file) if config_file.is_file() else {}
        return cls(folder.resolve(), config, found_by)

    # --- folders -------------------------------------------------------------------------

    @property
    def config_file(self) -> Path:
        """``root/kg.toml`` (it may not exist for a folder given with --root)."""
        return self.root / CONFIG_NAME

    @property
    def data_dir(self) -> Path:
        """``root/data``: every Turtle/TriG file in it is loaded by default."""
        return self.root / "data"

    @property
    def sources_dir(self) -> Path:
        """``root/sources``: the project's source files."""
        return self.root / "sources"

    @property
    def ontology_dir(self) -> Path:
        """``root/ontology``: the project's own schema, when it has one."""
        return self.root / "ontology"

    @property
    def is_installed(self) -> bool:
        """True for the project shipped with kg (its ontology is the installed one)."""
        return self.root == INSTALLED_ROOT.resolve()

    # --- the store -----------------------------------------------------------------------

    @property
    def backend(self) -> str:
        """The default backend from ``[store] backend`` (``memory`` when not set)."""
        return self.config.get("store", {}).get("backend", "memory")

    @property
    def store(self) -> Path | None:
        """The default Oxigraph store folder, ``[store] path`` relative to the root."""
        path = self.config.get("store", {}).get("path")
        return self.root / path if path else None

    @property
    def endpoint(self) -> str | None:
        """The default SPARQL endpoint, ``[store] endpoint``."""
        return self.config.get("store", {}).get("endpoint")

    # --- files ---------------------------------------------------------------------------

    def data_files(self) -> list[Path]:
        """The data files loaded by default: every .ttl/.trig file under ``data/``.

        Files matching a ``[data] exclude`` pattern (relative to ``data/``) are left out.

        Returns
        -------
        list[Path]
            Sorted by path relative to ``data/``; empty when ``data/`` does not exist.

        Example
        -------
        >>> import tempfile
        >>> root = Path(tempfile.mkdtemp())
        >>> for name in ("triples.ttl", "sources/a.ttl", "sources/a.txt", "more.trig"):
        ...     (root / "data" / name).parent.mkdir(parents=True, exist_ok=True)
        ...     _ = (root / "data" / name).write_text("")
        >>> [p.relative_to(root).as_posix() for p in Project(root).data_files()]
        ['data/more.trig', 'data/sources/a.ttl', 'data/triples.ttl']
        """
        if not self.data_dir.is_dir():
            return []
        exclude = self.config.get("data", {}).get("exclude", [])
        found = []
        for path in self.data_dir.rglob("*"):
            relative = path.relative_to(self.data_dir)
            if path.suffix.lower() not in DATA_SUFFIXES or not path.is_file():
                continue
            if any(relative.match(pattern) for pattern in exclude):
                continue
            found.append(path)
        return sorted(found, key=lambda p: p.relative_to(self.data_dir).as_posix())

    def _schema_file(self, name: str) -> Path:
        """The project's own ``ontology/NAME`` if it has one, else the installed one."""
        own = self.ontology_dir / name
        return own if own.is_file() else INSTALLED_ROOT / "ontology" / name

    @property
    def ontology(self) -> Path:
        """The OWL ontology, ``ontology/kg.ttl`` (the project's or the installed one)."""
        return self._schema_file("kg.ttl")

    @property
    def vocabularies(self) -> Path:
        """The SKOS concept schemes, ``ontology/vocabularies.ttl``."""
        return self._schema_file("vocabularies.ttl")

    @property
    def shapes(self) -> Path:
        """The SHACL shapes, ``ontology/shapes.ttl``."""
        return self._schema_file("shapes.ttl")

    @property
    def schema_files(self) -> list[Path]:
        """The files loaded before any data.

        The installed :data:`SCHEMA_MODULES` (the ontology and the vocabularies, then the
        ontology's other modules), each replaced by the project's own ``ontology/`` file of
        that name if it has one; a project with its own ``kg.ttl`` does not get the installed
        ontology's other modules. Then the project's other ``ontology/*.ttl`` files
        (extensions; shapes files are not schema).
        """
        core, modules = SCHEMA_MODULES[:2], SCHEMA_MODULES[2:]
        files = [self._schema_file(name) for name in core]
        if not (self.ontology_dir / "kg.ttl").is_file() or self.is_installed:
            # the installed ontology's modules (cameo.ttl ...) go with the installed kg.ttl
            files += [self._schema_file(name) for name in modules]
        if self.ontology_dir.is_dir() and not self.is_installed:
            for path in sorted(self.ontology_dir.glob("*.ttl")):
                if path.name not in _NOT_EXTENSIONS and "shapes" not in path.stem:
                    files.append(path)
        return files

    @property
    def queries(self) -> tuple[Path, ...]:
        """The folders of named queries: the installed one, then the project's own.

        A query in the project's ``ontology/queries/`` replaces an installed one of the same
        name (see :func:`kg.queries.list_queries`).
        """
        folders = [INSTALLED_ROOT / "ontology" / "queries", self.ontology_dir / "queries"]
        return tuple(dict.fromkeys(f.resolve() for f in folders))

    @property
    def data(self) -> Path:
        """``data/triples.ttl``, the main data file (of the article, in the installed project)."""
        return self.data_dir / "triples.ttl"

    def describe(self) -> str:
        """Say which project this is and how it was found, for messages.

        Example
        -------
        >>> Project(Path("/p"), found_by="KG_ROOT").describe()
        'project /p (from KG_ROOT)'
        """
        if self.is_installed:
            return f"the installed project {self.root}"
        return f"project {self.root} (from {self.found_by})"


def find_project(start: str | Path | None = None) -> Project | None:
    """Find the project as git finds a repository.

    Parameters
    ----------
    start:
        The folder to start from. ``None`` means ``KG_ROOT`` when it is set, else the
        working directory.

    Returns
    -------
    Project or None
        The nearest folder from ``start`` upward holding a ``kg.toml``; None if none does.

    Example
    -------
    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp()); _ = init_project(root)
    >>> (root / "data" / "deep").mkdir()
    >>> find_project(root / "data" / "deep").root == root.resolve()
    True
    >>> find_project("/") is None
    True
    """
    if start is None and os.environ.get("KG_ROOT"):
        return Project.at(os.environ["KG_ROOT"], found_by="KG_ROOT")
    here = Path(start if start is not None else Path.cwd()).resolve()
    for folder in (here, *here.parents):
        config = folder / CONFIG_NAME
        if config.is_file():
            return Project.at(folder, found_by=str(config))
    return None


def installed_project() -> Project:
    """The project shipped with kg: the installed ontology, queries and the article's graph.

    Returns
    -------
    Project

    Example
    -------
    >>> installed_project().ontology.name
    'kg.ttl'
    """
    return Project.at(INSTALLED_ROOT, found_by="installed")


def open_project(root: str | Path | None = None) -> Project:
    """The project to use: ``root`` if given, else :func:`find_project`, else the installed one.

    Parameters
    ----------
    root:
        A project folder (the CLI's ``--root``).

    Returns
    -------
    Project

    Raises
    ------
    MissingFileError
        For a ``root`` that is not a folder.

    Example
    -------
    >>> open_project("/nonexistent")
    Traceback (most recent call last):
    ...
    kg.errors.MissingFileError: no project folder /nonexistent (given by --root); ...
    """
    if root is not None:
        return Project.at(root)
    return find_project() or installed_project()


def init_project(
    directory: str | Path, *, backend: str = "memory", store: str | None = None
) -> Project:
    """Create a project folder (``kg.toml``, ``data/``, ``sources/``) and open it (``kg init``).

    Parameters
    ----------
    directory:
        The folder (created if missing; it may hold other files, but no kg.toml yet).
    backend:
        The default backend written to kg.toml.
    store:
        The Oxigraph store folder, relative to the project (implies backend oxigraph).

    Returns
    -------
    Project

    Raises
    ------
    KgError
        When the folder already holds a kg.toml, or is a file (see
        :func:`kg.project_config.write_project`).

    Example
    -------
    >>> import tempfile
    >>> init_project(Path(tempfile.mkdtemp()) / "mine").config_file.name
    'kg.toml'
    """
    folder = write_project(directory, backend=backend, store=store)
    return Project.at(folder, found_by=str(folder / CONFIG_NAME))
