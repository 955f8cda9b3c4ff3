"""Mixed load for `make bench`: public reads of the hot pages with wrk, while a partner posts
one progress update a second over HTTP (each retires the cached pages of its place and the
network's). Reports the reads' latency and the page cache's hit rate, from the `X-Cache`
header of every answer (a page served as it was while another thread draws the new one is a
hit, counted as stale too); and, with ten places loaded, the same for a busy place (the
writes' own) and a quiet one read at the same time, whose pages should stay cached. Each runs
with PostgreSQL alone and with Redis."""

import contextlib
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from . import stack, wrk
from .client import Visitor

CONCURRENCY = 8
STORES = ("postgresql", "redis")
PAGES = [
    "/",
    "/signatories/",
    "/updates/",
    "/organisations/cheltenham-borough-council/",
    "/statistics/",
    "/api/v1/organisations",
]


def partner(base: str, fixtures: dict):
    """A partner made by bench.fixtures, signed in; and a function that posts an update as
    them, returning its title once it is published (None if it was refused)."""
    writer_ = fixtures["writers"][0]
    org, priority = writer_["org_id"], writer_["priority_id"]
    visitor = Visitor(base).sign_in(writer_["email"], fixtures["password"])

    def post():
        title = f"Mixed load story {time.time_ns()}"
        data = {"title": title, "body": "We listened.", "priorities": priority}
        posted = visitor.submit(f"/manage/{org}/updates/new/", data).status_code == 302
        return title if posted else None

    return post


def writer(base: str, fixtures: dict, stop: threading.Event, posted: list) -> None:
    """A partner posts an update every second."""
    post = partner(base, fixtures)
    while not stop.is_set():
        started = time.monotonic()
        if title := post():
            posted.append(title)
        stop.wait(max(0.0, 1 - (time.monotonic() - started)))


@contextlib.contextmanager
def served(size: str, store: str, log: str):
    """gunicorn on one size's registry, with nothing shared but PostgreSQL ("postgresql",
    the default) or with a Redis as compose runs it ("redis": no persistence) for the
    caches; yields the base URL and the partners who write."""
    env = stack.prepare(size)
    fixtures = stack.fixtures(env)
    with contextlib.ExitStack() as stack_:
        if store == "redis":
            from tests.redis_server import ensure, redis_server

            if ensure():
                raise SystemExit("The mixed load with Redis needs redis-server.")
            env = {**env, "REDIS_URL": stack_.enter_context(redis_server())}
        base, _ = stack_.enter_context(stack.server(env, log=f"{log}-{store}"))
        yield base, fixtures


def measure(seconds: int, store: str) -> dict:
    with served("bench", store, "gunicorn-mixed") as (base, fixtures):
        wrk.run_mix(base, PAGES, seconds=2, connections=2)  # each page drawn before it counts
        stop, posted = threading.Event(), []
        thread = threading.Thread(target=writer, args=(base, fixtures, stop, posted), daemon=True)
        thread.start()
        try:
            numbers = wrk.run_mix(base, PAGES, seconds=seconds, connections=CONCURRENCY)
        finally:
            stop.set()
            thread.join(30)
    result = {**numbers, "writes": len(posted), "seconds": seconds}
    print(
        f"  mixed ({store}): {result['rps']:.0f} reads/s, p50 {result['p50_ms']} ms, p95"
        f" {result['p95_ms']} ms, hit rate {result['hit_rate']:.1%} (stale"
        f" {result['stale_rate']:.1%}), {result['writes']} writes in {seconds} s",
        flush=True,
    )
    return result


def place_pages(slug: str, organisation: str) -> list[str]:
    return [
        f"/{slug}/",
        f"/{slug}/signatories/",
        f"/{slug}/updates/",
        f"/{slug}/organisations/{organisation}/",
        f"/{slug}/statistics/",
    ]


BUSY = ("cheltenham", "cheltenham-borough-council")
QUIET = ("stroud", "stroud-south-primary-school")  # published, as most are


def measure_places(seconds: int, store: str) -> dict:
    # The "places" registry: its writers are Cheltenham's.
    with served("places", store, "gunicorn-mixed-places") as (base, fixtures):
        for slug, organisation in (BUSY, QUIET):  # each page drawn before the run counts
            wrk.run_mix(base, place_pages(slug, organisation), seconds=2, connections=2)
        stop, posted = threading.Event(), []
        thread = threading.Thread(target=writer, args=(base, fixtures, stop, posted), daemon=True)
        thread.start()
        try:
            with ThreadPoolExecutor(2) as pool:
                busy, quiet = pool.map(
                    lambda place: wrk.run_mix(
                        base, place_pages(*place), seconds=seconds, connections=CONCURRENCY // 2
                    ),
                    (BUSY, QUIET),
                )
        finally:
            stop.set()
            thread.join(30)
    result = {
        "busy": {"place": BUSY[0], **busy},
        "quiet": {"place": QUIET[0], **quiet},
        "writes": len(posted),
        "seconds": seconds,
    }
    print(
        f"  two places ({store}), {len(posted)} writes in {BUSY[0]}: its p95"
        f" {busy['p95_ms']} ms, hit rate {busy['hit_rate']:.1%}; {QUIET[0]}'s p95"
        f" {quiet['p95_ms']} ms, hit rate {quiet['hit_rate']:.1%}",
        flush=True,
    )
    return result
