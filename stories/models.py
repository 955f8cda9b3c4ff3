"""Kindness seen: what residents and families tell us they experienced, moderated before
anyone sees it. The resident's email address is kept only to confirm, to withdraw and to tell
them the outcome, never shown, and erased on the schedule in `privacy.retention`."""

import hashlib
import re

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import GreaterThan, LessThanOrEqual
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organisations.models import Organisation
from places.addresses import place_reverse
from places.models import in_place
from pledges.models import ConcernRecord, Priority, publishes_in_place

BODY_MAX = 1000
NAME_MAX = 40
REPLY_MAX = 500


def duplicate_key(email: str, body: str) -> str:
    """The same words from the same address are the same story, however spaced or cased."""
    words = " ".join(re.findall(r"\w+", body.casefold()))
    return hashlib.sha256(f"{email.strip().casefold()}\n{words}".encode()).hexdigest()


def token_digest(token: str) -> str:
    """Only a digest of the emailed token is stored, so a copy of the database cannot confirm
    or withdraw anyone's story."""
    return hashlib.sha256(token.encode()).hexdigest()


class StoryQuerySet(models.QuerySet):
    def public(self):
        """Published, held back by no moderator and no open concern, and about somewhere in
        the place or an organisation that publishes there (`publishes_in_place`): the one
        rule for every page, feed, download and count that shows stories."""
        return self.filter(
            Q(organisation__isnull=True) | publishes_in_place("organisation", "place"),
            status=Story.Status.PUBLISHED,
            moderator_hidden_at__isnull=True,
            concern_hidden_at__isnull=True,
        )

    def in_place(self, place):
        return self.filter(in_place("place", place))

    def waiting(self):
        """Confirmed by the resident and waiting for a moderator, oldest first."""
        return self.filter(status=Story.Status.WAITING).order_by("confirmed_at", "pk")

    def about_priority(self, slug):  # the slug is the priority's identity across versions
        return self.filter(priority__slug=slug)


