"""Every triple the article's graph states about a node of the article is supported: by a quote on
that node, by the triple's own axiom annotation (a quote, a background source, or the claim it is
taken from), or it is marked as the curator's inference (PROV-O). Others are listed, and fail."""

from __future__ import annotations

from pathlib import Path

import rdflib
from rdflib import OWL, RDF, RDFS, Literal, URIRef

from kg.namespaces import DCT, KG, KGR, SKOS
from kg.project import open_project as project_paths

PROV = rdflib.Namespace("http://www.w3.org/ns/prov#")
PATHS = project_paths()
ARTICLE = (PATHS.data.parent / "sources" / "000_d20e6f837713f4ad.txt").read_text(encoding="utf-8")

#: Not facts about the world: names, the curator's notes and restatements, and the bookkeeping of
#: provenance itself (rule 1 of ontology/CHANGELOG.md).
BOOKKEEPING = {
    RDF.type,
    RDFS.label,
    RDFS.comment,
    SKOS.altLabel,
    SKOS.prefLabel,
    KG.quote,
    KG.note,
    KG.paraphrase,
    KG.words,
    DCT.source,
    DCT.title,
    DCT.identifier,
}


def _axioms(g: rdflib.Graph, s, p, o):
    for ax in g.subjects(OWL.annotatedSource, s):
        if (ax, OWL.annotatedProperty, p) in g and (ax, OWL.annotatedTarget, o) in g:
            yield ax


def _curated(g: rdflib.Graph, node) -> bool:
    return any(
        (a, RDF.type, KG.CurationActivity) in g for a in g.objects(node, PROV.wasGeneratedBy)
    )


def unsupported(g: rdflib.Graph, source: URIRef = KGR.article) -> list[tuple]:
    """The triples on nodes whose source is ``source`` that nothing supports."""
    found = []
    for s in sorted(set(g.subjects(DCT.source, source)), key=str):
        if (s, RDF.type, OWL.Axiom) in g or not isinstance(s, URIRef):
            continue  # an axiom annotation is itself the evidence of a triple
        quoted = any(str(q) in ARTICLE for q in g.objects(s, KG.quote))
        for p, o in g.predicate_objects(s):
            if p in BOOKKEEPING or quoted or _curated(g, s):
                continue
            backed = False
            for ax in _axioms(g, s, p, o):
                own = g.value(ax, DCT.source)
                if (ax, KG.quote, None) in g or g.value(ax, KG.accordingTo) is not None:
                    backed = True
                elif own is not None and own != source:
                    backed = True  # a background fact with its own source
                elif _curated(g, ax):
                    backed = True
            if not backed:
                found.append((s, p, o))
    return found


def test_every_article_triple_is_supported_by_a_quote_an_annotation_or_a_marked_inference():
    g = rdflib.Graph().parse(PATHS.data)
    subjects = set(g.subjects(DCT.source, KGR.article))
    assert len(subjects) > 100
    missing = unsupported(g)
    assert missing == [], "\n".join(
        f"{s.n3(g.namespace_manager)} {p.n3(g.namespace_manager)} {o.n3(g.namespace_manager)}"
        for s, p, o in missing
    )


def test_an_unsupported_triple_is_listed(tmp_path: Path):
    g = rdflib.Graph().parse(PATHS.data)
    # a node of the article without a quote, and a triple on it that nothing supports
    g.add((KGR.UnquotedThing, RDF.type, KG.Event))
    g.add((KGR.UnquotedThing, DCT.source, KGR.article))
    g.add((KGR.UnquotedThing, KG.initiator, KGR.Russia))
    # a quote that is not in the article supports nothing
    g.add((KGR.MisquotedThing, DCT.source, KGR.article))
    g.add((KGR.MisquotedThing, KG.quote, Literal("Russia won the war.")))
    g.add((KGR.MisquotedThing, KG.guarantor, KGR.Russia))
    # an axiom naming the article but neither quoting it nor marked as inference supports nothing
    g.add((KGR.UnquotedThing, KG.place, KGR.Europe))
    ax = rdflib.BNode()
    for t in (
        (ax, RDF.type, OWL.Axiom),
        (ax, OWL.annotatedSource, KGR.UnquotedThing),
        (ax, OWL.annotatedProperty, KG.place),
        (ax, OWL.annotatedTarget, KGR.Europe),
        (ax, DCT.source, KGR.article),
    ):
        g.add(t)
    assert set(unsupported(g)) == {
        (KGR.UnquotedThing, KG.initiator, KGR.Russia),
        (KGR.UnquotedThing, KG.place, KGR.Europe),
        (KGR.MisquotedThing, KG.guarantor, KGR.Russia),
    }
    # marked as the curator's inference, it is supported
    for ax2_triple in (
        (KGR.UnquotedThing, PROV.wasGeneratedBy, KGR.curation),
        (KGR.MisquotedThing, PROV.wasGeneratedBy, KGR.curation),
    ):
        g.add(ax2_triple)
    assert unsupported(g) == []


def test_background_nodes_name_their_own_source_and_are_never_quoted():
    g = rdflib.Graph().parse(PATHS.data)
    for s, src in g.subject_objects(DCT.source):
        if src == KGR.article or (s, RDF.type, OWL.Axiom) in g:
            continue
        assert (src, RDF.type, KG.SourceDocument) in g, s
        assert g.value(s, KG.quote) is None, s
