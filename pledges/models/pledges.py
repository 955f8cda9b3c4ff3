"""Pledges and their commitments."""

from typing import NamedTuple

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from places.addresses import place_reverse
from places.models import in_place

from .. import reporting
from .agreements import Agreement, Priority

# The statuses in which a pledge is the organisation's public record. PostgreSQL keeps it to
# one pledge per organisation (pledge_one_public_per_organisation): publishing a newer one
# supersedes the earlier in the same transaction.
PUBLIC_STATUSES = ("published", "withdrawn")
# A pledge in these statuses no longer counts as the organisation's signature of its version,
# so the organisation may sign that version again.
ENDED_STATUSES = ("withdrawn", "superseded")


# Where a search can match a pledge, best first: its organisation's name alone (weight A in
# pledges.search), with the pledge itself (B), with the organisation's description (D).
# Anywhere else (the updates in its place) comes last.
RELEVANCE_TIERS = ["a", "ab", "abd"]


def ranked_text_part(letters: str, field: str = "search_rank_vector"):
    """A pledge's ranked search text (at `field`, a path from the query's model), only the
    parts weighted with these letters."""
    return models.Func(
        models.F(field),
        models.Value("{" + ",".join(letters) + "}"),
        function="ts_filter",
        output_field=SearchVectorField(),
    )


class Signatory(NamedTuple):
    name: str
    role: str


class PledgeQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Pledge.Status.PUBLISHED)

    def public(self):
        """Each organisation's public pledge: published, or withdrawn after publication.
        At most one per organisation (a database constraint)."""
        return self.filter(status__in=PUBLIC_STATUSES)

    def in_place(self, place):
        """The pledges of one place."""
        return self.filter(in_place("place", place))

    def public_for(self, organisation, place):
        """The organisation's public pledge in the place, or None: what its page, badge,
        certificate, concerns and dashboard show the public there."""
        return (
            self.public()
            .in_place(place)
            .filter(organisation=organisation)
            .select_related("agreement", "area")
            .first()
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
            self.select_related("organisation", "agreement", "area")
            .defer(
                "agreement__summary",
                "agreement__body",
            )
            .prefetch_related(models.Prefetch("commitments", queryset=commitments))
        )

    def with_reporting_status(self, status):
        """Published pledges with this reporting status, in SQL (`reporting.reported_between`)."""
        return (
            self.with_reported_at()
            .filter(status=Pledge.Status.PUBLISHED)
            .filter(**reporting.reported_between(status, timezone.now()))
        )

    def live(self):
        """Pledges that still count as the organisation's signature of their version."""
        return self.exclude(status__in=ENDED_STATUSES)

    def latest_for(self, organisation):
        """This organisation's most recently published pledge among these, else its newest."""
        return (
            self.filter(organisation=organisation)
            .select_related("agreement")
            .order_by(F("published_at").desc(nulls_last=True), "-created_at")
            .first()
        )

    def get_current_for(self, organisation, place):
        """The organisation's live pledge for the place's current agreement, if any."""
        agreements = Agreement.objects.in_place(place).filter(is_current=True)
        return (
            self.live()
            .filter(organisation=organisation, agreement__in=agreements)
            .select_related("agreement")
            .first()
        )


class PledgeManager(models.Manager.from_queryset(PledgeQuerySet)):
    def get_queryset(self):
        # The search text is only ever read by searches, in SQL: never loaded with a pledge,
        # and so never saved back stale by a service that saves the pledge after a refresh.
        return super().get_queryset().defer("search_vector", "search_rank_vector")


