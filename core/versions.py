"""The versions of what the public sees, by scope, and the changes that move them on.

Every cached key includes a version number (`core.public`). Services call
`public_data_changed` after a write that the public could see; the version is a row in
PostgreSQL, so every worker and instance sees a change at once. The two kinds of change
(safeguarding, addition) are named in docs/architecture.md.
"""

import time
from typing import NamedTuple

from django.conf import settings
from django.db import connection, transaction
from django.dispatch import Signal

from .models import PublicVersion

# Microseconds since the epoch, or one more than before: a version only ever grows, even if
# its row is deleted and made again. A safeguarding change moves `safe_from` with it.
_BUMP_SQL = """
INSERT INTO {table} (id, version, previous, safe_from)
SELECT key, now.us, 0, CASE WHEN %(safeguarding)s THEN now.us ELSE 0 END
FROM unnest(%(keys)s) AS key,
    (SELECT (extract(epoch FROM clock_timestamp()) * 1000000)::bigint AS us) AS now
ON CONFLICT (id) DO UPDATE SET
    version = greatest({table}.version + 1, EXCLUDED.version),
    previous = {table}.version,
    safe_from = CASE WHEN %(safeguarding)s
        THEN greatest({table}.version + 1, EXCLUDED.version) ELSE {table}.safe_from END
"""
_VERSION_SQL = (
    "SELECT id, version, previous, safe_from"  # noqa: S608 - the model's own table name
    f" FROM {PublicVersion._meta.db_table} WHERE id = ANY(%s::bigint[])"
)

# Scopes: what a page shows, and so which changes retire it. Every page depends on EVERYTHING
# (a change no one place owns, such as an organisation's name); a place's pages on the
# place's own row too, the network's pages (its home page, the API) on NETWORK, which every
# place's change moves on as well. So a change in one place re-renders that place's pages and
# the network's, never another place's.
EVERYTHING = 1
NETWORK = 2
# The network's commitments: which pledges are published, and what each place's current
# priorities say. Moved on with a place's change when it publishes, suspends, reinstates,
# supersedes or withdraws a pledge, or makes a new agreement version current
# (`public_data_changed(..., commitments=True)`). What is counted over every place's
# commitments is kept under it, not under NETWORK: a progress update or a story in one
# place does not recount the whole network.
COMMITMENTS = 3
COMMITMENTS_SCOPE = (EVERYTHING, COMMITMENTS)


def place_scope(place_id: int) -> tuple[int, int]:
    return (EVERYTHING, -place_id)


def places_scope(place_ids) -> tuple[int, ...]:
    """What shows something from each of these places, and only that, depends on."""
    return (EVERYTHING, *(-place_id for place_id in place_ids))


NETWORK_SCOPE = (EVERYTHING, NETWORK)
# What only a change no place owns moves: the list of places itself (a place opened).
EVERYTHING_SCOPE = (EVERYTHING,)


class Versions(NamedTuple):
    """A scope's versions as the page cache reads them: each key's current version, the one
    before it, and the version of its last safeguarding change; and when they were read
    (microseconds since the epoch, taken before the read): a page drawn for them shows every
    change that had committed by then."""

    current: tuple[int, ...]
    previous: tuple[int, ...]
    safe_from: tuple[int, ...]
    read_at: int = 0


def read_versions(scope: tuple[int, ...]) -> Versions:
    """One read by primary keys, the only query a cached page costs."""
    read_at = time.time_ns() // 1000
    # Plain SQL: this runs on every cached page, and the ORM would double its cost.
    with connection.cursor() as cursor:
        # As one array literal: psycopg quotes a list's items one by one (2 ms for 1,000).
        cursor.execute(_VERSION_SQL, ["{" + ",".join(map(str, scope)) + "}"])
        found = {row[0]: row[1:] for row in cursor.fetchall()}
    rows = [found.get(key, (0, 0, 0)) for key in scope]
    return Versions(*(tuple(column) for column in zip(*rows, strict=True)), read_at)


def _bump(keys, *, safeguarding: bool) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            _BUMP_SQL.format(table=PublicVersion._meta.db_table),
            # In one order, so that two transactions moving the same keys never deadlock.
            {"keys": sorted(keys), "safeguarding": safeguarding},
        )


# Sent once a change in one place has committed and its versions have moved, with
# `place_id`: the hook core gives the apps above it. The pledges app counts the place's
# figures for the network's page there and then, in the writer's request, so that the next
# reader of that page finds them counted instead of counting them.
place_changed = Signal()


def _place_changed(place_id: int) -> None:
    place_changed.send(sender=PublicVersion, place_id=place_id)


def public_data_changed(
    place_id: int | None = None, *, addition: bool = False, commitments: bool = False
) -> None:
    """Move the public-data versions on: a place's pages and the network's for a change in
    one place (`place_id`), every cached page otherwise. Call it after the write, with
    `commitments` when it publishes a pledge, takes one out of public view or makes a new
    agreement version current (COMMITMENTS).

    Two kinds of change (docs/architecture.md, "Two kinds of change"):
    - a safeguarding change, the default (anything that takes something out of public view,
      or that may: an edit, a hide, a withdrawal). Its version moves inside the change's own
      transaction, so the two commit together; no page drawn before it is served again, not
      even while the new one is drawn;
    - an `addition` (something newly shown, a figure moving on): its version moves once the
      change commits, and for up to PUBLIC_STALE_SECONDS readers may be given the page as it
      was while one thread draws the new one."""
    keys = (EVERYTHING,) if place_id is None else (-place_id, NETWORK)
    if commitments and place_id is not None:
        keys += (COMMITMENTS,)
    if addition:
        transaction.on_commit(lambda: _bump(keys, safeguarding=False))
    else:
        _bump(keys, safeguarding=True)
    if place_id is not None:
        # After the versions moved; a receiver that fails is logged, and the change stands.
        transaction.on_commit(lambda: _place_changed(place_id), robust=True)


def servable(
    drawn: tuple[int, ...], versions: Versions, now_us: int, *, drawn_read_at: int = 0
) -> bool:
    """Whether a page drawn under the versions `drawn` (read at `drawn_read_at`, when known)
    may stand in for the current one: no safeguarding change since, and what it lacks changed
    at most PUBLIC_STALE_SECONDS ago (the setting: how long after an addition a reader may be
    given the page as it was). A page one change behind lacks only the current change; one
    further behind lacks changes that committed after its versions were read, and after its
    own version, which bounds how long ago."""
    stale_us = settings.PUBLIC_STALE_SECONDS * 1_000_000
    return all(
        mine >= safe
        and (
            mine == current
            or now_us - (current if mine == previous else max(mine, drawn_read_at)) <= stale_us
        )
        for mine, current, previous, safe in zip(drawn, *versions[:3], strict=True)
    )
