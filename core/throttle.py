"""A per-client limit for public forms, counted in the shared default cache (PostgreSQL or
Redis), so that it holds across every worker and instance."""

import hashlib

from allauth.account.adapter import get_adapter
from django.core.cache import cache


def allow(request, action: str, *, limit: int, period: int, who: str | None = None) -> bool:
    """Count one attempt at `action` from this client; False once over `limit` per `period` s.

    The client is its address, the one allauth's login throttle uses (TRUSTED_PROXY_COUNT),
    or `who` when the limit is about something else the request names (an email address:
    only a digest of it reaches the cache).
    The database cache's increment is not atomic, so concurrent requests can pass a few over
    the limit there; Redis counts exactly. A limit for kindness, not a security boundary."""
    if who is None:
        who = get_adapter(request).get_client_ip(request)
    else:
        who = hashlib.sha256(who.casefold().encode()).hexdigest()
    key = f"throttle:{action}:{who}"
    cache.add(key, 0, timeout=period)
    try:
        count = cache.incr(key)
    except ValueError:  # the window ended between add and incr
        cache.set(key, 1, timeout=period)
        count = 1
    return count <= limit
