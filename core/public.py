"""Caching of public pages, invalidated whenever public data changes.

Every cached key includes a version number (`core.versions`). Services call
`public_data_changed` after a write that the public could see; the version moves on, so the
next request renders afresh. The version is a row in PostgreSQL, so every worker and instance
sees a change at once; what is cached may live in each process's memory (or in Redis, when
REDIS_URL is set) because its key carries the version.

Under one version:
- `cached_public_page` keeps whole anonymous pages, and `CachedPageMiddleware` answers a
  repeat visit before sessions and the view run;
- `remembered` keeps registry-wide aggregates, `core.paging.public_count` the totals of
  lists, and `cached_fragment` (the `{% public_fragment %}` tag) pieces that many pages
  show, so that a page that misses (a new search, filter or page number) reuses them.
See docs/performance.md for what each saves.
"""

import contextvars
import functools
import hashlib
import time

from django.conf import settings
from django.contrib import messages
from django.core.cache import caches
from django.http import HttpResponse
from django.utils.cache import set_response_etag

from . import redraw, single_flight
from .versions import NETWORK_SCOPE, Versions, read_versions, servable

PAGE_TIMEOUT = 60 * 15

_scope = contextvars.ContextVar("public_scope", default=NETWORK_SCOPE)

# The version a public page is being rendered for: what it reads is cached under the same one.
_page_version = contextvars.ContextVar("public_page_version", default=None)
# The versions of other scopes that the page being drawn has read (`remembered(scope=...)`):
# each read once per drawing, however many figures are kept under it.
_scopes_read = contextvars.ContextVar("public_scopes_read", default=None)


def _tag(version: tuple[int, ...]) -> str:
    """A version as it goes in a cache key (no spaces, for any cache backend)."""
    return ".".join(map(str, version))


def set_public_scope(scope: tuple[int, ...]):
    """Say what the request being served shows (`places.middleware`); returns a token."""
    return _scope.set(scope)


def reset_public_scope(token) -> None:
    _scope.reset(token)


# Set while a fragment is drawn: the fragments inside it are kept with it, not again apart.
_in_fragment = contextvars.ContextVar("in_public_fragment", default=False)


def cached_fragment(name: str, parts: tuple, render) -> str:
    """A piece of a public page, rendered once per public-data version and reused by every
    page that shows it (each search, filter and page number shows the same cards); rendered
    afresh outside a cached public page, and inside a fragment being drawn (the network's
    newest cards: kept six times apart, they cost a tenth of the page's draw)."""
    version = _page_version.get()
    if version is None or _in_fragment.get():
        return render()

    def draw():
        token = _in_fragment.set(True)
        try:
            return render()
        finally:
            _in_fragment.reset(token)

    return _kept("fragment", version, (name, parts), draw)


def _kept(kind: str, version: tuple[int, ...], identity: tuple, compute, *, once=False):
    """`compute()`, kept in the page cache under a public-data version: the one shape of key
    that fragments, remembered values and totals share (their kind, the version, a digest of
    what identifies them), so that a new version retires each of them alike.

    With `once`, one thread in the whole deployment computes it after a change while the
    others wait for its result (`single_flight`): for figures that cost more than the two
    round trips to the shared cache that this adds to a miss."""
    digest = hashlib.sha256(repr(identity).encode()).hexdigest()
    key = f"{kind}:{_tag(version)}:{digest}"
    if once:
        return single_flight.computed_once(key, compute, PAGE_TIMEOUT)
    return caches["pages"].get_or_set(key, compute, PAGE_TIMEOUT)


def public_version(scope: tuple[int, ...] | None = None) -> tuple[int, ...]:
    """The shared versions of a scope (the request's, when not given): while a page is
    drawn, the page's own, and each other scope's read once for the whole drawing."""
    if scope is None:
        return _page_version.get() or read_versions(_scope.get()).current
    read = _scopes_read.get()
    if read is None:
        return read_versions(scope).current
    if scope not in read:
        read[scope] = read_versions(scope).current
    return read[scope]


# Headers a cached response keeps; the rest (cookies, the CSP nonce) belong to each request.
KEPT_HEADERS = ("Content-Type", "ETag", "Cache-Control", "Content-Disposition")
# Pages this process has served as cached public pages, by key digest, with the scope of each,
# so that CachedPageMiddleware looks up only those, under their own versions; cleared when it
# grows large (a miss then only takes the longer way once).
_known_pages: dict[str, tuple[int, ...]] = {}
KNOWN_PAGES_LIMIT = 20_000
# Pages this process has lately given as they were, by page key, until when: the next readers
# are given the same before sessions and the view run, instead of each asking the shared cache
# whether the new drawing is done yet. Under load those round trips made a page as it was cost
# seven hits, and after a write one read in six is one.
_standing_in: dict[str, float] = {}
RECHECK_SECONDS = 0.1


def _know(digest: str) -> None:
    """Let CachedPageMiddleware look this page up from now on, under the request's scope:
    whoever drew it, this process or another (with Redis, a process may never draw a page
    that every other serves, and it took the long way for every reader of it)."""
    if _known_pages.get(digest) != (scope := _scope.get()):
        if len(_known_pages) >= KNOWN_PAGES_LIMIT:
            _known_pages.clear()
        _known_pages[digest] = scope


