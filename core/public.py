"""Caching of public pages, invalidated whenever public data changes.

Every cached page key includes a version number. Services call `public_data_changed`
after a write that the public could see; the version moves on when the transaction
commits, so the next request renders afresh. The version is a row in PostgreSQL, so every
worker and instance sees a change at once; the rendered pages may live in each process's
memory (or in Redis, when REDIS_URL is set) because their keys carry the version.
"""

import functools
import hashlib

from django.contrib import messages
from django.core.cache import caches
from django.core.paginator import Paginator
from django.db import connection, transaction
from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils.functional import cached_property

from .models import PublicVersion

PAGE_TIMEOUT = 60 * 15

# Microseconds since the epoch, or one more than before: the version only ever grows, even if
# the row is deleted and made again.
_BUMP_SQL = """
INSERT INTO {table} (id, version)
VALUES (1, (extract(epoch FROM clock_timestamp()) * 1000000)::bigint)
ON CONFLICT (id) DO UPDATE SET version = greatest(
    {table}.version + 1, (extract(epoch FROM clock_timestamp()) * 1000000)::bigint
)
"""


def public_version() -> int:
    """The shared version: one primary-key read, the only query a cached page costs."""
    version = PublicVersion.objects.filter(pk=1).values_list("version", flat=True).first()
    return version or 0


def _bump() -> None:
    with connection.cursor() as cursor:
        cursor.execute(_BUMP_SQL.format(table=PublicVersion._meta.db_table))


def public_data_changed() -> None:
    """Move the public-data version on when the transaction commits: every cached page goes."""
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
        path = hashlib.sha256((request.get_host() + request.get_full_path()).encode()).hexdigest()
        key = f"page:{public_version()}:{path}"
        pages = caches["pages"]
        hit = pages.get(key)
        if hit is not None:
            content, content_type, status = hit
            return HttpResponse(content, content_type=content_type, status=status)
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and not getattr(response, "is_rendered", True):
            response.render()
        if response.status_code in {200, 404} and not response.streaming:
            pages.set(
                key,
                (response.content, response["Content-Type"], response.status_code),
                PAGE_TIMEOUT,
            )
        return response

    return wrapped


def public_count(queryset: QuerySet) -> int:
    """`queryset.count()`, remembered until public data changes.

    Counting every published story or pledge reads every row, so its cost grows with the
    registry; the total changes only when public data does. The key is the count's own SQL,
    so two lists share a total only when they are the same list."""
    sql, params = queryset.query.sql_with_params()
    digest = hashlib.sha256(repr((sql, params)).encode()).hexdigest()
    key = f"count:{public_version()}:{digest}"
    pages = caches["pages"]
    count = pages.get(key)
    if count is None:
        count = queryset.count()
        pages.set(key, count, PAGE_TIMEOUT)
    return count


class PublicPaginator(Paginator):
    """A paginator of public data whose total comes from `public_count`."""

    @cached_property
    def count(self):
        if isinstance(self.object_list, QuerySet):
            return public_count(self.object_list)
        return super().count
