from django.contrib import admin
from django.db.models import Count

from core.admin import ReadOnlyAdminMixin
from core.forms import ModelForm

from . import services
from .forms import OrganisationForm
from .models import PROFILE_FIELDS, Invitation, JoinRequest, Membership, Organisation


class OrganisationAdminForm(ModelForm):
    """The admin's form cleans text like every other form on the site."""

    website = OrganisationForm.base_fields["website"]

    class Meta:
        model = Organisation
        fields = PROFILE_FIELDS


class MembershipInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Membership
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    """Moderators may correct a profile; the change goes through organisation_update, which
    checks it and refreshes the public pages and search. The logo is re-encoded only by the
    partners' form, and the address (slug) never changes, so both are read-only here."""

    list_display = ["name", "type", "area", "member_count", "created_at"]
    list_filter = ["type", "area"]
    search_fields = ["name", "slug", "charity_number", "company_number", "school_urn"]
    form = OrganisationAdminForm
    fields = [*PROFILE_FIELDS, "slug", "logo"]
    readonly_fields = ["slug", "logo", "created_at", "updated_at"]
    date_hierarchy = "created_at"
    inlines = [MembershipInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        services.organisation_update(
            organisation=obj,
            by=request.user,
            data={field: form.cleaned_data[field] for field in form.changed_data},
        )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(member_count=Count("memberships"))

    @admin.display(description="Members", ordering="member_count")
    def member_count(self, obj):
        return obj.member_count


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Organisations manage their own members, through the services' rules (one admin at
    least); moderators can see who belongs where."""

    list_display = ["user", "organisation", "role", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__email", "user__name", "organisation__name"]
    list_select_related = ["user", "organisation"]


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["email", "organisation", "role", "created_at", "expires_at", "accepted_at"]
    list_filter = ["role"]
    search_fields = ["email", "organisation__name"]
    list_select_related = ["organisation"]
    exclude = ["token"]


@admin.register(JoinRequest)
class JoinRequestAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["user", "organisation", "status", "created_at", "decided_at"]
    list_filter = ["status"]
    search_fields = ["user__email", "organisation__name"]
    list_select_related = ["user", "organisation"]
