"""A moderator of some places sees only theirs in the admin: every list and page of things
that belong to a place is narrowed to those places (`places.moderators`); a moderator of the
whole network sees everything."""

from organisations import permissions


class PlaceScopedAdmin:
    """`place_lookup`: the path from the model to its place's id."""

    place_lookup = "place"

    def get_queryset(self, request):
        places = permissions.moderated_place_ids(request.user)
        narrowed = permissions.within(super().get_queryset(request), self.place_lookup, places)
        return narrowed if places is None else narrowed.distinct()
