"""The named-query registry: the ``.rq`` files of ``ontology/queries/``.

Each file starts with comment lines that describe it::

    # question: Which states are members of which alliances?
    # param: state - the state to restrict the answer to (optional)
    SELECT ...

The name of a query is its file name without ``.rq``.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import MissingFileError, UnknownQueryError
from kg.paths import project_paths


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

    @property
    def param_names(self) -> list[str]:
        """The declared parameter names."""
        return [name for name, _ in self.params]


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
    """
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise MissingFileError(f"no such file: {path}") from None
    except IsADirectoryError:
        raise MissingFileError(f"{path} is a folder, not a query file") from None
    question, params, defaults = _read_header(text)
    return NamedQuery(file.stem, file, text, question, tuple(params), tuple(defaults))


_DEFAULT = re.compile(r"\(default:?\s*(?P<term>.+)\)\s*$")


def _read_header(text: str) -> tuple[str, list[tuple[str, str]], list[tuple[str, str]]]:
    """Collect ``# question:`` and ``# param:`` from the leading comment lines.

    A parameter's description may end in ``(default: TERM)``, TERM in N3, such as
    ``"2023-09-01"^^xsd:date``.
    """
    question = ""
    params: list[tuple[str, str]] = []
    defaults: list[tuple[str, str]] = []
    for line in text.splitlines():
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
            name, _, description = value.partition(" - ")
            name = name.strip().lstrip("?$")
            params.append((name, description.strip()))
            default = _DEFAULT.search(description)
            if default:
                defaults.append((name, default["term"].strip()))
    return question, params, defaults


def list_queries(directory: str | Path | None = None) -> list[NamedQuery]:
    """Return every named query in ``directory``, sorted by name.

    Parameters
    ----------
    directory:
        A folder of ``.rq`` files; default ``ontology/queries/`` of the project.

    Returns
    -------
    list[NamedQuery]
        Empty when the folder does not exist yet.

    Example
    -------
    >>> import tempfile
    >>> list_queries(tempfile.mkdtemp())
    []
    """
    folder = Path(directory) if directory is not None else project_paths().queries
    if not folder.is_dir():
        return []
    return [load_query_file(p) for p in sorted(folder.glob("*.rq"))]


def get_query(name: str, directory: str | Path | None = None) -> NamedQuery:
    """Return the named query ``name``.

    Parameters
    ----------
    name:
        The query's file name without ``.rq``.
    directory:
        A folder of ``.rq`` files; default ``ontology/queries/`` of the project.

    Returns
    -------
    NamedQuery

    Raises
    ------
    UnknownQueryError
        Naming the closest matches, or listing the known names.

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
    folder = Path(directory) if directory is not None else project_paths().queries
    path = folder / f"{name}.rq"
    if "/" not in name and "\\" not in name and path.is_file():
        return load_query_file(path)
    names = sorted(p.stem for p in folder.glob("*.rq")) if folder.is_dir() else []
    close = difflib.get_close_matches(name, names, n=3, cutoff=0.6)
    if close:
        hint = f"did you mean: {', '.join(close)}?"
    elif names:
        hint = f"known queries: {', '.join(names)}"
    else:
        hint = f"no queries in {folder}"
    raise UnknownQueryError(f"unknown query {name!r}; {hint}")
