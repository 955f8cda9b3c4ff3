"""The reporting cycle, written once: when a progress update is due, and its kind wording.

An update is due `REPORTING_CYCLE_MONTHS` after a pledge was published or last reported;
`REPORTING_GRACE_DAYS` after that its status becomes "Awaiting update". The model's
properties, the queryset filter (signatories, queue, admin), reminders and the badge all ask
these functions, so that no two of them can disagree about a pledge.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportingStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    DUE = "due", _("Update due")
    AWAITING = "awaiting", _("Awaiting update")


# The kind public wording: no naming and shaming.
SENTENCES = {
    ReportingStatus.ACTIVE: _("Sharing progress regularly."),
    ReportingStatus.DUE: _("A progress update is due soon."),
    ReportingStatus.AWAITING: _("We are looking forward to their next update."),
}


# The same statuses, said to the organisation on its dashboard.
FOR_PARTNERS = {
    ReportingStatus.ACTIVE: _("You are up to date."),
    ReportingStatus.DUE: _("Your next update is due soon."),
    ReportingStatus.AWAITING: _("Your update is overdue: post one when you can."),
}


def reporting_cycle() -> timedelta:
    return timedelta(days=round(30.44 * settings.REPORTING_CYCLE_MONTHS))


def reporting_grace() -> timedelta:
    return timedelta(days=settings.REPORTING_GRACE_DAYS)


def next_due(reported_at: datetime | None) -> datetime | None:
    """When the next update is due after a report (or publication) at `reported_at`."""
    return None if reported_at is None else reported_at + reporting_cycle()


def status_at(reported_at: datetime | None, now: datetime) -> ReportingStatus:
    """The status of a pledge last reported (or published) at `reported_at`, seen at `now`."""
    due = next_due(reported_at)
    if due is None or now < due:
        return ReportingStatus.ACTIVE
    if now < due + reporting_grace():
        return ReportingStatus.DUE
    return ReportingStatus.AWAITING


def reported_between(status: ReportingStatus, now: datetime) -> dict:
    """The same rule as `status_at`, as lookups on `reported_at` for a queryset filter."""
    due_from = now - reporting_cycle()
    awaiting_from = due_from - reporting_grace()
    return {
        ReportingStatus.ACTIVE: {"reported_at__gt": due_from},
        ReportingStatus.DUE: {"reported_at__lte": due_from, "reported_at__gt": awaiting_from},
        ReportingStatus.AWAITING: {"reported_at__lte": awaiting_from},
    }[ReportingStatus(status)]
