"""Who is a moderator, written once.

A moderator is an active staff account holding the `accounts.moderate` permission, which the
Moderators group carries (superusers hold every permission). Services, the admin site, the
two-factor middleware, emails to moderators and retention all ask this module.
"""

from django.contrib.auth import get_user_model
from django.db.models import Q

MODERATE = "accounts.moderate"


def is_moderator(user) -> bool:
    return bool(
        user.is_authenticated and user.is_active and user.is_staff and user.has_perm(MODERATE)
    )


def moderators():
    """Every account `is_moderator` lets in, for emails to the moderation team."""
    app_label, codename = MODERATE.split(".")
    holds = Q(
        groups__permissions__codename=codename,
        groups__permissions__content_type__app_label=app_label,
    ) | Q(
        user_permissions__codename=codename,
        user_permissions__content_type__app_label=app_label,
    )
    return (
        get_user_model()
        .objects.filter(is_active=True, is_staff=True)
        .filter(holds | Q(is_superuser=True))
        .distinct()
    )
