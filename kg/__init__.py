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
    backend: str = "memory",
    infer: bool = False,
    root: str | Path | None = None,
    extra: Sequence[str | Path] = (),
    **backend_options: Any,
) -> KnowledgeGraph:
    """Load the ontology, the vocabularies and the data into a backend.

    Parameters
    ----------
    data:
        A data file or a list of them; default the project's ``data/triples.ttl``.
    backend:
        ``"memory"`` (rdflib), ``"oxigraph"`` or ``"remote"`` (see :mod:`kg.backends`).
        Left at ``"memory"``, a ``store`` option means oxigraph and an ``endpoint`` remote.
    infer:
        Add the OWL 2 RL closure (owlrl) to the store after loading.
    root:
        The project folder (ontology, queries, shapes, default data); default the
        repository, or ``KG_ROOT``.
    extra:
        More data files loaded beside ``data`` (the CLI's ``--add``).
    **backend_options:
        For the backend, e.g. ``store=PATH`` or ``endpoint=URL``; ``None`` values are dropped.

    Returns
    -------
    KnowledgeGraph

    Raises
    ------
    KgError
        A missing or malformed file (``path:line: message``) or a bad option; nothing is
        loaded then.

    Example
    -------
    >>> import tempfile, os
    >>> root = tempfile.mkdtemp(); os.makedirs(os.path.join(root, "ontology"))
    >>> for name in ("kg.ttl", "vocabularies.ttl"):
    ...     _ = open(os.path.join(root, "ontology", name), "w").write("")
    >>> data = os.path.join(root, "d.ttl")
    >>> _ = open(data, "w").write('<http://a> <http://b> "c" .')
    >>> len(load(data, root=root))
    1
    """
    from kg.backends import open_backend
    from kg.graph import KnowledgeGraph
    from kg.paths import project_paths

    paths = project_paths(root)
    if data is None:
        files = [paths.data]
    elif isinstance(data, str | Path):
        files = [data]
    else:
        files = list(data)
    if backend == "memory" and backend_options.get("store") is not None:
        backend = "oxigraph"  # a store folder is an Oxigraph store
    elif backend == "memory" and backend_options.get("endpoint") is not None:
        backend = "remote"
    store = open_backend(backend, **backend_options)
    store.load([*paths.schema_files, *files, *extra])
    if infer:
        from kg.inference import owl_rl_closure

        store.add_graph(owl_rl_closure(store.to_rdflib()))
    return KnowledgeGraph(store, paths)
