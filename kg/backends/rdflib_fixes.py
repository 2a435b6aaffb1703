"""Work-arounds for rdflib SPARQL bugs that the project's queries run into.

Applied by the memory backend when it is first used; each fix is idempotent and says which
rdflib behaviour it corrects, so it can be dropped when rdflib fixes it.
"""

from __future__ import annotations

__all__ = ["apply_rdflib_fixes"]

_applied = False


def apply_rdflib_fixes() -> None:
    """Patch rdflib's SPARQL engine in place (once per process).

    Fix: an aggregate with DISTINCT over a variable that is unbound in some rows
    (``GROUP_CONCAT(DISTINCT ?x)`` after ``OPTIONAL { ... ?x }``) raises ``NotBoundError``
    in rdflib 7, because the DISTINCT check evaluates the expression outside the
    try/except that skips unbound values (rdflib issue #716 and others). SPARQL 1.1 (18.5)
    skips such errors in aggregates, as Oxigraph and Jena do; so does the patched check.

    Parameters
    ----------
    (none)

    Returns
    -------
    None

    Example
    -------
    >>> from rdflib import Graph
    >>> apply_rdflib_fixes()
    >>> g = Graph().parse(data="<http://a> <http://p> <http://b> .", format="turtle")
    >>> q = '''SELECT ?s (GROUP_CONCAT(DISTINCT ?x) AS ?xs) WHERE {
    ...   ?s <http://p> ?o OPTIONAL { ?s <http://q> ?x } } GROUP BY ?s'''
    >>> [str(row.xs) for row in g.query(q)]
    ['']
    """
    global _applied
    if _applied:
        return
    from rdflib.plugins.sparql.aggregates import Accumulator
    from rdflib.plugins.sparql.evalutils import _eval
    from rdflib.plugins.sparql.sparql import NotBoundError, SPARQLError

    def use_row(self, row) -> bool:
        """DISTINCT test that skips rows where the expression is unbound or an error."""
        try:
            return _eval(self.expr, row) not in self.seen
        except (NotBoundError, SPARQLError):
            return False

    Accumulator.use_row = use_row  # type: ignore[method-assign]
    _applied = True
