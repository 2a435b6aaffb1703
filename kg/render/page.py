"""The HTML page of a render: one self-contained file, offline, with no way for data to run.

The page is our own template, not pyvis's (whose every mode loads Bootstrap from a CDN): the
vis-network script from pyvis's wheel and the page script are inlined, the data travels in a
``<script type="application/json">`` island whose ``<``, ``>``, ``&``, U+2028 and U+2029 are
escaped (so no text can close the script element), and a Content-Security-Policy allows only
these two scripts (by hash) and no request of any kind.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
from functools import lru_cache
from pathlib import Path

from kg.errors import BadOptionError
from kg.render.network import EDGE_LABELS_MAX_EDGES

__all__ = [
    "asset",
    "CANVAS_SCRIPTS",
    "credits_html",
    "ENTITY_SCRIPTS",
    "page_html",
    "PAGE_SCRIPTS",
    "script_json",
    "transport",
    "vis_network_js",
]

_ASSETS = Path(__file__).resolve().parent / "assets"

_SCRIPT_ESCAPES = (
    ("<", "\\u003c"),
    (">", "\\u003e"),
    ("&", "\\u0026"),
    ("\u2028", "\\u2028"),
    ("\u2029", "\\u2029"),
)


def script_json(value) -> str:
    """Serialize ``value`` as JSON that is safe inside an HTML ``<script>`` element.

    Parameters
    ----------
    value:
        Any JSON-serializable value.

    Returns
    -------
    str
        Compact JSON where ``<``, ``>``, ``&``, U+2028 and U+2029 are written as ``\\uXXXX``
        escapes (they only occur inside strings, so the value is unchanged).

    Example
    -------
    >>> script_json({"label": "</script><img src=x>"})
    '{"label":"\\\\u003c/script\\\\u003e\\\\u003cimg src=x\\\\u003e"}'
    >>> json.loads(script_json(["a\\u2028b & c"])) == ["a\\u2028b & c"]
    True
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for char, escape in _SCRIPT_ESCAPES:
        text = text.replace(char, escape)
    return text


@lru_cache(maxsize=1)
def vis_network_js() -> str:
    """Return vis-network's standalone script from pyvis's wheel, without its source-map line.

    Returns
    -------
    str

    Example
    -------
    >>> "vis-network" in vis_network_js()[:200], "sourceMappingURL" in vis_network_js()
    (True, False)
    """
    import pyvis

    path = Path(pyvis.__file__).resolve().parent / "lib" / "vis-9.1.2" / "vis-network.min.js"
    text = path.read_text(encoding="utf-8").replace("\r\n", "\n")
    lines = [line for line in text.split("\n") if not line.startswith("//# sourceMappingURL")]
    return _checked("\n".join(lines), path)


#: The page's own scripts, in the order they run (each one a ``<script>`` of its own, allowed
#: by its hash): text helpers, layouts, tooltips and details, the data unpacked, the controls.
PAGE_SCRIPTS = ("kg-text.js", "kg-layout.js", "kg-details.js", "kg-unpack.js", "kg-graph.js")
#: An entity page's scripts: the graph page's, then its timeline.
ENTITY_SCRIPTS = (*PAGE_SCRIPTS, "kg-timeline.js")
#: A large graph's page: the canvas renderer (kg-canvas.js) draws instead of vis-network's
#: Network, which still provides the DataSets the controls filter.
CANVAS_SCRIPTS = (*PAGE_SCRIPTS[:-1], "kg-canvas.js", PAGE_SCRIPTS[-1])


@lru_cache(maxsize=16)
def asset(name: str) -> str:
    """Return one of the page's own assets (``kg-graph.js``, ``kg-graph.css`` ...).

    Parameters
    ----------
    name:
        The file name in ``kg/render/assets/``.

    Returns
    -------
    str

    Example
    -------
    >>> "window.network" in asset("kg-graph.js")
    True
    """
    path = _ASSETS / name
    return _checked(path.read_text(encoding="utf-8").replace("\r\n", "\n"), path)


def _checked(text: str, path: Path) -> str:
    lowered = text.lower()
    if "</script" in lowered or "</style" in lowered or "<!--" in lowered:
        raise BadOptionError(f"{path}: cannot be inlined, it contains a closing tag or '<!--'")
    return text


