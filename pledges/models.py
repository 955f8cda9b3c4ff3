import uuid
from datetime import timedelta
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


def update_image_upload_to(instance, filename):
    """A generated name, so that nothing a user typed reaches the file system."""
    suffix = PurePath(filename).suffix.lower() or ".jpg"
    return f"updates/{uuid.uuid4().hex}{suffix}"


class AgreementQuerySet(models.QuerySet):
    def get_current(self):
        """The version organisations are asked to sign (None only before the first is set)."""
        return self.filter(is_current=True).first()


class Agreement(models.Model):
    """One version of the Community Agreement text. Pledges point at the version signed."""

    title = models.CharField(max_length=200)
    version = models.PositiveSmallIntegerField(unique=True)
    summary = models.TextField(
        blank=True, help_text=_("One or two plain sentences shown on the home page.")
    )
    body = models.TextField(help_text=_("The full text, in plain paragraphs."))
    published_at = models.DateTimeField(null=True, blank=True)
    is_current = models.BooleanField(
        default=False, help_text=_("The version new organisations are asked to sign.")
    )

    objects = AgreementQuerySet.as_manager()

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"],
                condition=Q(is_current=True),
                name="agreement_one_current",
            ),
            models.CheckConstraint(
                condition=Q(is_current=False) | Q(published_at__isnull=False),
                name="agreement_current_is_published",
            ),
        ]

    def __str__(self):
        return f"{self.title} (version {self.version})"


class Priority(models.Model):
    """One of the five priorities for embedding kindness, as worded in one agreement version."""

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="priorities")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(_("short title"), max_length=100)
    # The priority's identity across agreement versions: counts, stories, feeds and its page
    # follow the slug, so a new version that carries a priority over keeps its slug.
    slug = models.SlugField(
        max_length=100,
        help_text=_(
            "Its lasting name across versions. Keep the slug of the priority this one carries "
            "over, so that its counts, stories and page carry over too."
        ),
    )
    description = models.TextField(help_text=_("What an organisation commits to."))
    guidance = models.TextField(
        blank=True, help_text=_("Guidance shown beside the priority when signing.")
    )
    example = models.TextField(
        blank=True, help_text=_("A worked example of a commitment, shown when signing.")
    )

    class Meta:
        ordering = ["agreement", "number"]
        verbose_name_plural = "priorities"
        constraints = [
            models.UniqueConstraint(fields=["agreement", "number"], name="priority_unique_number"),
            models.UniqueConstraint(fields=["agreement", "slug"], name="priority_unique_slug"),
            models.CheckConstraint(
                condition=Q(number__gte=1) & Q(number__lte=5), name="priority_number_1_to_5"
            ),
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"

    def get_absolute_url(self):
        return reverse("registry:priority", kwargs={"slug": self.slug})


def reporting_cycle() -> timedelta:
    return timedelta(days=round(30.44 * settings.REPORTING_CYCLE_MONTHS))


def reporting_grace() -> timedelta:
    return timedelta(days=settings.REPORTING_GRACE_DAYS)


class PledgeQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Pledge.Status.PUBLISHED)

    def public(self):
        """Pledges the public may see: published, or withdrawn after publication."""
        return self.filter(
            status__in=[Pledge.Status.PUBLISHED, Pledge.Status.WITHDRAWN],
            published_at__isnull=False,
        )

    def with_reported_at(self):
        return self.annotate(reported_at=Coalesce("last_reported_at", "published_at"))

    def for_lists(self):
        """With the organisation, agreement and commitments a list shows, and none of the long
        texts it does not (search texts, the agreement's text, each priority's guidance):
        a page of 50 read them all for nothing."""
        commitments = Commitment.objects.select_related("priority").defer(
            "priority__description", "priority__guidance", "priority__example"
        )
        return (
            self.select_related("organisation", "agreement")
            .defer(
                "organisation__search_vector",
                "organisation__search_rank_vector",
                "agreement__summary",
                "agreement__body",
            )
            .prefetch_related(models.Prefetch("commitments", queryset=commitments))
        )

    def with_reporting_status(self, status):
        """Filter by reporting status, in SQL, matching Pledge.reporting_status."""
        now = timezone.now()
        due_from = now - reporting_cycle()
        awaiting_from = due_from - reporting_grace()
        queryset = self.with_reported_at().filter(status=Pledge.Status.PUBLISHED)
        if status == Pledge.ReportingStatus.ACTIVE:
            return queryset.filter(reported_at__gt=due_from)
        if status == Pledge.ReportingStatus.DUE:
            return queryset.filter(reported_at__lte=due_from, reported_at__gt=awaiting_from)
        return queryset.filter(reported_at__lte=awaiting_from)

    def live(self):
        return self.exclude(status=Pledge.Status.WITHDRAWN)

    def latest_for(self, organisation):
        """This organisation's most recently published pledge among these, else its newest."""
        return (
            self.filter(organisation=organisation)
            .select_related("agreement")
            .order_by(F("published_at").desc(nulls_last=True), "-created_at")
            .first()
        )

    def get_current_for(self, organisation):
        """The organisation's live pledge for the current agreement, if any."""
        return (
            self.live()
            .filter(organisation=organisation, agreement__is_current=True)
            .select_related("agreement")
            .first()
        )


