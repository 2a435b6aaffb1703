"""One named query: a ``.rq`` file and what its header comments say about it.

The header (see :mod:`kg.queries`, the registry of these files) gives the question the
query answers and its parameters, each with its type and, maybe, its default.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.errors import KgError, MissingFileError

__all__ = ["NamedQuery", "default_term", "load_query_file"]


@dataclass(frozen=True)
class NamedQuery:
    """One named SPARQL query and what its header says about it.

    Parameters
    ----------
    name:
        The file name without ``.rq``.
    path:
        The file.
    text:
        The whole file (comments included; they are SPARQL comments).
    question:
        The ``# question:`` line, or ``""``.
    params:
        ``(name, description)`` for each ``# param:`` line.
    defaults:
        ``(name, N3 term)`` for each parameter with a ``(default: ...)``.
    types:
        ``(name, type)`` for each parameter whose type is declared.

    Returns
    -------
    NamedQuery

    Example
    -------
    >>> q = NamedQuery("x", Path("x.rq"), "ASK {}", "Is it?", (("state", "a state"),))
    >>> q.param_names
    ['state']
    """

    name: str
    path: Path
    text: str
    question: str = ""
    params: tuple[tuple[str, str], ...] = field(default=())
    defaults: tuple[tuple[str, str], ...] = field(default=())
    types: tuple[tuple[str, str], ...] = field(default=())

    @property
    def param_names(self) -> list[str]:
        """The declared parameter names."""
        return [name for name, _ in self.params]

    def param_type(self, name: str) -> str | None:
        """The declared type of parameter ``name``, or None."""
        return dict(self.types).get(name)

    def check_bindings(self, bindings: dict[str, Any]) -> dict[str, Any]:
        """Check each value of a typed parameter against its type; return the terms.

        Parameters
        ----------
        bindings:
            Parameter name -> value (a term, or a Python value or string as typed).

        Returns
        -------
        dict
            The same names; typed parameters' values as rdflib terms, others unchanged.

        Raises
        ------
        BadOptionError
            For the first value that is not of its type (see :func:`kg.query_params.check_value`).

        Example
        -------
        >>> q = NamedQuery("q", Path("q.rq"), "ASK {}", types=(("n", "integer"),))
        >>> q.check_bindings({"n": "12"})["n"].toPython()
        12
        >>> q.check_bindings({"n": "twelve"})
        Traceback (most recent call last):
        ...
        kg.errors.BadOptionError: query q: n must be an integer, not 'twelve'
        """
        from kg.query_params import check_value

        types = dict(self.types)
        return {
            name: check_value(self.name, name, types[name], value) if name in types else value
            for name, value in bindings.items()
        }


def load_query_file(path: str | Path) -> NamedQuery:
    """Read one ``.rq`` file and its header comments.

    Parameters
    ----------
    path:
        The query file.

    Returns
    -------
    NamedQuery

    Example
    -------
    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "members.rq")
    >>> _ = open(p, "w").write("# question: Who is a member?\\n# param: org - the alliance\\n"
    ...                        "SELECT ?m WHERE { ?m ?p ?org }\\n")
    >>> q = load_query_file(p)
    >>> q.name, q.question, q.params
    ('members', 'Who is a member?', (('org', 'the alliance'),))
    >>> _ = open(p, "w").write('# param: day - a date (default: "2023-09-01"^^xsd:date)\\nASK {}')
    >>> load_query_file(p).defaults
    (('day', '"2023-09-01"^^xsd:date'),)
    >>> _ = open(p, "w").write("# param: day date - a date\\n# param: who iri - a speaker\\nASK {}")
    >>> load_query_file(p).types
    (('day', 'date'), ('who', 'iri'))
    """
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise MissingFileError(f"no such file: {path}") from None
    except IsADirectoryError:
        raise MissingFileError(f"{path} is a folder, not a query file") from None
    question, params, defaults, types = _read_header(text, file)
    return NamedQuery(file.stem, file, text, question, tuple(params), tuple(defaults), tuple(types))


_DEFAULT = re.compile(r"\(default:?\s*(?P<term>.+)\)\s*$")


def _read_header(text: str, path: Path) -> tuple[str, list, list, list]:
    """Collect ``# question:`` and ``# param:`` from the leading comment lines.

    A ``# param:`` line is ``NAME [TYPE] - description``; the description may end in
    ``(default: TERM)``, TERM in N3, such as ``"2023-09-01"^^xsd:date``.
    """
    from kg.query_params import PARAM_TYPES

    question = ""
    params: list[tuple[str, str]] = []
    defaults: list[tuple[str, str]] = []
    types: list[tuple[str, str]] = []
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("#"):
            break
        key, sep, value = stripped.lstrip("#").strip().partition(":")
        if not sep:
            continue
        key, value = key.strip().lower(), value.strip()
        if key == "question":
            question = value
        elif key == "param":
            head, _, description = value.partition(" - ")
            if not head.split():
                raise KgError("a # param: line without a name", path=path, line=number)
            name, *kind = head.split()
            name = name.lstrip("?$")
            if len(kind) > 1 or (kind and kind[0].lower() not in PARAM_TYPES):
                known = ", ".join(PARAM_TYPES)
                raise KgError(
                    f"parameter {name}: unknown type {' '.join(kind)!r} (known: {known})",
                    path=path,
                    line=number,
                )
            params.append((name, description.strip()))
            if kind:
                types.append((name, kind[0].lower()))
            default = _DEFAULT.search(description)
            if default:
                defaults.append((name, default["term"].strip()))
    return question, params, defaults, types


def default_term(n3: str, query: NamedQuery) -> Any:
    """The rdflib term that a ``(default: ...)`` header gives in N3, with the usual prefixes.

    Parameters
    ----------
    n3:
        The default as written in the header, e.g. ``"2023-09-01"^^xsd:date``.
    query:
        The query whose header it is (named in the error).

    Returns
    -------
    rdflib.term.Node

    Raises
    ------
    KgError
        The text is not an N3 term.

    Example
    -------
    >>> default_term('"2023-09-01"^^xsd:date', NamedQuery("q", Path("q.rq"), "")).toPython()
    datetime.date(2023, 9, 1)
    """
    import rdflib
    from rdflib.util import from_n3

    from kg.namespaces import bind_prefixes

    graph = rdflib.Graph()  # binds xsd: and the other W3C prefixes by default
    bind_prefixes(graph)
    try:
        return from_n3(n3, nsm=graph.namespace_manager)
    except Exception as exc:  # rdflib raises several kinds for bad N3
        raise KgError(f"{query.path}: bad default {n3!r} ({exc})") from None
