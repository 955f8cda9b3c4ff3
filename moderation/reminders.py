"""Chasing late reports, kindly: reminder emails to an organisation's admins.

A published pledge's next update is due one reporting cycle after it was published or last
reported. Its admins hear from us 14 days before, when it is due, and when the status becomes
"Awaiting update" (after the grace period): at most once each per cycle.

`send_reminders` is safe from cron every hour, and when two copies run at once:
- planning inserts `Reminder` rows, and the unique (pledge, kind, due_at) constraint makes
  a second plan of the same reminder a no-op;
- each pending reminder is sent inside its own transaction, holding its row lock
  (`SKIP LOCKED`, so another run moves on to the next one), and marked sent in it; the email
  is queued when that transaction commits, so it goes out once.
A failure with one organisation is recorded on its reminder and tried again next run; the
others are sent regardless. A reminder whose moment has passed (the organisation reported,
or a later reminder applies) is cancelled, not sent.
"""

import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from organisations.models import Organisation
from places.emails import send_place_email
from pledges import reporting
from pledges.models import Pledge, Reminder

logger = logging.getLogger(__name__)

LEAD = timedelta(days=14)


KIND_FOR_STATUS = {
    reporting.ReportingStatus.DUE: Reminder.Kind.DUE,
    reporting.ReportingStatus.AWAITING: Reminder.Kind.AWAITING,
}


def kind_for(pledge: Pledge, now: datetime) -> str | None:
    """Which reminder, if any, this pledge is owed now: its reporting status (the one rule in
    `pledges.reporting`), or "soon" in the last two weeks before it is due."""
    if pledge.status != Pledge.Status.PUBLISHED or pledge.next_update_due is None:
        return None
    kind = KIND_FOR_STATUS.get(reporting.status_at(pledge.reporting_from, now))
    if kind is None and now >= pledge.next_update_due - LEAD:
        return Reminder.Kind.SOON
    return kind


def planned(now: datetime) -> list[Reminder]:
    """The reminders owed now, unsaved; those already planned are included too. Organisations
    nobody can act for yet (imported from paper, not claimed) are left out: the moderators'
    queue counts them as unclaimed instead."""
    owing = (
        Pledge.objects.published()
        .filter(organisation__in=Organisation.objects.claimed())
        .with_reported_at()
        .filter(reported_at__lte=now - reporting.reporting_cycle() + LEAD)
        .order_by("pk")
    )
    reminders = []
    for pledge in owing:
        kind = kind_for(pledge, now)
        if kind is not None:
            reminders.append(Reminder(pledge=pledge, kind=kind, due_at=pledge.next_update_due))
    return reminders


def send_reminders(*, now: datetime | None = None, dry_run: bool = False) -> dict[str, int]:
    """Plan and send what is owed; return counts (on a dry run, what would be sent)."""
    now = now or timezone.now()
    reminders = planned(now)
    if dry_run:
        done = set(
            Reminder.objects.exclude(status=Reminder.Status.PENDING).values_list(
                "pledge_id", "kind", "due_at"
            )
        )
        owed = [r for r in reminders if (r.pledge_id, r.kind, r.due_at) not in done]
        return {"would_send": len(owed)}
    Reminder.objects.bulk_create(reminders, ignore_conflicts=True)
    counts = {"sent": 0, "cancelled": 0, "failed": 0}
    pending = Reminder.objects.filter(status=Reminder.Status.PENDING).order_by("created_at", "pk")
    for pk in pending.values_list("pk", flat=True):
        try:
            with transaction.atomic():
                outcome = _send_one(pk, now)
        except Exception as error:  # one organisation's failure must not stop the others
            logger.exception("Reminder %s could not be sent; it will be tried again", pk)
            Reminder.objects.filter(pk=pk).update(
                attempts=F("attempts") + 1, last_error=str(error)[:1000]
            )
            counts["failed"] += 1
        else:
            if outcome:
                counts[outcome] += 1
    return counts


def _send_one(pk: int, now: datetime) -> str | None:
    reminder = (
        Reminder.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("pledge__organisation", "pledge__place")
        .filter(pk=pk, status=Reminder.Status.PENDING)
        .first()
    )
    if reminder is None:  # another run holds it, or has sent it
        return None
    pledge = reminder.pledge
    recipients = pledge.organisation.admin_emails()
    stale = kind_for(pledge, now) != reminder.kind or pledge.next_update_due != reminder.due_at
    if stale or not recipients:  # nobody to remind is the queue's "unclaimed", not an error
        reminder.status = Reminder.Status.CANCELLED
        reminder.save(update_fields=["status"])
        return "cancelled"
    send_place_email(  # its links lead to the pledge's own place
        "moderation/email/reminder",
        recipients,
        {"reminder": reminder, "pledge": pledge, "organisation": pledge.organisation},
        place=pledge.place,
    )
    reminder.status = Reminder.Status.SENT
    reminder.sent_at = now
    reminder.last_error = ""
    reminder.save(update_fields=["status", "sent_at", "last_error"])
    return "sent"
