"""A moderator of some places sees only theirs in the admin: every list and page of things
that belong to a place is narrowed to those places (`places.moderators`), and a form that
asks for a place offers only theirs; a moderator of the whole network sees everything."""

from django.contrib.admin.utils import unquote
from django.http import Http404

from organisations import permissions


class PlaceScopedAdmin:
    """`place_lookup`: the path from the model to its place's id."""

    place_lookup = "place"

    def get_queryset(self, request):
        places = permissions.moderated_place_ids(request.user)
        narrowed = permissions.within(super().get_queryset(request), self.place_lookup, places)
        return narrowed if places is None else narrowed.distinct()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "place":
            places = permissions.moderated_place_ids(request.user)
            kwargs["queryset"] = permissions.within(
                db_field.related_model.objects.all(), "pk", places
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    # A history page finds its object in the narrowed list, or answers 404: django-simple-
    # history would otherwise read an object outside it from its historical records.
    def history_view(self, request, object_id, extra_context=None):
        self._in_my_places(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._in_my_places(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)

    def _in_my_places(self, request, object_id):
        if self.get_object(request, unquote(object_id)) is None:
            raise Http404("Not in the places you moderate.")
