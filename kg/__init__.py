"""kg: a knowledge-graph toolkit for international relations.

``import kg`` stays light (no rdflib, pyshacl, owlrl or networkx at import time) so that
the ``kg`` command starts fast; :func:`load` imports what it needs.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.errors import KgError

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph
    from kg.project import Project
    from kg.results import QueryResult

__all__ = ["KgError", "KnowledgeGraph", "QueryResult", "load"]
__version__ = "0.1.0"

# Imported on first use (PEP 562), as they pull in rdflib.
_LAZY = {"KnowledgeGraph": "kg.graph", "QueryResult": "kg.results"}


def __getattr__(name: str) -> Any:
    """Give ``kg.KnowledgeGraph`` and ``kg.QueryResult`` without importing rdflib up front.

    Parameters
    ----------
    name:
        The attribute asked for.

    Returns
    -------
    Any

    Example
    -------
    >>> kg_module = __import__("kg")
    >>> kg_module.KnowledgeGraph.__name__
    'KnowledgeGraph'
    """
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'kg' has no attribute {name!r}")


def load(
    data: str | Path | Sequence[str | Path] | None = None,
    *,
    backend: str | None = None,
    infer: bool = False,
    root: str | Path | Project | None = None,
    extra: Sequence[str | Path] = (),
    **backend_options: Any,
) -> KnowledgeGraph:
    """Load the ontology, the vocabularies and the data into a backend.

    Parameters
    ----------
    data:
        A data file or a list of them; default the project's data files (every Turtle/TriG
        file under its ``data/``; see :meth:`kg.project.Project.data_files`).
    backend:
        ``"memory"`` (rdflib), ``"oxigraph"`` or ``"remote"`` (see :mod:`kg.backends`).
        Not given, a ``store`` option means oxigraph, an ``endpoint`` remote, and without
        either the project's kg.toml decides (memory when it says nothing).
    infer:
        Add the OWL 2 RL closure (owlrl) to the store after loading.
    root:
        The project folder, or a :class:`kg.project.Project`; default ``KG_ROOT``, else the
        nearest folder upward holding a ``kg.toml``, else the installed project.
    extra:
        More data files loaded beside ``data`` (the CLI's ``--add``).
    **backend_options:
        For the backend, e.g. ``store=PATH`` or ``endpoint=URL``; ``None`` values are dropped.

    Returns
    -------
    KnowledgeGraph
        A store (``store=PATH``) or an endpoint is read as it is: nothing is loaded into
        it. Files given explicitly with it are read beside it, in memory, and the store
        stays unchanged (only ``kg load``, ``kg add``, ``kg import`` and updates write).

    Raises
    ------
    KgError
        A missing or malformed file (``path:line: message``) or a bad option; nothing is
        loaded then.

    Example
    -------
    >>> import tempfile, os
    >>> data = os.path.join(tempfile.mkdtemp(), "d.ttl")
    >>> _ = open(data, "w").write('<http://a> <http://b> "c" .')
    >>> schema = len(load([]))
    >>> len(load(data)) - schema
    1
    """
    from kg.loading import load_graph

    return load_graph(data, backend=backend, infer=infer, root=root, extra=extra, **backend_options)
