"""The named-query registry: the ``.rq`` files of ``ontology/queries/``.

Each file starts with comment lines that describe it::

    # question: Which states are members of which alliances?
    # param: state iri - the state to restrict the answer to (optional)
    # param: asOf date - the day to look at (default: "2023-09-01"^^xsd:date)
    SELECT ...

A parameter's type (``date``, ``iri``, ``integer``, ``decimal``, ``boolean``, ``string``; see
:mod:`kg.query_params`) follows its name; values given for it are checked against it. The
name of a query is its file name without ``.rq``.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.errors import KgError, MissingFileError, UnknownQueryError
from kg.project import open_project


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


def _folders(directory: str | Path | Sequence[str | Path] | None) -> list[Path]:
    """The query folders to search, lowest priority first."""
    if directory is None:
        return list(open_project().queries)
    if isinstance(directory, str | Path):
        return [Path(directory)]
    return [Path(d) for d in directory]


def _query_files(folders: list[Path]) -> dict[str, Path]:
    """name -> file; a later folder's query replaces an earlier one of the same name."""
    files: dict[str, Path] = {}
    for folder in folders:
        if folder.is_dir():
            files.update((p.stem, p) for p in sorted(folder.glob("*.rq")))
    return dict(sorted(files.items()))


def where(directory: str | Path | Sequence[str | Path] | None = None) -> str:
    """Say which folders the queries are looked up in, for messages.

    Example
    -------
    >>> where(["/a", "/b"])
    '/a, /b'
    """
    return ", ".join(str(f) for f in dict.fromkeys(_folders(directory)))


def list_queries(directory: str | Path | Sequence[str | Path] | None = None) -> list[NamedQuery]:
    """Return every named query in ``directory``, sorted by name.

    Parameters
    ----------
    directory:
        A folder of ``.rq`` files, or several (a query in a later folder replaces one of
        the same name in an earlier folder); default the project's (see
        :attr:`kg.project.Project.queries`).

    Returns
    -------
    list[NamedQuery]
        Empty when no folder exists.

    Example
    -------
    >>> import tempfile, os
    >>> a, b = tempfile.mkdtemp(), tempfile.mkdtemp()
    >>> _ = open(os.path.join(a, "x.rq"), "w").write("# question: old\\nASK {}")
    >>> _ = open(os.path.join(b, "x.rq"), "w").write("# question: new\\nASK {}")
    >>> [q.question for q in list_queries([a, b])], list_queries(tempfile.mkdtemp())
    (['new'], [])
    """
    return [load_query_file(p) for p in _query_files(_folders(directory)).values()]


def get_query(name: str, directory: str | Path | Sequence[str | Path] | None = None) -> NamedQuery:
    """Return the named query ``name``.

    Parameters
    ----------
    name:
        The query's file name without ``.rq``.
    directory:
        A folder of ``.rq`` files, or several (see :func:`list_queries`); default the
        project's.

    Returns
    -------
    NamedQuery

    Raises
    ------
    UnknownQueryError
        Naming the closest matches, or listing the known names, and where kg looked.

    Example
    -------
    >>> import tempfile, os
    >>> d = tempfile.mkdtemp()
    >>> _ = open(os.path.join(d, "alliance_members.rq"), "w").write("ASK {}")
    >>> get_query("alliance_members", d).text
    'ASK {}'
    >>> get_query("aliance_member", d)
    Traceback (most recent call last):
    ...
    kg.errors.UnknownQueryError: unknown query 'aliance_member'; did you mean: alliance_members?
    """
    folders = _folders(directory)
    files = _query_files(folders)
    if "/" not in name and "\\" not in name and name in files:
        return load_query_file(files[name])
    close = difflib.get_close_matches(name, list(files), n=3, cutoff=0.6)
    if close:
        hint = f"did you mean: {', '.join(close)}?"
    elif files:
        hint = (
            f"known queries: {', '.join(files)} (from {where(folders)}; a project's "
            "ontology/queries/ adds its own)"
        )
    else:
        hint = (
            f"no queries in {where(folders)} (a project's ontology/queries/ holds its own; "
            "point --root or KG_ROOT at another project)"
        )
    raise UnknownQueryError(f"unknown query {name!r}; {hint}")


def example_text(query: NamedQuery, **bindings: Any) -> str:
    """The query's text with its parameters bound: given values (checked) or defaults.

    For showing a named query as a runnable example (kg serve's page): a parameter with
    neither a value nor a default stays a variable.

    Parameters
    ----------
    query:
        The named query.
    **bindings:
        Values for its parameters, checked against their declared types.

    Returns
    -------
    str

    Raises
    ------
    BadOptionError
        For a value that is not of its parameter's type.

    Example
    -------
    >>> q = NamedQuery("q", Path("q.rq"), "SELECT ?x WHERE { ?x ?p ?day }",
    ...                types=(("day", "date"),))
    >>> "2024-03-01" in example_text(q, day="2024-03-01")
    True
    >>> example_text(q, day="2024-02-30")
    Traceback (most recent call last):
    ...
    kg.errors.BadOptionError: query q: day must be a date written YYYY-MM-DD, not '2024-02-30' (...)
    """
    from kg.backends.bindings import to_terms
    from kg.backends.sparql_text import bind_variables

    terms = query.check_bindings(bindings)
    for name, n3 in query.defaults:
        terms.setdefault(name, default_term(n3, query))
    return bind_variables(query.text, to_terms(terms)) if terms else query.text


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
