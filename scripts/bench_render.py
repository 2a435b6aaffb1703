"""Benchmark the HTML renders against pyvis's defaults, measured in the same run.

For synthetic views of 1k, 5k and 20k nodes (``kg.render.sample.sample_view``, about 2 edges
per node) it measures:

- build: ``kg.render.render_html`` (igraph layout + pyvis Network filled directly + page),
  against pyvis's default path, ``Network().from_nx(graph)`` + ``generate_html()`` on the same
  nodes and edges (run in a subprocess, stopped after ``--baseline-timeout`` seconds);
- HTML size;
- browser time to first draw (navigation start to vis-network's first ``afterDrawing``, in
  Debian chromium driven by Playwright), against the pyvis page with default options
  (``cdn_resources="in_line"``, the only mode that draws offline; physics on) and against a
  pyvis page with physics off at the same precomputed positions;
- requests leaving the page (aborted, counted);
- frame time while the view moves (headless chromium, software rendering, 1600x1000):
  alternating ``network.moveTo`` pans and zooms, one ``requestAnimationFrame`` each, median
  of ``--frames`` steps, for our page (vis-network up to ``kg.render.CANVAS_MIN_NODES``
  nodes, kg's canvas renderer above) against the same page drawn by vis-network
  (``renderer="vis"``); and for the canvas renderer the still frame drawn once the view stops
  (every edge, which moving frames of more than 4,000 edges leave out).

Usage::

    .venv/bin/python scripts/bench_render.py [--sizes 1000 5000 20000] [--repeat 3]
        [--baseline-timeout 60] [--frames 20] [--frames-only]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from kg.render.headless import launch_chromium

GOALS = {5000: 2.0, 20000: 6.0}  # seconds to first draw
BUILD_GOAL = (20000, 3.0)
FRAME_GOAL = (20000, 100.0)  # milliseconds per frame while the view moves

# Alternating pans and zooms through network.moveTo, one requestAnimationFrame each.
FRAMES = """async (steps) => {
  const raf = () => new Promise((r) => requestAnimationFrame(() => r()));
  network.fit({animation: false});
  await raf(); await raf();
  const base = network.getViewPosition(), s = network.getScale();
  const times = [];
  for (let i = 0; i < steps; i++) {
    const t = performance.now();
    if (i % 2) network.moveTo({scale: s * (i % 4 === 1 ? 1.6 : 1), animation: false});
    else network.moveTo({position: {x: base.x + (i % 4 ? 80 : -80) / s, y: base.y},
                         animation: false});
    await raf();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  let still = null;
  if (network.draw) {  // the canvas renderer: one still frame, every edge drawn
    network.moving = false;
    const t = performance.now();
    network.draw();
    still = performance.now() - t;
  }
  return [times[Math.floor(times.length / 2)], still];
}"""

# Records the first draw of a pyvis page: its template assigns the global `network`.
FIRST_DRAW_HOOK = """
(() => {
  let value;
  Object.defineProperty(window, "network", {
    configurable: true,
    get() { return value; },
    set(v) {
      value = v;
      if (v && v.once) v.once("afterDrawing", () => { window.__firstDraw = performance.now(); });
    },
  });
})();
"""

# from_nx cannot take the view itself (its edge attribute `source` collides with add_edge's
# parameter): it gets the same nodes and edges with label, title and group only.
PYVIS_BUILD = """
import json, sys, time
import networkx as nx
from kg.render.sample import sample_view
from pyvis.network import Network
view = sample_view(int(sys.argv[1]), seed=0)
plain = nx.Graph()
for node, data in view.nodes(data=True):
    plain.add_node(node, label=data["label"], title=data["label"], group=data["group"])
for u, v, key in view.edges(keys=True):
    plain.add_edge(u, v, title=key)
t = time.perf_counter()
net = Network(cdn_resources="in_line")
net.from_nx(plain)
html = net.generate_html()
seconds = time.perf_counter() - t
open(sys.argv[2], "w", encoding="utf-8").write(html)
print(json.dumps({"seconds": seconds}))
"""


def build_ours(view, repeat: int) -> tuple[float, float, str]:
    """Median build time (seconds), median layout time, and the page."""
    from kg.render import render_html
    from kg.render.layout import layout_positions

    builds, layouts = [], []
    for _ in range(repeat):
        t = time.perf_counter()
        layout_positions(view)
        layouts.append(time.perf_counter() - t)
        t = time.perf_counter()
        page = render_html(view)
        builds.append(time.perf_counter() - t)
    return statistics.median(builds), statistics.median(layouts), page


def build_pyvis_default(n: int, path: Path, timeout: float) -> float | None:
    """Seconds for from_nx + generate_html in a subprocess, or None if it ran out of time."""
    try:
        done = subprocess.run(
            [sys.executable, "-c", PYVIS_BUILD, str(n), str(path)],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=True,
        )
    except subprocess.TimeoutExpired:
        return None
    return json.loads(done.stdout)["seconds"]


def pyvis_page(view, path: Path, *, physics: bool, positions=None) -> None:
    """A pyvis in_line page with the nodes from_nx would make, filled in directly."""
    from pyvis.network import Network

    net = Network(cdn_resources="in_line")
    for node, data in view.nodes(data=True):
        item = {"id": node, "label": str(data.get("label", node)), "shape": "dot", "size": 10}
        item["title"] = str(data.get("label", node))
        if positions is not None:
            item["x"], item["y"] = positions[node]
        net.nodes.append(item)
        net.node_ids.append(node)
        net.node_map[node] = item
    net.edges = [{"from": u, "to": v, "width": 1} for u, v in view.edges()]
    if not physics:
        net.toggle_physics(False)
    path.write_text(net.generate_html(), encoding="utf-8")


def first_draw(browser, path: Path, *, ours: bool, timeout: float) -> tuple[float | None, int]:
    """Seconds from navigation start to the first draw (None if not drawn in time), and the
    number of requests that tried to leave the page."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    outside: list[str] = []

    def route(r):
        outside.append(r.request.url)
        r.abort()

    context.route(lambda url: not url.startswith("file://"), route)
    page = context.new_page()
    if not ours:
        page.add_init_script(FIRST_DRAW_HOOK)
    marker = "window.kgFirstDraw" if ours else "window.__firstDraw"
    try:
        page.goto(path.as_uri(), timeout=timeout * 1000, wait_until="commit")
        page.wait_for_function(f"() => {marker} !== undefined", timeout=timeout * 1000)
        return page.evaluate(marker) / 1000, len(outside)
    except Exception:  # noqa: BLE001  (playwright's timeout: not drawn in time)
        return None, len(outside)
    finally:
        context.close()


def frame_times(browser, path: Path, steps: int) -> tuple[float | None, float | None]:
    """Median milliseconds per moving frame, and the canvas renderer's still frame."""
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    try:
        page = context.new_page()
        page.goto(path.as_uri(), timeout=120_000)
        page.wait_for_function("() => window.kgSettled !== undefined", timeout=120_000)
        moving, still = page.evaluate(FRAMES, steps)
        return moving, still
    except Exception:  # noqa: BLE001  (playwright's timeout: not drawn in time)
        return None, None
    finally:
        context.close()


def fmt_ms(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0f} ms"


def fmt_seconds(value: float | None, limit: float) -> str:
    return f"> {limit:.0f} s" if value is None else f"{value:.2f} s"


def ratio(ours: float | None, base: float | None, limit: float) -> str:
    if ours is None:
        return "n/a"
    if base is None:
        return f"> {limit / ours:.0f}x"
    return f"{base / ours:.1f}x"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 20000])
    parser.add_argument("--repeat", type=int, default=3, help="runs of ours (median)")
    parser.add_argument("--baseline-timeout", type=float, default=60.0)
    parser.add_argument("--frames", type=int, default=20, help="moving frames measured")
    parser.add_argument(
        "--frames-only", action="store_true", help="only the frame times (no build, no pyvis)"
    )
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    from kg.render.layout import layout_positions
    from kg.render.sample import sample_view

    limit = args.baseline_timeout
    rows, frames = [], []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        for n in args.sizes:
            view = sample_view(n, seed=0)
            frames.append(measure_frames(browser, view, Path(tmp), args.frames))
            print(f"measured frames at {n} nodes", file=sys.stderr, flush=True)
            if args.frames_only:
                continue
            build, layout, page = build_ours(view, args.repeat)
            ours_path = Path(tmp) / f"ours-{n}.html"
            ours_path.write_text(page, encoding="utf-8")
            draws, ours_requests = [], 0
            for _ in range(args.repeat):
                seconds, requests = first_draw(browser, ours_path, ours=True, timeout=60)
                draws.append(seconds if seconds is not None else float("inf"))
                ours_requests += requests
            draw = statistics.median(draws)
            draw = None if draw == float("inf") else draw

            default_path = Path(tmp) / f"pyvis-default-{n}.html"
            default_build = build_pyvis_default(n, default_path, limit)
            if default_build is None:  # same page, built without from_nx's quadratic path
                pyvis_page(view, default_path, physics=True)
            default_draw, default_requests = first_draw(
                browser, default_path, ours=False, timeout=limit
            )
            off_path = Path(tmp) / f"pyvis-off-{n}.html"
            pyvis_page(view, off_path, physics=False, positions=layout_positions(view))
            off_draw, _ = first_draw(browser, off_path, ours=False, timeout=limit)
            rows.append(
                {
                    "n": n,
                    "edges": view.number_of_edges(),
                    "build": build,
                    "layout": layout,
                    "default_build": default_build,
                    "size": ours_path.stat().st_size,
                    "default_size": default_path.stat().st_size,
                    "draw": draw,
                    "default_draw": default_draw,
                    "off_draw": off_draw,
                    "requests": ours_requests,
                    "default_requests": default_requests,
                }
            )
            print(f"measured {n} nodes", file=sys.stderr, flush=True)
        browser.close()
    if rows:
        print_table(rows, limit)
    print_frames(frames)


