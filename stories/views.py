"""The organisation's side of residents' stories: the stories about it, and its thank-you."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from core.forms import bound_data
from core.paging import PublicPaginator
from organisations import permissions
from organisations.permissions import member_required

from .forms import ReplyForm
from .models import Story
from .services import StoryError, story_reply


@member_required(permissions.VIEW_DASHBOARD)
def stories(request, organisation):
    """Every published story about the organisation, newest first, with who may thank."""
    queryset = Story.objects.public().filter(organisation=organisation).select_related("priority")
    page = PublicPaginator(queryset, 20).get_page(request.GET.get("page"))
    can_reply = permissions.has_role(request.membership, permissions.THANK_RESIDENT)
    return render(
        request,
        "stories/list.html",
        {"organisation": organisation, "page": page, "can_reply": can_reply},
    )


@member_required(permissions.THANK_RESIDENT)
def reply(request, organisation, story_id):
    story = get_object_or_404(Story.objects.public(), pk=story_id, organisation=organisation)
    form = ReplyForm(bound_data(request)[0], initial={"reply": story.reply})
    if request.method == "POST" and form.is_valid():
        try:
            story_reply(story=story, by=request.user, text=form.cleaned_data["reply"])
        except StoryError as error:
            form.add_error("reply", str(error))
        else:
            messages.success(request, _("Your reply is published under the story."))
            return redirect("stories:list", organisation.pk)
    return render(
        request,
        "stories/reply.html",
        {
            "organisation": organisation,
            "story": story,
            "form": form,
            "back_url": reverse("stories:list", args=[organisation.pk]),
            "back_to": _("the stories about you"),
        },
    )
