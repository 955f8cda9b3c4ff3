from datetime import datetime

from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import redirect, render
from django.utils import timezone

from core.public import cached_public_page
from pledges import stats
from pledges.models import Agreement
from stories import stats as story_stats

from . import apidocs, charts, yearly
from .downloads import (
    ORGANISATION_COLUMNS,
    STORY_COLUMNS,
    UPDATE_COLUMNS,
    YEAR_COLUMNS,
    stream,
    year_download,
)
from .services import year_figures


@cached_public_page
def data(request):
    """The open data page: what can be downloaded, under which licence, and every column."""
    return render(
        request,
        "opendata/data.html",
        {
            "organisation_columns": ORGANISATION_COLUMNS,
            "update_columns": UPDATE_COLUMNS,
            "story_columns": STORY_COLUMNS,
            "year_columns": YEAR_COLUMNS,
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


def year_latest(request):
    """The place's year in kindness: this year's, so far."""
    return redirect("opendata:year", year=timezone.localdate().year)


def _year_figures(request, year) -> tuple[dict, list[int]]:
    """The year's figures, and every year the place has a report for (404 if not this one)."""
    now = timezone.now()
    years = yearly.years(request.place.pk, now)
    if year not in years:
        raise Http404("The place has no report for that year.")
    return year_figures(request.place, year, now), years


@cached_public_page
def year(request, year):
    """A place's year in kindness: every figure with its table, the network's beside it,
    and the foreword and highlights its moderators chose."""
    figures, years = _year_figures(request, year)
    report = yearly.report_for(request.place, year)
    updates, stories = yearly.highlights(report)
    context = {
        "figures": figures,
        "as_of": datetime.fromisoformat(figures["as_of"]),
        "headlines": [
            (label, figures["headline"][key], figures["network"][key])
            for key, label in yearly.HEADLINES
        ],
        "tables": [
            {
                "name": name,
                "title": title,
                "description": description,
                "columns": columns,
                "rows": figures["tables"][name],
            }
            for name, title, description, columns in yearly.TABLES
        ],
        "report": report,
        "highlighted_updates": updates,
        "highlighted_stories": stories,
        "years": years,
    }
    return render(request, "opendata/year.html", context)


@cached_public_page
def year_data(request, year, file_format):
    figures, _years = _year_figures(request, int(year))
    return year_download(figures, request.place, file_format)


def api_without_slash(request, rest):
    """Page addresses end in / and API addresses do not: a slash on an API address is forgiven."""
    query = request.META.get("QUERY_STRING", "")
    return HttpResponsePermanentRedirect(f"/api/v1/{rest}" + (f"?{query}" if query else ""))
