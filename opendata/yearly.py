"""A place's year in kindness, written once: every figure of its yearly report, from its own
data, with the network's year beside it.

Each figure is counted by the rule the rest of the registry uses, so the report agrees with
the statistics page and the downloads: organisations signed now, each counted from its first
signature in the place (`pledges.stats.first_signed`); public updates and stories
(`published()`, `public()`); reporting status by `pledges.reporting`.

The current year is counted afresh when public data changes (`remembered`) and says "so far".
A year that is over is counted once, the first time it is asked for, and kept with its
`YearReport` (`opendata.services.year_figures`): it is never counted again, whatever changes later.
"""

from datetime import datetime

from django.db.models import Count, Min, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext_lazy as _

from core.public import remembered
from organisations.models import Organisation
from places.models import Place
from pledges import reporting
from pledges.models import Pledge, Priority, ProgressUpdate
from pledges.stats import first_signed, per_priority
from stories.models import Story

from .models import YearReport

# The headline figures, in the order the page and the downloads give them.
HEADLINES = [
    ("signed", _("Organisations signed by the year's end")),
    ("new", _("Organisations that signed during the year")),
    ("updates", _("Progress updates published")),
    ("on_time", _("Organisations sharing progress on time")),
    ("stories_received", _("Kindness seen: stories received")),
    ("stories_published", _("Kindness seen: stories published")),
]

# Each table: its name (in the downloads), title, what it counts, and its columns' headings.
TABLES = [
    (
        "signed_by_type",
        _("Organisations by type"),
        _("Organisations signed by the year's end, and those that first signed during it."),
        [_("Type"), _("Signed by the year's end"), _("Signed during the year")],
    ),
    (
        "signed_by_area",
        _("Organisations by area"),
        _("The same, by the part of the place each organisation mainly serves."),
        [_("Area"), _("Signed by the year's end"), _("Signed during the year")],
    ),
    (
        "commitments_by_priority",
        _("Commitments per priority"),
        _("Organisations signed by the year's end that commit to each priority."),
        [_("Priority"), _("Organisations")],
    ),
    (
        "updates_by_month",
        _("Progress updates per month"),
        _("Progress updates published in each month of the year."),
        [_("Month"), _("Updates")],
    ),
    (
        "updates_by_priority",
        _("Progress updates per priority"),
        _(
            "Progress updates published during the year about each priority (an update may be "
            "about more than one)."
        ),
        [_("Priority"), _("Updates")],
    ),
    (
        "reporting",
        _("Sharing progress"),
        _(
            "Organisations signed by the year's end, by whether their progress updates are on "
            "time, on the day these figures were counted."
        ),
        [_("Status"), _("Organisations")],
    ),
    (
        "stories_by_month",
        _("Kindness seen per month"),
        _("Stories residents told us (and confirmed) and stories published, in each month."),
        [_("Month"), _("Received"), _("Published")],
    ),
]


def year_bounds(year: int) -> tuple[datetime, datetime]:
    """The year's first moment and the next year's, in the site's time zone."""
    zone = timezone.get_current_timezone()
    return datetime(year, 1, 1, tzinfo=zone), datetime(year + 1, 1, 1, tzinfo=zone)


def is_over(year: int, now: datetime) -> bool:
    return year < timezone.localdate(now).year


@remembered
def first_year(place_id: int) -> int:
    """The first year the place has a report for: the year its first pledge was published,
    or this year while it has none."""
    first = Pledge.objects.filter(place_id=place_id).aggregate(first=Min("published_at"))["first"]
    return timezone.localdate(first or timezone.now()).year


def years(place_id: int, now: datetime) -> list[int]:
    """Every year the place has a report for, newest first."""
    return list(range(timezone.localdate(now).year, first_year(place_id) - 1, -1))


@remembered
def so_far(place_id: int, year: int) -> dict:
    """The current year's figures, counted afresh when public data changes."""
    return count(Place.objects.get(pk=place_id), year, timezone.now())


def count(place, year: int, now: datetime) -> dict:
    """Count the year's figures for the place now: what `figures` keeps or remembers."""
    start, end = year_bounds(year)
    in_place = Pledge.objects.filter(place_id=place.pk)
    place_figures = _count(
        start,
        end,
        now,
        pledges=Pledge.objects.published().filter(place_id=place.pk),
        first=first_signed(in_place),
        updates=ProgressUpdate.objects.published().filter(pledge__place_id=place.pk),
        stories=Story.objects.filter(place_id=place.pk),
        public_stories=Story.objects.public().filter(place_id=place.pk),
    )
    network = _count(
        start,
        end,
        now,
        pledges=Pledge.objects.published(),
        first=first_signed(Pledge.objects.all()),
        updates=ProgressUpdate.objects.published(),
        stories=Story.objects.all(),
        public_stories=Story.objects.public(),
        tables=False,
    )
    headline = place_figures.pop("headline")
    return {
        "place": place.slug,
        "year": year,
        "as_of": now.isoformat(),
        "is_complete": is_over(year, now),
        "headline": headline,
        "network": network["headline"],
        "tables": _tables(place, start, end, now, **place_figures),
    }


