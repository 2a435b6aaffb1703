"""The bearer token that guards SPARQL Update: one rule, checked in one place.

``kg serve`` (:mod:`kg.cli.serve`) and :func:`kg.serve.app.create_app` both call
:func:`token_problem`, so the command line and the library accept exactly the same tokens;
:func:`refuse_update` is the per-request check.
"""

from __future__ import annotations

import hmac

from kg.serve.evaluate import Reply, error_reply

__all__ = ["MIN_LENGTH", "refuse_update", "token_problem"]

#: Shortest token accepted (a guessable token is no guard).
MIN_LENGTH = 16


def token_problem(token: str | None) -> str | None:
    """What is wrong with ``token`` as the update token, or None when it is acceptable.

    The rule: at least :data:`MIN_LENGTH` printable ASCII characters (a header carries
    the token, and headers are ASCII).

    Parameters
    ----------
    token:
        The token, or None when none was given.

    Returns
    -------
    str or None
        A phrase to follow the token's source ("needs ...", "must be ...").

    Example
    -------
    >>> token_problem(None), token_problem("x" * 16)
    ('needs a token of 16+ characters', None)
    >>> token_problem("t\\u00e9l\\u00e9phone-0123456789")
    'must be printable ASCII'
    """
    if token and not (token.isascii() and token.isprintable()):
        return "must be printable ASCII"
    if not token or len(token) < MIN_LENGTH:
        return f"needs a token of {MIN_LENGTH}+ characters"
    return None


def refuse_update(authorization: str, allow_update: bool, token: str | None) -> Reply | None:
    """The refusal of an update request, or None when it may run.

    Parameters
    ----------
    authorization:
        The request's ``Authorization`` header ("" when absent).
    allow_update:
        Whether the operator enabled updates.
    token:
        The operator's token.

    Returns
    -------
    Reply or None
        403 when updates are off, 401 without the right bearer token.

    Example
    -------
    >>> refuse_update("", False, None).status
    403
    >>> refuse_update("Bearer nope", True, "s" * 16).status
    401
    >>> refuse_update("Bearer " + "s" * 16, True, "s" * 16) is None
    True
    """
    if not allow_update:
        return error_reply(403, "SPARQL Update is disabled: this endpoint is read-only")
    scheme, _, given = authorization.partition(" ")
    # bytes, not str: compare_digest refuses non-ASCII text (headers arrive as latin-1)
    offered = given.strip().encode("latin-1", "replace")
    if scheme.lower() != "bearer" or not hmac.compare_digest(offered, (token or "").encode()):
        reply = error_reply(401, "an update needs the operator's bearer token")
        reply.headers["WWW-Authenticate"] = 'Bearer realm="kg"'
        return reply
    return None
