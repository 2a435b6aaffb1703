"""Helpers for the render tests: Debian chromium through Playwright, page probes, PNG check.

Imported by the ``test_render*.py`` modules (pytest puts ``tests/`` on ``sys.path``).
"""

from __future__ import annotations

import base64
import shutil
from pathlib import Path

import pytest

from kg.render.headless import CHROMIUM, launch_chromium


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


class Opened:
    """A page opened from file://, with the requests, console errors and dialogs it caused."""

    def __init__(self, browser, path: Path, *, timeout_ms: int = 30_000):
        self.context = browser.new_context(viewport={"width": 1280, "height": 800})
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
        page.goto(self.url)
        page.wait_for_function("() => window.kgFirstDraw !== undefined", timeout=timeout_ms)

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
