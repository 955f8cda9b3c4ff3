"""A moderator of some places sees only theirs in the admin: every list and page of things
that belong to a place is narrowed to those places (`places.moderators`); a moderator of the
whole network sees everything."""

from organisations import permissions


class PlaceScopedAdmin:
    """`place_lookup`: the path from the model to its place's id."""

    place_lookup = "place"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        places = permissions.moderated_place_ids(request.user)
        if places is None:
            return queryset
        return queryset.filter(**{f"{self.place_lookup}__in": places}).distinct()