def _page_digest(request) -> str:
    # Hashed, so that a long or odd query string still makes a short, safe key.
    return hashlib.sha256((request.get_host() + request.get_full_path()).encode()).hexdigest()


def _page_key(version: tuple[int, ...], digest: str) -> str:
    return f"page:{_tag(version)}:{digest}"


def _answer(payload: tuple, how: str) -> HttpResponse:
    content, status, headers = payload
    response = HttpResponse(content, status=status, headers=headers)
    response["X-Cache"] = how
    return response


def _cached_response(digest: str, version: tuple[int, ...]) -> HttpResponse | None:
    kept = caches["pages"].get(_page_key(version, digest))
    return None if kept is None else _answer(kept[0], "hit")


def _now_us() -> int:
    return time.time_ns() // 1000


def _drawing_key(digest: str) -> str:
    return f"drawn:{digest}"


def _note_key(digest: str) -> str:
    """Where the other processes read when the page was last drawn, and for which versions."""
    return f"drawn-at:{digest}"


def _drawing(digest: str):
    """The page's latest drawing kept here: the versions it was drawn for, the page, and when
    those versions were read; None if there is none."""
    return single_flight.fetch_local(_drawing_key(digest))


def _newer_drawing(digest: str, mine):
    """The deployment's latest drawing of the page if another process drew it since `mine`
    (this process's, due to be drawn again) and it is not yet due itself, now kept here too;
    else `mine`. Without it, each process's pause after an addition ran on its own clock, and
    a page was drawn again whenever any process's pause ended: with five workers, after nearly
    every write. (A page never drawn here is drawn without asking: a new search or page
    number, mostly.)"""
    theirs = single_flight.fetch_shared(_note_key(digest))
    if theirs is None or theirs[1] <= mine[2] or _due(theirs[1]):
        return mine
    drawn, read_at = theirs
    payload = single_flight.fetch_shared(_page_key(drawn, digest))
    if payload is None:
        return mine
    drawing = (drawn, payload, read_at)
    single_flight.keep(_drawing_key(digest), drawing, PAGE_TIMEOUT, share=False)
    return drawing


def _as_it_was(drawing, versions: Versions) -> HttpResponse | None:
    """The latest drawing given as it was, if it may stand in for the current page."""
    drawn, payload, read_at = drawing
    if servable(drawn, versions, _now_us(), drawn_read_at=read_at):
        return _answer(payload, "stale")
    return None


def _redraw_due(drawing) -> bool:
    """Whether the latest drawing is PUBLIC_REDRAW_SECONDS old: until then, a page it may stand
    in for is not drawn again (so a place with a write a second draws each page every other
    second, not every second)."""
    return _due(drawing[2])


def _due(read_at: int) -> bool:
    return _now_us() - read_at >= settings.PUBLIC_REDRAW_SECONDS * 1_000_000


def _stale_answer(digest: str, versions: Versions) -> HttpResponse | None:
    """The page as it was, if it may stand in for the current one and either it is not yet
    due to be drawn again or a reader here was given it less than RECHECK_SECONDS ago."""
    drawing = _drawing(digest)
    if drawing is None:
        return None
    if _redraw_due(drawing) and time.monotonic() > _standing_in.get(
        _page_key(versions.current, digest), 0
    ):
        return None
    return _as_it_was(drawing, versions)


def _keep_drawing(digest: str, versions: Versions, payload: tuple, *, share: bool) -> None:
    """Keep the page's latest drawing here; with `share`, tell the other processes when it
    was drawn and for which versions (the page itself is in the shared cache under its key)."""
    drawing = (versions.current, payload, versions.read_at)
    single_flight.keep(_drawing_key(digest), drawing, PAGE_TIMEOUT, share=False)
    if share:
        single_flight.share(_note_key(digest), (versions.current, versions.read_at), PAGE_TIMEOUT)


def _draw(view, request, args, kwargs, versions: Versions, digest: str, *, share: bool):
    """Render the page for `versions` and keep it: in this process (and the shared cache,
    with `share`, for other processes waiting on it), and as the page's latest drawing."""
    token = _page_version.set(versions.current)
    scopes_token = _scopes_read.set({})
    try:
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and not getattr(response, "is_rendered", True):
            response.render()
    finally:
        _page_version.reset(token)
        _scopes_read.reset(scopes_token)
    if response.status_code in {200, 404} and not response.streaming:
        # Kept with the page, so that ConditionalGetMiddleware does not hash it on every hit.
        if not response.has_header("ETag"):
            set_response_etag(response)
        headers = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
        payload = (response.content, response.status_code, headers)
        single_flight.keep(_page_key(versions.current, digest), payload, PAGE_TIMEOUT, share=share)
        _keep_drawing(digest, versions, payload, share=share)
    response["X-Cache"] = "miss"
    return response


