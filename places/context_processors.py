from core.siteurl import absolute_url

from .addresses import place_path
from .middleware import PICKER_LIMIT


def places(request):
    """The place the page is about, and every place for the picker (`PlaceMiddleware` read
    them all in one query)."""
    places = getattr(request, "places", [])
    in_address = getattr(request, "place_in_address", False)
    return {
        "place": getattr(request, "place", None),
        "places": places,
        # Too many to list in the header: it links to the network's list instead.
        "many_places": len(places) > PICKER_LIMIT,
        # The registry's own pages (the network's, the accounts, an organisation's members)
        # are no one place's once there are several: the header, footer and title name no
        # place there. Every other page names the place it serves, with or without its
        # short name in the address.
        "named_place": getattr(request, "place", None)
        if in_address or len(places) < 2 or _serves_a_place(request)
        else None,
        "canonical_url": _canonical(request),
    }


# The apps whose pages show one place's content (its signatories, agreement, figures, pages
# about it, its signing and dashboard); the accounts, privacy and organisations' members
# pages are the network's.
PLACE_NAMESPACES = {"registry", "opendata", "pledges", "stories", "core"}
NETWORK_PAGES = {"opendata:api-docs", "registry:places"}


def _serves_a_place(request) -> bool:
    match = getattr(request, "resolver_match", None)
    if getattr(request, "network_home", False) or match is None:
        return False
    return match.namespace in PLACE_NAMESPACES and match.view_name not in NETWORK_PAGES


def _canonical(request) -> str:
    """A place's page answers with and without its short name (Cheltenham's, from before
    places), and on its own host name: it names one address, the place's, as the sitemap
    does. The network's own pages and the registry-wide ones name none."""
    place = getattr(request, "place", None)
    if place is None or not getattr(request, "places", None) or request.network_home:
        return ""
    query = request.META.get("QUERY_STRING", "")
    return absolute_url(place_path(place.pk, request.path_info), request) + (
        f"?{query}" if query else ""
    )
