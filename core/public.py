"""Caching of public pages, invalidated whenever public data changes.

Every cached key includes a version number. Services call `public_data_changed` after a
write that the public could see; the version moves on when the transaction commits, so the
next request renders afresh. The version is a row in PostgreSQL, so every worker and instance
sees a change at once; what is cached may live in each process's memory (or in Redis, when
REDIS_URL is set) because its key carries the version.

Under one version:
- `cached_public_page` keeps whole anonymous pages, and `CachedPageMiddleware` answers a
  repeat visit before sessions and the view run;
- `remembered` keeps registry-wide aggregates, `core.paging.public_count` the totals of lists, and
  `cached_fragment` (the `{% public_fragment %}` tag) pieces that many pages show, so that a
  page that misses (a new search, filter or page number) reuses them.
See docs/performance.md for what each saves.
"""

import contextvars
import functools
import hashlib
import threading
import time
from typing import NamedTuple

from django.conf import settings
from django.contrib import messages
from django.core.cache import caches
from django.db import connection, transaction
from django.dispatch import Signal
from django.http import HttpResponse
from django.utils.cache import set_response_etag

from . import single_flight
from .models import PublicVersion

PAGE_TIMEOUT = 60 * 15

# Microseconds since the epoch, or one more than before: a version only ever grows, even if
# its row is deleted and made again. A safeguarding change moves `safe_from` with it.
_BUMP_SQL = """
INSERT INTO {table} (id, version, previous, safe_from)
SELECT key, now.us, 0, CASE WHEN %(safeguarding)s THEN now.us ELSE 0 END
FROM unnest(%(keys)s) AS key,
    (SELECT (extract(epoch FROM clock_timestamp()) * 1000000)::bigint AS us) AS now
ON CONFLICT (id) DO UPDATE SET
    version = greatest({table}.version + 1, EXCLUDED.version),
    previous = {table}.version,
    safe_from = CASE WHEN %(safeguarding)s
        THEN greatest({table}.version + 1, EXCLUDED.version) ELSE {table}.safe_from END
"""
_VERSION_SQL = (
    "SELECT id, version, previous, safe_from"  # noqa: S608 - the model's own table name
    f" FROM {PublicVersion._meta.db_table} WHERE id = ANY(%s::bigint[])"
)

# Scopes: what a page shows, and so which changes retire it. Every page depends on EVERYTHING
# (a change no one place owns, such as an organisation's name); a place's pages on the
# place's own row too, the network's pages (its home page, the API) on NETWORK, which every
# place's change moves on as well. So a change in one place re-renders that place's pages and
# the network's, never another place's.
EVERYTHING = 1
NETWORK = 2
# The network's commitments: which pledges are published, and what each place's current
# priorities say. Moved on with a place's change when it publishes, suspends, reinstates,
# supersedes or withdraws a pledge, or makes a new agreement version current
# (`public_data_changed(..., commitments=True)`). What is counted over every place's
# commitments is kept under it, not under NETWORK: a progress update or a story in one
# place does not recount the whole network.
COMMITMENTS = 3
COMMITMENTS_SCOPE = (EVERYTHING, COMMITMENTS)


def place_scope(place_id: int) -> tuple[int, int]:
    return (EVERYTHING, -place_id)


def places_scope(place_ids) -> tuple[int, ...]:
    """What shows something from each of these places, and only that, depends on."""
    return (EVERYTHING, *(-place_id for place_id in place_ids))


NETWORK_SCOPE = (EVERYTHING, NETWORK)
# What only a change no place owns moves: the list of places itself (a place opened).
EVERYTHING_SCOPE = (EVERYTHING,)
_scope = contextvars.ContextVar("public_scope", default=NETWORK_SCOPE)

# The version a public page is being rendered for: what it reads is cached under the same one.
_page_version = contextvars.ContextVar("public_page_version", default=None)


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


class Versions(NamedTuple):
    """A scope's versions as the page cache reads them: each key's current version, the one
    before it, and the version of its last safeguarding change."""

    current: tuple[int, ...]
    previous: tuple[int, ...]
    safe_from: tuple[int, ...]


