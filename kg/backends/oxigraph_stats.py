"""``kg stats`` of an on-disk Oxigraph store, counted when ``kg load`` writes it.

Counting a store of ten million triples takes a minute (distinct subjects, instances per
class ...). So the loader counts its staged store once, after the files and the superclass
types are in (:func:`describe_counts`), and keeps the counts inside the store, in the graph
``<urn:x-kg:void>``, in the VoID form the remote loader also writes
(:mod:`kg.backends.void_stats`: ``void:triples``, ``void:entities``, one
``void:classPartition`` per class, kg's other counts as ``kgs:count``). The description names
the loads it counted (a digest of the load records); :func:`stored_counts` returns it only
while the records are the same, and kg's own writes to the store drop it
(:meth:`kg.backends.oxigraph.OxigraphBackend.update`), so a stale count is never read.
"""

from __future__ import annotations

from typing import Any

from kg.backends.load_records import VOID_GRAPH, loaded_digests

__all__ = ["describe_counts", "drop_counts", "stored_counts"]


def describe_counts(store: Any) -> dict[str, Any]:
    """Count ``store`` as :meth:`kg.graph.KnowledgeGraph.stats` does, and keep the counts in it.

    Parameters
    ----------
    store:
        A ``pyoxigraph.Store`` (the loader's staged store).

    Returns
    -------
    dict
        The counts.

    Example
    -------
    >>> import pyoxigraph as ox
    >>> st = ox.Store()
    >>> st.load('<https://w3id.org/kg-ir/resource/a> <http://b> "1" .', ox.RdfFormat.N_TRIPLES)
    >>> describe_counts(st)["entities"], stored_counts(st)["triples"]
    (1, 1)
    """
    import pyoxigraph as ox

    from kg.backends.oxigraph import OxigraphBackend
    from kg.backends.void_stats import loads_digest, void_ntriples
    from kg.counts import count_graph

    drop_counts(store)
    backend = OxigraphBackend()
    backend.store = store
    counts = count_graph(backend)
    text = void_ntriples(counts, None, loads_digest(loaded_digests(store)))
    store.load(text, ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(VOID_GRAPH))
    return counts


def stored_counts(store: Any) -> dict[str, Any] | None:
    """The counts kept in ``store`` by :func:`describe_counts`, if they are current.

    Parameters
    ----------
    store:
        A ``pyoxigraph.Store``.

    Returns
    -------
    dict or None
        None when the store holds no description, or one of other loads.

    Example
    -------
    >>> import pyoxigraph as ox
    >>> stored_counts(ox.Store()) is None
    True
    """
    import pyoxigraph as ox

    graph = ox.NamedNode(VOID_GRAPH)
    rows = [
        (q.subject.value, q.predicate.value, q.object.value)
        for q in store.quads_for_pattern(None, None, None, graph)
    ]
    if not rows:
        return None
    from kg.backends.void_stats import loads_digest, stats_from_void

    found = stats_from_void(rows, None)
    if found is None or found[1] != loads_digest(loaded_digests(store)):
        return None
    return found[0]


def drop_counts(store: Any) -> None:
    """Remove the kept counts (a write makes them stale).

    Parameters
    ----------
    store:
        A writable ``pyoxigraph.Store``.

    Example
    -------
    >>> import pyoxigraph as ox
    >>> drop_counts(ox.Store())
    """
    import pyoxigraph as ox

    graph = ox.NamedNode(VOID_GRAPH)
    if next(iter(store.quads_for_pattern(None, None, None, graph)), None) is not None:
        store.remove_graph(graph)
