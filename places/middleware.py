"""Which place a request is about: `request.place`, loaded only when a view asks."""

from django.utils.functional import SimpleLazyObject

from .models import Place


class PlaceMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.place = SimpleLazyObject(Place.objects.default)
        return self.get_response(request)
