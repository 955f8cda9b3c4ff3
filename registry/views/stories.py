"""Kindness seen: a resident tells a story, confirms and withdraws it with the emailed link,
and anyone reads a published one or reports a concern about it."""

from django.conf import settings
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from core.forms import bound_data
from core.public import cached_public_page
from core.throttle import allow
from pledges.models import Priority
from pledges.selectors import signed_organisations
from stories.models import Story
from stories.services import story_confirm, story_submit, story_withdraw

from ..forms import TellForm

# The form's fields at their longest, URL-encoded four bytes a character, with room to spare.
MAX_REQUEST_BYTES = 32 * 1024


def _too_large(request) -> bool:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0) > MAX_REQUEST_BYTES
    except ValueError:
        return False


@require_http_methods(["GET", "HEAD", "POST"])
def tell(request):
    """The form, from the home page, an organisation's page (pre-filled) or a priority's."""
    if request.method == "POST" and _too_large(request):
        return render(request, "registry/story/too_large.html", status=413)
    place = request.place
    form = TellForm(
        bound_data(request)[0],
        initial=_initial(request),
        place=place,
        priorities=list(Priority.objects.current(place)),
        areas=list(place.areas.all()),
    )
    context = {"form": form}
    if request.method != "POST":
        return render(request, "registry/story/tell.html", context)
    limit = {"limit": settings.STORY_LIMIT, "period": settings.STORY_LIMIT_PERIOD}
    if not allow(request, "story", **limit):
        return render(request, "registry/story/too_many.html", context, status=429)
    if not form.is_valid():
        return render(request, "registry/story/tell.html", context)
    data = form.cleaned_data
    limit["limit"] = settings.STORY_EMAIL_LIMIT
    if not allow(request, "story-email", who=data["email"], **limit):
        return render(request, "registry/story/too_many.html", context, status=429)
    if not data["website"]:  # a bot filled the hidden field: thank it, keep nothing
        story_submit(
            body=data["body"],
            email=data["email"],
            organisation=data["organisation"],
            place=place,
            area=data["area"],
            priority=data["priority"],
            shown_name=data["shown_name"],
            by=request.user,
        )
    return redirect(reverse("registry:story-sent"))


def _initial(request):
    slug = request.GET.get("organisation", "")
    organisation = signed_organisations(request.place).filter(slug=slug).first() if slug else None
    initial = {"priority": request.GET.get("priority", "")}
    if organisation is not None:
        initial.update(organisation=organisation.slug, organisation_name=organisation.name)
    return initial


def sent(request):
    return render(request, "registry/story/sent.html")


@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, token):
    """The emailed link opens this page; only its button (a POST) confirms, because mail
    scanners open links by themselves."""
    if request.method == "POST":
        story = story_confirm(token=token, by=request.user)
        return render(request, "registry/story/confirmed.html", {"story": story})
    return render(request, "registry/story/confirm.html", {"token": token})


@require_http_methods(["GET", "HEAD", "POST"])
def withdraw(request, token):
    """The confirmation email's other link: a page, then a button that deletes the story."""
    if request.method == "POST":
        withdrawn = story_withdraw(token=token, by=request.user)
        return render(request, "registry/story/withdrawn.html", {"withdrawn": withdrawn})
    return render(request, "registry/story/withdraw.html", {"token": token})


@cached_public_page
def story(request, pk):
    """One published story. Anything else is not found."""
    story = get_object_or_404(
        Story.objects.public()
        .in_place(request.place)
        .select_related("organisation", "priority", "area", "place"),
        pk=pk,
    )
    return render(request, "registry/story/detail.html", {"story": story})
