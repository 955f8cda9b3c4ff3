"""The admin site, opening on the moderators' queue (config.apps makes it the default site)."""

from django.contrib import admin
from django.utils import timezone

from core.schedule import job_statuses
from organisations import permissions

from .queue import moderation_queue
from .services import moderator_visit_record


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
            # Opening the queue counts as a visit: "new updates" are those since the last.
            now = timezone.now()
            last_visit = moderator_visit_record(by=request.user, now=now)
            context["queue"] = moderation_queue(
                now=now,
                last_visit=last_visit,
                places=permissions.moderated_place_ids(request.user),
            )
            context["jobs"] = job_statuses(now)
        return super().index(request, context)
