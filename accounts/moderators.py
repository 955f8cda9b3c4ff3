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
# A moderator of every place, named as such (the Network moderators group carries it). Any
# other moderator moderates only the places they are named on (`places.moderators`): the rule
# fails closed, so a moderator removed from their last place moderates nothing.
MODERATE_NETWORK = "accounts.moderate_network"


def is_moderator(user) -> bool:
    return bool(
        user.is_authenticated and user.is_active and user.is_staff and user.has_perm(MODERATE)
    )


def is_network_moderator(user) -> bool:
    return is_moderator(user) and user.has_perm(MODERATE_NETWORK)


def moderators():
    """Every account `is_moderator` lets in, for emails to the moderation team."""
    return _holding(MODERATE)


def network_moderators():
    """Every moderator of the whole network (`is_network_moderator`)."""
    return moderators().filter(pk__in=_holding(MODERATE_NETWORK).values("pk"))


def _holding(permission: str):
    app_label, codename = permission.split(".")
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
            ("opendata", "yearreport"),
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
    # A place's year in kindness: its foreword and highlights (opendata.services).
    "opendata.add_yearreport",
    "opendata.change_yearreport",
]


MODERATORS_GROUP = "Moderators"
NETWORK_MODERATORS_GROUP = "Network moderators"

# What a moderator of the whole network may do beyond a place's: everything a moderator may,
# in every place, and the acts that change an organisation wherever it signed
# (`organisations.permissions.may_act_on_organisation`) or a place's moderators.
NETWORK_MODERATOR_PERMISSIONS = [*MODERATOR_PERMISSIONS, MODERATE_NETWORK]


def moderators_group():
    """The Moderators group, with exactly MODERATOR_PERMISSIONS (made or corrected)."""
    group, _created = Group.objects.get_or_create(name=MODERATORS_GROUP)
    group.permissions.set(moderator_permissions())
    return group


def network_moderators_group():
    """The Network moderators group, with exactly NETWORK_MODERATOR_PERMISSIONS."""
    group, _created = Group.objects.get_or_create(name=NETWORK_MODERATORS_GROUP)
    group.permissions.set(moderator_permissions(NETWORK_MODERATOR_PERMISSIONS))
    return group


def moderator_permissions(names=MODERATOR_PERMISSIONS):
    query = Q(pk__in=[])
    for name in names:
        app_label, codename = name.split(".")
        query |= Q(content_type__app_label=app_label, codename=codename)
    return Permission.objects.filter(query)
