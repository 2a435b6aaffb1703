"""Triple stores behind a KnowledgeGraph, opened by name.

To add a backend, write ``kg/backends/<kind>.py`` with a :class:`~kg.backends.base.Backend`
subclass and list it in :data:`BACKENDS`; the entries for ``oxigraph`` and ``remote`` are
already there, so their modules only need to appear.
"""

from __future__ import annotations

import importlib
import inspect
from typing import Any

from kg.errors import BadOptionError

__all__ = ["BACKENDS", "open_backend"]

#: backend name -> "module:Class". Modules are imported only when their backend is opened,
#: so a backend's heavy dependency (pyoxigraph, httpx) costs nothing to the others.
BACKENDS = {
    "memory": "kg.backends.memory:MemoryBackend",
    "oxigraph": "kg.backends.oxigraph:OxigraphBackend",
    "remote": "kg.backends.remote:RemoteBackend",
}


def open_backend(kind: str = "memory", **options: Any):
    """Open the backend named ``kind`` with its options (options set to None are dropped).

    Parameters
    ----------
    kind:
        A key of :data:`BACKENDS`.
    **options:
        Passed to the backend's constructor, e.g. ``store=PATH`` for oxigraph or
        ``endpoint=URL`` for remote.

    Returns
    -------
    Backend

    Raises
    ------
    BadOptionError
        For an unknown name, a backend whose module is not written yet, or an option the
        backend does not take.

    Example
    -------
    >>> open_backend("memory", store=None).kind
    'memory'
    >>> open_backend("memory", store="x")
    Traceback (most recent call last):
    ...
    kg.errors.BadOptionError: backend memory takes no option 'store'
    >>> open_backend("nosuch")
    Traceback (most recent call last):
    ...
    kg.errors.BadOptionError: unknown backend 'nosuch' (known: memory, oxigraph, remote)
    """
    options = {k: v for k, v in options.items() if v is not None}
    try:
        target = BACKENDS[kind]
    except KeyError:
        known = ", ".join(BACKENDS)
        raise BadOptionError(f"unknown backend {kind!r} (known: {known})") from None
    module_name, _, class_name = target.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name == module_name:
            raise BadOptionError(f"backend {kind} not available yet") from None
        raise BadOptionError(f"backend {kind} needs the package {exc.name!r}") from None
    cls = getattr(module, class_name)
    parameters = inspect.signature(cls).parameters
    for name in options:
        if name not in parameters:
            raise BadOptionError(f"backend {kind} takes no option {name!r}")
    return cls(**options)
