"""OWL 2 RL entailment: the triples the ontology lets a reasoner add to the data.

owlrl is imported inside the function: it is slow to import and most commands never
reason.
"""

from __future__ import annotations

from rdflib import Graph


def owl_rl_closure(graph: Graph) -> Graph:
    """Return the triples that the OWL 2 RL rules entail from ``graph`` and that it lacks.

    Parameters
    ----------
    graph:
        The ontology and the data together (left unchanged).

    Returns
    -------
    Graph
        Only the new triples, so a backend can add them without copying the rest.

    Example
    -------
    >>> from kg.parsing import parse_text
    >>> g = parse_text('''@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
    ...   <http://ex/State> rdfs:subClassOf <http://ex/Actor> .
    ...   <http://ex/am> a <http://ex/State> .''')
    >>> from rdflib import URIRef, RDF
    >>> (URIRef("http://ex/am"), RDF.type, URIRef("http://ex/Actor")) in owl_rl_closure(g)
    True
    """
    import owlrl

    closure = Graph()
    closure += graph
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(closure)
    return closure - graph
