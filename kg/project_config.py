"""A project's ``kg.toml``: reading it (every key checked) and ``kg init`` writing it.

See :mod:`kg.project` for what a project is and how commands find it.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from kg.errors import BadOptionError, KgError

__all__ = ["BACKENDS", "CONFIG_NAME", "CONFIG_TEMPLATE", "read_config", "write_project"]

#: The config file that marks a project folder.
CONFIG_NAME = "kg.toml"
#: The backends a project may name as its default.
BACKENDS = ("memory", "oxigraph", "remote")
_KEYS = {"store": {"backend", "path", "endpoint"}, "data": {"exclude"}}

#: What ``kg init`` writes into kg.toml.
CONFIG_TEMPLATE = """\
# A kg project (see `kg init --help`). Every .ttl/.trig file under data/ is loaded;
# sources/ holds source files; an ontology/ folder here would override or extend the
# installed ontology, shapes and named queries.

[store]
{backend_line}
{store_line}
[data]
# glob patterns, relative to data/, of files not loaded; enrichment.trig (kg enrich) holds
# Wikidata's statements, kept apart from the sources': load it with --add data/enrichment.trig
exclude = ["enrichment.trig"]
"""


def read_config(path: Path) -> dict[str, Any]:
    """Parse kg.toml and check its keys, naming the file in every error.

    Parameters
    ----------
    path:
        The kg.toml file.

    Returns
    -------
    dict
        The parsed tables.

    Raises
    ------
    BadOptionError
        Bad TOML, an unknown table or key, a backend kg does not have, a bad exclude list.

    Example
    -------
    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "kg.toml"
    >>> _ = p.write_text('[store]\\nbackend = "oxigraph"\\n')
    >>> read_config(p)
    {'store': {'backend': 'oxigraph'}}
    >>> _ = p.write_text('[store]\\nbackend = "mysql"\\n')
    >>> read_config(p)
    Traceback (most recent call last):
    ...
    kg.errors.BadOptionError: .../kg.toml: [store] backend = 'mysql' is not one of memory, ...
    """
    try:
        config = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise BadOptionError(f"{path}: {exc}") from None
    for table, value in config.items():
        if table not in _KEYS or not isinstance(value, dict):
            raise BadOptionError(f"{path}: unknown table [{table}] (known: store, data)")
        unknown = set(value) - _KEYS[table]
        if unknown:
            known = ", ".join(sorted(_KEYS[table]))
            raise BadOptionError(
                f"{path}: unknown key {sorted(unknown)[0]!r} in [{table}] (known: {known})"
            )
    backend = config.get("store", {}).get("backend", "memory")
    if backend not in BACKENDS:
        raise BadOptionError(
            f"{path}: [store] backend = {backend!r} is not one of {', '.join(BACKENDS)}"
        )
    exclude = config.get("data", {}).get("exclude", [])
    if not isinstance(exclude, list) or not all(isinstance(p, str) for p in exclude):
        raise BadOptionError(f"{path}: [data] exclude must be a list of glob patterns")
    return config


def write_project(
    directory: str | Path, *, backend: str = "memory", store: str | None = None
) -> Path:
    """Write a project folder: ``kg.toml``, ``data/`` and ``sources/`` (``kg init``; it is
    opened as a project by :func:`kg.project.init_project`).

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
    Path
        The folder.

    Raises
    ------
    KgError
        When the folder already holds a kg.toml, or is a file.

    Example
    -------
    >>> import tempfile
    >>> folder = write_project(Path(tempfile.mkdtemp()) / "mine")
    >>> sorted(f.name for f in folder.iterdir())
    ['data', 'kg.toml', 'sources']
    >>> write_project(folder)
    Traceback (most recent call last):
    ...
    kg.errors.KgError: .../mine/kg.toml already exists: this folder is a kg project
    """
    from kg.files import write_text_atomically

    folder = Path(directory).expanduser()
    if folder.exists() and not folder.is_dir():
        raise KgError(f"{folder} is a file, not a folder")
    if (folder / CONFIG_NAME).exists():
        raise KgError(f"{folder / CONFIG_NAME} already exists: this folder is a kg project")
    if store is not None:
        backend = "oxigraph"
    if backend not in BACKENDS:
        raise BadOptionError(f"unknown backend {backend!r} (known: {', '.join(BACKENDS)})")
    backend_line = f'backend = "{backend}"'.ljust(29) + " # memory (rdflib), oxigraph or remote"
    store_line = (f'path = "{store}"' if store else '# path = "store"').ljust(29)
    store_line += " # an Oxigraph store folder, relative to kg.toml\n"
    for sub in ("data", "sources"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    text = CONFIG_TEMPLATE.format(backend_line=backend_line, store_line=store_line)
    write_text_atomically(folder / CONFIG_NAME, text)
    return folder
