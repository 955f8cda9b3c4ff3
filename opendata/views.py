from django.http import HttpResponsePermanentRedirect
from django.shortcuts import render
from django.utils import timezone

from core.public import cached_public_page
from pledges import stats
from pledges.models import Agreement
from stories import stats as story_stats

from . import apidocs, charts
from .downloads import DIRECTORY_COLUMNS, STORY_COLUMNS, UPDATE_COLUMNS, stream


@cached_public_page
def data(request):
    """The open data page: what can be downloaded, under which licence, and every column."""
    return render(
        request,
        "opendata/data.html",
        {
            "directory_columns": DIRECTORY_COLUMNS,
            "update_columns": UPDATE_COLUMNS,
            "story_columns": STORY_COLUMNS,
        },
    )


@cached_public_page
def api_docs(request):
    return render(request, "opendata/api_docs.html", apidocs.reference())


def download(request, kind, file_format):
    return stream(kind, file_format, request.place)


@cached_public_page
def statistics(request):
    place = request.place
    agreement = Agreement.objects.get_current(place)
    now = timezone.now()
    signed = charts.every_month(
        [(month, total) for month, _, total in stats.signed_by_month(place.pk)], now, running=True
    )
    updates = charts.every_month(stats.updates_by_month(place.pk), now)
    context = {
        "signed_chart": charts.columns(
            [(month.strftime("%b %Y"), total) for month, total in signed]
        ),
        "priority_chart": charts.horizontal_bars(
            [(p.title, p.commitment_count) for p in stats.priorities_with_counts(agreement)]
            if agreement
            else []
        ),
        "updates_chart": charts.columns(
            [(month.strftime("%b %Y"), count) for month, count in updates]
        ),
        "type_chart": charts.horizontal_bars(stats.organisations_by_type(place.pk)),
        "stories_chart": charts.columns(
            [
                (month.strftime("%b %Y"), count)
                for month, count in charts.every_month(story_stats.stories_by_month(place.pk), now)
            ]
        ),
        "story_priority_chart": charts.horizontal_bars(
            story_stats.stories_by_priority(
                place.pk, tuple(agreement.priorities.all()) if agreement else ()
            )
        ),
    }
    return render(request, "opendata/statistics.html", context)


def api_without_slash(request, rest):
    """Page addresses end in / and API addresses do not: a slash on an API address is forgiven."""
    query = request.META.get("QUERY_STRING", "")
    return HttpResponsePermanentRedirect(f"/api/v1/{rest}" + (f"?{query}" if query else ""))
