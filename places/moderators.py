"""Who moderates which place, written once. A moderator of the whole network
(`accounts.moderators.is_network_moderator`) moderates every place; any other moderator
moderates the places they are named on (`Place.moderators`), and nothing else: a moderator
named on no place moderates nothing, so the rule fails closed."""

from django.db.models import Q

from accounts.moderators import (
    is_moderator,
    is_network_moderator,
    moderators,
    network_moderators,
)

from .models import Place


def moderated_place_ids(user) -> set[int] | None:
    """The places this moderator may act in: None for every place (a moderator of the
    network), else the ids of those they are named on, which may be none. Kept on the user
    for the request: every admin page and service asks."""
    if not hasattr(user, "_moderated_place_ids"):
        if is_network_moderator(user):
            user._moderated_place_ids = None
        elif not is_moderator(user):
            user._moderated_place_ids = set()
        else:
            user._moderated_place_ids = set(
                Place.moderators.through.objects.filter(user_id=user.pk).values_list(
                    "place_id", flat=True
                )
            )
    return user._moderated_place_ids


def within(queryset, lookup: str, places: set[int] | None):
    """The queryset narrowed to these places (`moderated_place_ids`), by the path `lookup`
    from its model to the place; all of it for None (a moderator of the whole network)."""
    return queryset if places is None else queryset.filter(**{f"{lookup}__in": places})


def moderates(user, place_id) -> bool:
    """Whether the person may act as a moderator on something in this place."""
    if place_id is None or not is_moderator(user):
        return False
    places = moderated_place_ids(user)
    return places is None or place_id in places


def moderators_of(place_id):
    """Who moderates this place, for emails: its own moderators and the network's."""
    if place_id is None:
        raise ValueError("Moderators of which place? Name it.")
    Through = Place.moderators.through
    return moderators().filter(
        Q(pk__in=network_moderators().values("pk"))
        | Q(pk__in=Through.objects.filter(place_id=place_id).values("user_id"))
    )
