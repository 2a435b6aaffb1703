"""A seeded synthetic geopolitical graph in the kg ontology, streamed as N-Triples.

Used by ``scripts/generate.py`` and the benchmarks: states (named after real countries, then
numbered), military alliances with timed memberships, persons holding posts, agreements with
parties and obligations, events with participants, and statements with speakers and quotes,
every node labelled and sourced. The size is given in triples (10k to 10M and beyond).

Two profiles. ``"linear"`` (the default, what the benchmarks and tests use): every entity
count scales with the size, so join sizes grow in proportion (about 64k rows for the 2-hop
statement-speaker-alliance join at 1M triples), and 10M triples hold 33,333 states.
``"realistic"``: the world's number of states (about 250: pycountry's, then numbered) and of
alliances (60 at most) stay fixed, and the rest scales: officials, agreements, events,
statements and membership spells (a state may join the same alliance again), in the same
shares of the triple budget.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

from kg.bench.synthetic_plan import PROFILES, Plan
from kg.namespaces import KIND_IRI as KIND
from kg.namespaces import ONTOLOGY_IRI as KG
from kg.namespaces import RESOURCE_IRI as KGR

__all__ = ["PROFILES", "Plan", "escape_literal", "generate", "write_ntriples"]

RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
SOURCE = "<http://purl.org/dc/terms/source>"
PUBLISHED = "<http://schema.org/datePublished>"
XSD_DATE = "<http://www.w3.org/2001/XMLSchema#date>"

EVENT_KINDS = ["war", "offensive", "blockade", "ceasefire", "meeting", "signing", "deployment"]
STATEMENT_KINDS = ["announcement", "accusation", "criticism", "demand", "assessment", "denial"]
AGREEMENT_STATUSES = ["inForce", "signed", "terminated", "neverConcluded"]
FULFILLMENTS = ["fulfilled", "unfulfilled", "notReported"]
# Real alliances first, so that the synthetic graph can be merged with the article's graph.
ALLIANCES = [
    ("CSTO", "Collective Security Treaty Organization"),
    ("NATO", "North Atlantic Treaty Organization"),
]
# Names whose pycountry form is not what the article's graph uses.
STATE_NAMES = {"Russian Federation": "Russia"}
WORDS = [
    *("security", "guarantees", "peace", "corridor", "border", "troops", "ceasefire", "talks"),
    *("sovereignty", "aggression", "withdrawal", "obligations", "treaty", "alliance", "region"),
    *("humanitarian", "sanctions", "dialogue", "partners", "mission", "territorial", "integrity"),
    *("negotiations", "provocation", "blockade", "deployment", "settlement"),
]


def _iri(kind: str, local: str) -> str:
    return f"<{kind}{local}>"


def _kg(local: str) -> str:
    return f"<{KG}{local}>"


def escape_literal(text: str) -> str:
    """Escape ``text`` for use inside an N-Triples string literal.

    Parameters
    ----------
    text:
        Any string (quotes, backslashes and newlines are escaped).

    Returns
    -------
    str
        The literal body, without the surrounding quotes.

    Example
    -------
    >>> escape_literal('He said "no"\\n')
    'He said \\\\"no\\\\"\\\\n'
    """
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")


def _text(text: str, lang: str | None = None) -> str:
    body = f'"{escape_literal(text)}"'
    return f"{body}@{lang}" if lang else body


def _date(year: int, month: int, day: int) -> str:
    return f'"{year:04d}-{month:02d}-{day:02d}"^^{XSD_DATE}'


def _state_names(count: int) -> list[tuple[str, str]]:
    import pycountry

    names: list[tuple[str, str]] = []
    seen: set[str] = set()
    for country in pycountry.countries:
        name = STATE_NAMES.get(country.name, getattr(country, "common_name", None) or country.name)
        local = "".join(ch for ch in name.title() if ch.isalnum() and ch.isascii())
        if local and local not in seen:
            seen.add(local)
            names.append((local, name))
        if len(names) == count:
            return names
    names += [(f"state-{i:06d}", f"State {i}") for i in range(len(names), count)]
    return names


def generate(triples: int, *, seed: int = 0, profile: str = "linear") -> Iterator[str]:
    """Yield the N-Triples lines (each ending in a newline) of a synthetic graph.

    Parameters
    ----------
    triples:
        About how many triples to produce (within a few percent).
    seed:
        The random seed: the same size and seed give the same graph, line for line.
    profile:
        ``"linear"`` (every count scales) or ``"realistic"`` (about 250 states, 60 alliances).

    Returns
    -------
    Iterator[str]
        Lines such as ``<...resource/Armenia> <...#type> <...ontology#State> .``.

    Example
    -------
    >>> lines = list(generate(10_000, seed=1))
    >>> 9_500 < len(lines) < 10_500, lines == list(generate(10_000, seed=1))
    (True, True)
    >>> sum("ontology#Statement>" in line for line in lines) > 100
    True
    """
    parts = _Parts(random.Random(seed), Plan.for_size(triples, profile))
    for part in (
        parts.documents,
        parts.states,
        parts.alliances,
        parts.memberships,
        parts.persons,
        parts.agreements,
        parts.events,
        parts.statements,
    ):
        yield from part()


A, T = RDF_TYPE, LABEL


class _Parts:
    """The parts of one synthetic graph, each a generator of lines, run in order: each part
    uses the entities of the parts before it, and all draw from the one random generator,
    so the order of the parts and of the draws in them is what makes a seed give the same
    graph, line for line."""

    def __init__(self, rng: random.Random, plan: Plan) -> None:
        self.rng, self.plan = rng, plan
        self.docs: list[str] = []
        self.state_iris: list[str] = []
        self.alliance_iris: list[str] = []
        self.person_iris: list[str] = []
        self.agreement_iris: list[str] = []
        self.event_iris: list[str] = []

    def source(self) -> str:
        return self.docs[self.rng.randrange(len(self.docs))]

    def quote(self) -> str:
        rng = self.rng
        words = rng.choices(WORDS, k=rng.randint(6, 14))
        # a few quotes carry characters that must be escaped, to exercise every parser
        extra = rng.random()
        if extra < 0.05:
            words.append('"unacceptable"')
        elif extra < 0.07:
            words.append("“we will not retreat” \\ à la")
        return _text(" ".join(words).capitalize() + ".")

    def day(self, first_year: int) -> str:
        """A date from ``first_year`` to 2024 (days 1 to 28, so every month has them)."""
        rng = self.rng
        return _date(rng.randint(first_year, 2024), rng.randint(1, 12), rng.randint(1, 28))

    def documents(self) -> Iterator[str]:
        rng = self.rng
        self.docs = [_iri(KGR, f"doc-{i:07d}") for i in range(self.plan.documents)]
        for i, doc in enumerate(self.docs):
            yield f"{doc} {A} {_kg('SourceDocument')} .\n"
            yield f'{doc} {T} "Report {i}"@en .\n'
            yield f"{doc} {PUBLISHED} {_date(rng.randint(1990, 2024), rng.randint(1, 12), 1)} .\n"

    def states(self) -> Iterator[str]:
        for local, name in _state_names(self.plan.states):
            state = _iri(KGR, local)
            self.state_iris.append(state)
            yield f"{state} {A} {_kg('State')} .\n"
            yield f"{state} {T} {_text(name, 'en')} .\n"
            yield f"{state} {SOURCE} {self.source()} .\n"

    def alliances(self) -> Iterator[str]:
        for i in range(self.plan.alliances):
            local, name = ALLIANCES[i] if i < len(ALLIANCES) else (f"alliance-{i:05d}", f"Pact {i}")
            alliance = _iri(KGR, local)
            self.alliance_iris.append(alliance)
            yield f"{alliance} {A} {_kg('MilitaryAlliance')} .\n"
            yield f"{alliance} {T} {_text(name, 'en')} .\n"
            yield f"{alliance} {SOURCE} {self.source()} .\n"

    def memberships(self) -> Iterator[str]:
        rng, alliances = self.rng, self.alliance_iris
        if self.plan.memberships:  # realistic: spells, a state may rejoin an alliance
            states = self.state_iris
            for n in range(self.plan.memberships):
                yield from self._membership(n, rng.choice(states), rng.choice(alliances))
            return
        # linear: each state is or was a member of 1 to 4 alliances (2.5 on average)
        n = 0
        for state in self.state_iris:
            for alliance in rng.sample(alliances, min(len(alliances), rng.randint(1, 4))):
                yield from self._membership(n, state, alliance)
                n += 1

    def _membership(self, n: int, state: str, alliance: str) -> Iterator[str]:
        rng = self.rng
        m = _iri(KGR, f"membership-{n:07d}")
        start = rng.randint(1949, 2015)
        yield f"{m} {A} {_kg('Membership')} .\n"
        yield f'{m} {T} "Membership {n + 1}"@en .\n'
        yield f"{m} {_kg('member')} {state} .\n"
        yield f"{m} {_kg('organization')} {alliance} .\n"
        begun = _date(start, rng.randint(1, 12), rng.randint(1, 28))
        yield f"{m} {_kg('startDate')} {begun} .\n"
        status = rng.choice(["active", "active", "active", "frozen", "ended"])
        if status == "ended":
            end = self.day(start + 1)
            yield f"{m} {_kg('endDate')} {end} .\n"
        yield f"{m} {_kg('membershipStatus')} {_iri(KIND, status)} .\n"
        yield f"{m} {SOURCE} {self.source()} .\n"

    def persons(self) -> Iterator[str]:
        states = self.state_iris
        for i in range(self.plan.persons):
            person, post = _iri(KGR, f"person-{i:06d}"), _iri(KGR, f"post-{i:06d}")
            self.person_iris.append(person)
            yield f"{person} {A} {_kg('Person')} .\n"
            yield f'{person} {T} "Person {i}"@en .\n'
            yield f"{person} {_kg('holds')} {post} .\n"
            yield f"{person} {SOURCE} {self.source()} .\n"
            yield f"{post} {A} {_kg('Post')} .\n"
            yield f'{post} {T} "Foreign minister {i}"@en .\n'
            yield f"{post} {_kg('postIn')} {states[i % len(states)]} .\n"
            yield f"{post} {_kg('heldBy')} {person} .\n"
            yield f"{post} {SOURCE} {self.source()} .\n"

    def agreements(self) -> Iterator[str]:
        rng, states, n_obligation = self.rng, self.state_iris, 0
        for i in range(self.plan.agreements):
            ag = _iri(KGR, f"agreement-{i:07d}")
            self.agreement_iris.append(ag)
            parties = rng.sample(states, min(len(states), rng.randint(2, 4)))
            yield f"{ag} {A} {_kg('Agreement')} .\n"
            yield f'{ag} {T} "Agreement {i}"@en .\n'
            for party in parties:
                yield f"{ag} {_kg('party')} {party} .\n"
            yield f"{ag} {_kg('dateSigned')} {self.day(1950)} .\n"
            status = _iri(KIND, rng.choice(AGREEMENT_STATUSES))
            yield f"{ag} {_kg('agreementStatus')} {status} .\n"
            doc = self.source()
            yield f"{ag} {SOURCE} {doc} .\n"
            for _ in range(rng.randint(1, 2)):
                ob = _iri(KGR, f"obligation-{n_obligation:07d}")
                n_obligation += 1
                obliged, beneficiary = parties[0], parties[-1]
                rng.shuffle(parties)
                yield f"{ob} {A} {_kg('Obligation')} .\n"
                yield f'{ob} {T} "Obligation {n_obligation}"@en .\n'
                yield f"{ob} {_kg('obligedParty')} {obliged} .\n"
                yield f"{ob} {_kg('underAgreement')} {ag} .\n"
                yield f"{ob} {_kg('beneficiary')} {beneficiary} .\n"
                yield f"{ob} {_kg('fulfillment')} {_iri(KIND, rng.choice(FULFILLMENTS))} .\n"
                yield f"{ob} {_kg('quote')} {self.quote()} .\n"
                yield f"{ob} {SOURCE} {doc} .\n"

    def events(self) -> Iterator[str]:
        rng, states = self.rng, self.state_iris
        for i in range(self.plan.events):
            ev = _iri(KGR, f"event-{i:07d}")
            self.event_iris.append(ev)
            yield f"{ev} {A} {_kg('Event')} .\n"
            yield f'{ev} {T} "Event {i}"@en .\n'
            yield f"{ev} {_kg('eventKind')} {_iri(KIND, rng.choice(EVENT_KINDS))} .\n"
            for actor in rng.sample(states, min(len(states), rng.randint(1, 3))):
                yield f"{ev} {_kg('participant')} {actor} .\n"
            yield f"{ev} {_kg('startDate')} {self.day(1990)} .\n"
            yield f"{ev} {_kg('quote')} {self.quote()} .\n"
            yield f"{ev} {SOURCE} {self.source()} .\n"

    def statements(self) -> Iterator[str]:
        rng, states = self.rng, self.state_iris
        topics = self.event_iris + self.agreement_iris + self.alliance_iris
        for i in range(self.plan.statements):
            st = _iri(KGR, f"statement-{i:07d}")
            # two thirds of the statements are made by a state, the rest by a person
            speaker = rng.choice(states) if rng.random() < 0.67 else rng.choice(self.person_iris)
            yield f"{st} {A} {_kg('Statement')} .\n"
            yield f'{st} {T} "Statement {i}"@en .\n'
            yield f"{st} {_kg('speaker')} {speaker} .\n"
            yield f"{st} {_kg('date')} {self.day(1990)} .\n"
            yield f"{st} {_kg('quote')} {self.quote()} .\n"
            yield f"{st} {_kg('about')} {rng.choice(topics)} .\n"
            yield f"{st} {_kg('statementKind')} {_iri(KIND, rng.choice(STATEMENT_KINDS))} .\n"
            yield f"{st} {_kg('target')} {rng.choice(states)} .\n"
            yield f"{st} {SOURCE} {self.source()} .\n"


def write_ntriples(
    out, triples: int, *, seed: int = 0, chunk: int = 10_000, profile: str = "linear"
) -> int:
    """Write a synthetic graph as N-Triples to the text stream ``out``.

    Parameters
    ----------
    out:
        A text file open for writing (UTF-8).
    triples:
        About how many triples to write.
    seed:
        The random seed.
    chunk:
        Lines joined per write call.
    profile:
        ``"linear"`` or ``"realistic"`` (see :func:`generate`).

    Returns
    -------
    int
        The number of triples written.

    Example
    -------
    >>> import io
    >>> buf = io.StringIO()
    >>> n = write_ntriples(buf, 10_000, seed=3)
    >>> n == buf.getvalue().count("\\n")
    True
    """
    count = 0
    batch: list[str] = []
    for line in generate(triples, seed=seed, profile=profile):
        batch.append(line)
        if len(batch) >= chunk:
            out.write("".join(batch))
            count += len(batch)
            batch.clear()
    out.write("".join(batch))
    return count + len(batch)
