"""The page each test process keeps: every test starts as it would on a new page."""

import pytest

from tests.browser.pages import KeptPage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def finish(lent):
    with pytest.raises(StopIteration):
        next(lent)


def test_a_test_finds_no_cookie_storage_or_report_of_the_one_before(browser, live_server):
    kept = KeptPage(browser, live_server)
    try:
        lent = kept.lend()
        page = next(lent)
        page.goto("/")
        page.evaluate("localStorage.setItem('a', '1'); sessionStorage.setItem('b', '2')")
        page.context.add_cookies([{"name": "sessionid", "value": "x", "url": live_server.url}])
        finish(lent)

        lent = kept.lend()
        page = next(lent)
        assert page.context.cookies() == []
        page.goto("/")
        assert page.evaluate("[localStorage.length, sessionStorage.length]") == [0, 0]
        page.csp_violations.append("Refused to execute inline script")
        with pytest.raises(AssertionError):  # the report fails the test that caused it
            next(lent)

        lent = kept.lend()
        page = next(lent)
        assert page.csp_violations == []
        page.close()  # a test that leaves its page unusable
        finish(lent)

        lent = kept.lend()
        page = next(lent)
        assert page.goto("/").ok  # a new page, working
        finish(lent)
    finally:
        kept.close()


def test_a_test_that_tries_other_widths_leaves_the_next_one_its_own(browser, live_server):
    kept = KeptPage(browser, live_server, viewport={"width": 1280, "height": 900})
    try:
        lent = kept.lend()
        next(lent).set_viewport_size({"width": 320, "height": 900})
        finish(lent)
        lent = kept.lend()
        assert next(lent).viewport_size == {"width": 1280, "height": 900}
        finish(lent)
    finally:
        kept.close()
