"""Residents' stories in the admin: waiting stories oldest first, published in bulk, declined
with a reason the resident reads, edited with a note, hidden; concerns about them; and the
flag words that mark a story that may name a child or a family. Every change is a service
call (`stories.services`)."""

from django import forms
from django.contrib import admin
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from core.admin import (
    ModeratedAdminMixin,
    ObjectActionsMixin,
    ReadOnlyAdminMixin,
    reason_action,
    reason_form,
    service_action,
)
from core.forms import ModelForm
from organisations import permissions
from stories import services
from stories.flags import flag_words_in
from stories.models import FlagWord, Story, StoryConcern, StoryEdit
from stories.services import StoryError

from .filters import priority_filter
from .scoping import PlaceScopedAdmin

DeclineForm = reason_form(
    label=_("Reason"),
    help_text=_("The resident reads this in a kind email: thank them, and say why in plain words."),
    required=_("Give a reason. The resident will read it."),
)
HideForm = reason_form(
    label=_("Reason"),
    help_text=_("For the record; the resident is not emailed."),
    required=_("Give a reason for hiding it."),
)


publish_stories = service_action(
    services.story_publish,
    target="story",
    name="publish_stories",
    description=_("Publish the selected stories"),
    done=ngettext_lazy(
        "Published %(count)d story. The resident and the organisation have been told.",
        "Published %(count)d stories. The residents and the organisations have been told.",
        "count",
    ),
    refused=StoryError,
)
decline_stories = reason_action(
    services.story_decline,
    target="story",
    name="decline_stories",
    description=_("Decline the selected stories, telling the residents why"),
    done=ngettext_lazy("Declined %(count)d story.", "Declined %(count)d stories.", "count"),
    refused=StoryError,
    form_class=DeclineForm,
)
hide_stories = reason_action(
    services.story_hide,
    target="story",
    name="hide_stories",
    description=_("Hide the selected published stories"),
    done=ngettext_lazy("Hid %(count)d story.", "Hid %(count)d stories.", "count"),
    refused=StoryError,
    form_class=HideForm,
)


restore_stories = service_action(
    services.story_restore,
    target="story",
    name="restore_stories",
    description=_("Show the selected hidden stories again"),
    done=ngettext_lazy("Showed %(count)d story again.", "Showed %(count)d stories again.", "count"),
    refused=StoryError,
)
hide_replies = service_action(
    services.story_reply_hide,
    target="story",
    name="hide_replies",
    description=_("Hide the organisation's reply"),
    done=ngettext_lazy("Hid %(count)d reply.", "Hid %(count)d replies.", "count"),
    refused=StoryError,
)


