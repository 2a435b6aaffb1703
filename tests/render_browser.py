"""Helpers for the render tests: Debian chromium through Playwright, page probes, PNG check.

Imported by the ``test_render*.py`` modules (pytest puts ``tests/`` on ``sys.path``).
"""

from __future__ import annotations

import base64
import shutil
from pathlib import Path

import pytest

from kg.render.headless import CHROMIUM, launch_chromium
from kg.render.page import PAGE_SCRIPTS


@pytest.fixture(scope="module")
def browser():
    """One chromium per test module."""
    if not shutil.which(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        yield browser
        browser.close()


OVERLAPS = """() => {
  const boxes = network.body.nodeIndices.map((id) => {
    const n = network.body.nodes[id];
    const b = n.shape.boundingBox;
    const s = n.labelModule.size;
    const has = s && s.width > 0;
    const label = has
      ? {left: s.left, right: s.left + s.width, top: s.top, bottom: s.top + s.height} : null;
    const box = {left: b.left, right: b.right, top: b.top, bottom: b.bottom};
    if (label) {
      box.left = Math.min(box.left, label.left); box.right = Math.max(box.right, label.right);
      box.top = Math.min(box.top, label.top); box.bottom = Math.max(box.bottom, label.bottom);
    }
    return {box, label};
  });
  const hit = (a, b) =>
    a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  const bad = boxes.filter((a) => boxes.some((b) => b !== a && b.label && hit(a.box, b.label)));
  return [bad.length, boxes.length];
}"""


class Opened:
    """A page opened from file://, with the requests, console errors and dialogs it caused."""

    def __init__(
        self, browser, path: Path, *, timeout_ms=30_000, size=(1280, 800), scripts=PAGE_SCRIPTS
    ):
        self.context = browser.new_context(viewport={"width": size[0], "height": size[1]})
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        page = self.page
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.url = Path(path).resolve().as_uri()
        # The page's own scripts: a page holds these and vis-network, nothing else.
        self.scripts = scripts
        page.goto(self.url)
        page.wait_for_function("() => window.kgFirstDraw !== undefined", timeout=timeout_ms)
        # Settled: laid out, label overlaps removed and fitted (or drawn, for big graphs).
        page.wait_for_function("() => window.kgSettled !== undefined", timeout=timeout_ms)

    def label_overlaps(self) -> tuple[int, int]:
        """How many of the drawn nodes overlap another node's label, and how many are drawn.

        Measured from vis-network's own boxes: a node's box is its shape's bounding box joined
        with its label's box (``labelModule.size``); a node counts when its box meets the
        label box of any other node.
        """
        return tuple(self.page.evaluate(OVERLAPS))

    def fitted(self, after: int) -> None:
        """Wait until the page has re-fitted its view ``after`` times in all."""
        self.page.wait_for_function(f"() => (window.kgFitted || 0) >= {after}", timeout=30_000)

    def counts(self) -> tuple[int, int]:
        """Nodes and edges the network holds now (after filters)."""
        return tuple(
            self.page.evaluate("[network.body.data.nodes.length, network.body.data.edges.length]")
        )

    def shown_ids(self) -> set[str]:
        return set(self.page.evaluate("network.body.data.nodes.getIds()"))

    def drawn_pixels(self) -> int:
        """Pixels the vis canvas has painted (it is transparent where nothing is drawn)."""
        return self.page.evaluate(
            """() => {
              const c = document.querySelector('#kg-graph canvas');
              const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
              let n = 0;
              for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
              return n;
            }"""
        )

    def redraw(self) -> None:
        self.page.evaluate("network.redraw()")

    def close(self) -> None:
        self.context.close()


def png_stats(browser, png: bytes) -> tuple[int, int]:
    """Decode a PNG in a blank chromium page and return ``(pixels that are not the background
    colour, distinct colours)``; the background is the most common colour."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.set_content("<body></body>")
        return tuple(
            page.evaluate(
                """async (src) => {
                  const img = new Image();
                  img.src = src;
                  await img.decode();
                  const c = document.createElement('canvas');
                  c.width = img.width; c.height = img.height;
                  const ctx = c.getContext('2d');
                  ctx.drawImage(img, 0, 0);
                  const d = ctx.getImageData(0, 0, c.width, c.height).data;
                  const counts = new Map();
                  for (let i = 0; i < d.length; i += 4) {
                    const k = (d[i] << 16) | (d[i + 1] << 8) | d[i + 2];
                    counts.set(k, (counts.get(k) || 0) + 1);
                  }
                  const top = Math.max(...counts.values());
                  return [d.length / 4 - top, counts.size];
                }""",
                "data:image/png;base64," + base64.b64encode(png).decode("ascii"),
            )
        )
    finally:
        context.close()
