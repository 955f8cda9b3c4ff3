from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods
from simple_history.admin import SimpleHistoryAdmin

from core.admin import (
    LabelledDateTimesMixin,
    ModeratedAdminMixin,
    ObjectActionsMixin,
    ReadOnlyAdminMixin,
    ReasonForm,
)
from organisations import permissions
from organisations.verification import evidence
from places.models import Place
from pledges import services
from pledges.models import (
    Agreement,
    Commitment,
    ModeratorDigest,
    Pledge,
    PledgeEvent,
    Priority,
    ProgressUpdate,
    Reminder,
)
from pledges.selectors import is_draft_version
from pledges.services import PledgeStateError

from . import paper_import
from .actions import (
    DECISIONS,
    approve_pledges,
    decisions_for,
    hide_updates,
    make_current,
    reinstate_pledges,
    restore_updates,
    return_pledges,
    suspend_pledges,
)
from .filters import ReportingStatusFilter, priority_filter
from .scoping import PlaceScopedAdmin
from .services import paper_signatories_import


class PriorityInline(admin.StackedInline):
    model = Priority
    extra = 0
    prepopulated_fields = {"slug": ["title"]}

    def has_change_permission(self, request, obj=None):
        return is_draft_version(obj) and super().has_change_permission(request, obj)

    has_add_permission = has_change_permission

    def has_delete_permission(self, request, obj=None):
        # Removing a priority from a draft is an edit of the draft: no delete permission,
        # which moderators never hold for a record.
        return self.has_change_permission(request, obj)


