"""The public pages' search and filter forms. Every field is optional."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import Form
from organisations.models import Organisation
from pledges.models import Concern, Pledge


class DirectoryForm(Form):
    """The commitments directory's search, filters and sort. Every field is optional."""

    SORTS = [
        ("name", _("Name, A to Z")),
        ("joined", _("Most recently joined")),
        ("updated", _("Most recently updated")),
    ]

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        help_text=_(
            "Searches names, statements, commitments and updates. Put a phrase in "
            '"quotes" to find it exactly, or put - before a word to leave it out.'
        ),
    )
    type = forms.ChoiceField(
        label=_("Type of organisation"),
        required=False,
        choices=[("", _("Any type"))] + Organisation.Type.choices,
    )
    priority = forms.ChoiceField(label=_("Priority"), required=False, choices=[])
    area = forms.ChoiceField(
        label=_("Area"), required=False, choices=[("", _("Any area"))] + Organisation.Area.choices
    )
    status = forms.ChoiceField(
        label=_("Reporting status"),
        required=False,
        choices=[("", _("Any status"))] + Pledge.ReportingStatus.choices,
    )
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=SORTS)
    withdrawn = forms.BooleanField(
        label=_("Include organisations that have withdrawn"), required=False
    )

    def __init__(self, *args, priorities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["priority"].choices = [("", _("Any priority"))] + [
            (priority.slug, f"{priority.number}. {priority.title}") for priority in priorities
        ]


class WallForm(Form):
    priority = forms.ChoiceField(label=_("Priority"), required=False, choices=[])
    type = forms.ChoiceField(
        label=_("Type of organisation"),
        required=False,
        choices=[("", _("Any type"))] + Organisation.Type.choices,
    )
    area = forms.ChoiceField(
        label=_("Area"),
        required=False,
        choices=[("", _("Anywhere"))] + Organisation.Area.choices,
    )

    def __init__(self, *args, priorities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["priority"].choices = [("", _("Any priority"))] + [
            (p.slug, f"{p.number}. {p.title}") for p in priorities
        ]


class ConcernForm(Form):
    reason = forms.ChoiceField(
        label=_("What is wrong?"),
        choices=Concern.Reason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select what is wrong")},
    )
    details = forms.CharField(
        label=_("Tell us more (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Do not include anyone's personal details. We do not need your name or email."),
        error_messages={"max_length": _("Details must be 2,000 characters or fewer")},
    )
    # A field people never see or reach; bots that fill every field reveal themselves.
    website = forms.CharField(required=False, label=_("Leave this empty"))
