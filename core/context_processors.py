from django.conf import settings

from .siteurl import site_url


def site(request):
    """The product name and the resolved URL name, for the header and aria-current."""
    match = getattr(request, "resolver_match", None)
    return {
        "SITE_NAME": "Kindness Commitments",
        "SITE_URL": site_url(request),
        "current_url_name": match.view_name if match else "",
        "RETENTION": retention_periods(),
    }


def retention_periods() -> dict[str, int]:
    """The periods the privacy notice promises and `apply_retention` keeps, in days, for
    every page and email that states one: written once, in settings."""
    return {
        "unconfirmed_story_days": settings.RETENTION_UNCONFIRMED_STORY_DAYS,
        "story_email_days": settings.RETENTION_STORY_EMAIL_DAYS,
        "unverified_account_days": settings.RETENTION_UNVERIFIED_ACCOUNT_DAYS,
    }
