from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import FileUploadInput, Form, ModelForm
from core.images import clean_image

from .models import PROFILE_FIELDS, Invitation, JoinRequest, Membership, Organisation
from .validators import normalise_identifier

LOGO_MAX_SIDE = 600


class OrganisationForm(ModelForm):
    website = forms.URLField(
        label=_("Website (optional)"),
        required=False,
        max_length=300,
        assume_scheme="https",
        help_text=_("For example, https://example.org"),
        error_messages={"invalid": _("Enter a web address like https://example.org")},
    )
    logo = forms.FileField(
        label=_("Logo (optional)"),
        required=False,
        help_text=_("A JPEG or PNG image, smaller than 5 MB. We resize it and remove hidden data."),
        widget=FileUploadInput(),
    )

    class Meta:
        model = Organisation
        fields = PROFILE_FIELDS
        widgets = {"type": forms.RadioSelect, "description": forms.Textarea(attrs={"rows": 5})}
        error_messages = {
            "name": {"required": _("Enter the name of your organisation.")},
            "type": {"required": _("Choose the type of organisation.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A required radio group needs no "---------" choice: nothing ticked is the blank.
        self.fields["type"].choices = Organisation.Type.choices
        # Every box a partner may leave empty says so, as the website's does.
        for name in ("description", "charity_number", "company_number", "school_urn"):
            field = self.fields[name]
            if not field.required and "(optional)" not in str(field.label):
                field.label = _("%(label)s (optional)") % {"label": field.label}

    def clean_charity_number(self):
        return normalise_identifier(self.cleaned_data["charity_number"])

    def clean_company_number(self):
        return normalise_identifier(self.cleaned_data["company_number"])

    def clean_school_urn(self):
        return normalise_identifier(self.cleaned_data["school_urn"])

    def clean_logo(self):
        upload = self.cleaned_data.get("logo")
        if not upload:
            return None
        return clean_image(upload, max_side=LOGO_MAX_SIDE)


class JoinRequestForm(ModelForm):
    class Meta:
        model = JoinRequest
        fields = ["message"]
        widgets = {"message": forms.Textarea(attrs={"rows": 4})}


class InvitationForm(ModelForm):
    class Meta:
        model = Invitation
        fields = ["email", "role"]
        widgets = {"role": forms.RadioSelect}
        error_messages = {
            "email": {
                "required": _("Enter your colleague's email address."),
                "invalid": _("Enter an email address like name@example.org"),
            }
        }


class RoleForm(Form):
    role = forms.ChoiceField(
        label=_("Role"), choices=Membership.Role.choices, widget=forms.RadioSelect
    )
