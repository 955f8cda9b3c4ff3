from django import forms
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _

from core.forms import Form
from core.public import cached_public_page
from organisations.models import Organisation

from ..models import Agreement, Commitment, Pledge, Priority, ProgressUpdate

PAGE_SIZE = 20


@cached_public_page
def agreement(request):
    """The current text, and earlier versions with their dates."""
    agreements = list(
        Agreement.objects.filter(published_at__isnull=False).prefetch_related("priorities")
    )
    current = next((item for item in agreements if item.is_current), None)
    # A newer version prepared ahead of time is not "earlier", and is not public until current.
    earlier = [item for item in agreements if current and item.version < current.version]
    return render(request, "pledges/agreement.html", {"current": current, "earlier": earlier})


@cached_public_page
def priority(request, slug):
    """A priority of the current agreement, the organisations committed to it, and updates."""
    priority = get_object_or_404(Priority, agreement__is_current=True, slug=slug)
    commitments = (
        Commitment.objects.filter(priority=priority, pledge__status=Pledge.Status.PUBLISHED)
        .select_related("pledge__organisation")
        .order_by("pledge__organisation__name")
    )
    page = Paginator(commitments, PAGE_SIZE).get_page(request.GET.get("page"))
    updates = (
        ProgressUpdate.objects.published()
        .filter(priorities=priority)
        .select_related("pledge__organisation")[:10]
    )
    return render(
        request,
        "pledges/priority.html",
        {"priority": priority, "page": page, "updates": updates},
    )


class WallForm(Form):
    priority = forms.ChoiceField(label=_("Priority"), required=False, choices=[])
    type = forms.ChoiceField(
        label=_("Type of organisation"),
        required=False,
        choices=[("", _("Any type"))] + Organisation.Type.choices,
    )

    def __init__(self, *args, priorities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["priority"].choices = [("", _("Any priority"))] + [
            (p.slug, f"{p.number}. {p.title}") for p in priorities
        ]


@cached_public_page
def updates(request):
    """The kindness wall: recent progress stories, filterable."""
    priorities = list(Priority.objects.filter(agreement__is_current=True))
    form = WallForm(request.GET or None, priorities=priorities)
    form.is_valid()
    filters = getattr(form, "cleaned_data", {})
    queryset = (
        ProgressUpdate.objects.published()
        .select_related("pledge__organisation")
        .prefetch_related("priorities")
    )
    if filters.get("priority"):
        queryset = queryset.filter(
            priorities__slug=filters["priority"], priorities__agreement__is_current=True
        )
    if filters.get("type"):
        queryset = queryset.filter(pledge__organisation__type=filters["type"])
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "pledges/updates.html", {"form": form, "page": page})


@cached_public_page
def update(request, pk):
    """One published progress update. Drafts and hidden updates are not found."""
    update = get_object_or_404(
        ProgressUpdate.objects.published().select_related("pledge__organisation"), pk=pk
    )
    return render(
        request,
        "pledges/update.html",
        {"update": update, "priorities": update.priorities.all()},
    )
