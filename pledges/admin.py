from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Agreement, Commitment, Pledge, PledgeEvent, Priority, ProgressUpdate
from .moderation import (
    approve_pledges,
    hide_updates,
    make_current,
    reinstate_pledges,
    return_pledges,
    suspend_pledges,
)


class PriorityInline(admin.StackedInline):
    model = Priority
    extra = 0
    prepopulated_fields = {"slug": ["title"]}


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin):
    list_display = ["title", "version", "is_current", "published_at"]
    list_filter = ["is_current"]
    search_fields = ["title", "body"]
    inlines = [PriorityInline]
    # The current version changes only through the action, which moves the flag in one
    # transaction; versions are a public record and are never deleted.
    readonly_fields = ["is_current"]
    actions = [make_current]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Priority)
class PriorityAdmin(admin.ModelAdmin):
    list_display = ["title", "number", "agreement"]
    list_filter = ["agreement"]
    search_fields = ["title", "description"]
    list_select_related = ["agreement"]
    prepopulated_fields = {"slug": ["title"]}


class CommitmentInline(admin.StackedInline):
    model = Commitment
    extra = 0
    autocomplete_fields = ["priority"]
    can_delete = False


@admin.register(Pledge)
class PledgeAdmin(admin.ModelAdmin):
    list_display = ["organisation", "agreement_version", "status", "submitted_at", "published_at"]
    list_filter = ["status", "agreement"]
    search_fields = ["organisation__name", "signatory_name", "statement"]
    autocomplete_fields = ["organisation", "signed_by"]
    list_select_related = ["organisation", "agreement"]
    # Status changes go through the services (the actions), so that each is checked,
    # recorded and emailed; nothing is ever deleted.
    readonly_fields = [
        "status",
        "status_reason",
        "signed_by",
        "created_at",
        "updated_at",
        "submitted_at",
        "published_at",
        "returned_at",
        "withdrawn_at",
        "suspended_at",
        "last_reported_at",
    ]
    date_hierarchy = "published_at"
    inlines = [CommitmentInline]
    actions = [approve_pledges, return_pledges, suspend_pledges, reinstate_pledges]

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="Version", ordering="agreement__version")
    def agreement_version(self, obj):
        return obj.agreement.version


@admin.register(Commitment)
class CommitmentAdmin(SimpleHistoryAdmin):
    list_display = ["pledge", "priority", "progress", "updated_at"]
    list_filter = ["progress", "priority__number"]
    search_fields = ["body", "pledge__organisation__name"]
    autocomplete_fields = ["pledge", "priority"]
    list_select_related = ["pledge__organisation", "pledge__agreement", "priority"]


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(admin.ModelAdmin):
    list_display = ["title", "organisation", "status", "published_at"]
    list_filter = ["status", "priorities"]
    search_fields = ["title", "body", "pledge__organisation__name"]
    autocomplete_fields = ["pledge", "author"]
    filter_horizontal = ["priorities"]
    list_select_related = ["pledge__organisation"]
    date_hierarchy = "published_at"
    readonly_fields = ["status", "hidden_reason", "published_at"]
    actions = [hide_updates]

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="Organisation", ordering="pledge__organisation__name")
    def organisation(self, obj):
        return obj.pledge.organisation


@admin.register(PledgeEvent)
class PledgeEventAdmin(admin.ModelAdmin):
    list_display = ["pledge", "action", "actor", "created_at"]
    list_filter = ["action"]
    search_fields = ["pledge__organisation__name", "reason"]
    list_select_related = ["pledge__organisation", "pledge__agreement", "actor"]
    autocomplete_fields = ["pledge", "actor"]
    date_hierarchy = "created_at"
