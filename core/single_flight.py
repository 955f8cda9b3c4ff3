"""One thread computes what many are missing; the others wait for its result.

Two caches: `pages`, each process's own memory (or Redis, when REDIS_URL is set), read first;
and `default`, shared by every worker and instance (PostgreSQL's cache table, or the same
Redis), where the turn to compute is taken (`cache.add` is atomic in both) and where a result
is left for the other processes. When both are Redis they are one cache, read once.

A value is kept wrapped in a one-item tuple, so that a computed None is a value too.
"""

import contextlib
import time

from django.conf import settings
from django.core.cache import caches

# A computation that dies frees its turn after this long; waiting gives up after as long.
TURN_SECONDS = 10
WAIT_STEP = 0.01


def _local():
    return caches["pages"]


def _shared():
    return caches["default"]


def _separate() -> bool:
    return settings.CACHES["pages"] != settings.CACHES["default"]


def fetch(key: str, timeout: int):
    """What is kept under `key`, wrapped, from this process's cache or else the shared one
    (then kept here too); None if neither has it."""
    kept = _local().get(key)
    if kept is None and _separate():
        kept = _shared().get(key)
        if kept is not None:
            _local().set(key, kept, timeout)
    return kept


def fetch_local(key: str, default=None):
    """What this process's cache keeps under `key`, unwrapped; `default` if nothing."""
    kept = _local().get(key)
    return default if kept is None else kept[0]


def fetch_shared(key: str, default=None):
    """What the shared cache keeps under `key`, unwrapped; `default` if nothing, or if the
    shared cache is this process's own (already read)."""
    kept = _shared().get(key) if _separate() else None
    return default if kept is None else kept[0]


def keep(key: str, value, timeout: int, *, share: bool = True) -> tuple:
    """Keep `value` under `key` here and (with `share`) in the shared cache; returns it
    wrapped."""
    kept = (value,)
    _local().set(key, kept, timeout)
    if share and _separate():
        _shared().set(key, kept, timeout)
    return kept


def share(key: str, value, timeout: int) -> None:
    """Leave `value` under `key` for the other processes only: in the shared cache, when it is
    not this process's own."""
    if _separate():
        _shared().set(key, (value,), timeout)


def first(key: str, seconds: int) -> bool:
    """Whether this thread is the first in the deployment to claim `key` in `seconds`."""
    return _shared().add(key, 1, seconds)


@contextlib.contextmanager
def turn(key: str):
    """Whether this thread has the turn to compute what `key` names, across every worker and
    instance; the turn is given back on leaving, or lapses after TURN_SECONDS."""
    lock = f"turn:{key}"
    mine = _shared().add(lock, 1, TURN_SECONDS)
    try:
        yield mine
    finally:
        if mine:
            _shared().delete(lock)


def obtain(key: str, timeout: int, *, found, make, stand_in=None):
    """What is kept under `key`, given to `found`; else, for the one thread that takes the
    turn, `make()` (which keeps it); else `stand_in()` if it gives anything (the page as it
    was); else wait and look again. The turn is tried again while waiting, so a computation
    that died is taken over once its turn lapses, and no one waits past TURN_SECONDS."""
    deadline = time.monotonic() + TURN_SECONDS
    step = WAIT_STEP
    while True:
        kept = fetch(key, timeout)
        if kept is not None:
            return found(kept)
        with turn(key) as mine:
            if mine or time.monotonic() > deadline:
                return make()
        if stand_in is not None and (standing := stand_in()) is not None:
            return standing
        time.sleep(step)
        step = min(step * 2, 0.1)


def computed_once(key: str, compute, timeout: int):
    """`compute()`, kept under `key`: on a miss one thread computes it and the others wait.
    Four round trips to the shared cache for the thread that computes (look, take the turn,
    keep, give it back); one for each that finds it kept."""
    return obtain(
        key,
        timeout,
        found=lambda kept: kept[0],
        make=lambda: keep(key, compute(), timeout)[0],
    )
