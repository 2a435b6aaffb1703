"""Inline display of renders in Jupyter: the page inside an ``<iframe srcdoc>``.

The page runs in its own document (its scripts, styles and Content-Security-Policy do not
touch the notebook), and the iframe is sandboxed to scripts only: no same-origin access to
the notebook, no forms, no popups other than the links a user clicks.
"""

from __future__ import annotations

import html

__all__ = ["iframe_html", "SANDBOX", "show"]

#: Sandbox of the iframe: the page's scripts run; links open in a new tab when clicked.
SANDBOX = "allow-scripts allow-popups allow-popups-to-escape-sandbox"


def iframe_html(page: str, *, height: int = 620) -> str:
    """Wrap a page in a sandboxed ``<iframe srcdoc>`` (the page is escaped as an attribute).

    Parameters
    ----------
    page:
        A whole HTML page, e.g. from :func:`kg.render.render_html`.
    height:
        The iframe's height in pixels.

    Returns
    -------
    str

    Example
    -------
    >>> iframe_html('<p title="a">x & y</p>', height=300)[:83]
    '<div class="kg-render"><iframe srcdoc="&lt;p title=&quot;a&quot;&gt;x &amp; y&lt;/p'
    """
    # Wrapped in a div: IPython warns about HTML that starts with "<iframe".
    return (
        f'<div class="kg-render"><iframe srcdoc="{html.escape(page, quote=True)}" '
        f'sandbox="{SANDBOX}" '
        f'style="box-sizing:border-box;width:100%;height:{int(height)}px;'
        'border:1px solid #ddd"></iframe></div>'
    )


def show(graph, view: str = "full", *, height: int = 620, **options):
    """Display a view inline in Jupyter.

    Parameters
    ----------
    graph:
        A :class:`kg.graph.KnowledgeGraph` (``view`` names the view to build: ``"full"``,
        ``"alliance"``, ``"agreement"``, ``"event"``, ``"statement"`` or ``"contested"``), or
        a view (a ``networkx.MultiDiGraph``) to draw as is.
    view:
        The view's name, when ``graph`` is a KnowledgeGraph.
    height:
        Height of the display in pixels.
    **options:
        ``as_of`` and ``alleged`` (passed to the view), ``focus``, ``hops``, ``title``: see
        :func:`kg.render.render_html`; for ``"contested"``, ``focus`` is the event.

    Returns
    -------
    IPython.display.HTML
        Jupyter shows it when it is the cell's value.

    Example
    -------
    >>> from kg.render.sample import sample_view
    >>> shown = show(sample_view(10), height=400)
    >>> shown.data.startswith('<div class="kg-render"><iframe srcdoc=') and "400px" in shown.data
    True
    """
    from IPython.display import HTML

    from kg.render import render_html

    if hasattr(graph, "nodes") and hasattr(graph, "edges"):
        page = render_html(graph, **options)
    else:
        from kg.views import VIEWS

        as_of = options.pop("as_of", None)
        alleged = options.pop("alleged", False)  # as kg render --alleged
        if view == "contested":
            from kg.render.contested import contested_html

            focus = options.pop("focus", None)
            options.pop("hops", None)
            full = VIEWS["full"](graph, as_of=as_of, alleged=alleged)
            page = contested_html(full, focus, **options)
        else:
            if view not in VIEWS:
                from kg.errors import BadOptionError

                names = ", ".join([*VIEWS, "contested"])
                raise BadOptionError(f"unknown view {view!r}: expected one of {names}")
            page = render_html(VIEWS[view](graph, as_of=as_of, alleged=alleged), **options)
    return HTML(iframe_html(page, height=height))
