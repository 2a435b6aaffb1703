"""Render the demo pages and screenshot them for the README (docs/img/render-*.png).

Usage::

    .venv/bin/python scripts/render_screenshots.py [--out out] [--img docs/img]

Writes the demo pages (out/full.html, out/alliance.html, out/contested.html, out/armenia.html,
as ``make demo`` does), then screenshots each in Debian chromium (1600x1000) once it has
settled (laid out, label overlaps removed, fitted); on the full graph Armenia is clicked, on
the alliance page Georgia's ended membership, so that their details panels show.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from kg.render.headless import launch_chromium

KGR = "https://w3id.org/kg-ir/resource/"
SELECT = {"full.html": KGR + "Armenia"}
#: page -> the member whose membership edge is clicked.
SELECT_EDGE = {"alliance.html": KGR + "Georgia"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default="out", help="folder for the pages")
    parser.add_argument("--img", default="docs/img", help="folder for the screenshots")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    import kg
    from kg.render.demo import render_demo_pages

    pages = render_demo_pages(kg.load(), args.out)
    img = Path(args.img)
    img.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        for path in pages:
            page = browser.new_page(viewport={"width": 1600, "height": 1000})
            page.goto(path.resolve().as_uri())
            page.wait_for_function("() => window.kgSettled !== undefined", timeout=60_000)
            page.wait_for_timeout(300)
            node = SELECT.get(path.name)
            if node:
                page.evaluate(
                    "(id) => { network.selectNodes([id]);"
                    " network.emit('click', {nodes: [id], edges: []}); }",
                    node,
                )
            member = SELECT_EDGE.get(path.name)
            if member:
                page.evaluate(
                    "(m) => { const e = network.body.data.edges.get().find("
                    "x => x.from === m && x.rel === 'memberOf');"
                    " network.emit('click', {nodes: [], edges: [e.id]}); }",
                    member,
                )
            shot = img / f"render-{path.stem}.png"
            page.screenshot(path=str(shot))
            print(f"wrote {shot}")
            page.close()
        browser.close()


if __name__ == "__main__":
    main()
