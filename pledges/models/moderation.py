"""What moderation keeps: concerns, reminders sent, daily digests and queue visits."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .pledges import Pledge
from .updates import ProgressUpdate


class Reminder(models.Model):
    """One reminder email about one reporting cycle of one pledge: planned once, sent once.

    `manage.py send_reminders` plans them; the unique constraint makes a second run, or two
    runs at once, plan nothing new. See moderation/reminders.py.
    """

    class Kind(models.TextChoices):
        SOON = "soon", _("Update due in two weeks")
        DUE = "due", _("Update due now")
        AWAITING = "awaiting", _("Awaiting update")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        CANCELLED = "cancelled", _("No longer needed")

    pledge = models.ForeignKey(Pledge, on_delete=models.PROTECT, related_name="reminders")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    due_at = models.DateTimeField(help_text=_("When the update this reminder is about was due."))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["pledge", "kind", "due_at"], name="one_reminder_per_kind_per_cycle"
            ),
            models.CheckConstraint(
                condition=Q(status="sent", sent_at__isnull=False) | ~Q(status="sent"),
                name="a_sent_reminder_has_a_time",
            ),
        ]
        indexes = [
            models.Index(
                fields=["created_at"], name="reminder_pending", condition=Q(status="pending")
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.pledge.organisation}"


class ModeratorDigest(models.Model):
    """One day's email to moderators about the progress updates posted since the last one."""

    day = models.DateField(unique=True)
    covered_from = models.DateTimeField()
    covered_until = models.DateTimeField()
    updates = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-day"]

    def __str__(self):
        return f"Digest of {self.day}: {self.updates} updates"


class ModeratorVisit(models.Model):
    """When a moderator last opened the queue, so that it can say what is new since."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    seen_at = models.DateTimeField()

    def __str__(self):
        return f"{self.user} at {self.seen_at:%Y-%m-%d %H:%M}"


class ConcernQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=ConcernRecord.Status.OPEN)


class ConcernRecord(models.Model):
    """What every concern keeps, whatever it is about: the reason, the details, and the
    moderator's decision. One definition for concerns about organisations and updates
    (`Concern`) and about residents' stories (`stories.StoryConcern`)."""

    class Reason(models.TextChoices):
        CHILD_INFORMATION = "child_info", _("Personal information about a child or family")
        UNKIND = "unkind", _("Unkind, offensive or harmful")
        UNTRUE = "untrue", _("Not true, or misleading")
        ADVERTISING = "advertising", _("Advertising or spam")
        OTHER = "other", _("Something else")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        UPHELD = "upheld", _("Content hidden")
        DISMISSED = "dismissed", _("Dismissed")

    # The one reason that hides what it is about at once, before a moderator looks.
    HIDES_AT_ONCE = Reason.CHILD_INFORMATION

    reason = models.CharField(max_length=12, choices=Reason.choices)
    details = models.TextField(max_length=2000, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decision_note = models.TextField(blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ConcernQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["created_at"]


class Concern(ConcernRecord):
    """Someone reported a concern about an organisation's page or one of its updates."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="concerns"
    )
    # The place whose page it was raised on: its moderators decide it, and upholding it acts
    # on the organisation's pledge there, never in another place.
    place = models.ForeignKey("places.Place", on_delete=models.PROTECT, related_name="concerns")
    update = models.ForeignKey(
        ProgressUpdate,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="concerns",
        help_text=_("Empty when the concern is about the organisation's page."),
    )
    hidden_automatically = models.BooleanField(
        default=False,
        help_text=_("The update was hidden at once because it may identify a child or family."),
    )

    class Meta(ConcernRecord.Meta):
        indexes = [
            models.Index(fields=["created_at"], name="concern_open", condition=Q(status="open"))
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open") | Q(decided_at__isnull=False),
                name="a_decided_concern_has_a_time",
            )
        ]

    def __str__(self):
        about = self.update.title if self.update_id else self.organisation.name
        return f"{self.get_reason_display()}: {about}"
