"""What :func:`kg.load` does: choose the project and the backend, then load, or only read.

Two cases, kept apart so that reading never writes:

- **In memory** (rdflib or Oxigraph without a folder): the project's schema files, its data
  files (or the ones given) and the extra files are loaded into a fresh store.
- **A store or an endpoint** (``store=PATH``, ``endpoint=URL``): it is read as it is; the
  schema and the project's data are not loaded into it. Files given explicitly, or
  ``infer=True``, are read over an in-memory copy of an Oxigraph store, which stays
  unchanged; for an endpoint they are refused (loading into it is ``kg load``'s job).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from kg.errors import BadOptionError, MissingFileError
from kg.project import Project, open_project

__all__ = ["load_graph", "resolve_backend"]


def resolve_backend(
    backend: str | None, options: dict[str, Any], project: Project
) -> tuple[str, dict[str, Any]]:
    """The backend name and options to open, from what was asked and the project's kg.toml.

    Parameters
    ----------
    backend:
        The backend asked for, or None.
    options:
        Backend options asked for (``None`` values already dropped).
    project:
        Its kg.toml decides when neither a backend nor a store/endpoint was asked for.

    Returns
    -------
    tuple[str, dict]

    Example
    -------
    >>> p = Project(Path("/p"), {"store": {"backend": "oxigraph", "path": "st"}})
    >>> resolve_backend(None, {}, p)
    ('oxigraph', {'store': '/p/st'})
    >>> resolve_backend("memory", {"store": "x"}, p)
    ('oxigraph', {'store': 'x'})
    """
    options = dict(options)
    if backend in (None, "memory") and "store" in options:
        return "oxigraph", options
    if backend in (None, "memory") and "endpoint" in options:
        return "remote", options
    if backend is not None:
        return backend, options
    backend = project.backend
    if backend == "oxigraph" and project.store is not None:
        options["store"] = str(project.store)
    if backend == "remote" and project.endpoint:
        options["endpoint"] = project.endpoint
    return backend, options


def _explicit(data: str | Path | Sequence[str | Path] | None) -> list[Path] | None:
    if data is None:
        return None
    if isinstance(data, str | Path):
        return [Path(data)]
    return [Path(d) for d in data]


def _unique(files: Sequence[Path]) -> list[Path]:
    """Each file once (a file named twice would load its blank nodes twice)."""
    seen: dict[Path, Path] = {}
    for file in files:
        seen.setdefault(Path(file).resolve(), Path(file))
    return list(seen.values())


def _check_exist(files: Sequence[Path], project: Project, schema: bool = False) -> None:
    """Raise one clear error for the first missing file: where kg looked, how to change it."""
    for file in files:
        if file.is_file():
            continue
        if schema:
            raise MissingFileError(
                f"no such file: {file} (the schema of {project.describe()}); reinstall kg, "
                "or point --root/KG_ROOT at a project with its own ontology/"
            )
        where = "" if file.is_absolute() else f" (looked in {Path.cwd()})"
        raise MissingFileError(f"no such file: {file}{where}")


def load_graph(
    data: str | Path | Sequence[str | Path] | None = None,
    *,
    backend: str | None = None,
    infer: bool = False,
    root: str | Path | Project | None = None,
    extra: Sequence[str | Path] = (),
    **backend_options: Any,
):
    """Open the project and its backend, and load (or only read) the graph.

    The parameters, return value and errors are those of :func:`kg.load`.

    Example
    -------
    >>> import tempfile
    >>> load_graph(store=tempfile.mkdtemp() + "/none")
    Traceback (most recent call last):
    ...
    kg.errors.MissingFileError: no store at .../none; create it with `kg load FILE --store ...`
    """
    from kg.backends import open_backend
    from kg.graph import KnowledgeGraph

    project = root if isinstance(root, Project) else open_project(root)
    options = {k: v for k, v in backend_options.items() if v is not None}
    backend, options = resolve_backend(backend, options, project)
    explicit = _explicit(data)
    extra_files = [Path(f) for f in extra]
    _check_exist([*(explicit or []), *extra_files], project)
    if "store" in options or backend == "remote":
        store = _read_store(backend, options, [*(explicit or []), *extra_files], infer)
        return KnowledgeGraph(store, project)
    _check_exist(project.schema_files, project, schema=True)
    files = [*project.schema_files, *(project.data_files() if explicit is None else explicit)]
    store = open_backend(backend, **options)
    store.load(_unique([*files, *extra_files]))
    _add_types(store)
    if infer:
        _add_closure(store)
    return KnowledgeGraph(store, project)


def _add_types(store: Any) -> None:
    """Superclass types of the ontology's class tree, so ``?x a kg:Claim`` needs no reasoner."""
    from kg.inference import type_closure

    if not getattr(store, "closes_types", False):  # the Oxigraph backend's load adds them
        type_closure(store)


def _add_closure(store: Any) -> None:
    from kg.inference import owl_rl_closure

    store.add_graph(owl_rl_closure(store.to_rdflib()))


def _read_store(backend: str, options: dict[str, Any], files: list[Path], infer: bool):
    """Open a store or an endpoint without writing to it (see the module's docstring)."""
    from kg.backends import open_backend

    if backend == "remote":
        if files or infer:
            what = "--infer" if infer else f"{files[0]}"
            raise BadOptionError(
                f"reading the endpoint never writes to it, so {what} cannot be added to it; "
                "load files into it with an authorised update, or query them without --endpoint"
            )
        return open_backend(backend, **options)
    path = Path(options["store"])
    if not path.exists():
        raise MissingFileError(f"no store at {path}; create it with `kg load FILE --store {path}`")
    disk = open_backend(backend, **options)
    if not files and not infer:
        return disk
    # Explicit files (or the closure) go over an in-memory copy: the store stays as it was.
    memory = open_backend("oxigraph")
    memory.store.bulk_extend(disk.store.quads_for_pattern(None, None, None, None))
    disk.store = None  # release the folder's lock now
    del disk
    if files:
        memory.load(_unique(files))
        _add_types(memory)
    if infer:
        _add_closure(memory)
    return memory
