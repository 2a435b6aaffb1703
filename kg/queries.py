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
from collections.abc import Sequence
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


def _folders(directory: str | Path | Sequence[str | Path] | None) -> list[Path]:
    """The query folders to search, lowest priority first."""
    if directory is None:
        return list(project_paths().queries)
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
        hint = f"known queries: {', '.join(files)}"
    else:
        hint = (
            f"no queries in {where(folders)} (a project's ontology/queries/ holds its own; "
            "point --root or KG_ROOT at another project)"
        )
    raise UnknownQueryError(f"unknown query {name!r}; {hint}")