class Pledge(models.Model):
    """One organisation's signature of one agreement version."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned")
        PUBLISHED = "published", _("Published")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        SUSPENDED = "suspended", _("Suspended")

    class ReportingStatus(models.TextChoices):
        ACTIVE = "active", _("Active")
        DUE = "due", _("Update due")
        AWAITING = "awaiting", _("Awaiting update")

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="pledges"
    )
    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="pledges")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    signatory_name = models.CharField(
        _("signatory's full name"),
        max_length=150,
        blank=True,
        help_text=_("The person signing on behalf of the organisation."),
    )
    signatory_role = models.CharField(
        _("signatory's job title"),
        max_length=150,
        blank=True,
        help_text=_("For example, head teacher, chief executive or owner."),
    )
    is_signatory_public = models.BooleanField(
        _("publish the signatory's name and job title"),
        default=False,
        help_text=_("Only with the signatory's consent."),
    )
    is_authorised = models.BooleanField(
        _("authorised to sign"),
        default=False,
        help_text=_("The signatory is authorised to sign on behalf of the organisation."),
    )
    signed_on_paper = models.BooleanField(
        default=False, help_text=_("Signed on paper before the registry, and imported.")
    )
    statement = models.TextField(
        _("why you are signing"),
        max_length=2000,
        blank=True,
        help_text=_("A short public statement in your own words."),
    )
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The member who submitted the pledge."),
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    returned_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    suspended_at = models.DateTimeField(null=True, blank=True)
    last_reported_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_("When progress was last reported. The next update is due from here."),
    )
    status_reason = models.TextField(
        blank=True,
        help_text=_("Why the pledge was last returned, suspended or withdrawn."),
    )

    objects = PledgeQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "agreement"],
                condition=~Q(status="withdrawn"),
                name="pledge_one_live_per_agreement",
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="pledge_published_has_date",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="pledge_status_published"),
        ]

    def __str__(self):
        return (
            f"{self.organisation} — version {self.agreement.version} ({self.get_status_display()})"
        )

    def get_absolute_url(self):
        return self.organisation.get_absolute_url()

    @property
    def is_editable(self):
        """Partners change a pledge while it is a draft or after a moderator returns it."""
        return self.status in {self.Status.DRAFT, self.Status.RETURNED}

    def missing_steps(self) -> list[str]:
        """The signing steps still to complete before the pledge can be submitted."""
        missing = []
        if not self.commitments.exists():
            missing.append("priorities")
        if not self.statement.strip():
            missing.append("statement")
        if not (self.signatory_name.strip() and self.signatory_role.strip() and self.is_authorised):
            missing.append("signatory")
        return missing

    @property
    def next_update_due(self):
        start = self.last_reported_at or self.published_at
        if start is None:
            return None
        return start + reporting_cycle()

    @property
    def reporting_status_label(self):
        return self.ReportingStatus(self.reporting_status).label

    @property
    def reporting_status_sentence(self):
        """The kind public wording: no naming and shaming."""
        return {
            self.ReportingStatus.ACTIVE: _("Sharing progress regularly."),
            self.ReportingStatus.DUE: _("A progress update is due soon."),
            self.ReportingStatus.AWAITING: _("We are looking forward to their next update."),
        }[self.reporting_status]

    @property
    def reporting_status(self):
        due = self.next_update_due
        now = timezone.now()
        if due is None or now < due:
            return self.ReportingStatus.ACTIVE
        if now < due + reporting_grace():
            return self.ReportingStatus.DUE
        return self.ReportingStatus.AWAITING


class Commitment(models.Model):
    """What an organisation will do about one priority."""

    class Progress(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        EMBEDDED = "embedded", _("Embedded")

    pledge = models.ForeignKey(Pledge, on_delete=models.PROTECT, related_name="commitments")
    priority = models.ForeignKey(Priority, on_delete=models.PROTECT, related_name="commitments")
    body = models.TextField(
        _("what you will do"),
        max_length=2000,
        help_text=_("Say in plain words what your organisation will do about this priority."),
    )
    progress = models.CharField(
        _("progress"), max_length=12, choices=Progress.choices, default=Progress.PLANNED
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        ordering = ["pledge", "priority__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["pledge", "priority"], name="commitment_unique_priority"
            ),
        ]

    def __str__(self):
        return f"{self.pledge.organisation}: {self.priority.title}"


class ProgressUpdateQuerySet(models.QuerySet):
    def published(self):
        return self.filter(
            status=ProgressUpdate.Status.PUBLISHED, pledge__status=Pledge.Status.PUBLISHED
        )


class ProgressUpdate(models.Model):
    """A dated story or report of progress against one or more priorities."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        HIDDEN = "hidden", _("Hidden")

    pledge = models.ForeignKey(Pledge, on_delete=models.PROTECT, related_name="updates")
    title = models.CharField(_("title"), max_length=150)
    body = models.TextField(
        _("your story"),
        max_length=10000,
        help_text=_(
            "Paragraphs, lists, links and emphasis. Never include personal details of "
            "children or families."
        ),
    )
    priorities = models.ManyToManyField(
        Priority, related_name="updates", help_text=_("The priorities this update is about.")
    )
    image = models.ImageField(_("image"), upload_to=update_image_upload_to, blank=True)
    # The image at each width for srcset, {width: stored name}, the original included: made
    # once by a task after the upload.
    image_sizes = models.JSONField(default=dict, blank=True, editable=False)
    image_alt = models.CharField(
        _("image description"),
        max_length=250,
        blank=True,
        help_text=_("Describe the image for people who cannot see it. Required with an image."),
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    published_at = models.DateTimeField(null=True, blank=True)
    hidden_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProgressUpdateQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(image="") | ~Q(image_alt=""), name="update_image_has_alt_text"
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="update_published_has_date",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="update_status_published"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("registry:update", kwargs={"pk": self.pk})

    def image_srcset(self) -> str:
        """Every stored width of the image (the original's included), for the browser to
        choose from; empty until the copies are made."""
        from django.core.files.storage import default_storage

        widths = sorted(self.image_sizes.items(), key=lambda item: int(item[0]))
        return ", ".join(f"{default_storage.url(name)} {width}w" for width, name in widths)


class PledgeEvent(models.Model):
    """The dated record of every step in a pledge's life: who, when and why."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted for approval")
        PUBLISHED = "published", _("Approved and published")
        RETURNED = "returned", _("Returned for changes")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        SUSPENDED = "suspended", _("Suspended")
        REINSTATED = "reinstated", _("Reinstated")
        CONFIRMED = "confirmed", _("Confirmed commitments are still accurate")
        COMMITMENT_CHANGED = "commitment_changed", _("Changed a commitment")
        UPDATE_POSTED = "update_posted", _("Posted a progress update")
        UPDATE_EDITED = "update_edited", _("Edited a progress update")
        UPDATE_HIDDEN = "update_hidden", _("Removed a progress update from public view")
        UPDATE_RESTORED = "update_restored", _("Restored a progress update to public view")
        INVITED_TO_RESIGN = "invited_to_resign", _("Invited to sign a new agreement version")
        SIGNATORY_HIDDEN = "signatory_hidden", _("Stopped showing the signatory's name")

    pledge = models.ForeignKey(Pledge, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(max_length=20, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["pledge", "-created_at"], name="pledge_event_recent")]

    def __str__(self):
        return f"{self.get_action_display()}: {self.pledge.organisation}"


class Reminder(models.Model):
    """One reminder email about one reporting cycle of one pledge: planned once, sent once.

    `manage.py send_reminders` plans them; the unique constraint makes a second run, or two
    runs at once, plan nothing new. See pledges/reminders.py.
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
        return self.filter(status=Concern.Status.OPEN)


class Concern(models.Model):
    """Someone reported a concern about an organisation's page or one of its updates."""

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

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="concerns"
    )
    update = models.ForeignKey(
        ProgressUpdate,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="concerns",
        help_text=_("Empty when the concern is about the organisation's page."),
    )
    reason = models.CharField(max_length=12, choices=Reason.choices)
    details = models.TextField(max_length=2000, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    hidden_automatically = models.BooleanField(
        default=False,
        help_text=_("The update was hidden at once because it may identify a child or family."),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decision_note = models.TextField(blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ConcernQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]
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