def measure_frames(browser, view, tmp: Path, steps: int) -> dict:
    """Frame times of our page and of the same page drawn by vis-network."""
    from kg.render import CANVAS_MIN_NODES, render

    n = view.number_of_nodes()
    ours = render(view, tmp / f"frames-ours-{n}.html")
    vis = render(view, tmp / f"frames-vis-{n}.html", renderer="vis")
    # The machine's floor in the same run: the same frames on a page of 10 nodes.
    floor_view = sample_view_small()
    floor, _ = frame_times(browser, render(floor_view, tmp / "frames-floor.html"), steps)
    moving, still = frame_times(browser, ours, steps)
    vis_moving, _ = frame_times(browser, vis, steps)
    renderer = "canvas" if n > CANVAS_MIN_NODES else "vis"
    return {
        "n": n,
        "renderer": renderer,
        "moving": moving,
        "still": still,
        "vis": vis_moving,
        "floor": floor,
    }


def sample_view_small():
    from kg.render.sample import sample_view

    return sample_view(10, seed=0)


def print_frames(frames: list[dict]) -> None:
    head = [
        "nodes",
        "renderer",
        "frame ours (moving)",
        "still frame",
        "vis-network",
        "ratio",
        "floor (10 nodes)",
    ]
    print()
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for f in frames:
        ratio_text = f"{f['vis'] / f['moving']:.1f}x" if f["moving"] and f["vis"] else "n/a"
        cells = [
            f"{f['n']:,}",
            f["renderer"],
            fmt_ms(f["moving"]),
            fmt_ms(f["still"]) if f["still"] is not None else "same",
            fmt_ms(f["vis"]),
            ratio_text,
            fmt_ms(f["floor"]),
        ]
        print("| " + " | ".join(cells) + " |")
    print()
    for f in frames:
        if f["n"] == FRAME_GOAL[0]:
            ok = f["moving"] is not None and f["moving"] < FRAME_GOAL[1]
            print(
                f"goal: a moving frame of {f['n']:,} nodes under {FRAME_GOAL[1]:.0f} ms: "
                f"{'met' if ok else 'MISSED'}"
            )


