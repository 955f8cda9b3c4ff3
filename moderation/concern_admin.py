"""Concerns about an organisation's page or one of its updates, in the admin: decided through
the actions, from the list or from the concern's own page."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin import ModeratedAdminMixin, ObjectActionsMixin
from pledges.models import Concern

from .actions import dismiss_concerns, uphold_concerns
from .scoping import PlaceScopedAdmin


@admin.register(Concern)
class ConcernAdmin(PlaceScopedAdmin, ObjectActionsMixin, ModeratedAdminMixin, admin.ModelAdmin):
    """Concerns reported by the public, oldest first; decided only through the actions."""

    place_lookup = "place"

    list_display = [
        "created_at",
        "status",
        "reason",
        "organisation",
        "update",
        "hidden_automatically",
    ]
    list_filter = ["status", "reason", "hidden_automatically"]
    search_fields = ["organisation__name", "update__title", "details"]
    list_select_related = ["organisation", "update"]
    actions = [uphold_concerns, dismiss_concerns]

    def object_actions(self, obj):
        if obj.status != Concern.Status.OPEN:
            return []
        return [("uphold_concerns", _("Hide the content")), ("dismiss_concerns", _("Dismiss"))]
