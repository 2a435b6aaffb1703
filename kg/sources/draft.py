"""``kg draft``: a first source file from plain text, every proposal marked for review.

Offline and rule-based (see :mod:`kg.sources.findings`): quotations with a reporting verb
become statements with their likely speaker, sentences with a date become events, names
the graph knows are referred to by IRI, and countries, cities and speakers it does not
know become proposed entities. Every proposal has ``reviewed: false``: ``kg add`` of the
unedited draft adds only the source document. Reviewing means correcting a proposal and
deleting its ``reviewed: false`` line (or deleting the proposal).
"""

from __future__ import annotations

import json
import os
import re
from datetime import date
from pathlib import Path
from typing import Any

from kg.namespaces import ONTOLOGY_IRI
from kg.sources.findings import find_dates, find_names, person_candidates, quotations, sentences
from kg.sources.model import id_from_label

__all__ = ["draft_source"]

KG = ONTOLOGY_IRI
_SPEAKER_CLASSES = ("Person", "GovernmentBody", "State", "InternationalOrganization", "Actor")
_PLACE_CLASSES = ("Place", "Region", "Settlement", "Corridor")


def draft_source(
    article: str | Path,
    graph: Any = None,
    *,
    out: str | Path | None = None,
    title: str | None = None,
    url: str | None = None,
    published: str | None = None,
    publisher: str | None = None,
) -> str:
    """The YAML text of a draft source file for ``article``.

    Parameters
    ----------
    article:
        The plain-text file.
    graph:
        The project's rdflib Graph (its labels are the names the draft knows), or None.
    out:
        Where the draft will be written (``text_file`` is made relative to it).
    title, url, published, publisher:
        The source's metadata; ``published`` (a date) resolves "on Tuesday" and the like.

    Returns
    -------
    str

    Raises
    ------
    SourceError
        A missing article, or a publication date that is not a date.
    """
    path = Path(article)
    text = _read_article(path)
    pub, published = _publication_date(published)
    known = _known(graph)
    sents = sentences(text)
    title = title or (sents[0].text.splitlines()[0] if sents else path.stem)
    base = Path(out).parent if out else Path.cwd()
    meta = {
        "id": id_from_label(path.stem).lower()
        if not path.stem.replace("-", "").isalnum()
        else path.stem,
        "title": title,
        "url": url,
        "publisher": publisher,
        "published": published,
        "language": "en",
        "text_file": os.path.relpath(path.resolve(), base.resolve()),
    }
    proposals: dict[str, dict[str, Any]] = {}
    names = find_names(text, [(iri, label) for iri, (label, _) in known.labels()])
    claims = []
    last: tuple[str, str] | None = None  # the last person named: whom "She said" means
    for sentence in sents:
        inside = [n for n in names if sentence.start <= n.start < sentence.end]
        dates = find_dates(sentence.text, pub)
        quotes = quotations(sentence)
        for quote in quotes:
            claim, said_by = _statement(
                sentence, quote, inside, dates, known, proposals, published, last
            )
            claims.append(claim)
            last = said_by or last
        last = _last_person(sentence, inside, known, quotes) or last
        if dates and not quotes and len(sentence.text.split()) >= 5:
            claims.append(_event(sentence, inside, dates, known, proposals))
    for name in names:
        if "gazetteer" in name.details:
            _propose(
                proposals,
                name.text,
                "State" if name.details["gazetteer"] == "country" else "Settlement",
                "a country or city of the gazetteer",
            )
    return _render(meta, proposals, claims, names, known)


def _read_article(path: Path) -> str:
    from kg.sources.errors import SourceError

    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or exc
        raise SourceError(f"cannot read {path}: {reason}") from None


def _publication_date(published: str | None) -> tuple[date | None, str | None]:
    """The ``--date`` as a day (to resolve relative dates against, when it is one) and as
    the lexical form written to the draft."""
    from kg.sources.dates import parse_date
    from kg.sources.errors import SourceError

    if not published:
        return None, published
    try:
        parsed = parse_date(published)
    except ValueError as exc:
        raise SourceError(f"--date: {exc}") from None
    day = date.fromisoformat(parsed.lexical) if parsed.precision == "day" else None
    return day, parsed.lexical