def print_table(rows: list[dict], limit: float) -> None:
    head = [
        "nodes",
        "edges",
        "build ours (layout)",
        "build pyvis from_nx",
        "ratio",
        "HTML ours",
        "HTML pyvis",
        "first draw ours",
        "pyvis defaults",
        "ratio",
        "pyvis physics off",
        "ratio",
        "requests ours / pyvis",
    ]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for r in rows:
        cells = [
            f"{r['n']:,}",
            f"{r['edges']:,}",
            f"{r['build']:.2f} s ({r['layout']:.2f} s)",
            fmt_seconds(r["default_build"], limit),
            ratio(r["build"], r["default_build"], limit),
            f"{r['size'] / 1e6:.1f} MB",
            f"{r['default_size'] / 1e6:.1f} MB",
            fmt_seconds(r["draw"], 60),
            fmt_seconds(r["default_draw"], limit),
            ratio(r["draw"], r["default_draw"], limit),
            fmt_seconds(r["off_draw"], limit),
            ratio(r["draw"], r["off_draw"], limit),
            f"{r['requests']} / {r['default_requests']}",
        ]
        print("| " + " | ".join(cells) + " |")
    print()
    for r in rows:
        goal = GOALS.get(r["n"])
        if goal is not None:
            ok = r["draw"] is not None and r["draw"] <= goal
            print(f"goal: {r['n']:,} nodes drawn within {goal:.0f} s: {'met' if ok else 'MISSED'}")
        if r["n"] == BUILD_GOAL[0]:
            ok = r["build"] <= BUILD_GOAL[1]
            print(
                f"goal: build of {r['n']:,} nodes incl. layout within {BUILD_GOAL[1]:.0f} s: "
                f"{'met' if ok else 'MISSED'}"
            )


if __name__ == "__main__":
    main()
