"""Oxigraph's SPARQL syntax errors as one line: ``line N: SPARQL syntax error: ... (column C)``."""

from __future__ import annotations

import re

from kg.errors import SparqlSyntaxError

__all__ = ["sparql_error"]

_ERROR_AT = re.compile(r"^error at (\d+):(\d+): ")


def sparql_error(exc: SyntaxError) -> SparqlSyntaxError:
    """Turn Oxigraph's ``error at L:C: expected ...`` into a one-line SparqlSyntaxError.

    Parameters
    ----------
    exc:
        The SyntaxError pyoxigraph raised.

    Returns
    -------
    SparqlSyntaxError

    Example
    -------
    >>> str(sparql_error(SyntaxError("error at 2:5: expected one of " + "x, " * 100)))[:60]
    'line 2: SPARQL syntax error: expected one of x, x, x, x, x, '
    """
    message = " ".join(str(exc).split())
    line = None
    if m := _ERROR_AT.match(message):
        line, column = int(m.group(1)), int(m.group(2))
        message = message[m.end() :]
        if "Prefix not found" in message:
            message = "unknown prefix or bad prefixed name"
        elif len(message) > 120:
            message = message[:117] + "..."
        message = f"{message} (column {column})"
    return SparqlSyntaxError(f"SPARQL syntax error: {message}", line=line)