class _Known:
    """The graph's entities: label and classes by IRI."""

    def __init__(self, rows: dict[str, tuple[str, set[str]]]) -> None:
        self.rows = rows

    def labels(self) -> list[tuple[str, tuple[str, set[str]]]]:
        return list(self.rows.items())

    def is_a(self, iri: str, names: tuple[str, ...]) -> bool:
        return any(c.rsplit("#", 1)[-1] in names for c in self.rows.get(iri, ("", set()))[1])


def _known(graph: Any) -> _Known:
    rows: dict[str, tuple[str, set[str]]] = {}
    if graph is None:
        return _Known(rows)
    from rdflib import RDF, RDFS, SKOS

    for s, t in graph.subject_objects(RDF.type):
        if str(t).startswith(KG) and not str(t).endswith("SourceDocument"):
            label = graph.value(s, RDFS.label)
            if label is not None:
                rows.setdefault(str(s), (str(label), set()))[1].add(str(t))
    for s, alt in graph.subject_objects(SKOS.altLabel):
        if str(s) in rows:
            rows.setdefault(f"{s}#alt:{alt}", (str(alt), rows[str(s)][1]))
    return _Known(rows)


def _ref(iri_or_name: str) -> str:
    from kg.namespaces import shorten

    iri = iri_or_name.split("#alt:")[0]
    return shorten(iri) if iri.startswith("https://") else iri_or_name


def _propose(proposals: dict, label: str, cls: str, why: str) -> str:
    key = id_from_label(label)
    proposals.setdefault(key, {"id": key, "type": cls, "label": label, "why": why})
    return key


def _statement(
    sentence: Any,
    quote: Any,
    inside: list[Any],
    dates: list[Any],
    known: _Known,
    proposals: dict[str, dict[str, Any]],
    published: str | None,
    last: tuple[str, str] | None = None,
) -> tuple[dict[str, Any], tuple[str, str] | None]:
    """A statement for ``quote``, and its speaker when it is a person (``(ref, name)``).

    The speaker is the known actor named nearest the reporting verb, else a capitalised
    name there (a new person, proposed), else, for "She/He said ...", ``last``: the last
    person named before (simple coreference, marked for review like every guess).
    """
    outside = [n for n in inside if not (quote.start <= n.start < quote.end) and "iri" in n.details]
    speakers = [n for n in outside if known.is_a(n.details["iri"], _SPEAKER_CLASSES)]
    speaker = why = None
    said_by, person = "someone", None
    if speakers:
        best = min(speakers, key=lambda n: abs(n.start - quote.details["verb_at"]))
        speaker, said_by = _ref(best.details["iri"]), best.text
        why = f"{best.text!r}, named next to {quote.details['verb']!r}"
        if known.is_a(best.details["iri"], ("Person",)):
            person = (speaker, said_by)
    else:
        people = [
            p for p in person_candidates(sentence) if not (quote.start <= p.start < quote.end)
        ]
        if people:
            best = min(people, key=lambda p: abs(p.start - quote.details["verb_at"]))
            speaker, said_by = _propose(proposals, best.text, "Person", "a speaker"), best.text
            person = (speaker, said_by)
            why = f"{best.text!r} (a new person), named next to {quote.details['verb']!r}"
        elif last is not None and (pronoun := _pronoun(sentence, quote)):
            (speaker, said_by), person = last, last
            why = f"{pronoun!r} taken as {said_by!r}, the last person named before"
    about = [_ref(n.details["iri"]) for n in outside if _ref(n.details["iri"]) != speaker]
    claim: dict[str, Any] = {
        "type": "statement",
        "label": f"{said_by}: {quote.text[:60].rstrip(',. ')}",
        "speaker": speaker,
        "review": f"speaker guessed from {why}; add kinds, post, about"
        if speaker
        else "who said it? add speaker, kinds, about",
    }
    if dates:
        claim.update({"date": dates[0].details["value"], "date_qualifier": "fromContext"})
    elif published:
        claim.update({"date": published, "date_qualifier": "notAfter"})
    claim.update({"about": sorted(set(about)) or None, "words": quote.text, "quote": sentence.text})
    return claim, person


