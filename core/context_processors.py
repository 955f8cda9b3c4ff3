from .siteurl import site_url


def site(request):
    """The product name and the resolved URL name, for the header and aria-current."""
    match = getattr(request, "resolver_match", None)
    return {
        "SITE_NAME": "Kindness Commitments",
        "SITE_URL": site_url(request),
        "current_url_name": match.view_name if match else "",
    }
