"""The global options of the ``kg`` command, and the graph they describe, loaded on demand.

Commands that do not need the graph (``kg queries``, ``--help``) never load it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import click


@dataclass
class Session:
    """What the group options say to load, and the loaded graph once a command asks for it.

    Parameters
    ----------
    root:
        The project folder (``--root``), or None for the repository.
    data:
        Files to load instead of ``data/triples.ttl`` (``--data``).
    add:
        Files to load beside the data (``--add``).
    backend, store, endpoint:
        The backend and its options.

    Returns
    -------
    Session

    Example
    -------
    >>> Session(root="/p").paths.queries.as_posix()
    '/p/ontology/queries'
    """

    root: str | None = None
    data: Sequence[str] = ()
    add: Sequence[str] = ()
    backend: str = "memory"
    store: str | None = None
    endpoint: str | None = None
    update_endpoint: str | None = None
    user: str | None = None
    _graphs: dict[bool, Any] = field(default_factory=dict, repr=False)

    @property
    def paths(self):
        """The project's file locations (:class:`kg.paths.ProjectPaths`)."""
        from kg.paths import project_paths

        return project_paths(self.root)

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
        kg.errors.MissingFileError: no such file: /nonexistent/ontology/kg.ttl
        """
        if infer not in self._graphs:
            import kg

            backend = self.backend
            if backend == "memory" and (self.store or self.endpoint):
                # --store means the oxigraph backend, --endpoint the remote one
                backend = "oxigraph" if self.store else "remote"
            remote = {"update_endpoint": self.update_endpoint, "user": self.user}
            self._graphs[infer] = kg.load(
                list(self.data) or None,
                backend=backend,
                **(remote if backend == "remote" else {}),
                infer=infer,
                root=self.root,
                extra=list(self.add),
                store=self.store,
                endpoint=self.endpoint,
            )
        return self._graphs[infer]


#: Decorator giving a command the Session as its first argument.
pass_session = click.make_pass_decorator(Session)
