def places(request):
    """The place the page is about, and every place for the picker (`PlaceMiddleware` read
    them all in one query)."""
    places = getattr(request, "places", [])
    in_address = getattr(request, "place_in_address", False)
    return {
        "place": getattr(request, "place", None),
        "places": places,
        # The registry's own pages (the network's, the accounts) are no one place's once
        # there are several: the header and footer name no place there.
        "named_place": getattr(request, "place", None) if in_address or len(places) < 2 else None,
    }
