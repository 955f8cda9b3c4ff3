"""Which place a request is about, from its address: `/<short name>/…` or a host name a
place has. Within a place, the rest of the address is routed as it always was, and every
address Django writes (`reverse`, `{% url %}`) carries the place, because the place's prefix
is the script prefix for the request. An address without a place is the default place's,
served as it always was, so that every address that worked before places (organisation
pages, badges on partners' websites, feeds, the API) still does; the registry's own home
address is the network's page once there are several places.

It also says what the page shows, for the page cache (`core.public`): a place's pages are
retired by a change in that place, the network's (its home page, the API) by a change in any.

After `CachedPageMiddleware`: a cached page is answered before this runs (its cache key is
the whole address, place included). A page that misses costs one query, for the first places
by name (the picker lists them) and, past `PICKER_LIMIT`, one more for the place of the
address by its keys: the same with a thousand places as with two."""

from django.db.models import Q
from django.urls import get_script_prefix, set_script_prefix
from django.utils.functional import SimpleLazyObject

from core.public import reset_public_scope, set_public_scope
from core.versions import NETWORK_SCOPE, place_scope

from .addresses import outer_prefix
from .models import Place

# The header lists up to this many places; with more, it links to the network's list of all
# of them instead, and a page costs the same with a thousand places as with two.
PICKER_LIMIT = 12

# Addresses that are the whole registry's, never a place's: no query to find one.
NOT_PLACES = {"api", "static", "media", "healthz", "readyz", "sitemap.xml", "robots.txt"}


# Pages of the whole network, not of any place, without a place in the address.
NETWORK_PATHS = {"/places/"}


class PlaceMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        segment = request.path_info.split("/", 2)[1]
        request.place_in_address = False
        request.network_home = False
        if segment in NOT_PLACES:
            request.places = []
            request.place = SimpleLazyObject(Place.objects.default)
            return self._serve(request, NETWORK_SCOPE)
        host = request.get_host().partition(":")[0]
        # The picker's places, by name, and one more to know there are too many to list;
        # with that many, the places this request may be about are read by their keys.
        request.places = list(Place.objects.order_by("name")[: PICKER_LIMIT + 1])
        candidates = request.places
        if len(request.places) > PICKER_LIMIT:
            about = Q(slug=segment) | Q(is_default=True) | (Q(host=host) & ~Q(host=""))
            candidates = list(Place.objects.filter(about))
        by_host = next((p for p in candidates if p.host and p.host == host), None)
        by_slug = next((p for p in candidates if p.slug == segment), None)
        place = by_host or by_slug
        request.place_in_address = place is not None
        request.place = place or next((p for p in candidates if p.is_default), None)
        # The registry's own home, without a place, is the network's once there are several.
        request.network_home = (
            place is None and request.path_info == "/" and len(request.places) > 1
        )
        # The network's pages (its home, its list of places) change with every place.
        if request.network_home or (place is None and request.path_info in NETWORK_PATHS):
            return self._serve(request, NETWORK_SCOPE)
        scope = place_scope(request.place.pk) if request.place else NETWORK_SCOPE
        if by_host is not None or by_slug is None:
            return self._serve(request, scope)
        outer = get_script_prefix()
        request.path_info = request.path_info[len(segment) + 1 :]
        set_script_prefix(f"{outer}{segment}/")
        token = outer_prefix.set(outer)
        try:
            return self._serve(request, scope)
        finally:
            outer_prefix.reset(token)
            set_script_prefix(outer)

    def _serve(self, request, scope):
        token = set_public_scope(scope)
        try:
            return self.get_response(request)
        finally:
            reset_public_scope(token)
