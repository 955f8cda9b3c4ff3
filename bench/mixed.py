"""Mixed load for `make bench`: public reads of the hot pages with wrk, while a partner posts
one progress update a second over HTTP (each retires the cached pages of its place and the
network's). Reports the reads' latency and the page cache's hit rate, from the `X-Cache`
header of every answer; and, with ten places loaded, the same for a busy place (the writes'
own) and a quiet one read at the same time, whose pages should stay cached."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

from . import stack, wrk
from .client import Visitor

CONCURRENCY = 8
PAGES = [
    "/",
    "/signatories/",
    "/updates/",
    "/organisations/cheltenham-borough-council/",
    "/statistics/",
    "/api/v1/organisations",
]


def writer(base: str, fixtures: dict, stop: threading.Event, posted: list) -> None:
    """A partner (made by bench.fixtures) posts an update every second."""
    partner = fixtures["writers"][0]
    org, priority = partner["org_id"], partner["priority_id"]
    visitor = Visitor(base).sign_in(partner["email"], fixtures["password"])
    while not stop.is_set():
        started = time.monotonic()
        title = f"Mixed load story {time.time_ns()}"
        data = {"title": title, "body": "We listened.", "priorities": priority}
        if visitor.submit(f"/manage/{org}/updates/new/", data).status_code == 302:
            posted.append(title)
        stop.wait(max(0.0, 1 - (time.monotonic() - started)))


def measure(seconds: int) -> dict:
    env = stack.prepare("bench")
    fixtures = stack.fixtures(env)
    with stack.server(env, log="gunicorn-mixed") as (base, _):
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
        f"  mixed: {result['rps']:.0f} reads/s, p50 {result['p50_ms']} ms, p95 {result['p95_ms']}"
        f" ms, hit rate {result['hit_rate']:.1%}, {result['writes']} writes in {seconds} s",
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


def measure_places(seconds: int) -> dict:
    env = stack.prepare("places")
    fixtures = stack.fixtures(env)  # its writers are Cheltenham's
    with stack.server(env, log="gunicorn-mixed-places") as (base, _):
        for slug, organisation in (BUSY, QUIET):  # each page cached before the run counts
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
        f"  {len(posted)} writes in {BUSY[0]}: its hit rate {busy['hit_rate']:.1%};"
        f" {QUIET[0]}'s {quiet['hit_rate']:.1%}",
        flush=True,
    )
    return result
