"""The global options of the ``kg`` command, and the graph they describe, loaded on demand.

Commands that do not need the graph (``kg queries``, ``--help``) never load it. The project
(:mod:`kg.project`) is found on first use, so ``--help`` works even beside a broken kg.toml.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import click

__all__ = ["Session", "pass_session"]


class Session:
    """What the group options say to load, and the loaded graph once a command asks for it.

    Parameters
    ----------
    root:
        The project folder (``--root`` or ``KG_ROOT``), or None to find it from the working
        directory (else the installed project).
    data:
        Files to load instead of the project's data files (``--data``).
    add:
        Files to load beside the data (``--add``).
    backend, store, endpoint:
        The backend and its options; those not given come from the project's kg.toml.
    update_endpoint, user, named_graph:
        For the remote backend (``named_graph`` is ``--graph``: read that graph only).

    Returns
    -------
    Session

    Example
    -------
    >>> s = Session(store="/tmp/s")
    >>> s.backend, s.store
    ('oxigraph', '/tmp/s')
    """

    def __init__(
        self,
        root: str | None = None,
        data: Sequence[str] = (),
        add: Sequence[str] = (),
        backend: str | None = None,
        store: str | None = None,
        endpoint: str | None = None,
        update_endpoint: str | None = None,
        user: str | None = None,
        root_source: str = "--root",
        named_graph: str | None = None,
    ) -> None:
        self.root = root
        self.root_source = root_source
        self.data = tuple(data)
        self.add = tuple(add)
        self._backend, self._store, self._endpoint = backend, store, endpoint
        self.update_endpoint = update_endpoint
        self.user = user
        self.named_graph = named_graph
        self._project: Any = None
        self._graphs: dict[bool, Any] = {}
        #: Answer repeated queries from the on-disk cache (kg.cache); off with ``kg --no-cache``.
        self.cache = True

    @property
    def project(self):
        """The project (:class:`kg.project.Project`): --root, else found upward, else installed."""
        if self._project is None:
            from kg.project import Project, open_project

            if self.root is not None:
                self._project = Project.at(self.root, found_by=self.root_source)
            else:
                self._project = open_project()
        return self._project

    @property
    def paths(self):
        """The project (kept under this name for the commands that ask for file locations)."""
        return self.project

    def _configured(self) -> bool:
        """True when the command line chose no store, so the project's kg.toml decides."""
        return self._backend is None and self._store is None and self._endpoint is None

    @property
    def backend(self) -> str:
        """--backend; else oxigraph for --store, remote for --endpoint; else the kg.toml's."""
        if self._backend is not None:
            return self._backend
        if self._store is not None:
            return "oxigraph"
        if self._endpoint is not None:
            return "remote"
        return self.project.backend

    @property
    def store(self) -> str | None:
        """``--store``, else the store named by the project's kg.toml (when no option chose one)."""
        if self._store is not None or not self._configured():
            return self._store
        store = self.project.store
        return str(store) if store is not None else None

    @property
    def endpoint(self) -> str | None:
        """``--endpoint``, else the endpoint named by the project's kg.toml."""
        if self._endpoint is not None or not self._configured():
            return self._endpoint
        return self.project.endpoint

    def graph(self, infer: bool = False):
        """Load the graph (once per ``infer`` value) and return the KnowledgeGraph.

        Parameters
        ----------
        infer:
            Add the OWL 2 RL closure after loading.

        Returns
        -------
        KnowledgeGraph

        Example
        -------
        >>> Session(root="/nonexistent").graph()
        Traceback (most recent call last):
        ...
        kg.errors.MissingFileError: no project folder /nonexistent (given by --root); ...
        """
        if infer not in self._graphs:
            import kg

            backend = self.backend
            remote = {
                "update_endpoint": self.update_endpoint,
                "user": self.user,
                "graph": self.named_graph,
            }
            load = kg.load
            if self.cache:
                from kg.cache import load_cached as load
            self._graphs[infer] = load(
                list(self.data) or None,
                backend=backend,
                **(remote if backend == "remote" else {}),
                infer=infer,
                root=self.project,
                extra=list(self.add),
                store=self.store,
                endpoint=self.endpoint,
            )
        return self._graphs[infer]


#: Decorator giving a command the Session as its first argument.
pass_session = click.make_pass_decorator(Session)
