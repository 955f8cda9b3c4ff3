"""Finding, and if need be installing, the Chromium that the browser tests drive.

`make test` runs `python -m tests.browser.chromium` first: Debian's package when we are root
with apt, otherwise Playwright's own download. SKIP_BROWSER=1 skips the browser tests,
and the test summary then says so in capitals.
"""

import os
import shutil
import subprocess
import sys

from tests.debian import apt_install

INSTRUCTION = (
    "The browser and accessibility tests need Chromium, and it could not be installed here.\n"
    "Install it (Debian and Ubuntu: 'sudo apt-get install chromium'), or set CHROMIUM_PATH to\n"
    "a Chromium or Chrome binary, or run 'uv run playwright install chromium'.\n"
    "To run everything else only, set SKIP_BROWSER=1 (the summary will say so)."
)


def skipping() -> bool:
    return os.environ.get("SKIP_BROWSER") == "1"


def find() -> str | None:
    """The system Chromium, or Playwright's own download if it has one."""
    path = (
        os.environ.get("CHROMIUM_PATH")
        or shutil.which("chromium")
        or shutil.which("chromium-browser")
    )
    return path or _playwright_chromium()


def _playwright_chromium() -> str | None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        path = playwright.chromium.executable_path
    return path if path and os.path.exists(path) else None


def ensure() -> int:
    if skipping():
        print("SKIP_BROWSER=1: THE BROWSER AND ACCESSIBILITY TESTS WILL BE SKIPPED.")
        return 0
    if find():
        return 0
    print("Chromium is missing: trying Debian's package for the browser tests...")
    apt_install("chromium", "fonts-liberation")
    if not find():
        print("Chromium is missing: asking Playwright to download its own...")
        subprocess.run([sys.executable, "-m", "playwright", "install", "chromium"], check=False)
    if find():
        return 0
    print(INSTRUCTION, file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(ensure())
