"""Wikidata items as kg entities, merged by Q-id, never overwriting another source's fact.

An item the graph already links (``skos:exactMatch wd:Q...``) is that entity; any other gets
``kgr:wd_Q...`` with its class, label and link. What Wikidata says is then added beside what
the graph holds, each with Wikidata as its source: memberships (``P463`` with ``P580`` /
``P582``) as their own ``kg:Membership`` nodes; heads of state and government (``P35``,
``P6``) as the state's posts held by a person, the dates on the ``kg:heldBy`` triple's
``owl:Axiom``; treaties (instances of ``Q131569``) with signatories (``P1891``), parties
(``P17``), signing (``P571``) and entry into force (``P580``) — on an agreement the graph
already has, every date carries an ``owl:Axiom`` naming Wikidata, so a date the article gives
stays and the two stand side by side (``kg conflicts`` lists them). Deprecated statements
are skipped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from kg.importers.ntriples import (
    GENERATED_BY,
    KG,
    KGR,
    KIND,
    LABEL,
    SOURCE,
    A,
    iri,
    kg_term,
    lang_literal,
    literal,
    slug,
    triple,
    typed,
)
from kg.importers.rows import RowError
from kg.importers.wikidata_source import (
    QID,
    Claim,
    Item,
    items_from_json,
    items_from_sparql,
    wikidata_date,
)

__all__ = ["wikidata_mapper", "CLASSES"]

#: P31 value -> kg class, for items the graph does not have yet
CLASSES = {
    "Q6256": "State",
    "Q3624078": "State",
    "Q7275": "State",
    "Q484652": "InternationalOrganization",
    "Q1127126": "MilitaryAlliance",
    "Q131569": "Agreement",
    "Q5": "Person",
}
_MATCH = iri("http://www.w3.org/2004/02/skos/core#exactMatch")
_DERIVED = iri("http://www.w3.org/ns/prov#wasDerivedFrom")
_OWL = "http://www.w3.org/2002/07/owl#"
_WD = "http://www.wikidata.org/entity/"
_POSTS = {"P35": "head of state", "P6": "head of government"}


def wikidata_mapper(
    *, sparql: str | None, items: list[str], client: Any, graph: Any
) -> Callable[[list[str], Any], Iterator[str]]:
    """The mapper reading entity JSON files (or ``sparql``) for :func:`kg.importers.run.run_import`.

    Parameters
    ----------
    sparql:
        A SPARQL endpoint to ask instead of reading files.
    items:
        Q-ids to ask for (default: those the graph links).
    client:
        An HTTP client (default: :class:`kg.linking.http_client.HttpClient`).
    graph:
        Unused here (the index comes with the context); kept for symmetry.

    Returns
    -------
    callable
    """

    def mapper(files: list[str], ctx: Any) -> Iterator[str]:
        if sparql:
            from kg.linking.http_client import HttpClient

            bad = [q for q in items if not QID.match(q)]
            if bad:
                ctx.log.add(RowError("--item", 1, "1", f"not a Wikidata item id: {bad[0]!r}"))
                return
            wanted = items or sorted(ctx.index.by_qid)
            records = items_from_sparql(sparql, wanted, client or HttpClient())
            yield from _map(records, ctx, {r.qid: r for r in records})
            return
        for path in files:
            # read twice, so as not to hold every item's claims (a dump can be GBs): first the
            # labels and classes other items' triples need, then each item mapped in turn
            refs = {i.qid: Item(i.qid, i.label, i.classes) for i in items_from_json(path)}
            yield from _map(items_from_json(path), ctx, refs)

    return mapper


def _map(records: Iterable[Item], ctx: Any, by_qid: dict[str, Item]) -> Iterator[str]:
    """Each item's triples; ``by_qid``: the labels and classes of the items named in claims."""
    for item in records:
        ctx.rows_read += 1
        out: list[str] = []
        e = _entity(item.qid, by_qid, ctx, out)
        for claim in item.claims:
            if claim.rank == "deprecated":
                continue
            if claim.prop == "P463" and QID.match(claim.value):
                _membership(item, e, claim, by_qid, ctx, out)
            elif claim.prop in _POSTS and QID.match(claim.value):
                _head(item, e, claim, by_qid, ctx, out)
            elif "Q131569" in item.classes:
                _treaty_claim(item, e, claim, by_qid, ctx, out)
        ctx.rows_imported += 1
        yield "".join(out)


def _entity(qid: str, by_qid: dict[str, Item], ctx: Any, out: list[str]) -> str:
    found, new = ctx.index.wikidata_entity(qid)
    e = iri(found)
    if new and ctx.once(e):
        item = by_qid.get(qid)
        cls = (
            next((CLASSES[c] for c in sorted(item.classes) if c in CLASSES), "Actor")
            if item
            else "Actor"
        )
        out.append(triple(e, A, kg_term(cls)))
        out.append(triple(e, LABEL, lang_literal(item.label if item and item.label else qid)))
        out.append(triple(e, _MATCH, iri(_WD + qid)))
        out.append(triple(e, SOURCE, iri(KGR + "dataset_wikidata")))
        out.append(triple(e, GENERATED_BY, iri(ctx.run)))
    return e


