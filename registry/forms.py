"""The public pages' forms: search and filters (every field optional), concerns, and a
resident's story."""

import re

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from core.forms import Form
from organisations.models import Organisation
from pledges.models import Concern, Pledge
from pledges.selectors import signed_organisations
from stories.models import BODY_MAX, NAME_MAX


def area_choices(areas) -> list[tuple[str, str]]:
    """A place's areas as a filter's choices: the slug in the address, the name shown."""
    return [(area.slug, area.name) for area in areas]


class SignatoriesForm(Form):
    """The signatories page's search, filters and sort. Every field is optional."""

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
    area = forms.ChoiceField(label=_("Area"), required=False, choices=[])
    status = forms.ChoiceField(
        label=_("Reporting status"),
        required=False,
        choices=[("", _("Any status"))] + Pledge.ReportingStatus.choices,
    )
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=SORTS)
    withdrawn = forms.BooleanField(
        label=_("Include organisations that have withdrawn"), required=False
    )

    def __init__(self, data=None, *args, priorities, areas, **kwargs):
        if data is not None and not data.get("q") and data.get("sort") == "relevance":
            data = data.copy()  # a search cleared, its sort kept: by name, without an error
            del data["sort"]
        super().__init__(data, *args, **kwargs)
        self.fields["priority"].choices = [("", _("Any priority"))] + [
            (priority.slug, f"{priority.number}. {priority.title}") for priority in priorities
        ]
        self.fields["area"].choices = [("", _("Any area"))] + area_choices(areas)
        if self.data.get("q"):  # what a search is in unless another order is chosen
            self.fields["sort"].choices = [("relevance", _("Best match")), *self.SORTS]


class WallForm(Form):
    SHOWS = [
        ("", _("Everything")),
        ("updates", _("Progress updates")),
        ("stories", _("Kindness seen")),
    ]

    show = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=SHOWS,
        help_text=_("Organisations' progress updates, stories of kindness seen, or both."),
    )
    priority = forms.ChoiceField(label=_("Priority"), required=False, choices=[])
    type = forms.ChoiceField(
        label=_("Type of organisation"),
        required=False,
        choices=[("", _("Any type"))] + Organisation.Type.choices,
    )
    area = forms.ChoiceField(label=_("Area"), required=False, choices=[])

    def __init__(self, *args, priorities, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["priority"].choices = [("", _("Any priority"))] + [
            (p.slug, f"{p.number}. {p.title}") for p in priorities
        ]
        self.fields["area"].choices = [("", _("Anywhere"))] + area_choices(areas)


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


class TellForm(Form):
    """A resident's story of kindness they saw. The organisation is found by name without
    JavaScript: one match is taken, several are offered as choices, none is an error."""

    body = forms.CharField(
        label=_("What happened?"),
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("A few sentences: what someone did, and what difference it made."),
        error_messages={
            "required": _("Tell us what happened"),
            "max_length": _("What happened must be %(limit_value)s characters or fewer"),
        },
    )
    organisation = forms.CharField(required=False, widget=forms.HiddenInput)
    organisation_name = forms.CharField(
        label=_("Where did it happen? (optional)"),
        required=False,
        max_length=200,
    )
    area = forms.ChoiceField(required=False)  # labelled with the place's name
    priority = forms.ChoiceField(
        label=_("Which priority does it show? (optional)"),
        required=False,
        widget=forms.RadioSelect,
        choices=[],
    )
    shown_name = forms.CharField(
        label=_("Your first name (optional)"),
        required=False,
        max_length=NAME_MAX,
        help_text=_("We show it with your story. Leave it empty to be shown as “A resident”."),
        error_messages={"max_length": _("Your name must be %(limit_value)s characters or fewer")},
    )
    email = forms.EmailField(
        label=_("Your email address"),
        max_length=254,
        error_messages={
            "required": _("Enter your email address"),
            "invalid": _("Enter an email address in the correct format, like name@example.com"),
        },
    )
    consent = forms.BooleanField(
        label=_(
            "I have not named a child or anything that could identify a family, and I agree "
            "that this story may be published on this website with the name I gave."
        ),
        error_messages={"required": _("Confirm that your story may be published")},
    )
    website = forms.CharField(required=False, label=_("Leave this empty"))

    def __init__(self, *args, place, priorities, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.place = place
        self.priorities = {priority.slug: priority for priority in priorities}
        self.fields["priority"].choices = [("", _("Not sure"))] + [
            (priority.slug, priority.title) for priority in priorities
        ]
        self.areas = {area.slug: area for area in areas}
        self.fields["area"].choices = [("", _("Not saying"))] + area_choices(areas)
        self.fields["area"].label = _("Which part of %(place)s? (optional)") % {"place": place.name}
        self.fields["organisation_name"].help_text = _(
            "The name of an organisation that signed the agreement. Leave it empty if it "
            "happened somewhere else in %(place)s."
        ) % {"place": place.name}
        self.fields["email"].help_text = _(
            "We send you a link to confirm it. We never show it, and we delete it %(days)d "
            "days after your story is published or declined."
        ) % {"days": settings.RETENTION_STORY_EMAIL_DAYS}
        self.matches = []

    def clean_body(self):
        body = self.cleaned_data["body"]
        if not re.search(r"\w", body):  # only spaces, marks or invisible characters
            raise forms.ValidationError(self.fields["body"].error_messages["required"])
        return body

    def clean(self):
        data = super().clean()
        data["priority"] = self.priorities.get(data.get("priority"))
        data["area"] = self.areas.get(data.get("area"))
        data["organisation"] = self._organisation(data)
        return data

    def _organisation(self, data):
        name = data.get("organisation_name", "")
        if not name:  # emptied, or never given: somewhere else in the place
            return None
        signed = signed_organisations(self.place)
        chosen = data.get("organisation")  # from its page, or picked from the matches
        if chosen:
            found = signed.filter(slug=chosen).first()
            if found is not None and name.casefold() in found.name.casefold():
                return found
        exact = list(signed.filter(name__iexact=name)[:2])
        if len(exact) == 1:
            return exact[0]
        self.matches = exact or list(signed.filter(name__icontains=name).order_by("name")[:10])
        if self.matches:
            self.add_error(
                "organisation_name", _("Several organisations match. Choose the one you meant")
            )
        else:
            self.add_error(
                "organisation_name",
                _(
                    "No organisation on the registry is called that. Check the name, or "
                    "leave it empty if it happened somewhere else."
                ),
            )
        return None


class NetworkSearchForm(Form):
    q = forms.CharField(
        label=_("Search every place's signatories"),
        required=False,
        max_length=200,
        help_text=_("Names, statements, commitments and updates, in every place at once."),
    )


class PlaceFindForm(Form):
    q = forms.CharField(
        label=_("Find a place by name"),
        required=False,
        max_length=100,
        help_text=_("A town, city or council area, or part of its name."),
    )
