"""gunicorn settings for production and `make serve`. Every value can be set from the environment."""

import multiprocessing
import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
# gunicorn's own advice, two workers a core and one more, of two threads each: threads wait on
# PostgreSQL well in little memory, but a page being drawn holds its worker's interpreter lock
# for tens of milliseconds, and every reader that worker serves waits behind it. Fewer
# threads a worker leave fewer readers there (docs/decisions.md).
worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count() + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
# A request that takes longer than this is stuck; the worker is replaced.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
# On a restart or deploy (SIGTERM), requests in flight get this long to finish.
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = 5
# Replace workers now and then, so that no slow leak grows for ever. (The benchmark sets 0: at
# its rates a worker would restart every few seconds, which real traffic never does.)
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = 200
# Requests: one access line each on stdout; errors on stderr.
accesslog = "-"
errorlog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms id=%({x-request-id}o)s'
# Only a proxy on this machine may say the request was HTTPS (X-Forwarded-Proto).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def post_worker_init(worker):
    """Load the URLconf and every view now, then leave what is loaded out of the garbage
    collector's passes (`gc.freeze`): its full passes walked every module, template and
    model the worker holds, pausing all its threads for tens of milliseconds (the slowest
    uncached network search in a hundred went from 91 to 36 ms; docs/performance.md)."""
    import gc

    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imports every view module
    gc.freeze()
