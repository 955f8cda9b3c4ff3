"""Public counts and series, each one aggregate query whatever the size of the registry."""

from datetime import timedelta

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from organisations.models import Organisation

from .models import Commitment, Pledge, Priority, ProgressUpdate


def organisations_signed() -> int:
    return Pledge.objects.published().values("organisation").distinct().count()


def priorities_with_counts(agreement):
    """The agreement's priorities, each with how many organisations commit to it in any
    version they have published (a priority is the same across versions by its slug)."""
    organisations = (
        Commitment.objects.filter(
            priority__slug=OuterRef("slug"), pledge__status=Pledge.Status.PUBLISHED
        )
        .order_by()
        .values("priority__slug")
        .annotate(count=Count("pledge__organisation", distinct=True))
        .values("count")
    )
    return Priority.objects.filter(agreement=agreement).annotate(
        commitment_count=Coalesce(Subquery(organisations), 0)
    )


def updates_in_last_year() -> int:
    since = timezone.now() - timedelta(days=365)
    return ProgressUpdate.objects.published().filter(published_at__gte=since).count()


def signed_by_month():
    """(month, new signatories, running total) for every month with a signature."""
    rows = (
        Pledge.objects.public()
        .annotate(month=TruncMonth("published_at"))
        .values("month")
        .annotate(count=Count("id"))
        .order_by("month")
    )
    total, series = 0, []
    for row in rows:
        total += row["count"]
        series.append((row["month"], row["count"], total))
    return series


def updates_by_month(months=24):
    since = timezone.now() - timedelta(days=31 * months)
    return list(
        ProgressUpdate.objects.published()
        .filter(published_at__gte=since)
        .annotate(month=TruncMonth("published_at"))
        .values("month")
        .annotate(count=Count("id"))
        .order_by("month")
        .values_list("month", "count")
    )


def organisations_by_type():
    counts = dict(
        Pledge.objects.published()
        .values("organisation__type")
        .annotate(count=Count("organisation", distinct=True))
        .values_list("organisation__type", "count")
    )
    return [(label, counts.get(value, 0)) for value, label in Organisation.Type.choices]
