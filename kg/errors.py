"""The one exception type the library raises for bad input, and its kinds.

Every error the user can cause (a malformed file, a missing file, an unknown query name,
a SPARQL syntax error, a bad option) is a :class:`KgError`. Its ``str()`` is one line,
``path:line: what is wrong`` when the error has a location, so the command line can print
it as is, without a traceback.

Each kind is also the built-in exception it matches, so code that knows nothing of kg
catches it as usual: a :class:`MissingFileError` is a :class:`FileNotFoundError`, an
:class:`UnknownQueryError` a :class:`LookupError`, and bad text or a bad value
(:class:`ParseError`, :class:`SparqlSyntaxError`, :class:`BadOptionError`) a
:class:`ValueError`.
"""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "BadOptionError",
    "KgError",
    "MissingFileError",
    "ParseError",
    "SparqlSyntaxError",
    "UnknownQueryError",
]


class KgError(Exception):
    """An error caused by the input, reported as one line.

    Parameters
    ----------
    message:
        What is wrong, without the location. Newlines are folded into spaces.
    path:
        The file the error is in, if any.
    line:
        The 1-based line number in ``path`` (or in the query text), if known.

    Returns
    -------
    KgError
        ``str(error)`` is ``"path:line: message"``, ``"path: message"`` or ``"message"``.

    Example
    -------
    >>> str(KgError("unexpected token", path="data/x.ttl", line=12))
    'data/x.ttl:12: unexpected token'
    >>> str(KgError("no such file: a.ttl"))
    'no such file: a.ttl'
    """

    def __init__(self, message: str, *, path: str | Path | None = None, line: int | None = None):
        self.message = " ".join(str(message).split())
        self.path = str(path) if path is not None else None
        self.line = line
        super().__init__(self.__str__())

    def __str__(self) -> str:
        if self.path and self.line is not None:
            return f"{self.path}:{self.line}: {self.message}"
        if self.path:
            return f"{self.path}: {self.message}"
        if self.line is not None:
            return f"line {self.line}: {self.message}"
        return self.message

    def at(self, path: str | Path) -> KgError:
        """Return a copy of this error located in ``path`` (keeping its line and class).

        Parameters
        ----------
        path:
            The file the error text came from, e.g. the ``.rq`` file a query was read from.

        Returns
        -------
        KgError
            A new error of the same class.

        Example
        -------
        >>> str(SparqlSyntaxError("Expected SelectQuery", line=2).at("q.rq"))
        'q.rq:2: Expected SelectQuery'
        """
        return type(self)(self.message, path=path, line=self.line)


class ParseError(KgError, ValueError):
    """An RDF file (or RDF text) that its parser rejects; also a :class:`ValueError`.

    Example
    -------
    >>> isinstance(ParseError("bad"), KgError), isinstance(ParseError("bad"), ValueError)
    (True, True)
    """


class MissingFileError(KgError, FileNotFoundError):
    """A file or folder that the user named (or that the project needs) does not exist; also
    a :class:`FileNotFoundError`.

    Example
    -------
    >>> str(MissingFileError("no such file: x.ttl"))
    'no such file: x.ttl'
    >>> try:
    ...     raise MissingFileError("no such file", path="x.ttl")
    ... except FileNotFoundError as error:
    ...     print(error)
    x.ttl: no such file
    """


class UnknownQueryError(KgError, LookupError):
    """A named query that is not in the query folder; also a :class:`LookupError`.

    Example
    -------
    >>> str(UnknownQueryError("unknown query 'x'"))
    "unknown query 'x'"
    """


class SparqlSyntaxError(KgError, ValueError):
    """SPARQL text that the SPARQL parser rejects; also a :class:`ValueError`.

    Example
    -------
    >>> str(SparqlSyntaxError("Expected SelectQuery", line=1))
    'line 1: Expected SelectQuery'
    """


class BadOptionError(KgError, ValueError):
    """An option or parameter value that is not allowed (an unknown format, backend ...);
    also a :class:`ValueError`.

    Example
    -------
    >>> str(BadOptionError("unknown format 'yaml'"))
    "unknown format 'yaml'"
    """
