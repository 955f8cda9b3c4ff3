"""The network's page: kindness seen in every place, the five priorities across them all,
each place with its figures, a search of every place's signatories, and the way into a place
to tell a story."""

import html

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import get_script_prefix
from django.utils import timezone
from django.utils.safestring import mark_safe

from core.public import cached_public_page, remembered
from core.versions import EVERYTHING_SCOPE
from places.addresses import outer_prefix, place_reverse
from places.models import Place
from pledges import stats

from ..forms import NetworkSearchForm, PlaceFindForm
from ..selectors import NO_FIGURES, every_place, network_latest, network_places
from .organisations import signatories_page

# The network page's table shows this many places (the busiest, past it); `/places/` lists
# every place, by name, a page at a time, and finds one by its name.
NETWORK_PLACES = 12
PLACES_PER_PAGE = 50


def _figures(place_ids):
    """Since when updates are counted, and these places' figures by id, each kept until its
    own place changes (`stats.network_figures`)."""
    start = stats.quarter_start(timezone.now())
    return start, stats.network_figures(start, place_ids)


def _options(pairs) -> str:
    """`<option>`s for (value, label) pairs, escaped as Django escapes (`html.escape`): a
    thousand places through a template loop, or `format_html_join`, were a third of the
    page's cost."""
    return mark_safe(  # noqa: S308 - every value and label is escaped here
        "".join(
            f'<option value="{html.escape(value)}">{html.escape(label)}</option>'
            for value, label in pairs
        )
    )


@remembered(scope=EVERYTHING_SCOPE)
def tell_options() -> str:
    """The story form's place options, drawn again only when a place opens."""
    return _options((slug, name) for _pk, slug, name in every_place())


@cached_public_page
def network(request):
    """The places side by side, and a search of every place's signatories at once."""
    start = stats.quarter_start(timezone.now())
    every = every_place()
    form = NetworkSearchForm(request.GET or None)
    form.is_valid()
    query = getattr(form, "cleaned_data", {}).get("q")
    page = signatories_page(form, {"q": query}, request.GET.get("page")) if query else None
    pledges = page.object_list if page else []
    names = {pk: name for pk, _slug, name in every} if pledges else {}
    found = [
        (
            pledge,
            names[pledge.place_id],
            place_reverse(pledge.place_id, "registry:detail", args=[pledge.organisation.slug]),
        )
        for pledge in pledges
    ]
    return render(
        request,
        "registry/network.html",
        {
            "rows": network_places(start, NETWORK_PLACES),
            "place_count": len(every),
            "all_shown": len(every) <= NETWORK_PLACES,
            "tell_options": tell_options(),
            "find_form": PlaceFindForm(),
            "quarter_start": start,
            "form": form,
            "page": page,
            "found": found,
            "priorities": stats.network_priorities(),
            **network_latest(),
        },
    )


@cached_public_page
def places(request):
    """Every place in the network with its figures, by name, a page at a time, and found by
    its name: what the header's "All places" opens once there are too many to list. The
    network's page, so it has one address, without any place's."""
    if request.place_in_address:
        outer = outer_prefix.get() or get_script_prefix()
        return redirect(f"{outer}places/", permanent=True)
    form = PlaceFindForm(request.GET or None)
    form.is_valid()
    query = getattr(form, "cleaned_data", {}).get("q")
    found = Place.objects.order_by("name")
    if query:
        found = found.filter(name__icontains=query)
    page = Paginator(found, PLACES_PER_PAGE).get_page(request.GET.get("page"))
    start, figures = _figures([place.pk for place in page.object_list])
    rows = [(place, figures.get(place.pk) or NO_FIGURES) for place in page.object_list]
    return render(
        request,
        "registry/places.html",
        {"form": form, "query": query, "page": page, "rows": rows, "quarter_start": start},
    )


def tell_where(request):
    """ "Tell us about kindness you saw", from the network's page: the place chosen there
    (a plain form, so it works without JavaScript) opens that place's story form."""
    slug = request.GET.get("place", "")
    if not slug:
        return redirect("/#tell")
    place = get_object_or_404(Place, slug=slug[:50])
    return redirect(place_reverse(place.pk, "registry:tell"))
