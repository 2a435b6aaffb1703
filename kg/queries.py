"""The named-query registry: the ``.rq`` files of ``ontology/queries/``.

Each file starts with comment lines that describe it::

    # question: Which states are members of which alliances?
    # param: state iri - the state to restrict the answer to (optional)
    # param: asOf date - the day to look at (default: "2023-09-01"^^xsd:date)
    SELECT ...

A parameter's type (``date``, ``iri``, ``integer``, ``decimal``, ``boolean``, ``string``; see
:mod:`kg.query_params`) follows its name; values given for it are checked against it. The
name of a query is its file name without ``.rq``. One query and its file are
:mod:`kg.named_query` (its names are also here).
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from kg.errors import UnknownQueryError
from kg.named_query import NamedQuery, default_term, load_query_file
from kg.project import open_project

__all__ = [
    "default_term",
    "example_text",
    "find_query",
    "get_query",
    "list_queries",
    "load_query_file",
    "NamedQuery",
    "where",
]


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


def find_query(
    source: str, directory: str | Path | Sequence[str | Path] | None = None
) -> NamedQuery:
    """The query ``source`` names: a ``.rq`` file, or else a named query (``kg query``).

    Parameters
    ----------
    source:
        A path (it ends in ``.rq``, holds a ``/`` or is an existing file) or a query name.
    directory:
        Where named queries are (see :func:`get_query`); default the project's.

    Returns
    -------
    NamedQuery

    Raises
    ------
    MissingFileError
        A path that is not a file.
    UnknownQueryError
        A name that no query has.

    Example
    -------
    >>> import tempfile, os
    >>> d = tempfile.mkdtemp()
    >>> _ = open(os.path.join(d, "members.rq"), "w").write("ASK {}")
    >>> find_query("members", d).name, find_query(os.path.join(d, "members.rq")).name
    ('members', 'members')
    """
    looks_like_a_path = source.endswith(".rq") or "/" in source or Path(source).is_file()
    return load_query_file(source) if looks_like_a_path else get_query(source, directory)


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
