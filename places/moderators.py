"""Who moderates which place, written once. A moderator (`accounts.moderators.is_moderator`)
named as a moderator of one or more places moderates those only; a moderator of no place in
particular moderates the whole network (the registry's moderators before places existed)."""

from django.db.models import Q

from accounts.moderators import is_moderator, moderators

from .models import Place


def moderated_place_ids(user) -> set[int] | None:
    """The places this moderator may act in, or None for all of them (kept on the user for
    the request: every admin page and service asks)."""
    if not hasattr(user, "_moderated_place_ids"):
        ids = set(
            Place.moderators.through.objects.filter(user_id=user.pk).values_list(
                "place_id", flat=True
            )
        )
        user._moderated_place_ids = ids or None
    return user._moderated_place_ids


def within(queryset, lookup: str, places: set[int] | None):
    """The queryset narrowed to these places (`moderated_place_ids`), by the path `lookup`
    from its model to the place; all of it for None (a moderator of the whole network)."""
    return queryset if places is None else queryset.filter(**{f"{lookup}__in": places})


def moderates(user, place_id) -> bool:
    """Whether the person may act as a moderator on something in this place."""
    if not is_moderator(user):
        return False
    places = moderated_place_ids(user)
    return places is None or place_id in places


def moderators_of(place_id):
    """Who moderates this place, for emails: its own moderators and the network's."""
    Through = Place.moderators.through
    return (
        moderators()
        .filter(
            Q(moderated_places__isnull=True)
            | Q(pk__in=Through.objects.filter(place_id=place_id).values("user_id"))
        )
        .distinct()
    )
