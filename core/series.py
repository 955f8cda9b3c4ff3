"""Counts over time for the statistics: one aggregate query, whatever the size of the data."""

from datetime import timedelta

from django.contrib.postgres.fields import ArrayField
from django.db.models import Count, DateTimeField, F, Func, IntegerField, Value
from django.utils import timezone


def month_start(moment):
    """The start of `moment`'s month in the site's time zone."""
    return timezone.localtime(moment).replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def next_month(start):
    return (start + timedelta(days=32)).replace(day=1)


def per_month(queryset, field: str, months: int = 24) -> list:
    """(month, count) of the rows whose `field` falls in the last `months` months up to the
    end of this one, in order; months with none are left out (the charts fill them in).

    Each row is put in its month by `width_bucket` over the months' starts, computed here in
    the site's time zone: a binary search per row, where truncating each row's date in the
    time zone (`TruncMonth`) cost twice as much (30 against 15 ms for a place's 50,000
    updates, the statistics page's largest query)."""
    now = timezone.now()
    since = now - timedelta(days=31 * months)
    starts = [month_start(since)]
    while starts[-1] <= now:
        starts.append(next_month(starts[-1]))
    bucket = Func(
        F(field),
        Value(starts[:-1], output_field=ArrayField(DateTimeField())),
        function="width_bucket",
        output_field=IntegerField(),
    )
    counts = (
        queryset.filter(**{f"{field}__gte": since, f"{field}__lt": starts[-1]})
        .annotate(bucket=bucket)
        .values("bucket")
        # Not COUNT(id): the rows are then counted from an index where one covers them.
        .annotate(count=Count("*"))
        .order_by("bucket")
        .values_list("bucket", "count")
    )
    return [(starts[bucket - 1], count) for bucket, count in counts]
