"""Progress updates: dated stories of progress, public at once and hideable."""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from core.safeguarding import RULE
from places.addresses import place_reverse
from places.models import in_place

from .agreements import Priority
from .pledges import Pledge


def update_image_upload_to(instance, filename):
    """A generated name, so that nothing a user typed reaches the file system."""
    suffix = PurePath(filename).suffix.lower() or ".jpg"
    return f"updates/{uuid.uuid4().hex}{suffix}"


def publishes_in_place(organisation: str, place: str) -> models.Exists:
    """The one rule for what an organisation publishes in a place (its progress updates,
    residents' stories about it and its replies to them): public while its pledge there is
    published, and gone together, from every page, feed, download and count, when it is not.
    `organisation` and `place` are the paths from the model being filtered."""
    return models.Exists(
        Pledge.objects.filter(
            organisation=models.OuterRef(organisation),
            place=models.OuterRef(place),
            status=Pledge.Status.PUBLISHED,
        )
    )


class ProgressUpdateQuerySet(models.QuerySet):
    def published(self):
        """Public updates: published, by an organisation whose public pledge in the update's
        place is published. Updates posted under a pledge that a newer version superseded
        stay in its story."""
        return self.filter(status=ProgressUpdate.Status.PUBLISHED).filter(
            publishes_in_place("pledge__organisation", "pledge__place")
        )

    def in_place(self, place):
        return self.filter(in_place("pledge__place", place))


class ProgressUpdate(models.Model):
    """A dated story or report of progress against one or more priorities."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        HIDDEN = "hidden", _("Hidden")

    pledge = models.ForeignKey(Pledge, on_delete=models.PROTECT, related_name="updates")
    title = models.CharField(_("title"), max_length=150)
    body = models.TextField(
        _("what happened"),
        max_length=10000,
        help_text=format_lazy("{} {}", _("Paragraphs, lists, links and emphasis."), RULE),
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
    # Every reason an update is out of public view has its own record, so that lifting one
    # (a moderator's restore, a dismissed concern) never undoes another: the organisation's
    # removal and a moderator's hide here, an automatic hide as its open concern.
    removed_at = models.DateTimeField(
        null=True, blank=True, help_text=_("When the organisation removed it from public view.")
    )
    moderator_hidden_at = models.DateTimeField(
        null=True, blank=True, help_text=_("When a moderator hid it from public view.")
    )
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
            models.CheckConstraint(
                condition=~Q(status="published")
                | Q(removed_at__isnull=True, moderator_hidden_at__isnull=True),
                name="update_published_has_no_hide",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="update_status_published"),
            # The network's newest photos, read in order and stopped at six: without it,
            # where few updates have a photo, PostgreSQL read every update to find them.
            models.Index(
                fields=["-published_at", "-id"],
                condition=Q(status="published") & ~Q(image=""),
                name="update_published_photos",
            ),
            # Each place's updates this quarter, counted from the index alone (the network's
            # figures, recounted after every change in the place).
            models.Index(
                fields=["published_at"],
                include=["pledge"],
                condition=Q(status="published"),
                name="update_published_pledge",
            ),
            # The same, one pledge at a time: where a place is one of many, PostgreSQL counts
            # its updates this quarter pledge by pledge (a place's figures after each of its
            # changes: 29 to 8 ms in a network of ten places as big as Cheltenham).
            models.Index(
                fields=["pledge", "published_at"],
                condition=Q(status="published"),
                name="update_pledge_published",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return place_reverse(self.pledge.place_id, "registry:update", kwargs={"pk": self.pk})

    def stored_files(self) -> list[str]:
        """Every stored file of its photo: the original and each narrower copy."""
        if not self.image:
            return []
        return [self.image.name, *self.image_sizes.values()]

    def image_srcset(self) -> str:
        """Every stored width of the image (the original's included), for the browser to
        choose from; empty until the copies are made."""
        from django.core.files.storage import default_storage

        widths = sorted(self.image_sizes.items(), key=lambda item: int(item[0]))
        return ", ".join(f"{default_storage.url(name)} {width}w" for width, name in widths)