class Story(models.Model):
    """One resident's account of kindness they met, at an organisation or elsewhere in the place."""

    class Status(models.TextChoices):
        UNCONFIRMED = "unconfirmed", _("Email not confirmed")
        WAITING = "waiting", _("Waiting for a moderator")
        PUBLISHED = "published", _("Published")
        DECLINED = "declined", _("Declined")

    body = models.TextField(_("what happened"), max_length=BODY_MAX)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="stories",
        help_text=_("Empty when it happened somewhere else in the place."),
    )
    place = models.ForeignKey("places.Place", on_delete=models.PROTECT, related_name="stories")
    # One of the place's areas: a composite foreign key keeps it so (0003).
    area = models.ForeignKey(
        "places.Area", on_delete=models.PROTECT, null=True, blank=True, related_name="stories"
    )
    priority = models.ForeignKey(
        Priority, on_delete=models.PROTECT, null=True, blank=True, related_name="stories"
    )
    shown_name = models.CharField(
        _("name to show"),
        max_length=NAME_MAX,
        blank=True,
        help_text=_("Shown only as given, with the resident's consent; empty shows “A resident”."),
    )
    email = models.EmailField(
        _("email address"),
        blank=True,
        help_text=_("Never shown. Erased after the story is published or declined."),
    )
    # Stops one person sending the same story twice, even fifty times at once; emptied with
    # the address.
    duplicate_key = models.CharField(max_length=64, null=True, blank=True, unique=True)
    token_digest = models.CharField(max_length=64, unique=True, editable=False)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.UNCONFIRMED)
    flagged = models.BooleanField(
        default=False,
        help_text=_("It seems to name a child or a family (the flag words, tuned in the admin)."),
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    declined_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    email_erased_at = models.DateTimeField(null=True, blank=True)
    moderator_hidden_at = models.DateTimeField(null=True, blank=True)
    concern_hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_reason = models.TextField(blank=True)
    # The organisation's one public thank-you: public at once, hideable by a moderator.
    reply = models.TextField(_("organisation's reply"), max_length=REPLY_MAX, blank=True)
    reply_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reply_at = models.DateTimeField(null=True, blank=True)
    reply_hidden_at = models.DateTimeField(null=True, blank=True)

    objects = StoryQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = "story of kindness seen"
        verbose_name_plural = "stories of kindness seen"
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    LessThanOrEqual(Length("body"), BODY_MAX), GreaterThan(Length("body"), 0)
                ),
                name="story_body_length",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["unconfirmed", "waiting"]) | ~Q(email=""),
                name="story_waiting_has_an_address",
            ),
            models.CheckConstraint(
                condition=Q(status="unconfirmed") | Q(confirmed_at__isnull=False),
                name="story_confirmed_has_a_time",
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="story_published_has_a_time",
            ),
            models.CheckConstraint(
                condition=~Q(status="declined")
                | (Q(declined_at__isnull=False) & ~Q(decline_reason="")),
                name="story_declined_has_a_reason",
            ),
            models.CheckConstraint(
                condition=Q(reply="")
                | (
                    Q(status="published")
                    & Q(organisation__isnull=False)
                    & Q(reply_at__isnull=False)
                ),
                name="story_reply_only_by_its_organisation_once_published",
            ),
        ]
        indexes = [
            models.Index(
                fields=["confirmed_at"], name="story_waiting", condition=Q(status="waiting")
            ),
            models.Index(
                fields=["-published_at"], name="story_public", condition=Q(status="published")
            ),
        ]

    def __str__(self):
        return self.body[:60]

    def get_absolute_url(self):
        return place_reverse(self.place_id, "registry:story", args=[self.pk])

    @property
    def byline(self) -> str:
        """Who told it, on its own (a signature, an author): the name, or "A resident"."""
        return self.shown_name or str(_("A resident"))

    @property
    def byline_in_sentence(self) -> str:
        """The same inside a sentence: "Kindness seen by a resident"."""
        return self.shown_name or str(_("a resident"))

    @property
    def is_public(self) -> bool:
        return (
            self.status == self.Status.PUBLISHED
            and self.moderator_hidden_at is None
            and self.concern_hidden_at is None
        )

    @property
    def reply_is_public(self) -> bool:
        return bool(self.reply) and self.reply_hidden_at is None


class StoryEdit(models.Model):
    """A moderator changed a story's words before or after publishing it: who, when and why.
    The words taken out are not kept: they are the personal details the edit removed."""

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="edits")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    note = models.TextField(_("what you changed and why"))

    class Meta:
        ordering = ["at"]
        constraints = [models.CheckConstraint(condition=~Q(note=""), name="story_edit_has_a_note")]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M}: {self.note[:60]}"


class StoryConcern(ConcernRecord):
    """Someone reported a concern about a published story. A withdrawn story takes its
    concerns with it: nothing of it is kept."""

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="concerns")
    hidden_automatically = models.BooleanField(
        default=False,
        help_text=_("The story was hidden at once because it may identify a child or family."),
    )

    class Meta(ConcernRecord.Meta):
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open") | Q(decided_at__isnull=False),
                name="a_decided_story_concern_has_a_time",
            )
        ]

    def __str__(self):
        return f"{self.get_reason_display()}: {self.story}"


class FlagWord(models.Model):
    """A word or phrase that suggests a story names a child or a family. Moderators tune the
    list in the admin; a story containing one, as a whole word, is flagged in the queue."""

    word = models.CharField(
        max_length=60,
        unique=True,
        help_text=_(
            "Matched as a whole word or phrase, in any case: “son” flags “my son”, not “season”."
        ),
    )

    active = models.BooleanField(
        default=True, help_text=_("Untick to stop flagging stories with this word.")
    )

    class Meta:
        ordering = ["word"]

    def __str__(self):
        return self.word
