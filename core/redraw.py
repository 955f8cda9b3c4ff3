"""Public pages drawn again in the task worker after an addition, not in readers' requests.

When a page that readers may be given as it was is due to be drawn again (`core.public`), the
reader who finds it so asks for a drawing (`ask`) and is given the page as it was; the task
worker (`manage.py db_worker`, a process of its own) draws it through the whole middleware, as
an anonymous visit to the same address, and leaves it for every process. Drawn in a web worker,
a page held that worker's interpreter lock for 40 to 60 ms, and every reader queued behind it
waited: under a write a second, the writes' place's p95 was three to six times the others'.

A drawing asked for and not done (no worker running, or one far behind) costs nothing but
freshness: once the page as it was may no longer stand in (PUBLIC_STALE_SECONDS), readers draw
it as before.
"""

import contextvars
import io
import time

from django.core.handlers.base import BaseHandler
from django.core.handlers.wsgi import WSGIRequest
from django.urls import get_script_prefix, set_script_prefix
from django_tasks import task

from . import single_flight

# Before email: a drawing takes a tenth of a second, and readers are given a page as it was
# until it is done.
PRIORITY = 50

# Set while the task worker draws a page readers asked for: the page is drawn, never answered
# from the cache.
_asked = contextvars.ContextVar("drawing_asked", default=False)

# Pages this process has asked for, by page key, until when: each reader after the first is
# given the page as it was without another round trip to the shared cache.
_asked_here: dict[str, float] = {}
ASKED_LIMIT = 20_000

_handler = None


def asked() -> bool:
    """Whether the request being served is the task worker's drawing of a page."""
    return _asked.get()


def ask(request, page_key: str) -> bool:
    """Ask the task worker to draw the page `request` is for, under the versions its
    `page_key` names: once in the whole deployment (the first process to ask queues it).
    Whether this call queued it."""
    now = time.monotonic()
    if _asked_here.get(page_key, 0) > now:
        return False
    if len(_asked_here) >= ASKED_LIMIT:
        _asked_here.clear()
    _asked_here[page_key] = now + single_flight.TURN_SECONDS
    if not single_flight.first(f"asked:{page_key}", single_flight.TURN_SECONDS):
        return False
    draw_page.enqueue(
        scheme=request.scheme,
        host=request.get_host(),
        path=request.path,
        query=request.META.get("QUERY_STRING", ""),
    )
    return True


@task(priority=PRIORITY)
def draw_page(*, scheme: str, host: str, path: str, query: str) -> str:
    """Draw the page at this address as an anonymous visitor's GET would be, through every
    middleware (the place, the script prefix, the site's address), in a context of its own:
    nothing the drawing sets outlives it."""
    return contextvars.copy_context().run(_draw, _request(scheme, host, path, query))


def _draw(request) -> str:
    global _handler
    if _handler is None:
        _handler = BaseHandler()
        _handler.load_middleware()
    _asked.set(True)
    prefix = get_script_prefix()
    set_script_prefix("/")  # a process's own, not that of any request it is serving
    try:
        response = _handler.get_response(request)
    finally:
        set_script_prefix(prefix)
    return f"{response.status_code} {response.get('X-Cache', '')}".strip()


def _request(scheme: str, host: str, path: str, query: str) -> WSGIRequest:
    """The request an anonymous visitor's GET of the address makes: the same host and full
    path, so the same page key."""
    name, _, port = host.rpartition(":")
    if not port.isdigit():  # no port, or an IPv6 address without one
        name, port = host, ""
    return WSGIRequest(
        {
            "REQUEST_METHOD": "GET",
            "SCRIPT_NAME": "",
            # WSGI carries the path as bytes in a str: UTF-8 read as Latin-1.
            "PATH_INFO": path.encode().decode("iso-8859-1"),
            "QUERY_STRING": query,
            "HTTP_HOST": host,
            "SERVER_NAME": name,
            "SERVER_PORT": port or ("443" if scheme == "https" else "80"),
            "SERVER_PROTOCOL": "HTTP/1.1",
            "wsgi.url_scheme": scheme,
            "wsgi.input": io.BytesIO(b""),
        }
    )