def read_versions(scope: tuple[int, ...]) -> Versions:
    """One read by primary keys, the only query a cached page costs."""
    # Plain SQL: this runs on every cached page, and the ORM would double its cost.
    with connection.cursor() as cursor:
        # As one array literal: psycopg quotes a list's items one by one (2 ms for 1,000).
        cursor.execute(_VERSION_SQL, ["{" + ",".join(map(str, scope)) + "}"])
        found = {row[0]: row[1:] for row in cursor.fetchall()}
    rows = [found.get(key, (0, 0, 0)) for key in scope]
    return Versions(*(tuple(column) for column in zip(*rows, strict=True)))


def public_version(scope: tuple[int, ...] | None = None) -> tuple[int, ...]:
    """The shared versions of a scope (the request's, when not given)."""
    version = _page_version.get() if scope is None else None
    if version is None:
        version = read_versions(scope or _scope.get()).current
    return version


def _bump(keys, *, safeguarding: bool) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            _BUMP_SQL.format(table=PublicVersion._meta.db_table),
            # In one order, so that two transactions moving the same keys never deadlock.
            {"keys": sorted(keys), "safeguarding": safeguarding},
        )


# Sent once a change in one place has committed and its versions have moved, with
# `place_id`: the hook core gives the apps above it. The pledges app counts the place's
# figures for the network's page there and then, in the writer's request, so that the next
# reader of that page finds them counted instead of counting them.
place_changed = Signal()


def _place_changed(place_id: int) -> None:
    place_changed.send(sender=PublicVersion, place_id=place_id)


def public_data_changed(
    place_id: int | None = None, *, addition: bool = False, commitments: bool = False
) -> None:
    """Move the public-data versions on: a place's pages and the network's for a change in
    one place (`place_id`), every cached page otherwise. Call it after the write, with
    `commitments` when it publishes a pledge, takes one out of public view or makes a new
    agreement version current (COMMITMENTS).

    Two kinds of change (docs/architecture.md, "Two kinds of change"):
    - a safeguarding change, the default (anything that takes something out of public view,
      or that may: an edit, a hide, a withdrawal). Its version moves inside the change's own
      transaction, so the two commit together; no page drawn before it is served again, not
      even while the new one is drawn;
    - an `addition` (something newly shown, a figure moving on): its version moves once the
      change commits, and for up to PUBLIC_STALE_SECONDS readers may be given the page as it
      was while one thread draws the new one."""
    keys = (EVERYTHING,) if place_id is None else (-place_id, NETWORK)
    if commitments and place_id is not None:
        keys += (COMMITMENTS,)
    if addition:
        transaction.on_commit(lambda: _bump(keys, safeguarding=False))
    else:
        _bump(keys, safeguarding=True)
    if place_id is not None:
        # After the versions moved; a receiver that fails is logged, and the change stands.
        transaction.on_commit(lambda: _place_changed(place_id), robust=True)


def servable(drawn: tuple[int, ...], versions: Versions, now_us: int) -> bool:
    """Whether a page drawn under the versions `drawn` may stand in for the current one: no
    safeguarding change since, and what it lacks changed at most PUBLIC_STALE_SECONDS ago
    (the setting: how long after an addition a reader may be given the page as it was while
    one thread draws the new one). A page one change behind lacks only the current change;
    one further behind lacks changes made at some time after its own version, which bounds
    how long ago."""
    stale_us = settings.PUBLIC_STALE_SECONDS * 1_000_000
    return all(
        mine >= safe
        and (mine == current or now_us - (current if mine == previous else mine) <= stale_us)
        for mine, current, previous, safe in zip(drawn, *versions, strict=True)
    )


# Held while this process draws again a page that readers may be given as it was.
_redrawing = threading.Semaphore()