class StoryEditForm(ModelForm):
    """The words only, with a note saying what was taken out: `story_edit` records it."""

    note = forms.CharField(
        label=_("What you changed and why"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
        help_text=_(
            "Needed when you change the words. Kept with the story; the resident does not see it."
        ),
    )

    class Meta:
        model = Story
        fields = ["body"]

    def clean(self):
        data = super().clean()
        if "body" in self.changed_data and not data.get("note"):
            self.add_error("note", _("Say what you changed and why."))
        return data


class StoryEditInline(ReadOnlyAdminMixin, admin.StackedInline):
    model = StoryEdit
    fields = ["at", "by", "note"]
    readonly_fields = fields
    extra = 0
    verbose_name_plural = _("Edits by moderators")


@admin.register(Story)
class StoryAdmin(PlaceScopedAdmin, ObjectActionsMixin, admin.ModelAdmin):
    """Stories oldest first. The resident's address is not shown here: moderators never need
    it, and the services email the resident."""

    form = StoryEditForm
    list_display = [
        "excerpt",
        "status",
        "flagged",
        "where",
        "priority",
        "confirmed_at",
        "published_at",
    ]
    list_filter = ["status", "flagged", priority_filter("priority__slug")]
    search_fields = ["body", "organisation__name", "shown_name"]
    list_select_related = ["organisation", "priority", "place"]
    ordering = ["confirmed_at", "pk"]
    actions = [publish_stories, decline_stories, hide_stories, restore_stories, hide_replies]

    def object_actions(self, obj):
        if obj.status == Story.Status.WAITING:
            return [("publish_stories", _("Publish")), ("decline_stories", _("Decline"))]
        if obj.status != Story.Status.PUBLISHED:
            return []
        hiding = (
            [("restore_stories", _("Restore to public view"))]
            if obj.moderator_hidden_at
            else [("hide_stories", _("Hide this story"))]
        )
        return hiding + ([("hide_replies", _("Hide the reply"))] if obj.reply_is_public else [])

    readonly_fields = [
        "status", "flag_words", "organisation", "area", "priority", "shown_name",
        "created_at", "confirmed_at", "published_at", "declined_at", "decline_reason",
        "moderator_hidden_at", "concern_hidden_at", "hidden_reason", "reply", "reply_at",
        "reply_hidden_at",
    ]  # fmt: skip
    inlines = [StoryEditInline]

    def has_add_permission(self, request):
        return False  # residents tell stories; nobody adds one for them

    def has_delete_permission(self, request, obj=None):
        return False  # the resident withdraws; retention deletes the unconfirmed

    def has_moderate_permission(self, request):
        return request.user.has_perm("stories.change_story")

    def get_fields(self, request, obj=None):
        return ["body", "note", *self.readonly_fields]

    def save_model(self, request, obj, form, change):
        if "body" in form.changed_data:
            services.story_edit(
                story=obj, by=request.user, body=obj.body, note=form.cleaned_data["note"]
            )

    @admin.display(description=_("Story"))
    def excerpt(self, obj):
        return obj.body if len(obj.body) <= 80 else obj.body[:79] + "…"

    @admin.display(description=_("Where"), ordering="organisation__name")
    def where(self, obj):
        return obj.organisation or _("Somewhere else in %(place)s") % {"place": obj.place}

    @admin.display(description=_("Flag words found"))
    def flag_words(self, obj):
        words = flag_words_in(obj.body)
        # "-", as every other empty field on the page shows.
        return format_html_join(", ", "“{}”", ((word,) for word in words)) or "-"


uphold_story_concerns = reason_action(
    services.story_concern_uphold,
    target="concern",
    name="uphold_story_concerns",
    description=_("Hide the stories of the selected concerns"),
    done=ngettext_lazy(
        "Hid the story of %(count)d concern.", "Hid the stories of %(count)d concerns.", "count"
    ),
    refused=StoryError,
    form_class=HideForm,
)
dismiss_story_concerns = reason_action(
    services.story_concern_dismiss,
    target="concern",
    name="dismiss_story_concerns",
    description=_("Dismiss the selected concerns with a note (shows a story hidden at once)"),
    done=ngettext_lazy("Dismissed %(count)d concern.", "Dismissed %(count)d concerns.", "count"),
    refused=StoryError,
    form_class=reason_form(
        label=_("Note"),
        help_text=_("For moderators."),
        required=_("Write a note saying why nothing needs to change."),
    ),
    argument="note",
)


@admin.register(StoryConcern)
class StoryConcernAdmin(
    PlaceScopedAdmin, ObjectActionsMixin, ModeratedAdminMixin, admin.ModelAdmin
):
    place_lookup = "story__place"
    list_display = ["story", "status", "reason", "hidden_automatically", "created_at"]
    list_filter = ["status", "reason", "hidden_automatically"]
    search_fields = ["details", "story__body"]
    list_select_related = ["story"]
    actions = [uphold_story_concerns, dismiss_story_concerns]

    def object_actions(self, obj):
        if obj.status != StoryConcern.Status.OPEN:
            return []
        return [
            ("uphold_story_concerns", _("Hide the story")),
            ("dismiss_story_concerns", _("Dismiss")),
        ]


@admin.register(FlagWord)
class FlagWordAdmin(admin.ModelAdmin):
    """The words that flag a story in the queue, in every place: moderators of the network
    add and switch them off; a place's moderators read them."""

    list_display = ["word", "active"]
    list_filter = ["active"]
    search_fields = ["word"]

    def has_add_permission(self, request):
        return permissions.is_network_moderator(request.user) and super().has_add_permission(
            request
        )

    def has_change_permission(self, request, obj=None):
        return permissions.is_network_moderator(request.user) and super().has_change_permission(
            request, obj
        )

    def has_delete_permission(self, request, obj=None):
        return False  # untick `active` instead: the list's history stays readable

    def save_model(self, request, obj, form, change):
        services.flag_word_save(flag_word=obj, by=request.user)