_PRONOUNS = re.compile(r"\b(She|He|she|he)\b")


def _pronoun(sentence: Any, quote: Any) -> str | None:
    """ "She"/"He" outside the quotation, before it or by its reporting verb."""
    start, end = quote.start - sentence.start, quote.end - sentence.start
    found = _PRONOUNS.search(sentence.text[:start] + " " * (end - start) + sentence.text[end:])
    return found.group(1) if found else None


def _last_person(
    sentence: Any, inside: list[Any], known: _Known, quotes: list[Any]
) -> tuple[str, str] | None:
    """The last person the graph knows named in ``sentence`` outside its quotations."""
    people = [
        n
        for n in inside
        if "iri" in n.details
        and known.is_a(n.details["iri"], ("Person",))
        and not any(q.start <= n.start < q.end for q in quotes)
    ]
    if not people:
        return None
    best = max(people, key=lambda n: n.start)
    return _ref(best.details["iri"]), best.text


def _event(
    sentence: Any,
    inside: list[Any],
    dates: list[Any],
    known: _Known,
    proposals: dict[str, dict[str, Any]],
) -> dict[str, Any]:
    refs = [n for n in inside if "iri" in n.details]
    places = sorted(
        {_ref(n.details["iri"]) for n in refs if known.is_a(n.details["iri"], _PLACE_CLASSES)}
    )
    actors = sorted({_ref(n.details["iri"]) for n in refs} - set(places))
    for n in inside:
        if "gazetteer" in n.details:
            key = _propose(
                proposals,
                n.text,
                "State" if n.details["gazetteer"] == "country" else "Settlement",
                "a country or city of the gazetteer",
            )
            (places if n.details["gazetteer"] == "city" else actors).append(key)
    return {
        "type": "event",
        "label": sentence.text[:80].rstrip(" ."),
        "review": f"an event dated {dates[0].text!r}? add its kind; check dates, participants,"
        " place",
        "start_date": dates[0].details["value"],
        "participants": actors or None,
        "place": places[0] if places else None,
        "quote": sentence.text,
    }


def _render(
    meta: dict[str, Any],
    proposals: dict[str, dict[str, Any]],
    claims: list[dict[str, Any]],
    names: list[Any],
    known: _Known,
) -> str:
    lines = [
        "# Draft written by `kg draft`: every proposal below has `reviewed: false` and is left out",
        "# by `kg add` until you check it and delete that line. See docs/sources.md.",
    ]
    found = sorted({f"{n.text} -> {_ref(n.details['iri'])}" for n in names if "iri" in n.details})
    if found:
        lines.append("# names the graph knows: " + "; ".join(found))
    lines += ["source:"] + [f"  {k}: {_scalar(v)}" for k, v in meta.items() if v is not None]
    lines.append("")
    lines.append("entities:" if proposals else "entities: []")
    for p in proposals.values():
        lines += [
            f"  - id: {p['id']}",
            f"    type: {p['type']}",
            f"    label: {_scalar(p['label'])}",
            "    reviewed: false",
            f"    review: {_scalar('proposed: ' + p['why'])}",
        ]
    lines.append("")
    lines.append("claims:" if claims else "claims: []")
    for claim in claims:
        first = True
        for key, value in claim.items():
            if value is None:
                continue
            lead = "  - " if first else "    "
            first = False
            if isinstance(value, list):
                value = "[" + ", ".join(_scalar(v) for v in value) + "]"
            else:
                value = _scalar(value)
            lines.append(f"{lead}{key}: {value}")
            if key == "label":  # the line to delete once reviewed, right below the label
                lines.append("    reviewed: false")
    return "\n".join(lines) + "\n"


def _scalar(value: Any) -> str:
    """A YAML scalar: plain when safe, else double-quoted (JSON escapes are YAML's)."""
    text = str(value)
    if (
        text
        and all(c.isalnum() or c in "_-./" for c in text)
        and text[0] not in "-:"
        and text.lower() not in ("true", "false", "null", "yes", "no", "on", "off")
    ):
        return text
    return json.dumps(text, ensure_ascii=False)
