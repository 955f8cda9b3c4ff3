"""Public counts and series of one place, each one aggregate query whatever the size of the
registry.

Each reads every public row of the place, so each is remembered until public data changes
(`core.public.remembered`): pages that show them then cost a cache read, not a scan. What
counts only signatures and commitments (organisations signed, by month, by type, by
priority) is kept until the network's commitments change (COMMITMENTS_SCOPE), not redrawn
after every update or story. Each takes the place's id (a stable key for `remembered`)."""

from datetime import timedelta

from django.db import connection
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import TruncMonth
from django.utils import timezone

from core.per_place import kept_per_place
from core.public import remembered
from core.series import per_month
from core.versions import COMMITMENTS_SCOPE
from organisations.models import Organisation

from . import reporting
from .models import Commitment, Pledge, Priority, ProgressUpdate


def _pledges(place_id):
    return Pledge.objects.published().filter(place_id=place_id)


@remembered(scope=COMMITMENTS_SCOPE)
def organisations_signed(place_id) -> int:
    return _pledges(place_id).values("organisation").distinct().count()


def first_signed(pledges) -> Subquery:
    """When the organisation of the pledge being read first signed among `pledges` (one
    place's, or every place's): the date the statistics and the year's report count it from,
    so that an organisation that signed a newer version is not counted as new again."""
    return Subquery(
        pledges.filter(organisation=OuterRef("organisation"), published_at__isnull=False)
        .order_by("published_at")
        .values("published_at")[:1]
    )


def priorities_with_counts(agreement) -> list[Priority]:
    """The agreement's priorities, each with how many organisations in its place commit to it
    in any version they have published (a priority is the same across versions by its slug)."""
    counts = organisations_per_priority(agreement.place_id)
    priorities = list(Priority.objects.filter(agreement=agreement).select_related("agreement"))
    for priority in priorities:
        priority.commitment_count = counts.get(priority.slug, 0)
    return priorities


@remembered(scope=COMMITMENTS_SCOPE)
def organisations_per_priority(place_id) -> dict[str, int]:
    """Priority slug: organisations with a published commitment to it, in any version."""
    return per_priority(_pledges(place_id))


def per_priority(pledges) -> dict[str, int]:
    """Priority slug: organisations committed to it among `pledges`. Each (priority,
    organisation) pair is found once and then counted: PostgreSQL hashes the pairs, where
    `COUNT(DISTINCT ...)` sorts every commitment (18 ms against 10 ms for the network's
    15,000 commitments)."""
    pairs = (
        Commitment.objects.filter(pledge__in=pledges)
        .order_by()
        .values_list("priority__slug", "pledge__organisation")
        .distinct()
    )
    sql, params = pairs.query.sql_with_params()
    # The ORM's own SQL, its values passed as parameters.
    counted = f"SELECT pairs.slug, COUNT(*) FROM ({sql}) AS pairs (slug, o) GROUP BY 1"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(counted, params)
        return dict(cursor.fetchall())


def _updates(place_id):
    return ProgressUpdate.objects.published().filter(pledge__place_id=place_id)


@remembered
def updates_in_last_year(place_id) -> int:
    since = timezone.now() - timedelta(days=365)
    return _updates(place_id).filter(published_at__gte=since).count()


@remembered(scope=COMMITMENTS_SCOPE)
def signed_by_month(place_id):
    """(month, organisations that signed, running total): each organisation signed now counted
    once, in the month of its first signature in the place, so the total ends at
    `organisations_signed`."""
    rows = (
        _pledges(place_id)
        .annotate(month=TruncMonth(first_signed(Pledge.objects.filter(place_id=place_id))))
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
def updates_by_month(place_id, months=24):
    return per_month(_updates(place_id), "published_at", months)


@remembered(scope=COMMITMENTS_SCOPE)
def organisations_by_type(place_id):
    counts = dict(
        _pledges(place_id)
        .values("organisation__type")
        .annotate(count=Count("organisation", distinct=True))
        .values_list("organisation__type", "count")
    )
    return [(label, counts.get(value, 0)) for value, label in Organisation.Type.choices]


def quarter_start(now):
    """When the quarter of `now` began, in the site's time zone: the network's figures count
    updates from then."""
    local = timezone.localtime(now)
    month = 3 * ((local.month - 1) // 3) + 1
    return local.replace(month=month, day=1, hour=0, minute=0, second=0, microsecond=0)


def count_place_figures(sender, place_id, **kwargs) -> None:
    """A change in the place committed (`core.versions.place_changed`): count its figures for
    the network's page now, where the change was made, and keep them for every process."""
    network_figures(quarter_start(timezone.now()), [place_id])


def network_figures(quarter_start, place_ids) -> dict[int, dict]:
    """The places' figures by id, each kept under its own place's version, so that a change
    in one place recomputes only its figures (`core.per_place`)."""
    return kept_per_place(
        "network_figures", (quarter_start,), place_ids, lambda ids: _figures(quarter_start, ids)
    )


def _figures(quarter_start, place_ids) -> dict[int, dict]:
    """Figures of the places `place_ids`, side by side, in two grouped queries whatever their
    number: organisations signed, updates since the quarter began, and how many of its
    published pledges are not awaiting an update (on time)."""
    awaiting = reporting.reported_between(reporting.ReportingStatus.AWAITING, timezone.now())
    pledges = (
        Pledge.objects.with_reported_at()
        .published()
        .filter(place_id__in=place_ids)
        .order_by()
        .values("place_id")
        .annotate(
            signed=Count("organisation", distinct=True),
            published=Count("*"),
            awaiting=Count("pk", filter=Q(**awaiting)),
        )
    )
    updates = dict(
        ProgressUpdate.objects.published()
        .filter(published_at__gte=quarter_start, pledge__place_id__in=place_ids)
        .order_by()
        .values("pledge__place_id")
        .annotate(n=Count("*"))  # not COUNT(id): then counted from an index alone
        .values_list("pledge__place_id", "n")
    )
    return {
        row["place_id"]: {
            "signed": row["signed"],
            "updates": updates.get(row["place_id"], 0),
            "on_time": row["published"] - row["awaiting"],
            "published": row["published"],
        }
        for row in pledges
    }


@remembered(scope=COMMITMENTS_SCOPE)
def network_priorities() -> list[dict]:
    """The five priorities across the network, by their identity (the slug), each with its
    title in the registry's first place (places may reword it) and how many organisations
    commit to it in any place, counted once. Kept until a pledge is published or taken out
    of view, or a new agreement version made current, somewhere (COMMITMENTS), not
    recounted for every update or story."""
    counts = per_priority(Pledge.objects.published())
    first = Priority.objects.filter(
        agreement__is_current=True, agreement__place__is_default=True
    ).order_by("number")
    return [
        {
            "number": p.number,
            "slug": p.slug,
            "title": p.title,
            "description": p.description,
            "count": counts.get(p.slug, 0),
        }
        for p in first
    ]