def _draw_asked(view, request, args, kwargs, digest: str) -> HttpResponse:
    """The task worker's drawing of a page that readers asked for (`core.redraw`), for the
    versions current now, unless the deployment has it already or another thread is drawing
    it: no one waits for this drawing, so it waits for no one either."""
    versions = read_versions(_scope.get())
    key = _page_key(versions.current, digest)
    if single_flight.fetch(key, PAGE_TIMEOUT) is None:
        with single_flight.turn(key) as mine:
            if mine:
                return _draw(view, request, args, kwargs, versions, digest, share=True)
    return HttpResponse(status=204)


def cached_public_page(view):
    """Serve anonymous GET requests from the cache until public data changes.

    After an addition, a page drawn less than PUBLIC_REDRAW_SECONDS ago is served as it was,
    while `servable`; once due, the task worker is asked to draw it (`core.redraw`) and
    readers are still served it as it was. When a page that has been drawn before misses and
    may not stand in (a safeguarding change, or past PUBLIC_STALE_SECONDS), one thread in the
    deployment draws it and the others wait for it. An address never drawn before is drawn
    by whoever asks: a new search or page number is rarely asked for by many at once, and a
    turn costs the shared cache two writes.

    Responses say `X-Cache: hit`, `stale` (the page as it was) or `miss`, so that the hit
    rate can be measured."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if _page_version.get() is not None:
            # Called by a page being drawn (a place's home draws the network's page): the
            # outer page keeps what is drawn, and has the turn.
            return view(request, *args, **kwargs)
        cacheable = (
            request.method == "GET"
            and not request.user.is_authenticated
            and not len(messages.get_messages(request))
        )
        if not cacheable:
            return view(request, *args, **kwargs)
        digest = _page_digest(request)
        if redraw.asked():
            return _draw_asked(view, request, args, kwargs, digest)
        _know(digest)
        # CachedPageMiddleware may have read the versions already, for a page since evicted.
        versions = getattr(request, "public_versions", None) or read_versions(_scope.get())
        hit = _cached_response(digest, versions.current)
        if hit is not None:
            return hit
        drawing = _drawing(digest)
        if drawing is not None and _redraw_due(drawing):
            drawing = _newer_drawing(digest, drawing)
        if drawing is None:
            return _draw(view, request, args, kwargs, versions, digest, share=False)
        if not _redraw_due(drawing) and (young := _as_it_was(drawing, versions)) is not None:
            return young

        key = _page_key(versions.current, digest)

        def found(kept):
            # Drawn by another process for the versions read here: it shows every change that
            # had committed when they were read, and becomes this process's latest drawing.
            _keep_drawing(digest, versions, kept[0], share=False)
            return _answer(kept[0], "hit")

        def stand_in():
            standing = _as_it_was(drawing, versions)
            if standing is not None:
                if len(_standing_in) >= KNOWN_PAGES_LIMIT:
                    _standing_in.clear()
                _standing_in[key] = time.monotonic() + RECHECK_SECONDS
            return standing

        if settings.PUBLIC_REDRAW_SECONDS and (standing := stand_in()) is not None:
            # The task worker draws it; meanwhile readers are given it as it was. The one who
            # queued it looks once more: a task backend that runs at once has drawn it.
            if redraw.ask(request, key):
                return _cached_response(digest, versions.current) or standing
            return standing
        return single_flight.obtain(
            key,
            PAGE_TIMEOUT,
            found=found,
            make=lambda: _draw(view, request, args, kwargs, versions, digest, share=True),
            stand_in=stand_in,
        )

    return wrapped


class CachedPageMiddleware:
    """Answer an anonymous GET for a page this process has cached before sessions, CSRF,
    authentication and the view run: on a hit, all their work would be thrown away. So too
    the page as it was, while it may stand in and a reader here was given it lately.

    A request with a session or messages cookie may be personal, so it takes the long way,
    where `cached_public_page` decides. Middleware above this one (security headers, the CSP,
    conditional GET) still applies to every hit."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.method == "GET"
            and not redraw.asked()
            and not (
                settings.SESSION_COOKIE_NAME in request.COOKIES or "messages" in request.COOKIES
            )
        ):
            digest = _page_digest(request)
            if digest in _known_pages:
                request.public_versions = versions = read_versions(_known_pages[digest])
                hit = _cached_response(digest, versions.current)
                if hit is None:
                    hit = _stale_answer(digest, versions)
                if hit is not None:
                    return hit
        return self.get_response(request)


def remembered(function=None, *, scope: tuple[int, ...] | None = None):
    """Remember what a function of public data returns, by its arguments, until public data
    changes (the request's scope, or `scope`: what the value depends on, when it is narrower
    than the page showing it). For registry-wide aggregates, whose cost grows with the
    registry while their value changes only when public data does: after a change one thread
    computes each, and the others wait for it. Arguments must have a stable repr."""
    if function is None:
        return functools.partial(remembered, scope=scope)

    name = f"{function.__module__}.{function.__qualname__}"

    @functools.wraps(function)
    def wrapped(*args):
        version = public_version(scope)
        return _kept("value", version, (name, args), lambda: function(*args), once=True)

    return wrapped
