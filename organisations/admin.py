from django.contrib import admin
from django.db.models import Count

from .models import Invitation, JoinRequest, Membership, Organisation


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "type", "area", "member_count", "created_at"]
    list_filter = ["type", "area"]
    search_fields = ["name", "slug", "charity_number", "company_number", "school_urn"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["created_at", "updated_at"]
    date_hierarchy = "created_at"
    inlines = [MembershipInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(member_count=Count("memberships"))

    @admin.display(description="Members", ordering="member_count")
    def member_count(self, obj):
        return obj.member_count


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "role", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__email", "user__name", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]
    list_select_related = ["user", "organisation"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "organisation", "role", "created_at", "expires_at", "accepted_at"]
    list_filter = ["role"]
    search_fields = ["email", "organisation__name"]
    list_select_related = ["organisation"]
    autocomplete_fields = ["organisation", "invited_by"]
    exclude = ["token"]


@admin.register(JoinRequest)
class JoinRequestAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "status", "created_at", "decided_at"]
    list_filter = ["status"]
    search_fields = ["user__email", "organisation__name"]
    list_select_related = ["user", "organisation"]
    autocomplete_fields = ["organisation", "user", "decided_by"]
