"""Counts of published stories for the statistics page: one aggregate query each, remembered
until public data changes (`core.public.remembered`)."""

from datetime import timedelta

from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils import timezone

from core.public import remembered

from .models import Story


@remembered
def stories_by_month(months=24):
    since = timezone.now() - timedelta(days=31 * months)
    return list(
        Story.objects.public()
        .filter(published_at__gte=since)
        .annotate(month=TruncMonth("published_at"))
        .values("month")
        .annotate(count=Count("id"))
        .order_by("month")
        .values_list("month", "count")
    )


@remembered
def stories_by_priority(priorities) -> list[tuple[str, int]]:
    """(title, count) for each priority of the current agreement, in order, by slug (the
    priority's identity across versions), then the stories that name none."""
    counts = dict(
        Story.objects.public()
        .values("priority__slug")
        .annotate(count=Count("id"))
        .values_list("priority__slug", "count")
    )
    rows = [(priority.title, counts.get(priority.slug, 0)) for priority in priorities]
    return rows + [("No priority chosen", counts.get(None, 0))]
