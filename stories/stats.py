"""Counts of published stories for the statistics page: one aggregate query each, remembered
until public data changes (`core.public.remembered`)."""

from django.db.models import Count

from core.public import remembered
from core.series import per_month

from .models import Story


@remembered
def stories_by_month(place_id, months=24):
    return per_month(Story.objects.public().filter(place_id=place_id), "published_at", months)


@remembered
def stories_by_priority(place_id, priorities) -> list[tuple[str, int]]:
    """(title, count) for each priority of the current agreement, in order, by slug (the
    priority's identity across versions), then the stories that name none."""
    counts = dict(
        Story.objects.public()
        .filter(place_id=place_id)
        .values("priority__slug")
        .annotate(count=Count("id"))
        .values_list("priority__slug", "count")
    )
    rows = [(priority.title, counts.get(priority.slug, 0)) for priority in priorities]
    return rows + [("No priority chosen", counts.get(None, 0))]