def _sha256(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


_TEMPLATE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{csp}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>{css}</style>
</head>
<body>
<aside id="kg-panel">
<h1 id="kg-title">{title}</h1>
<p id="kg-status">Loading…</p>
<fieldset><legend>Search</legend>
<input id="kg-search" type="search" placeholder="label or name" autocomplete="off"
 aria-label="Search">
</fieldset>
<fieldset><legend>Focus</legend>
<input id="kg-focus" list="kg-labels" placeholder="entity" autocomplete="off"
 aria-label="Focus entity">
<label>hops <input id="kg-hops" type="number" min="1" max="10" value="1"></label>
<button id="kg-focus-go" type="button">Focus</button>
<button id="kg-focus-clear" type="button">Clear</button>
<datalist id="kg-labels"></datalist>
</fieldset>
<fieldset id="kg-time"><legend>As of</legend>
<input id="kg-asof" type="range" aria-label="As of date"> <output id="kg-asof-label"></output>
</fieldset>
<fieldset id="kg-status-legend"><legend>Status</legend><div id="kg-statuses"></div></fieldset>
<fieldset><legend>Classes</legend><div id="kg-classes"></div></fieldset>
<fieldset><legend>Relations</legend><div id="kg-relations"></div>
<label class="kg-row"><input id="kg-orphans" type="checkbox"> hide nodes left without edges</label>
<label class="kg-row" id="kg-nary-row"><input id="kg-nary" type="checkbox"> show n-ary nodes
 (memberships, participations, signatures)</label>
</fieldset>
<fieldset><legend>Layout</legend>
<label><input id="kg-physics" type="checkbox"> live physics</label>
<button id="kg-fit" type="button">Fit</button>
</fieldset>{credits}
</aside>
<main id="kg-main">
<div id="kg-graph"></div>
<section id="kg-details" hidden></section>{extra}
</main>
<script type="application/json" id="kg-data">{data}</script>
{scripts}
</body>
</html>
"""


def transport(nodes: list[dict], edges: list[dict], legend: dict) -> dict:
    """Pack vis-network items for the page: edges refer to nodes and relations by index.

    The page script unpacks them (``from``/``to`` from ``f``/``t``, ``rel`` from ``r``, source
    IRIs from the ``sources`` table, labels from the legend), which makes a 20,000-node page
    less than half as large.

    Parameters
    ----------
    nodes, edges:
        vis-network items as built by :func:`kg.render.network.build_network`.
    legend:
        The legend, whose relation list the ``r`` indexes refer to.

    Returns
    -------
    dict
        ``{"nodes": [...], "edges": [...], "sources": [...]}``.

    Example
    -------
    >>> packed = transport(
    ...     [{"id": "a", "label": "A", "full": "A"}, {"id": "b", "label": "B", "full": "B"}],
    ...     [{"id": 0, "from": "a", "to": "b", "rel": "r", "rlabel": "R", "source": "s"}],
    ...     {"relations": [{"relation": "r", "label": "R"}]})
    >>> packed["edges"], packed["sources"], packed["nodes"][0]
    ([{'f': 0, 't': 1, 'r': 0, 's': 0}], ['s'], {'id': 'a', 'label': 'A'})
    """
    index = {node["id"]: i for i, node in enumerate(nodes)}
    relations = {r["relation"]: (i, r["label"]) for i, r in enumerate(legend["relations"])}
    sources: dict[str, int] = {}
    packed_nodes = []
    for node in nodes:
        item = {k: v for k, v in node.items() if k != "title"}
        if item.get("full") == item.get("label"):
            del item["full"]
        packed_nodes.append(item)
    packed_edges = []
    for edge in edges:
        r, label = relations[edge["rel"]]
        item = {"f": index[edge["from"]], "t": index[edge["to"]], "r": r}
        for key, value in edge.items():
            if key in ("id", "from", "to", "rel", "title"):
                continue
            if key == "rlabel":
                if value != label:
                    item[key] = value
            elif key == "source":
                item["s"] = sources.setdefault(value, len(sources))
            else:
                item[key] = value
        packed_edges.append(item)
    return {"nodes": packed_nodes, "edges": packed_edges, "sources": list(sources)}


def page_html(
    net,
    *,
    title: str,
    legend: dict,
    meta: dict | None = None,
    scripts: tuple[str, ...] = PAGE_SCRIPTS,
    extra: str = "",
    extra_data: dict | None = None,
    credits: list[dict] | None = None,
) -> str:
    """Return the self-contained HTML page of a pyvis Network.

    Parameters
    ----------
    net:
        A ``pyvis.network.Network`` as built by :func:`kg.render.network.build_network`.
    title:
        The page title (plain text; escaped here).
    legend:
        :func:`kg.render.style.legend` of the network (drives the filters).
    meta:
        Extra page settings: ``as_of`` (initial "as of" date), ``focus`` (an entity to select
        and centre on), ``hops``, ``declutter`` (remove label overlaps after the layout),
        ``renderer`` (``"vis"`` or ``"canvas"``).
    scripts:
        The page's own scripts (assets), in order, after vis-network.
    extra:
        Trusted HTML (constant markup, no data) placed after the graph, e.g. a timeline box.
    extra_data:
        More values for the data island (the page scripts read them).
    credits:
        The imported datasets' attributions (:func:`kg.importers.attributions`), shown
        escaped in the panel (see :func:`credits_html`).

    Returns
    -------
    str
        The whole page. The vis Network is ``window.network`` once the page has run.

    Example
    -------
    >>> import networkx as nx
    >>> from kg.render.network import build_network
    >>> from kg.render.style import legend
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("x:1", label="<b>hi</b>", group="state")
    >>> net = build_network(g)
    >>> page = page_html(net, title="<i>t</i>", legend=legend(net))
    >>> "<b>hi" in page, "\\\\u003cb\\\\u003ehi" in page, "<title>&lt;i&gt;t" in page
    (False, True, True)
    """
    nodes, edges, _, _, _, options = net.get_network_data()
    meta = dict(meta or {})
    meta.setdefault("edge_labels", len(edges) <= EDGE_LABELS_MAX_EDGES)
    data = {
        "meta": meta,
        "legend": legend,
        "options": json.loads(options) if isinstance(options, str) else options,
        **transport(nodes, edges, legend),
        **(extra_data or {}),
    }
    bodies = [vis_network_js(), *(asset(name) for name in scripts)]
    csp = (
        f"default-src 'none'; script-src {' '.join(_sha256(b) for b in bodies)}; "
        "style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"
    )
    return _TEMPLATE.format(
        csp=csp,
        title=html.escape(title, quote=True),
        css=asset("kg-graph.css"),
        data=script_json(data),
        scripts="\n".join(f"<script>{body}</script>" for body in bodies),
        extra=extra,
        credits=credits_html(credits or []),
    )


def credits_html(credits: list[dict]) -> str:
    """The panel's "Data from" box: each imported dataset's attribution, licence and terms.

    Every text comes from the graph, so every text is escaped; the licence is shown as text,
    not as a link (an address from the data is never made something to click).

    Parameters
    ----------
    credits:
        ``label``, ``attribution``, ``licence`` and ``restricted`` per dataset, as
        :func:`kg.importers.attributions` returns them.

    Returns
    -------
    str
        ``""`` when there are none, else a ``<fieldset id="kg-credits">``.

    Example
    -------
    >>> credits_html([])
    ''
    >>> box = credits_html([{"label": "<b>D</b>", "attribution": "From D & co.",
    ...     "licence": "https://example.org/l", "restricted": True}])
    >>> "&lt;b&gt;D&lt;/b&gt;" in box, "From D &amp; co." in box, "<b>" in box
    (True, True, False)
    >>> "redistribution restricted" in box
    True
    """
    if not credits:
        return ""
    items = []
    for c in credits:
        flag = (
            ' <span class="kg-restricted">redistribution restricted</span>'
            if c.get("restricted")
            else ""
        )
        items.append(
            f'<div class="kg-credit"><strong>{html.escape(str(c.get("label") or ""))}</strong>'
            f"{flag}<br>{html.escape(str(c.get('attribution') or ''))}<br>"
            f'<span class="kg-licence">Licence: {html.escape(str(c.get("licence") or "-"))}'
            "</span></div>"
        )
    return '\n<fieldset id="kg-credits"><legend>Data from</legend>' + "".join(items) + "</fieldset>"
