"""The network page, the first visit after a change, with a thousand places: a partner posts
an update in Cheltenham over HTTP (a real change, which retires the network's pages), then
the network page is asked for once and timed. Each place's figures are kept under its own
version, so the visit recomputes Cheltenham's alone."""

import statistics
import time

import requests

from . import mixed, stack, wrk

CHANGES = 15


def measure(size: str) -> dict:
    env = stack.prepare(size)
    fixtures = stack.fixtures(env)
    _, _, places, small_places = stack.SIZES[size]
    timings = []
    # What is timed is the drawing a change costs: without the pause after an addition
    # (PUBLIC_REDRAW_SECONDS), which would give this visit the page as it was.
    redraw_at_once = {**env, "PUBLIC_REDRAW_SECONDS": "0"}
    with stack.server(redraw_at_once, log="gunicorn-after-change") as (base, _):
        post = mixed.partner(base, fixtures)
        wrk.run_mix(base, ["/"], seconds=2, connections=4)  # every worker has drawn it
        for _ in range(CHANGES):
            if not post():
                raise RuntimeError("the partner's update was refused")
            started = time.perf_counter()
            answer = requests.get(base + "/", timeout=30)
            timings.append((time.perf_counter() - started) * 1000)
            if answer.headers.get("X-Cache") != "miss":
                raise RuntimeError(f"the network page was not drawn afresh: {answer.headers}")
            time.sleep(0.5)
    result = {
        "places": places + small_places,
        "changes": CHANGES,
        "p50_ms": round(statistics.median(timings), 1),
        "max_ms": round(max(timings), 1),
    }
    print(
        f"  network page after a change, {result['places']:,} places: p50 {result['p50_ms']}"
        f" ms, slowest {result['max_ms']} ms of {CHANGES}",
        flush=True,
    )
    return result
