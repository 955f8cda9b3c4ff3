"""The site's absolute address, for links that leave the page: emails, feeds, API, badges.

Production sets SITE_URL and every link uses it. Locally, links follow the request being
served, so a server on another host or port links to itself; work outside any request
(a management command) falls back to LOCAL_SITE_URL.
"""

from contextvars import ContextVar
from urllib.parse import urljoin

from django.conf import settings

_request_site = ContextVar("request_site", default=None)


def site_url(request=None) -> str:
    if settings.SITE_URL:
        return settings.SITE_URL
    if request is not None:
        return _origin(request)
    return _request_site.get() or settings.LOCAL_SITE_URL


def absolute_url(url: str, request=None) -> str:
    """A path made absolute on this site; a URL that already is (media on a CDN) is kept."""
    return urljoin(site_url(request) + "/", url)


def _origin(request) -> str:
    return f"{request.scheme}://{request.get_host()}"


class RequestSiteMiddleware:
    """Remember the request's own address while it is served (after the host is validated)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request_site.set(_origin(request))
        try:
            return self.get_response(request)
        finally:
            _request_site.reset(token)
