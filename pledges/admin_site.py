"""The admin site, opening on the moderators' queue (config.apps makes it the default site)."""

from django.contrib import admin

from organisations import permissions

from .queue import moderation_queue


class ModerationSite(admin.AdminSite):
    site_header = "Kindness Commitments administration"
    site_title = "Kindness Commitments admin"
    index_title = "What needs doing"
    index_template = "admin/moderation_index.html"

    def has_permission(self, request):
        """Only moderators (`accounts.moderators`) enter the admin, whatever else they are."""
        return permissions.is_moderator(request.user)

    def index(self, request, extra_context=None):
        context = dict(extra_context or {})
        if permissions.is_moderator(request.user):
            context["queue"] = moderation_queue(user=request.user)
        return super().index(request, context)
