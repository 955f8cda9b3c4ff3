"""axe-core checks for the browser tests."""

from axe_playwright_python.base import AxeResults
from axe_playwright_python.sync_playwright import Axe

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
# axe's best practices too: landmarks, heading order, one main, and the like.
RULE_TAGS = [*WCAG_TAGS, "best-practice"]

# Sent to a page at its first check, not given to every page as it opens (an init script):
# most documents the tests open are never checked, and compiling axe's 570 KB in each of them
# cost Chromium about 26 ms a navigation and 400 ms a browser context (docs/decisions.md).
AXE_SCRIPT = Axe().axe_script


def assert_accessible(page, *, exclude_rules=()):
    """Fail with axe's readable report on any WCAG A or AA violation or best-practice failure."""
    options = {"runOnly": {"type": "tag", "values": RULE_TAGS}, "resultTypes": ["violations"]}
    if exclude_rules:
        options["rules"] = {rule: {"enabled": False} for rule in exclude_rules}
    run = "(options) => typeof axe === 'undefined' ? null : axe.run(document, options)"
    response = page.evaluate(run, options)
    if response is None:  # this document's first check
        page.evaluate(AXE_SCRIPT)
        response = page.evaluate(run, options)
    results = AxeResults(response)
    assert results.violations_count == 0, (
        f"axe found {results.violations_count} violation(s) on {page.url}:\n"
        + results.generate_report()
    )
