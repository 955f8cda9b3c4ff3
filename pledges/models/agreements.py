"""Agreement versions and their five priorities."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from places.models import in_place


class AgreementQuerySet(models.QuerySet):
    def get_current(self, place):
        """The version organisations in the place are asked to sign; None only before the
        first is set."""
        return self.in_place(place).filter(is_current=True).first()

    def in_place(self, place):
        return self.filter(in_place("place", place))


# An agreement version is complete, and so may be made current, with exactly this many
# priorities (numbered 1 to 5 by a check constraint on Priority).
PRIORITY_COUNT = 5


class Agreement(models.Model):
    """One version of the Community Agreement text. Pledges point at the version signed."""

    place = models.ForeignKey("places.Place", on_delete=models.PROTECT, related_name="agreements")
    title = models.CharField(max_length=200)
    version = models.PositiveSmallIntegerField()
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
                fields=["place"], condition=Q(is_current=True), name="agreement_one_current"
            ),
            models.UniqueConstraint(fields=["place", "version"], name="agreement_unique_version"),
            # What a pledge's (agreement, place) foreign key points at: the database itself
            # keeps a pledge in the place of the agreement it signs (pledges/0011).
            models.UniqueConstraint(fields=["id", "place"], name="agreement_id_place"),
            models.CheckConstraint(
                condition=Q(is_current=False) | Q(published_at__isnull=False),
                name="agreement_current_is_published",
            ),
        ]

    def __str__(self):
        return f"{self.title} (version {self.version})"


class PriorityQuerySet(models.QuerySet):
    def current(self, place):
        """The priorities of the place's current version, in order: what its pages, forms and
        feeds offer."""
        return self.filter(agreement__in=Agreement.objects.in_place(place).filter(is_current=True))


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

    objects = PriorityQuerySet.as_manager()

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