def _statement(claim: Claim) -> str:
    return iri(f"{_WD}statement/{claim.id.replace('$', '-')}") if claim.id else ""


def _label(qid: str, by_qid: dict[str, Item], ctx: Any) -> str:
    item = by_qid.get(qid)
    if item and item.label:
        return item.label
    return ctx.index.labels.get(ctx.index.by_qid.get(qid, ""), qid)


def _provenance(node: str, claim: Claim, ctx: Any, out: list[str]) -> None:
    out.append(triple(node, SOURCE, iri(KGR + "dataset_wikidata")))
    out.append(triple(node, GENERATED_BY, iri(ctx.run)))
    if claim.id:
        out.append(triple(node, _DERIVED, _statement(claim)))


def _membership(
    item: Item, e: str, claim: Claim, by_qid: dict[str, Item], ctx: Any, out: list[str]
) -> None:
    org = _entity(claim.value, by_qid, ctx, out)
    m = iri(f"{KGR}wd_{slug(claim.id or item.qid + '_' + claim.value)}")
    out.append(triple(m, A, kg_term("Membership")))
    out.append(triple(m, kg_term("member"), e))
    out.append(triple(m, kg_term("organization"), org))
    member, organization = _label(item.qid, by_qid, ctx), _label(claim.value, by_qid, ctx)
    label = f"{member}'s membership in {organization} (Wikidata)"
    out.append(triple(m, LABEL, lang_literal(label)))
    if claim.start:
        out.append(triple(m, kg_term("startDate"), typed(*claim.start)))
    if claim.end:
        out.append(triple(m, kg_term("endDate"), typed(*claim.end)))
        out.append(triple(m, kg_term("membershipStatus"), iri(KIND + "ended")))
    _provenance(m, claim, ctx, out)


def _head(
    item: Item, e: str, claim: Claim, by_qid: dict[str, Item], ctx: Any, out: list[str]
) -> None:
    post = iri(f"{KGR}wd_{item.qid}_{claim.prop}")
    if ctx.once(post):
        out.append(triple(post, A, kg_term("Post")))
        out.append(
            triple(
                post,
                LABEL,
                lang_literal(f"{_POSTS[claim.prop]} of {_label(item.qid, by_qid, ctx)}"),
            )
        )
        out.append(triple(post, kg_term("postIn"), e))
        out.append(triple(post, SOURCE, iri(KGR + "dataset_wikidata")))
    person = _entity(claim.value, by_qid, ctx, out)
    out.append(triple(post, kg_term("heldBy"), person))
    axiom = iri(f"{KGR}wd_{slug(claim.id or item.qid + claim.value)}_axiom")
    _axiom(axiom, post, KG + "heldBy", person, claim, ctx, out)
    if claim.start:
        out.append(triple(axiom, kg_term("startDate"), typed(*claim.start)))
    if claim.end:
        out.append(triple(axiom, kg_term("endDate"), typed(*claim.end)))


def _axiom(axiom: str, s: str, p: str, o: str, claim: Claim, ctx: Any, out: list[str]) -> None:
    out.append(triple(axiom, A, iri(_OWL + "Axiom")))
    out.append(triple(axiom, iri(_OWL + "annotatedSource"), s))
    out.append(triple(axiom, iri(_OWL + "annotatedProperty"), iri(p)))
    out.append(triple(axiom, iri(_OWL + "annotatedTarget"), o))
    _provenance(axiom, claim, ctx, out)


def _treaty_claim(
    item: Item, e: str, claim: Claim, by_qid: dict[str, Item], ctx: Any, out: list[str]
) -> None:
    if claim.prop in ("P1891", "P17") and QID.match(claim.value):
        # a signing person is a kg:signatory; a signing state or organization is a party
        signer = by_qid.get(claim.value)
        person = signer is not None and "Q5" in signer.classes
        prop = KG + ("signatory" if claim.prop == "P1891" and person else "party")
        other = _entity(claim.value, by_qid, ctx, out)
        out.append(triple(e, iri(prop), other))
        obj = other
    elif claim.prop in ("P571", "P580") and "|" in claim.value:
        value, precision = claim.value.rsplit("|", 1)
        date = wikidata_date(value, precision)
        if date is None:
            return
        prop = KG + ("dateSigned" if claim.prop == "P571" else "dateInForce")
        obj = typed(*date)
        out.append(triple(e, iri(prop), obj))
    else:
        return
    # every fact on the treaty names Wikidata, so it never passes for the article's own
    axiom = iri(f"{KGR}wd_{slug(claim.id or item.qid + claim.prop + claim.value)}_axiom")
    _axiom(axiom, e, prop, obj, claim, ctx, out)
    out.append(triple(axiom, kg_term("sourceRecord"), literal(f"{item.qid} {claim.prop}")))
