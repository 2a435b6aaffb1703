"""Anchor a quote in its source text: where it is, character-exact, as W3C Web Annotation
selectors (``oa:TextQuoteSelector`` exact/prefix/suffix and ``oa:TextPositionSelector``).

Positions count Unicode characters from 0 (the Web Annotation model's rule), ``end``
exclusive. A quote that is not in the text gets an error naming the closest passage and the
first character where the two differ, so "one character off" is easy to fix.
"""

from __future__ import annotations

from dataclasses import dataclass

from kg.errors import BadOptionError

__all__ = ["Anchor", "anchor_quote"]

#: Characters of context kept before and after the quote (the selector's prefix/suffix).
CONTEXT = 32


@dataclass(frozen=True)
class Anchor:
    """Where a quote is: ``start``/``end`` positions and its ``prefix``/``suffix`` context.

    Example
    -------
    >>> a = anchor_quote("Hello, world.", "world")
    >>> (a.start, a.end, a.prefix, a.exact, a.suffix)
    (7, 12, 'Hello, ', 'world', '.')
    """

    exact: str
    start: int
    end: int
    prefix: str
    suffix: str


def anchor_quote(text: str, quote: str, occurrence: int = 1) -> Anchor:
    """Find ``quote`` character-exact in ``text``.

    Parameters
    ----------
    text:
        The source's full text.
    quote:
        The quoted words.
    occurrence:
        Which occurrence (1 = first), when the same words appear more than once.

    Returns
    -------
    Anchor

    Raises
    ------
    BadOptionError
        (also a ValueError)
        ``quote not found in the text; closest passage (character 120) differs at
        character 5 of the quote: 'x' in the quote, 'y' in the text``.

    Example
    -------
    >>> anchor_quote("The minister said peace.", "minister said").start
    4
    >>> anchor_quote("The minister said peace.", "minister sad")
    Traceback (most recent call last):
    ...
    kg.errors.BadOptionError: quote not found in the text; the closest passage (at character 4) ...
    """
    if not quote:
        raise BadOptionError("empty quote")
    start = -1
    for _ in range(max(occurrence, 1)):
        start = text.find(quote, start + 1)
        if start < 0:
            break
    if start < 0:
        if occurrence > 1 and quote in text:
            raise BadOptionError(f"the quote occurs {text.count(quote)} times, not {occurrence}")
        raise BadOptionError("quote not found in the text" + _closest(text, quote))
    end = start + len(quote)
    return Anchor(
        quote, start, end, text[max(0, start - CONTEXT) : start], text[end : end + CONTEXT]
    )


def _closest(text: str, quote: str) -> str:
    """Describe the passage of ``text`` most like ``quote`` and their first difference."""
    from rapidfuzz import fuzz

    if not text:
        return " (the text is empty)"
    found = fuzz.partial_ratio_alignment(quote, text, score_cutoff=60)
    if found is None:
        return ""
    # The fuzzy match may start a few characters off: start where most of the quote agrees.
    candidates = range(max(0, found.dest_start - 4), found.dest_start + 5)
    begin = max(candidates, key=lambda b: (_common_prefix(text[b : b + len(quote)], quote), -b))
    passage = text[begin : begin + len(quote) + 5]
    for i, char in enumerate(quote):
        if i >= len(passage) or passage[i] != char:
            theirs = repr(passage[i]) if i < len(passage) else "the end of the text"
            return (
                f"; the closest passage (at character {begin}) differs at character {i + 1}"
                f" of the quote: {char!r} in the quote, {theirs} in the text"
            )
    return f"; the closest passage is at character {begin}"


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n
