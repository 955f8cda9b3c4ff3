import functools

from django import forms
from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from core.admin import ObjectActionsMixin, ReadOnlyAdminMixin, reason_action, reason_form
from core.forms import Form, ModelForm

from . import permissions, services
from .forms import OrganisationForm
from .models import PROFILE_FIELDS, Invitation, JoinRequest, Membership, Organisation
from .names import has_look_alikes


class OrganisationAdminForm(ModelForm):
    """The admin's form cleans text like every other form on the site."""

    website = OrganisationForm.base_fields["website"]

    class Meta:
        model = Organisation
        fields = PROFILE_FIELDS


# Set only by organisation_verify and organisation_check_email_domain: read-only here.
VERIFICATION_FIELDS = ["verified_at", "verification", "verification_note", "verified_by"]

VerifyForm = reason_form(
    label=_("What you checked"),
    help_text=_("For example: charity 1234567 is registered to this name and address."),
    required=_("Write a note saying what you checked."),
)


verify_organisations = reason_action(
    services.organisation_verify,
    target="organisation",
    name="verify_organisations",
    description=_("Mark the selected organisations as verified, saying what you checked"),
    done=ngettext_lazy(
        "Verified %(count)d organisation.", "Verified %(count)d organisations.", "count"
    ),
    refused=services.OrganisationError,
    form_class=VerifyForm,
    argument="note",
    permission="change",  # moderators may change an organisation, always through a service
)


class InviteAdminForm(Form):
    """The moderator's one box: the address of the organisation's new admin. Named `reason`,
    as every form of a reason_action is."""

    reason = forms.EmailField(
        label=_("Their email address"),
        help_text=_(
            "They get an invitation to become its admin. For an organisation nobody acts for "
            "yet, this is the link to claim it, valid for 60 days."
        ),
        error_messages={"required": _("Enter the email address of the new admin.")},
    )


invite_admins = reason_action(
    functools.partial(services.invitation_create, role=Membership.Role.ADMIN),
    target="organisation",
    name="invite_admins",
    description=_("Invite an admin (or send the claim link again)"),
    done=ngettext_lazy(
        "Invited an admin to %(count)d organisation.",
        "Invited an admin to %(count)d organisations.",
        "count",
    ),
    refused=services.OrganisationError,
    form_class=InviteAdminForm,
    argument="email",
    permission="change",
)


class ClaimedFilter(admin.SimpleListFilter):
    title = _("claimed")
    parameter_name = "claimed"

    def lookups(self, request, model_admin):
        return [("yes", _("Has an admin")), ("no", _("Nobody acts for it yet"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(pk__in=Organisation.objects.claimed().values("pk"))
        if self.value() == "no":
            return queryset.filter(pk__in=Organisation.objects.unclaimed().values("pk"))
        return queryset


class MembershipInline(ReadOnlyAdminMixin, admin.StackedInline):
    """Stacked, not tabular: Django's tabular inline has header cells with no text, which
    axe reports (best practice)."""

    model = Membership
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(ObjectActionsMixin, admin.ModelAdmin):
    """Moderators may correct a profile; the change goes through organisation_update, which
    checks it and refreshes the public pages and search. The logo is re-encoded only by the
    partners' form, and the address (slug) never changes, so both are read-only here."""

    list_display = [
        "name", "look_alike", "type", "member_count", "verified_at", "created_at",
    ]  # fmt: skip
    list_filter = [ClaimedFilter, "verification", "type"]
    actions = [verify_organisations, invite_admins]
    search_fields = ["name", "slug", "charity_number", "company_number", "school_urn"]
    form = OrganisationAdminForm
    fields = [*PROFILE_FIELDS, "slug", "logo", *VERIFICATION_FIELDS]
    readonly_fields = ["slug", "logo", *VERIFICATION_FIELDS, "created_at", "updated_at"]
    date_hierarchy = "created_at"
    inlines = [MembershipInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def object_actions(self, obj):
        verify = [] if obj.is_verified else [("verify_organisations", _("Verify"))]
        return [*verify, ("invite_admins", _("Invite an admin"))]

    def save_model(self, request, obj, form, change):
        services.organisation_update(
            organisation=obj,
            by=request.user,
            data={field: form.cleaned_data[field] for field in form.changed_data},
        )

    def get_queryset(self, request):
        organisations = permissions.seen_by(request.user, super().get_queryset(request))
        return organisations.annotate(member_count=Count("memberships"))

    def has_change_permission(self, request, obj=None):
        """Its profile changes wherever it signed: see `permissions.may_act_on_organisation`.
        A place's moderator reads an organisation it shares with another place."""
        if obj is not None and not permissions.may_act_on_organisation(request.user, obj):
            return False
        return super().has_change_permission(request, obj)

    @admin.display(description=_("Look-alike letters"), boolean=True)
    def look_alike(self, obj):
        """A name mixing alphabets with look-alike letters may imitate another organisation."""
        return has_look_alikes(obj.name)

    @admin.display(description="Members", ordering="member_count")
    def member_count(self, obj):
        return obj.member_count


class PartnersOfMyPlaces:
    """Rows about an organisation, shown to a place's moderator only for their partners."""

    def get_queryset(self, request):
        return permissions.seen_by(request.user, super().get_queryset(request), "organisation")


@admin.register(Membership)
class MembershipAdmin(PartnersOfMyPlaces, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Organisations manage their own members, through the services' rules (one admin at
    least); moderators can see who belongs where."""

    list_display = ["user", "organisation", "role", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__email", "user__name", "organisation__name"]
    list_select_related = ["user", "organisation"]


@admin.register(Invitation)
class InvitationAdmin(PartnersOfMyPlaces, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["email", "organisation", "role", "created_at", "expires_at", "accepted_at"]
    list_filter = ["role"]
    search_fields = ["email", "organisation__name"]
    list_select_related = ["organisation"]
    exclude = ["token"]


@admin.register(JoinRequest)
class JoinRequestAdmin(PartnersOfMyPlaces, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["user", "organisation", "status", "created_at", "decided_at"]
    list_filter = ["status"]
    search_fields = ["user__email", "organisation__name"]
    list_select_related = ["user", "organisation"]
