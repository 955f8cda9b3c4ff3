def places(request):
    """The place the page is about, and every place for the picker (`PlaceMiddleware` read
    them all in one query)."""
    return {"place": getattr(request, "place", None), "places": getattr(request, "places", [])}
