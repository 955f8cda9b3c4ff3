"""The first segments of addresses the site routes itself (`admin`, `accounts`, `data`, …):
no place may take one as its short name, or its pages would hide the site's. Read from the
URLconf, so that a new app's address is reserved without anyone listing it."""

import functools
import re

from django.urls import URLResolver, get_resolver

# Addresses served outside the URLconf: static files (whitenoise) and uploads (the web server).
SERVED_OUTSIDE = {"static", "media"}


@functools.cache
def reserved_segments() -> frozenset[str]:
    return frozenset(SERVED_OUTSIDE | _first_segments(get_resolver().url_patterns))


def _first_segments(patterns) -> set[str]:
    segments = set()
    for pattern in patterns:
        text = str(pattern.pattern).lstrip("^")
        if not text and isinstance(pattern, URLResolver):  # included at the root: look inside
            segments |= _first_segments(pattern.url_patterns)
            continue
        first = re.match(r"[\w.-]+", text)
        if first:
            segments.add(first.group().lower())
    return segments
