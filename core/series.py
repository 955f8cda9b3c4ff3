"""Counts over time for the statistics: one aggregate query, whatever the size of the data."""

from datetime import timedelta

from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils import timezone


def per_month(queryset, field: str, months: int = 24) -> list:
    """(month, count) of the rows whose `field` falls in the last `months` months, in order;
    months with none are left out (the charts fill them in)."""
    since = timezone.now() - timedelta(days=31 * months)
    return list(
        queryset.filter(**{f"{field}__gte": since})
        .annotate(month=TruncMonth(field))
        .values("month")
        # Not COUNT(id): the rows are then counted from an index where one covers them.
        .annotate(count=Count("*"))
        .order_by("month")
        .values_list("month", "count")
    )
