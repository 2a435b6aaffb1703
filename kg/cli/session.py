"""The global options of the ``kg`` command, and the graph they describe, loaded on demand.

Commands that do not need the graph (``kg queries``, ``--help``) never load it. The project
(:mod:`kg.project`) is found on first use, so ``--help`` works even beside a broken kg.toml.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
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

    def _resolved(self) -> tuple[str, dict[str, Any]]:
        """The backend and its store/endpoint, as :func:`kg.loading.resolve_backend` decides
        them for ``kg.load`` (the one place that infers a backend from the options)."""
        from kg.loading import resolve_backend

        asked = {"store": self._store, "endpoint": self._endpoint}
        chosen = {k: v for k, v in asked.items() if v is not None}
        return resolve_backend(self._backend, chosen, self.project)

    @property
    def backend(self) -> str:
        """--backend; else oxigraph for --store, remote for --endpoint; else the kg.toml's."""
        return self._resolved()[0]

    @property
    def store(self) -> str | None:
        """``--store``, else the store named by the project's kg.toml (when no option chose one)."""
        return self._resolved()[1].get("store")

    @property
    def endpoint(self) -> str | None:
        """``--endpoint``, else the endpoint named by the project's kg.toml."""
        return self._resolved()[1].get("endpoint")

    def check_remote_options(self) -> None:
        """Refuse a remote-only option for a store that is not remote (never drop it)."""
        from kg.errors import BadOptionError

        given = {
            "--user": self.user,
            "--update-endpoint": self.update_endpoint,
            "--graph": self.named_graph,
        }
        backend = self.backend
        for flag, value in given.items():
            if value is not None and backend != "remote":
                raise BadOptionError(
                    f"{flag} is for a remote endpoint; the backend here is {backend}"
                )

    def _load_options(self, infer: bool = False, extra: Sequence[Any] = ()) -> dict[str, Any]:
        """The arguments of :func:`kg.load` for what the options say (checked first)."""
        self.check_remote_options()
        return {
            "data": list(self.data) or None,
            "backend": self._backend,
            "infer": infer,
            "root": self.project,
            "extra": [*self.add, *extra],
            "store": self._store,
            "endpoint": self._endpoint,
            "update_endpoint": self.update_endpoint,
            "user": self.user,
            "graph": self.named_graph,
        }

    def graph_with(self, *files: Any):
        """The graph the options describe, plus each of ``files`` that exists and is not
        loaded already (``kg link`` loads the links file so); loaded afresh, not cached.

        Parameters
        ----------
        *files:
            Paths of data files.

        Returns
        -------
        KnowledgeGraph

        Example
        -------
        >>> len(Session().graph_with("/nonexistent.ttl")) == len(Session().graph())
        True
        """
        import kg

        loaded = {Path(p).resolve() for p in self.add}
        more = [Path(f) for f in files if Path(f).exists() and Path(f).resolve() not in loaded]
        return kg.load(**self._load_options(extra=more))

    def graph(self, infer: bool = False):
        """Load the graph (once per ``infer`` value) and return the KnowledgeGraph.

        The options go to :func:`kg.load` as given: it infers the backend, and a remote
        option (``--user``, ``--update-endpoint``, ``--graph``) given for a store that is
        not remote is an error there, not dropped.

        Parameters
        ----------
        infer:
            Add the OWL 2 RL closure after loading.

        Returns
        -------
        KnowledgeGraph

        Raises
        ------
        KgError
            A missing project or file, or an option the backend does not take.

        Example
        -------
        >>> Session(root="/nonexistent").graph()
        Traceback (most recent call last):
        ...
        kg.errors.MissingFileError: no project folder /nonexistent (given by --root); ...
        >>> Session(backend="memory", user="ann").graph()
        Traceback (most recent call last):
        ...
        kg.errors.BadOptionError: --user is for a remote endpoint; the backend here is memory
        """
        if infer not in self._graphs:
            import kg

            load = kg.load
            if self.cache:
                from kg.cache import load_cached as load
            self._graphs[infer] = load(**self._load_options(infer=infer))
        return self._graphs[infer]


#: Decorator giving a command the Session as its first argument.
pass_session = click.make_pass_decorator(Session)