def _count(start, end, now, *, pledges, first, updates, stories, public_stories, tables=True):
    pledges = pledges.order_by().annotate(first=first)
    signed_by_end = pledges.filter(first__lt=end)
    counted = {
        "signed": Count("organisation", distinct=True, filter=Q(first__lt=end)),
        "new": Count("organisation", distinct=True, filter=Q(first__gte=start, first__lt=end)),
    }
    in_year = {"published_at__gte": start, "published_at__lt": end}
    updates = updates.filter(**in_year).order_by()
    received = stories.filter(confirmed_at__gte=start, confirmed_at__lt=end).order_by()
    published = public_stories.filter(**in_year).order_by()
    by_status = _reporting(signed_by_end, now)
    headline = {
        **pledges.aggregate(**counted),
        "updates": updates.count(),
        "on_time": sum(
            n for status, n in by_status.items() if status != reporting.ReportingStatus.AWAITING
        ),
        "stories_received": received.count(),
        "stories_published": published.count(),
    }
    if not tables:
        return {"headline": headline}
    return {
        "headline": headline,
        "pledges": pledges,
        "counted": counted,
        "signed_by_end": signed_by_end,
        "updates": updates,
        "received": received,
        "published": published,
        "by_status": by_status,
    }


def _reporting(signed_by_end, now) -> dict:
    """Organisations by reporting status (`pledges.reporting`'s rule), every status named."""
    counts = signed_by_end.with_reported_at().aggregate(
        **{
            status.value: Count(
                "organisation", distinct=True, filter=Q(**reporting.reported_between(status, now))
            )
            for status in reporting.ReportingStatus
        }
    )
    return {status: counts[status.value] for status in reporting.ReportingStatus}


def _tables(place, start, end, now, **found) -> dict[str, list[dict]]:
    pledges, counted = found["pledges"], found["counted"]
    by_type = {
        row["organisation__type"]: row
        for row in pledges.values("organisation__type").annotate(**counted)
    }
    by_area = {row["area_id"]: row for row in pledges.values("area_id").annotate(**counted)}
    priorities = list(Priority.objects.current(place).order_by("number"))
    committed = per_priority(found["signed_by_end"])
    updates_per_priority = dict(
        found["updates"]
        .values("priorities__slug")
        .annotate(n=Count("pk", distinct=True))
        .values_list("priorities__slug", "n")
    )
    months = _months(start, end, now)
    updates_per_month = _per_month(found["updates"], "published_at")
    received_per_month = _per_month(found["received"], "confirmed_at")
    published_per_month = _per_month(found["published"], "published_at")

    def signed_row(key, label, row):
        return _row(key, label, (row or {}).get("signed", 0), (row or {}).get("new", 0))

    return {
        "signed_by_type": [
            signed_row(value, label, by_type.get(value))
            for value, label in Organisation.Type.choices
        ],
        "signed_by_area": [
            signed_row(area.slug, area.name, by_area.get(area.pk)) for area in place.areas.all()
        ],
        "commitments_by_priority": [
            _row(p.slug, p.title, committed.get(p.slug, 0)) for p in priorities
        ],
        "updates_by_month": [
            _row(key, label, updates_per_month.get(key, 0)) for key, label in months
        ],
        "updates_by_priority": [
            _row(p.slug, p.title, updates_per_priority.get(p.slug, 0)) for p in priorities
        ],
        "reporting": [
            _row(status.value, status.label, n) for status, n in found["by_status"].items()
        ],
        "stories_by_month": [
            _row(key, label, received_per_month.get(key, 0), published_per_month.get(key, 0))
            for key, label in months
        ],
    }


def _row(key, label, *values) -> dict:
    return {"key": key, "label": str(label), "values": list(values)}


def _months(start, end, now) -> list[tuple[str, str]]:
    """("2026-01", "January 2026") for each month of the year up to now."""
    last = min(now, end)
    firsts = [start.replace(month=number) for number in range(1, 13)]
    return [
        (month.strftime("%Y-%m"), date_format(month, "F Y"))
        for month in [m for m in firsts if m < last] or firsts[:1]
    ]


def _per_month(queryset, field) -> dict[str, int]:
    return {
        month.strftime("%Y-%m"): n
        for month, n in queryset.annotate(month=TruncMonth(field))
        .values("month")
        .annotate(n=Count("pk"))
        .values_list("month", "n")
    }


def highlight_choices(place_id: int, year: int):
    """What the place's moderators may highlight for the year: the updates and stories
    published in the place during it and public now (the service checks a choice against
    these; the admin offers them), newest first."""
    start, end = year_bounds(year)
    in_year = {"published_at__gte": start, "published_at__lt": end}
    updates = (
        ProgressUpdate.objects.published()
        .filter(pledge__place_id=place_id, **in_year)
        .select_related("pledge__organisation")
        .order_by("-published_at")
    )
    stories = Story.objects.public().filter(place_id=place_id, **in_year).order_by("-published_at")
    return updates, stories


def report_for(place, year: int) -> YearReport | None:
    """What the place's moderators wrote for the year, if anything."""
    return YearReport.objects.filter(place=place, year=year).first()


def highlights(report: YearReport | None) -> tuple[list, list]:
    """The updates and stories the moderators chose that are public now, newest first: a
    highlight hidden or withdrawn since leaves the report with the rest of the registry."""
    if report is None:
        return [], []
    updates = (
        ProgressUpdate.objects.published()
        .filter(pk__in=report.updates.values("pk"))
        .select_related("pledge__organisation")
        .prefetch_related("priorities")
        .order_by("-published_at")
    )
    stories = (
        Story.objects.public()
        .filter(pk__in=report.stories.values("pk"))
        .select_related("organisation", "area", "priority")
        .order_by("-published_at")
    )
    return list(updates), list(stories)