class Pledge(models.Model):
    """One organisation's signature of one agreement version."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned")
        PUBLISHED = "published", _("Published")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        SUSPENDED = "suspended", _("Suspended")
        SUPERSEDED = "superseded", _("Superseded")

    ReportingStatus = reporting.ReportingStatus

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="pledges"
    )
    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="pledges")
    # The agreement's place, kept beside it so that "one public pledge per organisation and
    # place" can be a constraint; a composite foreign key keeps the two the same (0011).
    place = models.ForeignKey("places.Place", on_delete=models.PROTECT, related_name="pledges")
    # An organisation serves a different part of each place it signs in, so the area is the
    # pledge's, one of its place's areas (a composite foreign key, 0016).
    area = models.ForeignKey(
        "places.Area",
        verbose_name=_("area served"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="pledges",
        help_text=_("The part of the place the organisation mainly serves."),
    )
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
    superseded_at = models.DateTimeField(
        null=True, blank=True, help_text=_("When a newer version's pledge replaced this one.")
    )
    last_reported_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_("When progress was last reported. The next update is due from here."),
    )
    status_reason = models.TextField(
        blank=True,
        help_text=_("Why the pledge was last returned, suspended or withdrawn."),
    )
    # What a search in the pledge's place reads, for a public pledge only (null otherwise),
    # kept up to date by pledges.search.refresh_search whenever public content changes: the
    # organisation's name and description, this pledge, and the updates in this place; never
    # what the organisation said in another place.
    search_vector = SearchVectorField(null=True, editable=False)
    # The same without the updates: what decides the relevance tiers.
    search_rank_vector = SearchVectorField(null=True, editable=False)

    objects = PledgeManager()

    class Meta:
        ordering = ["-published_at", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "agreement"],
                condition=~Q(status__in=ENDED_STATUSES),
                name="pledge_one_live_per_agreement",
            ),
            models.UniqueConstraint(
                fields=["organisation", "place"],
                condition=Q(status__in=PUBLIC_STATUSES),
                name="pledge_one_public_per_organisation",
            ),
            models.CheckConstraint(
                condition=~Q(status="superseded") | Q(superseded_at__isnull=False),
                name="pledge_superseded_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="pledge_published_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=PUBLIC_STATUSES) | Q(area__isnull=False),
                name="pledge_public_has_area",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="pledge_status_published"),
            # A place's published pledges and their organisations, read from the index alone:
            # the network's figures and priorities, recounted after every change.
            models.Index(
                fields=["place", "status"],
                include=["organisation", "id"],
                name="pledge_place_status",
            ),
            GinIndex(fields=["search_vector"], name="pledge_search"),
            # The signatories page's relevance tiers (registry.signatories.by_relevance): with these,
            # PostgreSQL knows how many pledges each tier holds for a word.
            *(
                GinIndex(ranked_text_part(letters), name=f"pledge_search_{letters}")
                for letters in RELEVANCE_TIERS
            ),
        ]

    def __str__(self):
        return (
            f"{self.organisation} — version {self.agreement.version} ({self.get_status_display()})"
        )

    def save(self, *args, **kwargs):
        if self.place_id is None and self.agreement_id is not None:
            self.place_id = self.agreement.place_id  # the pledge is in its agreement's place
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        """The organisation's page in this pledge's place, whichever place links to it."""
        return place_reverse(self.place_id, "registry:detail", args=[self.organisation.slug])

    @property
    def is_editable(self):
        """Partners change a pledge while it is a draft or after a moderator returns it."""
        return self.status in {self.Status.DRAFT, self.Status.RETURNED}

    def missing_steps(self) -> list[str]:
        """The signing steps still to complete before the pledge can be submitted."""
        missing = []
        if not self.commitments.exists():
            missing.append("priorities")
        if not self.statement.strip() or self.area_id is None:
            missing.append("statement")
        if not (self.signatory_name.strip() and self.signatory_role.strip() and self.is_authorised):
            missing.append("signatory")
        return missing

    @property
    def reporting_from(self):
        """When the reporting cycle last started: the last report, else publication. The same
        as the queryset's `reported_at` annotation."""
        return self.last_reported_at or self.published_at

    @property
    def next_update_due(self):
        return reporting.next_due(self.reporting_from)

    @property
    def reporting_status(self):
        return reporting.status_at(self.reporting_from, timezone.now())

    @property
    def reporting_status_label(self):
        return self.ReportingStatus(self.reporting_status).label

    @property
    def reporting_status_sentence(self):
        return reporting.SENTENCES[self.reporting_status]

    @property
    def public_signatory(self) -> Signatory | None:
        """Who signed, where they consented to publication; every public output asks this."""
        if self.is_signatory_public and self.signatory_name.strip():
            return Signatory(self.signatory_name, self.signatory_role)
        return None


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
