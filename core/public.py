"""Caching of public pages, invalidated whenever public data changes.

Every cached page key includes a version number. Services call `public_data_changed`
after a write that the public could see; the version moves on when the transaction
commits, so the next request renders afresh. With several app instances, REDIS_URL
makes the version shared.
"""

import functools
import hashlib
import time

from django.contrib import messages
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse

VERSION_KEY = "public-data-version"
PAGE_TIMEOUT = 60 * 15


def public_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        version = time.time_ns()
        cache.add(VERSION_KEY, version, timeout=None)
        version = cache.get(VERSION_KEY, version)
    return version


def _bump() -> None:
    cache.set(VERSION_KEY, time.time_ns(), timeout=None)


def public_data_changed(organisation_ids=()) -> None:
    """Refresh search for these organisations now; move the cache on at commit."""
    from organisations.search import refresh_search_vectors

    if organisation_ids:
        refresh_search_vectors(organisation_ids)
    transaction.on_commit(_bump)


def cached_public_page(view):
    """Serve anonymous GET requests from the cache until public data changes."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        cacheable = (
            request.method == "GET"
            and not request.user.is_authenticated
            and not len(messages.get_messages(request))
        )
        if not cacheable:
            return view(request, *args, **kwargs)
        # Hashed, so that a long or odd query string still makes a short, safe key.
        path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
        key = f"page:{public_version()}:{path}"
        hit = cache.get(key)
        if hit is not None:
            content, content_type, status = hit
            return HttpResponse(content, content_type=content_type, status=status)
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and not getattr(response, "is_rendered", True):
            response.render()
        if response.status_code in {200, 404} and not response.streaming:
            cache.set(
                key,
                (response.content, response["Content-Type"], response.status_code),
                PAGE_TIMEOUT,
            )
        return response

    return wrapped
