"""Who is a moderator, and what moderators may do in the admin, written once.

A moderator is an active staff account holding the `accounts.moderate` permission, which the
Moderators group carries (superusers hold every permission). Services, the admin site, the
two-factor middleware, emails to moderators and retention all ask this module. The group is
made, or corrected to exactly MODERATOR_PERMISSIONS, after every `migrate`; give someone the
role by adding them to it (`manage.py createmoderator` does it all).
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
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


# What the Moderators group may do in the admin: look at everything in the registry, moderate
# pledges, updates and residents' stories, correct an organisation's profile, and prepare agreement versions.
MODERATOR_PERMISSIONS = [
    "accounts.moderate",  # what makes a moderator: accounts.moderators
    *(
        f"{app}.view_{model}"
        for app, model in [
            ("organisations", "organisation"),
            ("organisations", "membership"),
            ("organisations", "invitation"),
            ("organisations", "joinrequest"),
            ("pledges", "agreement"),
            ("pledges", "priority"),
            ("pledges", "pledge"),
            ("pledges", "commitment"),
            ("pledges", "progressupdate"),
            ("pledges", "pledgeevent"),
            ("pledges", "reminder"),
            ("pledges", "moderatordigest"),
            ("pledges", "concern"),
            ("stories", "story"),
            ("stories", "storyedit"),
            ("stories", "storyconcern"),
            ("stories", "flagword"),
            ("places", "place"),
            ("places", "area"),
        ]
    ),
    "pledges.change_pledge",
    "pledges.change_progressupdate",
    "pledges.change_concern",
    # Residents' stories: publish, decline, edit out personal details, decide concerns, and
    # tune the words that flag a story as naming a child or a family.
    "stories.change_story",
    "stories.change_storyconcern",
    "stories.add_flagword",
    "stories.change_flagword",
    # A new place: opened from the admin (moderation.services.place_create).
    "places.add_place",
    "organisations.change_organisation",
    "pledges.add_agreement",
    "pledges.change_agreement",
    # A draft version's priorities are written with it (the inline), until it is signed.
    "pledges.add_priority",
    "pledges.change_priority",
]


MODERATORS_GROUP = "Moderators"


def moderators_group():
    """The Moderators group, with exactly MODERATOR_PERMISSIONS (made or corrected)."""
    group, _created = Group.objects.get_or_create(name=MODERATORS_GROUP)
    group.permissions.set(moderator_permissions())
    return group


def moderator_permissions():
    query = Q(pk__in=[])
    for name in MODERATOR_PERMISSIONS:
        app_label, codename = name.split(".")
        query |= Q(content_type__app_label=app_label, codename=codename)
    return Permission.objects.filter(query)
