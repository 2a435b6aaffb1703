"""A worker's memory of checked queries: each text is canonicalised, checked and (on rdflib)
parsed once per process, however long it is.

rdflib's SPARQL parser is slow on long texts: the 22 kB named query
``connections_armenia_russia`` takes 4-10 s to parse, against 2-3 s to evaluate. Keeping
only short texts (8 kB, as before) made every request for it parse again. The bound is on
characters of text instead (a parsed query holds about 200 bytes per character), and the
zygote fills it with the page's examples before it forks a worker (:meth:`warm`), so every
worker, including one that replaces a worker killed at the timeout, starts with them.
Refusals raise, so they are never kept.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from kg.serve.guard import Limits, prepared_query

__all__ = ["CHECKED_CHARACTERS", "CheckedForms", "checked_forms"]

#: Characters of query text whose checked form one process keeps (about 50 MB parsed).
CHECKED_CHARACTERS = 256 * 1024


class CheckedForms:
    """``prepared_query`` remembered, least recently used first out, bounded in characters.

    Parameters
    ----------
    max_characters:
        The bound on the summed length of the texts kept.

    Returns
    -------
    CheckedForms

    Example
    -------
    >>> forms = CheckedForms(100)
    >>> forms.get("ASK { } # hi", Limits(), False)[:2]
    ('ASK', 'ASK { }')
    >>> forms.size, len(forms)
    (12, 1)
    """

    def __init__(self, max_characters: int = CHECKED_CHARACTERS) -> None:
        self.max_characters = max_characters
        self.size = 0
        self._kept: OrderedDict[tuple[str, Limits, bool], tuple[str, str, Any]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._kept)

    def get(self, text: str, limits: Limits, parse: bool) -> tuple[str, str, Any]:
        """The form, canonical text and (``parse``) rdflib's parse of ``text``.

        Raises what :func:`~kg.serve.guard.prepared_query` raises.
        """
        key = (text, limits, parse)
        found = self._kept.get(key)
        if found is not None:
            self._kept.move_to_end(key)
            return found
        found = prepared_query(text, limits, parse=parse)
        if len(text) <= self.max_characters // 2:
            self._kept[key] = found
            self.size += len(text)
            while self.size > self.max_characters:
                (old, _limits, _parse), _found = self._kept.popitem(last=False)
                self.size -= len(old)
        return found

    def warm(self, texts: tuple[str, ...], limits: Limits, parse: bool) -> None:
        """Check ``texts`` now (those refused are skipped), so that no job pays for them."""
        for text in texts:
            try:
                self.get(text, limits, parse)
            except Exception:  # noqa: BLE001  # a refused example is refused again per job
                continue


#: This process's checked forms (a forked worker inherits the zygote's).
checked_forms = CheckedForms()
