"""The error a source file gets: ``file:line:column: what is wrong``."""

from __future__ import annotations

from pathlib import Path

from kg.errors import KgError

__all__ = ["SourceError"]


class SourceError(KgError):
    """Bad input in a source file, located by line and column (1-based) of the YAML.

    Parameters
    ----------
    message:
        What is wrong.
    path:
        The source file.
    line, column:
        Where, 1-based; ``column`` may be None.

    Returns
    -------
    SourceError

    Example
    -------
    >>> str(SourceError("unknown field 'speeker'", path="s.yaml", line=4, column=5))
    "s.yaml:4:5: unknown field 'speeker'"
    >>> str(SourceError("no such file: s.yaml"))
    'no such file: s.yaml'
    """

    def __init__(
        self,
        message: str,
        *,
        path: str | Path | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        self.column = column
        super().__init__(message, path=path, line=line)

    def __str__(self) -> str:
        if self.path and self.line is not None and self.column is not None:
            return f"{self.path}:{self.line}:{self.column}: {self.message}"
        return super().__str__()

    def at(self, path: str | Path) -> SourceError:
        """A copy located in ``path``, keeping line and column.

        Example
        -------
        >>> str(SourceError("x", line=1, column=2).at("a.yaml"))
        'a.yaml:1:2: x'
        """
        return SourceError(self.message, path=path, line=self.line, column=self.column)
