"""A per-client limit for public forms, counted in the shared default cache (PostgreSQL or
Redis), so that it holds across every worker and instance."""

from allauth.account.adapter import get_adapter
from django.core.cache import cache


def allow(request, action: str, *, limit: int, period: int) -> bool:
    """Count one attempt at `action` from this client; False once over `limit` per `period` s.

    The client's address is the one allauth's login throttle uses (TRUSTED_PROXY_COUNT).
    The database cache's increment is not atomic, so concurrent requests can pass a few over
    the limit there; Redis counts exactly. A limit for kindness, not a security boundary."""
    key = f"throttle:{action}:{get_adapter(request).get_client_ip(request)}"
    cache.add(key, 0, timeout=period)
    try:
        count = cache.incr(key)
    except ValueError:  # the window ended between add and incr
        cache.set(key, 1, timeout=period)
        count = 1
    return count <= limit
