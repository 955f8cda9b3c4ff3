"""A person using the site over real HTTP: cookies, CSRF tokens from the forms, sign-in."""

import re

import requests

_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Visitor:
    def __init__(self, base: str):
        self.base = base
        self.session = requests.Session()

    def _cookies_for_loopback(self) -> None:
        """Production marks its cookies Secure (a proxy in front speaks HTTPS); the benchmark
        talks plain HTTP to loopback, so they must be sent back all the same."""
        for cookie in self.session.cookies:
            cookie.secure = False

    def get(self, path: str, **kwargs) -> requests.Response:
        self._cookies_for_loopback()
        return self.session.get(self.base + path, allow_redirects=False, timeout=30, **kwargs)

    def submit(self, path: str, data: dict, *, form: str | None = None) -> requests.Response:
        """Open the form (at `form`, or `path`), then post it with its CSRF token. When the
        form does not open (a 503 during an outage, say), that answer is returned."""
        page = self.get(form or path)
        token = _TOKEN.search(page.text) if page.status_code == 200 else None
        if not token:
            return page
        return self.post(path, {**data, "csrfmiddlewaretoken": token[1]})

    def post(self, path: str, data: dict) -> requests.Response:
        self._cookies_for_loopback()
        return self.session.post(
            self.base + path,
            data=data,
            headers={"Referer": self.base + path},
            allow_redirects=False,
            timeout=30,
        )

    def sign_in(self, email: str, password: str) -> "Visitor":
        response = self.submit("/accounts/login/", {"login": email, "password": password})
        if response.status_code != 302:
            raise RuntimeError(f"{email} could not sign in ({response.status_code})")
        return self

    def copy(self) -> "Visitor":
        """Another connection for the same person, signed in with the same cookies."""
        other = Visitor(self.base)
        other.session.cookies.update(self.session.cookies)
        return other

    def form_value(self, path: str, name: str) -> str:
        page = self.get(path)
        page.raise_for_status()
        match = re.search(rf'name="{name}" value="([^"]*)"', page.text)
        if not match:
            raise RuntimeError(f"No field {name} on {path}")
        return match[1]
