"""The dated record of each step in a pledge's life."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .pledges import Pledge


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
        SUPERSEDED = "superseded", _("Replaced by a pledge to a newer version")

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
