"""Writes of the open data app: a place's year in kindness."""

from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.versions import public_data_changed
from places.moderators import moderates

from . import yearly
from .models import HIGHLIGHTS_MAX, YearReport


def year_figures(place, year: int, now) -> dict:
    """The year's figures for the place: counted afresh while the year runs (`yearly.so_far`);
    for a year that is over, counted the first time they are asked for and kept with the
    year's report, never counted again. Locked, so that two first visitors count once."""
    if not yearly.is_over(year, now):
        return yearly.so_far(place.pk, year)
    report = YearReport.objects.filter(place=place, year=year, figures__isnull=False).first()
    if report is not None:
        return report.figures
    with transaction.atomic():
        report, _created = YearReport.objects.select_for_update().get_or_create(
            place=place, year=year
        )
        if report.figures is None:
            report.figures = yearly.count(place, year, now)
            report.save(update_fields=["figures"])
    return report.figures


@transaction.atomic
def year_report_save(*, report: YearReport, foreword: str, updates, stories, by) -> YearReport:
    """A moderator of the place writes the year's foreword and chooses its highlights: at
    most `HIGHLIGHTS_MAX` updates and stories, each published in the place during the year.
    The figures are not theirs to change. Each save is kept in the report's admin history, with the whole foreword as it read."""
    if not moderates(by, report.place_id):
        raise PermissionDenied(_("Only a moderator of this place can write its year."))
    if report.pk:
        report = YearReport.objects.select_for_update().get(pk=report.pk)
    report.foreword = foreword
    report.full_clean()
    updates, stories = list(updates), list(stories)
    allowed_updates, allowed_stories = yearly.highlight_choices(report.place_id, report.year)
    for chosen, allowed, field in (
        (updates, allowed_updates, "updates"),
        (stories, allowed_stories, "stories"),
    ):
        if len(chosen) > HIGHLIGHTS_MAX:
            raise ValidationError({field: _("Choose at most %(max)s.") % {"max": HIGHLIGHTS_MAX}})
        if allowed.filter(pk__in=[item.pk for item in chosen]).count() != len(chosen):
            raise ValidationError(
                {field: _("Choose only what was published in this place during the year.")}
            )
    is_new = report.pk is None
    report.save()
    report.updates.set(updates)
    report.stories.set(stories)
    LogEntry.objects.log_actions(
        user_id=by.pk,
        queryset=[report],
        action_flag=ADDITION if is_new else CHANGE,
        change_message=_written(report, updates, stories),
        single_object=True,
    )
    public_data_changed(report.place_id)
    return report


def _written(report, updates, stories) -> str:
    """What the report's history keeps of each save: the whole foreword, as it then read,
    and the highlights chosen."""
    chosen = [f"update {update.pk}" for update in updates] + [
        f"story {story.pk}" for story in stories
    ]
    return _("Foreword: %(foreword)s Highlights: %(chosen)s.") % {
        "foreword": report.foreword or _("(none)"),
        "chosen": ", ".join(chosen) or _("none"),
    }
