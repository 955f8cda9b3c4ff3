"""The pages the browser tests drive: one desktop and one phone page for each test process."""

from playwright.sync_api import Error as PlaywrightError


class KeptPage:
    """One page kept for all of a test process's tests, and reset between them as a new page
    would be: no cookies, no storage, its own size, no Content Security Policy reports of
    another test's.
    A page in a new context cost Chromium about a second before a test's first step (a
    renderer started cold, with nothing compiled and no stylesheet or font loaded yet)."""

    def __init__(self, browser, live_server, **options):
        self.browser, self.options, self.origin = browser, options, live_server.url
        self.context, self.page = self._open()

    def _open(self):
        context = self.browser.new_context(base_url=self.origin, **self.options)
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.csp_violations = []
        page.on(
            "console",
            lambda message: (
                "Content Security Policy" in message.text
                and page.csp_violations.append(message.text)
            ),
        )
        return context, page

    def lend(self):
        """The page for one test (a generator, for a fixture): afterwards, reset for the next
        one, and any violation the browser reported fails the test that caused it."""
        page = self.page
        page.csp_violations.clear()
        yield page
        try:
            if page.url.startswith(self.origin):
                page.evaluate("localStorage.clear(); sessionStorage.clear()")
            page.context.clear_cookies()
            size = self.options.get("viewport")
            if size and page.viewport_size != size:  # a test that tried other widths
                page.set_viewport_size(size)
        except PlaywrightError:  # a test left it unusable: the next one gets a new page
            self.close()
            self.context, self.page = self._open()
        assert page.csp_violations == []

    def close(self):
        self.context.close()