@admin.register(Agreement)
class AgreementAdmin(PlaceScopedAdmin, LabelledDateTimesMixin, admin.ModelAdmin):
    list_display = ["title", "version", "is_current", "published_at"]
    list_filter = ["is_current"]
    search_fields = ["title", "body"]
    inlines = [PriorityInline]
    # The current version changes only through the action, which moves the flag in one
    # transaction; versions are a public record and are never deleted.
    readonly_fields = ["is_current"]
    actions = [make_current]

    def has_change_permission(self, request, obj=None):
        # A version people have signed, or the current one, is a public record: read-only.
        return is_draft_version(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    # A draft version and its priorities are written together by agreement_save_draft, in
    # save_related (the admin's transaction), not saved here first behind its back.
    def save_model(self, request, obj, form, change):
        pass

    def save_formset(self, request, form, formset, change):
        pass

    def save_related(self, request, form, formsets, change):
        priorities = formsets[0]
        services.agreement_save_draft(
            agreement=form.instance,
            by=request.user,
            priorities=priorities.save(commit=False),
            removed=priorities.deleted_objects,
        )


@admin.register(Priority)
class PriorityAdmin(PlaceScopedAdmin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Priorities are written with their agreement version, while it is a draft."""

    place_lookup = "agreement__place"

    list_display = ["title", "number", "agreement"]
    list_filter = ["agreement"]
    search_fields = ["title", "description"]
    list_select_related = ["agreement"]
    prepopulated_fields = {"slug": ["title"]}


class CommitmentInline(ReadOnlyAdminMixin, admin.StackedInline):
    model = Commitment
    extra = 0

    def get_formset(self, request, obj=None, **kwargs):
        # "Say in plain words what your organisation will do" is for partners.
        kwargs["help_texts"] = {field.name: "" for field in Commitment._meta.fields}
        return super().get_formset(request, obj, **kwargs)


def _date(moment) -> str:
    """The day of a moment, in the site's time zone and its one date format (config/formats)."""
    return formats.date_format(timezone.localtime(moment))


@admin.register(Pledge)
class PledgeAdmin(PlaceScopedAdmin, ModeratedAdminMixin, admin.ModelAdmin):
    # What a moderator decides on (the status) beside the name: on a phone the table scrolls
    # sideways, and the columns past the first screen are out of sight.
    list_display = [
        "organisation",
        "status",
        "agreement_version",
        "verified",
        "submitted_at",
        "published_at",
    ]
    list_filter = ["status", ReportingStatusFilter, "organisation__verification", "agreement"]
    search_fields = ["organisation__name", "signatory_name", "statement"]
    list_select_related = ["organisation", "agreement"]
    # Every change goes through a service (the actions), so that each is checked, recorded
    # and emailed; what partners wrote is theirs to change, and nothing is ever deleted.
    date_hierarchy = "published_at"
    inlines = [CommitmentInline]
    actions = [approve_pledges, return_pledges, suspend_pledges, reinstate_pledges]

    @admin.display(description="Version", ordering="agreement__version")
    def agreement_version(self, obj):
        return obj.agreement.version

    @admin.display(description="Organisation verified", ordering="organisation__verified_at")
    def verified(self, obj):
        organisation = obj.organisation
        return organisation.get_verification_display() if organisation.is_verified else "Not yet"

    def get_ordering(self, request):
        # The queue of submitted pledges is first come, first served.
        if request.GET.get("status__exact") == Pledge.Status.SUBMITTED:
            return ["submitted_at", "pk"]
        return ["-updated_at"]

    change_form_template = "admin/pledges/pledge/change_form.html"
    change_list_template = "admin/pledges/pledge/change_list.html"

    # Fields that read wrongly on their own: the signatory is two fields and a consent, the
    # account that signed online is not the signatory, and the last report is empty until
    # the first update (the cycle runs from publication): each is shown as a sentence.
    readonly_fields = ["signatory", "submitted_from", "sharing_progress"]
    SHOWN_AS = {
        "signatory_name": "signatory",
        "signatory_role": None,
        "is_signatory_public": None,
        "signed_by": "submitted_from",
        "last_reported_at": "sharing_progress",
    }

    def get_fields(self, request, obj=None):
        fields = []
        for name in super().get_fields(request, obj):
            shown = self.SHOWN_AS.get(name, name)
            if shown and shown not in fields:
                fields.append(shown)
        return fields

    @admin.display(description="Signatory")
    def signatory(self, obj):
        if not obj.signatory_name.strip():
            return "-"
        named = ", ".join(part for part in (obj.signatory_name, obj.signatory_role) if part)
        shown = "shown in public" if obj.public_signatory else "not shown in public"
        return f"{named} ({shown})"

    @admin.display(description="Signed online from the account of")
    def submitted_from(self, obj):
        if obj.signed_by_id:
            return obj.signed_by
        return "Signed on paper" if obj.signed_on_paper else "-"

    @admin.display(description="Sharing progress")
    def sharing_progress(self, obj):
        if obj.published_at is None:
            return "-"
        since = "last update" if obj.last_reported_at else "publication, no update yet"
        return (
            f"{obj.reporting_status_label}: {_date(obj.reporting_from)} ({since});"
            f" next update due {_date(obj.next_update_due)}"
        )

    def get_urls(self):
        decide = self.admin_site.admin_view(self.decide_view)
        paper = self.admin_site.admin_view(self.import_view)
        return [
            path("import/", paper, name="pledges_pledge_import"),
            path("<path:object_id>/decide/<str:name>/", decide, name="pledges_pledge_decide"),
            *super().get_urls(),
        ]

    @method_decorator(require_http_methods(["GET", "POST"]))
    def import_view(self, request):
        """Upload a CSV of paper signatories, see every row checked, then confirm."""
        if not self.has_moderate_permission(request):
            raise PermissionDenied
        # The places this moderator may import into: theirs, every one for the network's.
        places = permissions.within(
            Place.objects.all(), "pk", permissions.moderated_place_ids(request.user)
        )
        context = {
            **self.admin_site.each_context(request),
            "title": "Import organisations that signed on paper",
            "opts": self.opts,
            "places": places,
        }
        if request.method == "POST":
            text, problem = paper_import.read_upload(request)
            place = places.filter(slug=request.POST.get("place", "")).first()
            if place is None:
                problem = problem or "Choose the place they signed in."
            if problem:
                context["problem"] = problem
            else:
                context["place"] = place
                plan = paper_import.check(text, place)
                if "confirm" in request.POST and not plan.errors:
                    count = paper_signatories_import(plan=plan, by=request.user, place=place)
                    self.message_user(
                        request,
                        f"Imported {count} organisations; {len(plan.already_imported)} were "
                        "already imported. Each contact has been invited to claim its page.",
                        messages.SUCCESS,
                    )
                    return redirect("admin:pledges_pledge_changelist")
                context.update(plan=plan, text=text)
        return TemplateResponse(request, "admin/pledges/import.html", context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        pledge = self.get_object(request, object_id)
        context = dict(extra_context or {})
        if pledge is not None:
            events = pledge.events.select_related("actor").order_by("-created_at")
            context.update(
                evidence=evidence(pledge.organisation),
                decisions=decisions_for(pledge) if self.has_moderate_permission(request) else [],
                returns=[e for e in events if e.action == PledgeEvent.Action.RETURNED],
                events=events,
            )
        return super().change_view(request, object_id, form_url, context)

    @staticmethod
    def _after(pledge, decision):
        """Back to the queue after deciding a submission; otherwise back to the pledge."""
        if decision.decides_a_submission:
            url = reverse("admin:pledges_pledge_changelist")
            return f"{url}?status__exact={Pledge.Status.SUBMITTED}"
        return reverse("admin:pledges_pledge_change", args=[pledge.pk])

    @method_decorator(require_http_methods(["GET", "POST"]))
    def decide_view(self, request, object_id, name):
        decision = DECISIONS.get(name)
        pledge = self.get_object(request, object_id)
        if decision is None or pledge is None:
            raise Http404("No such pledge or decision.")
        if not self.has_moderate_permission(request):
            raise PermissionDenied
        form = ReasonForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and (not decision.asks_reason or form.is_valid()):
            reason = {"reason": form.cleaned_data["reason"]} if decision.asks_reason else {}
            try:
                decision.service(pledge=pledge, by=request.user, **reason)
            except PledgeStateError as error:
                self.message_user(request, f"{pledge}: {error}", messages.ERROR)
                return redirect("admin:pledges_pledge_change", pledge.pk)
            self.message_user(request, f"{pledge}: {decision.done}", messages.SUCCESS)
            return redirect(self._after(pledge, decision))
        if not decision.asks_reason:  # approving is a button, never a page
            return redirect("admin:pledges_pledge_change", pledge.pk)
        return TemplateResponse(
            request,
            "admin/pledges/decide.html",
            {
                **self.admin_site.each_context(request),
                "title": f"{decision.label}: {pledge.organisation}",
                "opts": self.opts,
                "pledge": pledge,
                "form": form,
            },
        )


@admin.register(Commitment)
class CommitmentAdmin(PlaceScopedAdmin, ReadOnlyAdminMixin, SimpleHistoryAdmin):
    """Partners change commitments through commitment_update; the history is for reading
    (SIMPLE_HISTORY_REVERT_DISABLED: a revert would skip the service)."""

    place_lookup = "pledge__place"

    list_display = ["pledge", "priority", "progress", "updated_at"]
    list_filter = ["progress", priority_filter("priority__slug")]
    search_fields = ["body", "pledge__organisation__name"]
    list_select_related = ["pledge__organisation", "pledge__agreement", "priority"]

    def get_readonly_fields(self, request, obj=None):
        # simple-history's page of one past version asks this, not Django's rule for a model
        # without the change permission, and drew every field as an editable-looking input.
        return [field.name for field in self.model._meta.fields if field.editable]

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # A past version is read, never saved back: simple-history saves any valid POST
        # here whatever the revert setting says, which would skip commitment_update.
        if request.method != "GET":
            return HttpResponseNotAllowed(["GET"])
        return super().history_form_view(request, object_id, version_id, extra_context)


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(
    PlaceScopedAdmin, ObjectActionsMixin, ModeratedAdminMixin, admin.ModelAdmin
):
    place_lookup = "pledge__place"
    list_display = ["title", "status", "organisation", "published_at"]
    list_filter = ["status", priority_filter("priorities__slug")]
    search_fields = ["title", "body", "pledge__organisation__name"]
    list_select_related = ["pledge__organisation"]
    date_hierarchy = "published_at"
    actions = [hide_updates, restore_updates]

    def object_actions(self, obj):
        if obj.status == ProgressUpdate.Status.HIDDEN:
            return [("restore_updates", _("Restore to public view"))]
        return [] if obj.moderator_hidden_at else [("hide_updates", _("Hide this update"))]

    @admin.display(description="Organisation", ordering="pledge__organisation__name")
    def organisation(self, obj):
        return obj.pledge.organisation


@admin.register(PledgeEvent)
class PledgeEventAdmin(PlaceScopedAdmin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """The audit trail: append-only, here and in the database (pledges/0005)."""

    place_lookup = "pledge__place"

    list_display = ["pledge", "action", "actor", "created_at"]
    list_filter = ["action"]
    search_fields = ["pledge__organisation__name", "reason"]
    list_select_related = ["pledge__organisation", "pledge__agreement", "actor"]
    date_hierarchy = "created_at"


@admin.register(Reminder)
class ReminderAdmin(PlaceScopedAdmin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """What `send_reminders` planned and sent; a failed one shows its error until it goes."""

    place_lookup = "pledge__place"

    list_display = ["pledge", "status", "kind", "due_at", "attempts", "sent_at"]
    list_filter = ["status", "kind"]
    search_fields = ["pledge__organisation__name"]
    list_select_related = ["pledge__organisation", "pledge__agreement"]


@admin.register(ModeratorDigest)
class ModeratorDigestAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["day", "updates", "covered_from", "covered_until"]
