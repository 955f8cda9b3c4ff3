"""Guards that run before anything else reads the request."""

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string

PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=()"
)


def plain_error(template: str, status: int, context=None) -> HttpResponse:
    """A self-contained error page: no database, session or context processors needed."""
    return HttpResponse(render_to_string(template, context), status=status)


class RequestGuardMiddleware:
    """Refuse what no page can use before any worker time is spent on it.

    - A body over MAX_REQUEST_BODY_BYTES is refused from its Content-Length, unread.
    - A NUL anywhere in the path or query string is a 400: PostgreSQL cannot store it, so
      no lookup could ever match, and some would fail with a server error.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.refusal(request) or self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response

    def refusal(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = settings.MAX_REQUEST_BODY_BYTES
        if length > limit:
            return plain_error("413.html", 413, {"limit_mb": limit // (1024 * 1024)})
        if "\x00" in request.path or any(
            "\x00" in key or "\x00" in value
            for key, values in request.GET.lists()
            for value in values
        ):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": "The address contains a NUL character."}, status=400)
            return plain_error("400.html", 400)
        return None
