"""The network's page: kindness seen in every place, the five priorities across them all,
each place with its figures, a search of every place's signatories, and the way into a place
to tell a story."""

from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from core.public import cached_public_page
from places.addresses import place_reverse
from places.models import Place
from pledges import stats

from ..forms import NetworkSearchForm
from ..selectors import network_latest
from .organisations import directory_page


def quarter_start(now):
    local = timezone.localtime(now)
    month = 3 * ((local.month - 1) // 3) + 1
    return local.replace(month=month, day=1, hour=0, minute=0, second=0, microsecond=0)


@cached_public_page
def network(request):
    """The places side by side, and a search of every place's signatories at once."""
    start = quarter_start(timezone.now())
    figures = stats.network_figures(start)
    empty = {"signed": 0, "updates": 0, "on_time": 0, "published": 0}
    every = list(Place.objects.order_by("name"))  # the header lists only the first few
    rows = [(place, figures.get(place.pk, empty)) for place in every]
    form = NetworkSearchForm(request.GET or None)
    form.is_valid()
    query = getattr(form, "cleaned_data", {}).get("q")
    page = directory_page(form, {"q": query}, request.GET.get("page")) if query else None
    names = {place.pk: place for place in every}
    found = [
        (
            pledge,
            names[pledge.place_id],
            place_reverse(pledge.place_id, "registry:detail", args=[pledge.organisation.slug]),
        )
        for pledge in (page.object_list if page else [])
    ]
    return render(
        request,
        "registry/network.html",
        {
            "rows": rows,
            "quarter_start": start,
            "form": form,
            "page": page,
            "found": found,
            "priorities": stats.network_priorities(),
            **network_latest(),
        },
    )


def tell_where(request):
    """ "Tell us about kindness you saw", from the network's page: the place chosen there
    (a plain form, so it works without JavaScript) opens that place's story form."""
    slug = request.GET.get("place", "")
    if not slug:
        return redirect("/#tell")
    place = get_object_or_404(Place, slug=slug[:50])
    return redirect(place_reverse(place.pk, "registry:tell"))