# Headers a cached response keeps; the rest (cookies, the CSP nonce) belong to each request.
KEPT_HEADERS = ("Content-Type", "ETag", "Cache-Control", "Content-Disposition")
# Pages this process has cached, by key digest, with the scope each was cached under, so that
# CachedPageMiddleware looks up only those, under their own versions; cleared when it grows
# large (a miss then only takes the longer way once).
_known_pages: dict[str, tuple[int, ...]] = {}
KNOWN_PAGES_LIMIT = 20_000


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


def _draw(view, request, args, kwargs, versions: Versions, digest: str, *, share: bool):
    """Render the page for `versions` and keep it: in this process (and the shared cache,
    with `share`, for other processes waiting on it), and as the page's latest drawing."""
    token = _page_version.set(versions.current)
    try:
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and not getattr(response, "is_rendered", True):
            response.render()
    finally:
        _page_version.reset(token)
    if response.status_code in {200, 404} and not response.streaming:
        # Kept with the page, so that ConditionalGetMiddleware does not hash it on every hit.
        if not response.has_header("ETag"):
            set_response_etag(response)
        headers = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
        payload = (response.content, response.status_code, headers)
        single_flight.keep(_page_key(versions.current, digest), payload, PAGE_TIMEOUT, share=share)
        caches["pages"].set(f"latest:{digest}", (versions.current, payload), PAGE_TIMEOUT)
        if len(_known_pages) >= KNOWN_PAGES_LIMIT:
            _known_pages.clear()
        _known_pages[digest] = _scope.get()
    response["X-Cache"] = "miss"
    return response


def cached_public_page(view):
    """Serve anonymous GET requests from the cache until public data changes.

    When a page that has been drawn before misses (public data changed), one thread in the
    deployment draws it; the others serve the page as it was, if `servable`, or wait for the
    new one. An address never drawn before is drawn by whoever asks: a new search or page
    number is rarely asked for by many at once, and a turn costs the shared cache two writes.

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
        # CachedPageMiddleware may have read the versions already, for a page since evicted.
        versions = getattr(request, "public_versions", None) or read_versions(_scope.get())
        hit = _cached_response(digest, versions.current)
        if hit is not None:
            return hit
        latest = caches["pages"].get(f"latest:{digest}")
        if latest is None:
            return _draw(view, request, args, kwargs, versions, digest, share=False)

        def found(kept):
            # Drawn by another process: this one's latest drawing moves on with it.
            caches["pages"].set(f"latest:{digest}", (versions.current, kept[0]), PAGE_TIMEOUT)
            return _answer(kept[0], "hit")

        def stand_in():
            if servable(latest[0], versions, time.time_ns() // 1000):
                return _answer(latest[1], "stale")
            return None

        def make():
            # A page that may be served as it was is drawn again when this process draws no
            # other such page: after a write every page of a place misses at once, and
            # drawing them all together took every core from the readers.
            standing = stand_in()
            if standing is not None and not _redrawing.acquire(blocking=False):
                return standing
            try:
                return _draw(view, request, args, kwargs, versions, digest, share=True)
            finally:
                if standing is not None:
                    _redrawing.release()

        return single_flight.obtain(
            _page_key(versions.current, digest),
            PAGE_TIMEOUT,
            found=found,
            make=make,
            stand_in=stand_in,
        )

    return wrapped


class CachedPageMiddleware:
    """Answer an anonymous GET for a page this process has cached before sessions, CSRF,
    authentication and the view run: on a hit, all their work would be thrown away.

    A request with a session or messages cookie may be personal, so it takes the long way,
    where `cached_public_page` decides. Middleware above this one (security headers, the CSP,
    conditional GET) still applies to every hit."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "GET" and not (
            settings.SESSION_COOKIE_NAME in request.COOKIES or "messages" in request.COOKIES
        ):
            digest = _page_digest(request)
            if digest in _known_pages:
                request.public_versions = read_versions(_known_pages[digest])
                hit = _cached_response(digest, request.public_versions.current)
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
        version = public_version() if scope is None else read_versions(scope).current
        return _kept("value", version, (name, args), lambda: function(*args), once=True)

    return wrapped
