"""Source files for people: one YAML (or JSON) file per source document, checked and written
as Turtle by ``kg add``, drafted from plain text by ``kg draft``, written back by
``kg export-source`` (see docs/sources.md).

Modules: :mod:`~kg.sources.yamlio` (YAML with positions), :mod:`~kg.sources.terms` (the
ontology's terms as fields), :mod:`~kg.sources.dates`, :mod:`~kg.sources.anchor` (quotes and
Web Annotation selectors), :mod:`~kg.sources.build` and :mod:`~kg.sources.evidence` (triples),
:mod:`~kg.sources.check` (SHACL), :mod:`~kg.sources.add` and :mod:`~kg.sources.write`
(``kg add``), :mod:`~kg.sources.draft` and :mod:`~kg.sources.findings` (``kg draft``),
:mod:`~kg.sources.export` (``kg export-source``).
"""

from __future__ import annotations

from typing import Any

__all__ = ["add_sources", "draft_source", "export_source"]


def add_sources(*args: Any, **kwargs: Any) -> Any:
    """:func:`kg.sources.add.add_sources` (imported on use: it pulls in rdflib).

    Example
    -------
    >>> callable(add_sources)
    True
    """
    from kg.sources.add import add_sources as run

    return run(*args, **kwargs)


def draft_source(*args: Any, **kwargs: Any) -> Any:
    """:func:`kg.sources.draft.draft_source`.

    Example
    -------
    >>> callable(draft_source)
    True
    """
    from kg.sources.draft import draft_source as run

    return run(*args, **kwargs)


def export_source(*args: Any, **kwargs: Any) -> Any:
    """:func:`kg.sources.export.export_source`.

    Example
    -------
    >>> callable(export_source)
    True
    """
    from kg.sources.export import export_source as run

    return run(*args, **kwargs)
