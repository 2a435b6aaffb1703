"""How many of each entity a synthetic graph holds, per size and profile (kg.bench.synthetic)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["PROFILES", "Plan"]

#: The size profiles (see kg.bench.synthetic).
PROFILES = ("linear", "realistic")
#: The realistic profile's fixed counts.
REALISTIC_STATES, REALISTIC_ALLIANCES = 250, 60


@dataclass(frozen=True)
class Plan:
    """How many of each entity a synthetic graph of a given size holds.

    Parameters
    ----------
    triples:
        The size asked for; the graph produced is within a few percent of it.

    Returns
    -------
    Plan

    Example
    -------
    >>> p = Plan.for_size(1_000_000)
    >>> p.states, p.alliances, p.statements
    (3333, 166, 36666)
    >>> r = Plan.for_size(10_000_000, "realistic")
    >>> r.states, r.alliances, r.persons, r.memberships, r.statements
    (250, 60, 33333, 83783, 366666)
    """

    states: int
    alliances: int
    documents: int
    persons: int
    agreements: int
    events: int
    statements: int
    #: membership spells; 0: each state is in 1 to 4 alliances (the linear profile)
    memberships: int = 0

    @classmethod
    def for_size(cls, triples: int, profile: str = "linear") -> Plan:
        """The entity counts for about ``triples`` triples (see the class docstring).

        Raises
        ------
        ValueError
            For a profile not in :data:`PROFILES`.
        """
        if profile not in PROFILES:
            raise ValueError(f"unknown profile {profile!r} (known: {', '.join(PROFILES)})")
        plan = cls._linear(triples)
        if profile == "linear":
            return plan
        from dataclasses import replace

        # the linear plan's memberships (2.5 per state, 7.4 triples each) held 6.2% of the
        # triples: the realistic plan gives membership spells the same share
        return replace(
            plan,
            states=min(REALISTIC_STATES, plan.states),
            alliances=min(REALISTIC_ALLIANCES, max(3, triples // 6000)),
            memberships=max(8, int(0.062 * triples / 7.4)),
        )

    @classmethod
    def _linear(cls, triples: int) -> Plan:
        states = max(8, triples // 300)
        return cls(
            states=states,
            alliances=max(3, states // 20),
            documents=max(4, triples // 500),
            persons=states,
            # a share of the triple budget over the triples per entity (an agreement with
            # its 1.5 obligations averages 20, an event 8, a statement 9)
            agreements=max(2, int(0.26 * triples / 20)),
            events=max(2, int(0.30 * triples / 8)),
            statements=max(2, int(0.33 * triples / 9)),
        )
