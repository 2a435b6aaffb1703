"""Scrub a secret from this process's command line (``ps``, ``/proc/PID/cmdline``).

CPython keeps its own copy of the arguments (``sys.argv``) but cannot change what the
kernel shows; setproctitle rewrites the original argv memory, which is what ``ps`` and
``/proc/PID/cmdline`` read. Children forked later (the query workers) inherit the
scrubbed memory. The secret was visible from the moment the process started until this
runs, so a token belongs in ``KG_SERVE_TOKEN`` or a token file, not on the command line.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

__all__ = ["HIDDEN", "hide_argument", "scrubbed"]

#: What the secret is replaced with.
HIDDEN = "***"


def scrubbed(argv: Sequence[str], option: str) -> list[str]:
    """``argv`` with the value of ``option`` (``--opt VALUE`` or ``--opt=VALUE``) hidden.

    Parameters
    ----------
    argv:
        The arguments.
    option:
        The option whose value is secret.

    Returns
    -------
    list[str]

    Example
    -------
    >>> scrubbed(["kg", "serve", "--token", "s3cret", "--token=s3cret"], "--token")
    ['kg', 'serve', '--token', '***', '--token=***']
    """
    shown, hide_next = [], False
    for arg in argv:
        if hide_next:
            shown.append(HIDDEN)
            hide_next = False
        elif arg == option:
            shown.append(arg)
            hide_next = True
        elif arg.startswith(option + "="):
            shown.append(f"{option}={HIDDEN}")
        else:
            shown.append(arg)
    return shown


def hide_argument(option: str) -> bool:
    """Rewrite this process's command line with the value of ``option`` hidden.

    Parameters
    ----------
    option:
        The option whose value is secret (``--token``).

    Returns
    -------
    bool
        Whether anything was hidden (False when the option is not on the command line,
        which is then left as it is).

    Example
    -------
    >>> hide_argument("--no-such-option-here")
    False
    """
    # sys.orig_argv is the interpreter's whole command line (python -m kg ...)
    argv = list(getattr(sys, "orig_argv", None) or [sys.executable, *sys.argv])
    shown = scrubbed(argv, option)
    if shown == argv:
        return False
    import setproctitle

    setproctitle.setproctitle(" ".join(shown))
    return True
