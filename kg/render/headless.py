"""Debian's chromium, headless, as the renders' screenshots, benchmarks and browser tests drive it.

Playwright's own browser download cannot work here, so Playwright launches the system chromium
with flags that keep it from reaching the network on its own (updates, sync, first-run pages).
"""

from __future__ import annotations

from typing import Any

__all__ = ["CHROMIUM", "CHROMIUM_ARGS", "launch_chromium"]

#: Debian's chromium (package ``chromium``).
CHROMIUM = "/usr/bin/chromium"

#: Headless, no sandbox (tests run as root), and no background traffic of chromium's own.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def launch_chromium(playwright: Any) -> Any:
    """Launch Debian's chromium through a running Playwright.

    Parameters
    ----------
    playwright:
        The object ``playwright.sync_api.sync_playwright()`` yields.

    Returns
    -------
    playwright.sync_api.Browser
    """
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
