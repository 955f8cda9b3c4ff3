"""Public counts and series, each one aggregate query whatever the size of the registry.

Each reads every public row, so each is remembered until public data changes
(`core.public.remembered`): pages that show them then cost a cache read, not a scan.
"""

from datetime import timedelta

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import TruncMonth
from django.utils import timezone

from core.public import remembered
from core.series import per_month
from organisations.models import Organisation

from .models import Commitment, Pledge, Priority, ProgressUpdate


@remembered
def organisations_signed() -> int:
    return Pledge.objects.published().values("organisation").distinct().count()


def priorities_with_counts(agreement) -> list[Priority]:
    """The agreement's priorities, each with how many organisations commit to it in any
    version they have published (a priority is the same across versions by its slug)."""
    counts = organisations_per_priority()
    priorities = list(Priority.objects.filter(agreement=agreement).select_related("agreement"))
    for priority in priorities:
        priority.commitment_count = counts.get(priority.slug, 0)
    return priorities


@remembered
def organisations_per_priority() -> dict[str, int]:
    """Priority slug: organisations with a published commitment to it, in any version."""
    return dict(
        Commitment.objects.filter(pledge__status=Pledge.Status.PUBLISHED)
        .order_by()
        .values("priority__slug")
        .annotate(count=Count("pledge__organisation", distinct=True))
        .values_list("priority__slug", "count")
    )


@remembered
def updates_in_last_year() -> int:
    since = timezone.now() - timedelta(days=365)
    return ProgressUpdate.objects.published().filter(published_at__gte=since).count()


@remembered
def signed_by_month():
    """(month, organisations that signed, running total): each organisation signed now counted
    once, in the month of its first signature, so the total ends at `organisations_signed`."""
    first = (
        Pledge.objects.filter(organisation=OuterRef("organisation"), published_at__isnull=False)
        .order_by("published_at")
        .values("published_at")[:1]
    )
    rows = (
        Pledge.objects.published()
        .annotate(month=TruncMonth(Subquery(first)))
        .values("month")
        .annotate(count=Count("organisation", distinct=True))
        .order_by("month")
    )
    total, series = 0, []
    for row in rows:
        total += row["count"]
        series.append((row["month"], row["count"], total))
    return series


@remembered
def updates_by_month(months=24):
    return per_month(ProgressUpdate.objects.published(), "published_at", months)


@remembered
def organisations_by_type():
    counts = dict(
        Pledge.objects.published()
        .values("organisation__type")
        .annotate(count=Count("organisation", distinct=True))
        .values_list("organisation__type", "count")
    )
    return [(label, counts.get(value, 0)) for value, label in Organisation.Type.choices]
