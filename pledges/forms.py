from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Case, When
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from core.forms import FileUploadInput, Form, ModelForm
from core.images import clean_image
from core.safeguarding import PHOTO_RULE

from .models import Commitment, Pledge, Priority, ProgressUpdate

UPDATE_IMAGE_MAX_SIDE = 1600


class PrioritiesForm(Form):
    """One checkbox and one 'what you will do' box for each priority of the agreement."""

    def __init__(self, *args, priorities, pledge, **kwargs):
        super().__init__(*args, **kwargs)
        self.priorities = list(priorities)
        existing = {c.priority_id: c.body for c in pledge.commitments.all()}
        for priority in self.priorities:
            self.fields[f"choose_{priority.number}"] = forms.BooleanField(
                label=priority.title, required=False, initial=priority.pk in existing
            )
            self.fields[f"body_{priority.number}"] = forms.CharField(
                label=_("What will you do about '%(title)s'?") % {"title": priority.title},
                required=False,
                max_length=2000,
                initial=existing.get(priority.pk, ""),
                widget=forms.Textarea(attrs={"rows": 4}),
            )

    def rows(self):
        for priority in self.priorities:
            yield priority, self[f"choose_{priority.number}"], self[f"body_{priority.number}"]

    def clean(self):
        cleaned = super().clean()
        chosen = {}
        for priority in self.priorities:
            body = (cleaned.get(f"body_{priority.number}") or "").strip()
            if not cleaned.get(f"choose_{priority.number}"):
                if body:  # never throw away what someone wrote without saying so
                    self.add_error(
                        f"body_{priority.number}",
                        _(
                            "You wrote about '%(title)s' but did not choose it. Tick it to "
                            "keep what you wrote, or clear the box."
                        )
                        % {"title": priority.title},
                    )
                continue
            if not body and f"body_{priority.number}" not in self.errors:
                self.add_error(
                    f"body_{priority.number}",
                    _("Say what you will do about '%(title)s', or untick it.")
                    % {"title": priority.title},
                )
            chosen[priority] = body
        if not chosen:
            self.add_error(
                f"choose_{self.priorities[0].number}", _("Choose at least one priority.")
            )
        cleaned["commitments"] = chosen
        return cleaned


class StatementForm(ModelForm):
    class Meta:
        model = Pledge
        fields = ["statement", "area"]
        widgets = {"statement": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["statement"].required = True
        self.fields["statement"].error_messages["required"] = _(
            "Say why your organisation is signing."
        )
        ask_area(self.fields["area"], self.instance.place)


def ask_area(field, place) -> None:
    """The question for the area a pledge serves: one of its place's areas, required."""
    field.queryset = place.areas.all()
    field.required = True
    field.empty_label = _("Choose an area")
    field.label = _("Which part of %(place)s do you mainly serve?") % {"place": place.name}
    field.help_text = _("It is shown beside your name, and people can find you by it.")
    field.error_messages["required"] = _("Choose the part of %(place)s you mainly serve.") % {
        "place": place.name
    }


class AreaForm(ModelForm):
    class Meta:
        model = Pledge
        fields = ["area"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        ask_area(self.fields["area"], self.instance.place)


class SignatoryForm(ModelForm):
    class Meta:
        model = Pledge
        fields = ["signatory_name", "signatory_role", "is_authorised", "is_signatory_public"]

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        for name, message in (
            ("signatory_name", _("Enter the signatory's full name.")),
            ("signatory_role", _("Enter the signatory's job title.")),
            (
                "is_authorised",
                _("Confirm that the signatory is authorised to sign for the organisation."),
            ),
        ):
            self.fields[name].required = True
            self.fields[name].error_messages["required"] = message
        self.fields["is_authorised"].label = _(
            "I am authorised to sign on behalf of %(organisation)s"
        ) % {"organisation": organisation.name}
        self.fields["is_authorised"].help_text = _(
            "For example, as its head teacher, chief executive, owner or chair."
        )
        self.fields["is_signatory_public"].label = _(
            "The signatory agrees to their name and job title being published"
        )
        self.fields["is_signatory_public"].help_text = _(
            "If not ticked, we show only that the organisation has signed."
        )


class CommitmentForm(ModelForm):
    # When the form was loaded; the service refuses a save over a colleague's newer one.
    loaded_at = forms.DateTimeField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Commitment
        fields = ["body", "progress"]
        widgets = {"body": forms.Textarea(attrs={"rows": 5}), "progress": forms.RadioSelect}
        error_messages = {"body": {"required": _("Say what you will do about this priority.")}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["loaded_at"].initial = self.instance.updated_at.isoformat()


class ProgressUpdateForm(ModelForm):
    image = forms.FileField(
        label=_("Image (optional)"),
        required=False,
        help_text=format_lazy("{} {}", _("A JPEG or PNG, smaller than 5 MB."), PHOTO_RULE),
        widget=FileUploadInput(),
    )
    remove_image = forms.BooleanField(
        label=_("Remove the image from this update"),
        required=False,
        help_text=_("The update stays; only its image goes."),
    )

    class Meta:
        model = ProgressUpdate
        fields = ["title", "body", "priorities", "image", "remove_image", "image_alt"]
        widgets = {
            "body": forms.Textarea(attrs={"rows": 8}),
            "priorities": forms.CheckboxSelectMultiple,
        }
        error_messages = {
            "title": {"required": _("Enter a title for your update.")},
            "body": {"required": _("Say what happened: what did you do, and what changed?")},
            "priorities": {"required": _("Choose at least one priority this update is about.")},
        }

    def __init__(self, *args, agreement, committed=frozenset(), **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.image:  # only an update with an image can lose it
            del self.fields["remove_image"]
        field = self.fields["priorities"]
        # The organisation's own commitments first; the others stay open, and say so.
        field.queryset = Priority.objects.filter(agreement=agreement).order_by(
            Case(When(pk__in=committed, then=0), default=1), "number"
        )
        field.label = _("Which priorities is this about?")
        field.help_text = _(
            "Your commitments come first. A story can be about another priority too."
        )
        field.label_from_instance = lambda priority: (
            str(priority)
            if priority.pk in committed
            else _("%(priority)s (not one of your commitments)") % {"priority": priority}
        )

    def clean_image(self):
        upload = self.cleaned_data.get("image")
        if not isinstance(upload, UploadedFile):  # none chosen: the stored image, if any, stays
            return None
        return clean_image(upload, max_side=UPDATE_IMAGE_MAX_SIDE)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("remove_image") and cleaned.get("image"):
            self.add_error("remove_image", _("Choose a new image or remove the image, not both."))
        kept = bool(self.instance.image) and not cleaned.get("remove_image")
        has_image = bool(cleaned.get("image")) or kept
        if has_image and not (cleaned.get("image_alt") or "").strip():
            self.add_error("image_alt", _("Describe the image for people who cannot see it."))
        return cleaned


class ReasonForm(Form):
    reason = forms.CharField(
        label=_("Why?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Give a reason.")},
    )
