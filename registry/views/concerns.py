"""Reporting a concern about an organisation's page, one of its updates, or a resident's story."""

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from core.forms import bound_data
from core.throttle import allow
from organisations.models import Organisation
from pledges.models import Pledge, ProgressUpdate
from pledges.services import concern_report
from stories.models import Story
from stories.services import story_concern_report

from ..forms import ConcernForm


def organisation(request, slug):
    organisation = get_object_or_404(Organisation, slug=slug)
    if Pledge.objects.public_for(organisation, request.place) is None:
        raise Http404("No public pledge.")  # as its page: an unpublished one stays private
    return _report(
        request,
        {"organisation": organisation},
        (organisation.get_absolute_url(), organisation.name),
        lambda data: concern_report(
            organisation=organisation, place=request.place, by=request.user, **data
        ),
    )


def update(request, pk):
    update = get_object_or_404(
        ProgressUpdate.objects.published()
        .in_place(request.place)
        .select_related("pledge__organisation"),
        pk=pk,
    )
    organisation = update.pledge.organisation
    return _report(
        request,
        {"organisation": organisation, "update": update},
        (update.get_absolute_url(), _("the update")),
        lambda data: concern_report(
            organisation=organisation,
            place=request.place,
            update=update,
            by=request.user,
            **data,
        ),
    )


def story(request, pk):
    story = get_object_or_404(Story.objects.public().in_place(request.place), pk=pk)
    return _report(
        request,
        {"story": story},
        (story.get_absolute_url(), _("the story")),
        lambda data: story_concern_report(story=story, by=request.user, **data),
    )


def sent(request):
    return render(request, "registry/concern/sent.html")


def _report(request, about, back, report):
    """The form for a concern `about` something; `report` records it from the cleaned data;
    `back`: the address and name of the page it is about."""
    form = ConcernForm(bound_data(request)[0])
    context = {"form": form, "back_url": back[0], "back_to": back[1], **about}
    if request.method != "POST":
        return render(request, "registry/concern/form.html", context)
    if not allow(
        request, "concern", limit=settings.CONCERN_LIMIT, period=settings.CONCERN_LIMIT_PERIOD
    ):
        return render(request, "registry/concern/too_many.html", context, status=429)
    if not form.is_valid():
        return render(request, "registry/concern/form.html", context)
    if not form.cleaned_data["website"]:  # a bot filled the hidden field: thank it, keep nothing
        report({"reason": form.cleaned_data["reason"], "details": form.cleaned_data["details"]})
    return redirect(reverse("registry:concern-sent"))
