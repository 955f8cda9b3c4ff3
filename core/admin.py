"""Admin building blocks: every change made in the admin goes through a service, or none can.

Actions call the service for each selected row, so that each change is checked, recorded and
emailed as usual; those that need a reason or a note ask for it on a page first.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AdminSplitDateTime
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from .forms import Form


class ReadOnlyAdminMixin:
    """Moderators can look, not change: the rows are written by services elsewhere.

    Serves inlines too (their has_add_permission also takes the parent object).
    """

    def has_add_permission(self, request, obj=None):
        return False

    def get_form(self, request, obj=None, change=False, **kwargs):
        # Help texts speak to partners filling in their forms ("Your colleague's work
        # email"), not to moderators reading the record.
        kwargs["help_texts"] = {field.name: "" for field in self.model._meta.get_fields()}
        return super().get_form(request, obj, change, **kwargs)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ModeratedAdminMixin(ReadOnlyAdminMixin):
    """Read-only forms; changes only through the moderation actions, which call the services.

    The actions ask for the "moderate" permission: the model's change permission.
    """

    def has_moderate_permission(self, request):
        opts = self.opts
        return request.user.has_perm(f"{opts.app_label}.change_{opts.model_name}")


def reason_form(*, label, help_text, required):
    """A form with one required box, always named `reason`, for an action that asks why."""
    field = forms.CharField(
        label=label,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        help_text=help_text,
        error_messages={"required": required},
    )
    return type("ReasonForm", (Form,), {"reason": field})


ReasonForm = reason_form(
    label=_("Reason"),
    help_text=_("The organisation will see this, in an email and on its dashboard."),
    required=_("Give a reason. The organisation will see it."),
)
NoteForm = reason_form(
    label=_("Note"),
    help_text=_("For moderators. The organisation does not see it."),
    required=_("Write a note saying why nothing needs to change."),
)


def apply_each(modeladmin, request, queryset, change, done, *, refused):
    """Call `change` for each selected row; report what was refused and how many changed."""
    changed = 0
    for obj in queryset:
        try:
            change(obj)
            changed += 1
        except refused as error:  # the service's own refusal, with a message for people
            modeladmin.message_user(request, f"{obj}: {error}", messages.WARNING)
    if changed:
        modeladmin.message_user(request, done % {"count": changed}, messages.SUCCESS)


def service_action(service, *, target, name, description, done, refused):
    """An admin action that calls `service(<target>=row, by=moderator)` for each selected row."""

    def action(modeladmin, request, queryset):
        apply_each(
            modeladmin,
            request,
            queryset,
            lambda obj: service(**{target: obj}, by=request.user),
            done,
            refused=refused,
        )

    action.__name__ = name
    return admin.action(description=description, permissions=["moderate"])(action)


def reason_action(
    service,
    *,
    target,
    name,
    description,
    done,
    refused,
    form_class=None,
    argument="reason",
    permission="moderate",
):
    """An admin action that asks for a reason, then calls `service(<target>=row, by=, reason=)`
    (or another `argument` name, such as a note)."""

    def action(modeladmin, request, queryset):
        form = (form_class or ReasonForm)(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            reason = form.cleaned_data["reason"]
            apply_each(
                modeladmin,
                request,
                queryset,
                lambda obj: service(**{target: obj}, by=request.user, **{argument: reason}),
                done,
                refused=refused,
            )
            return None
        return TemplateResponse(
            request,
            "admin/reason_action.html",
            {
                **modeladmin.admin_site.each_context(request),
                "title": description,
                "opts": modeladmin.model._meta,
                "objects": queryset,
                "form": form,
                "action": name,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            },
        )

    action.__name__ = name
    return admin.action(description=description, permissions=[permission])(action)


class LabelledSplitDateTime(AdminSplitDateTime):
    """The admin's date and time boxes, each named for assistive technology ("Published at:
    date"): Django's own have visible words beside them but no label, which axe reports."""

    def __init__(self, label, attrs=None):
        super().__init__(attrs)
        self.widgets[0].attrs["aria-label"] = _("%(field)s: date") % {"field": label}
        self.widgets[1].attrs["aria-label"] = _("%(field)s: time") % {"field": label}


class LabelledDateTimesMixin:
    """Every date-and-time field of this admin's form uses `LabelledSplitDateTime`."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.DateTimeField) and db_field.editable:
            kwargs["widget"] = LabelledSplitDateTime(str(db_field.verbose_name).capitalize())
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class ObjectActionsMixin:
    """The list's actions for one row, as buttons on that row's own page, where the moderator
    is reading it: the same action, so the same service, permission and reason page.

    `object_actions(obj)` gives the (action name, button label) pairs that fit the row's
    state. A button posts to `<id>/act/<name>/`, which runs the action on that row alone (a
    reason page posts back there) and returns to the row's page."""

    change_form_template = "admin/object_actions_change_form.html"

    def object_actions(self, obj) -> list[tuple[str, str]]:
        return []

    def _allowed(self, request, obj):
        actions = self.get_actions(request)  # only those this moderator's permissions allow
        return [(name, label) for name, label in self.object_actions(obj) if name in actions]

    def get_urls(self):
        act = self.admin_site.admin_view(self.act_view)
        name = f"{self.opts.app_label}_{self.opts.model_name}_act"
        return [path("<path:object_id>/act/<str:action>/", act, name=name), *super().get_urls()]

    @method_decorator(require_POST)
    def act_view(self, request, object_id, action):
        obj = self.get_object(request, unquote(object_id))  # within the moderator's places
        if obj is None or action not in dict(self._allowed(request, obj)):
            raise Http404("No such row, or that action does not fit it.")
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        func = self.get_actions(request)[action][0]
        response = func(self, request, self.get_queryset(request).filter(pk=obj.pk))
        if response is not None:  # the page that asks for a reason
            return response
        return redirect(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", obj.pk)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        extra = {"object_actions": self._allowed(request, obj) if obj else []}
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), **extra})
