from django.conf import settings


def site(request):
    """The product name and the resolved URL name, for the header and aria-current."""
    match = getattr(request, "resolver_match", None)
    return {
        "SITE_NAME": "Kindness Commitments",
        "SITE_URL": settings.SITE_URL,
        "current_url_name": match.view_name if match else "",
    }
