"""Public pages about the agreement, its priorities and the progress stories."""

from django.shortcuts import get_object_or_404, render

from core.paging import PublicPaginator
from core.public import cached_public_page
from pledges import stats
from pledges.models import Agreement, Commitment, Pledge, Priority, ProgressUpdate
from stories.selectors import latest_stories, stories_for_priority

from ..forms import WallForm
from ..selectors import wall_entries, wall_items
from .network import network

PAGE_SIZE = 20


@cached_public_page
def home(request):
    """A place's home page. The registry's own address, without a place, is the network's
    page once there are several places."""
    if request.network_home:  # decided with the request's place (places.middleware)
        return network(request)
    place = request.place
    agreement = Agreement.objects.get_current(place)
    priorities = stats.priorities_with_counts(agreement) if agreement else []
    latest = (
        ProgressUpdate.objects.published()
        .in_place(place)
        .select_related("pledge__organisation")
        .prefetch_related("priorities")[:6]
    )
    return render(
        request,
        "registry/home.html",
        {
            "agreement": agreement,
            "priorities": priorities,
            "organisations_signed": stats.organisations_signed(place.pk),
            "updates_last_year": stats.updates_in_last_year(place.pk),
            "latest": latest,
            "stories": latest_stories(place),
        },
    )


@cached_public_page
def agreement(request):
    """The current text, and earlier versions with their dates."""
    agreements = list(
        Agreement.objects.in_place(request.place)
        .filter(published_at__isnull=False)
        .prefetch_related("priorities")
    )
    current = next((item for item in agreements if item.is_current), None)
    # A newer version prepared ahead of time is not "earlier", and is not public until current.
    earlier = [item for item in agreements if current and item.version < current.version]
    return render(request, "registry/agreement.html", {"current": current, "earlier": earlier})


@cached_public_page
def priority(request, slug):
    """A priority of the current agreement, the organisations committed to it, and updates.

    Commitments and stories from earlier versions count too: the slug is the priority's
    identity across versions. An organisation that signed two versions is listed once, with
    its newest commitment."""
    place = request.place
    priority = get_object_or_404(Priority.objects.current(place), slug=slug)
    commitments = (
        Commitment.objects.filter(
            priority__slug=slug, pledge__in=Pledge.objects.published().in_place(place)
        )
        .select_related("pledge__organisation", "pledge__agreement")
        .order_by(
            "pledge__organisation__name", "pledge__organisation_id", "-pledge__agreement__version"
        )
        .distinct("pledge__organisation__name", "pledge__organisation_id")
    )
    page = PublicPaginator(commitments, PAGE_SIZE).get_page(request.GET.get("page"))
    updates = (
        ProgressUpdate.objects.published()
        .in_place(place)
        .filter(priorities__slug=slug)
        .select_related("pledge__organisation")
        .prefetch_related("priorities")[:6]
    )
    return render(
        request,
        "registry/priority.html",
        {
            "priority": priority,
            "page": page,
            "updates": updates,
            "stories": stories_for_priority(place, slug),
        },
    )


@cached_public_page
def updates(request):
    """The wall: partners' progress updates and residents' stories, together or apart,
    filterable."""
    priorities = list(Priority.objects.current(request.place))
    form = WallForm(request.GET or None, priorities=priorities, areas=request.place.areas.all())
    form.is_valid()
    filters = getattr(form, "cleaned_data", {})
    entries = wall_entries(request.place, filters, show=filters.get("show", ""))
    page = PublicPaginator(entries, PAGE_SIZE)
    page = page.get_page(request.GET.get("page"))
    return render(
        request,
        "registry/updates.html",
        {"form": form, "page": page, "items": wall_items(page.object_list)},
    )


@cached_public_page
def update(request, pk):
    """One published progress update. Drafts and hidden updates are not found."""
    update = get_object_or_404(
        ProgressUpdate.objects.published()
        .in_place(request.place)
        .select_related("pledge__organisation"),
        pk=pk,
    )
    return render(
        request,
        "registry/update.html",
        {"update": update, "priorities": update.priorities.all()},
    )
