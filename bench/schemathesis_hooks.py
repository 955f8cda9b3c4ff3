"""Hooks for the long schemathesis run of `make reliability` (SCHEMATHESIS_HOOKS).

gunicorn refuses a request line over 4 KB with its own 414 page, before the app sees it;
that limit belongs to the server in front, not to the API's schema. Cases whose query string
would pass it are not sent."""

from urllib.parse import urlencode

import schemathesis

# gunicorn's limit_request_line (4094 bytes), less the method, path and protocol.
MAX_QUERY_BYTES = 3500


@schemathesis.hook
def filter_query(ctx, query):
    return query is None or len(urlencode(query, doseq=True).encode()) <= MAX_QUERY_BYTES
