"""Counts per month for the statistics page (`core.series.per_month`): each row in its month in
the site's time zone, the oldest months cut off, on data posted through the services."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from opendata import charts
from pledges import stats
from tests.factories import ModeratorFactory, default_place
from tests.test_year_report import post, sign

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


def at_utc(*args):
    return time_machine.travel(datetime(*args, tzinfo=UTC), tick=False)


def test_updates_count_in_their_month_in_the_site_time_zone(django_capture_on_commit_callbacks):
    place = default_place()
    with django_capture_on_commit_callbacks(execute=True):
        with at_utc(2024, 10, 1, 12):
            admin, pledge = sign(place, ModeratorFactory(), "Pittville Charity", "charity")
            post(pledge, admin, "Too old to count", 1)
        with at_utc(2026, 6, 30, 22, 59):  # 23:59 on 30 June in London (summer time)
            post(pledge, admin, "Last minute of June", 1)
        with at_utc(2026, 6, 30, 23, 0):  # midnight: 1 July in London, still June in UTC
            post(pledge, admin, "First minute of July", 1)
        with at_utc(2026, 11, 30, 23, 59):  # winter time: London is UTC
            post(pledge, admin, "Last minute of November", 1)
        with at_utc(2026, 12, 7, 9):
            post(pledge, admin, "This month", 1)
            post(pledge, admin, "This month again", 1)
            series = stats.updates_by_month(place.pk)
            filled = charts.every_month(series, datetime(2026, 12, 7, 9, tzinfo=UTC))

    assert series == [
        (datetime(2026, 6, 1, tzinfo=LONDON), 1),
        (datetime(2026, 7, 1, tzinfo=LONDON), 1),
        (datetime(2026, 11, 1, tzinfo=LONDON), 1),
        (datetime(2026, 12, 1, tzinfo=LONDON), 2),
    ]
    assert all(month.utcoffset() == month.astimezone(LONDON).utcoffset() for month, _ in series)
    # The chart's months run on from June to December, each once, the empty ones at 0.
    assert [(month.month, count) for month, count in filled] == [
        (6, 1), (7, 1), (8, 0), (9, 0), (10, 0), (11, 1), (12, 2)
    ]  # fmt: skip
