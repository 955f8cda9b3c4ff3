"""Places in the admin: a moderator opens the registry to a new place (its name, short name,
contacts, areas and a copy of another place's agreement), live at once, through
`moderation.services.place_create`; and each place's areas, kept afterwards."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from accounts.moderators import moderators
from core.forms import ModelForm
from organisations import permissions
from places.models import Area, Place
from pledges.models import Agreement

from .services import (
    PlaceError,
    place_areas_save,
    place_create,
    place_moderators_set,
    place_set_host,
)


class NewPlaceForm(ModelForm):
    areas = forms.CharField(
        label=_("Areas"),
        widget=forms.Textarea(attrs={"rows": 8, "cols": 60}),
        help_text=_(
            "One a line, as people would say them (“The whole of Irvine”, “Kilwinning”). "
            "Organisations and residents choose from these."
        ),
    )
    copy_from = forms.ModelChoiceField(
        label=_("Start from the agreement of"),
        queryset=Agreement.objects.filter(is_current=True).select_related("place"),
        help_text=_(
            "Its text and five priorities become this place's version 1. Change the wording "
            "afterwards by preparing version 2."
        ),
    )

    class Meta:
        model = Place
        fields = [
            "name", "slug", "gss_code", "host", "contact_email", "data_controller",
            "privacy_email", "moderators",
        ]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["moderators"].queryset = moderators().order_by("email")
        self.fields["moderators"].label = _("Its first moderators")
        self.fields["copy_from"].label_from_instance = lambda agreement: (
            f"{agreement.place.name}: {agreement.title} (version {agreement.version})"
        )

    def clean_areas(self):
        names = [line.strip() for line in self.cleaned_data["areas"].splitlines() if line.strip()]
        areas = [(slugify(name)[:30], name[:100]) for name in names]
        slugs = [slug for slug, _name in areas]
        if not all(slugs) or len(set(slugs)) != len(slugs):
            raise ValidationError(_("Give each area a different name, with letters or numbers."))
        return areas


class AreaInline(admin.StackedInline):
    """A place's moderators rename, reorder and add its areas (saved by `place_areas_save`);
    none is deleted: stories point at them. Drawn compactly (admin.css): a place may have
    twenty or more, and the tabular layout labels its boxes only by a column heading."""

    model = Area
    fields = ["name", "slug", "position"]
    extra = 0

    def get_readonly_fields(self, request, obj=None):
        return ["slug"] if obj is not None else []

    def has_add_permission(self, request, obj=None):
        return obj is not None and permissions.moderates(request.user, obj.pk)

    def has_change_permission(self, request, obj=None):
        return obj is not None and permissions.moderates(request.user, obj.pk)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "host", "contact_email"]
    search_fields = ["name", "slug"]

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = NewPlaceForm
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return [*NewPlaceForm.Meta.fields, "areas", "copy_from"]
        fields = [
            "name", "slug", "gss_code", "host", "contact_email", "data_controller",
            "privacy_email",
        ]  # fmt: skip
        # A place's moderators are named by the network's, at any time (place_moderators_set).
        if permissions.is_network_moderator(request.user):
            fields.append("moderators")
        return [*fields, "network_moderators"]

    @admin.display(description=_("Moderators of the whole network"))
    def network_moderators(self, obj):
        """Named as such: they act here too, without being this place's moderators."""
        return (
            ", ".join(
                permissions.network_moderators().order_by("email").values_list("email", flat=True)
            )
            or "-"
        )

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "moderators":
            kwargs["queryset"] = moderators().order_by("email")
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        fixed = [
            "name", "slug", "gss_code", "contact_email", "data_controller", "privacy_email",
            "network_moderators",
        ]  # fmt: skip
        # A host name needs the deployment's DNS, certificate and ALLOWED_HOSTS: superusers.
        return fixed if request.user.is_superuser else [*fixed, "host"]

    def get_inlines(self, request, obj):
        return [AreaInline] if obj else []

    def has_change_permission(self, request, obj=None):
        """Its moderators keep its areas; a superuser also its host name."""
        return obj is None or permissions.moderates(request.user, obj.pk)

    def get_queryset(self, request):
        places = permissions.moderated_place_ids(request.user)
        return permissions.within(super().get_queryset(request), "pk", places)

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        """A new place is opened by a moderator of the whole network (place_create)."""
        return permissions.is_network_moderator(request.user) and super().has_add_permission(
            request
        )

    def save_related(self, request, form, formsets, change):
        if "moderators" in form.cleaned_data:  # named by a moderator of the network
            place_moderators_set(
                place=form.instance, moderators=form.cleaned_data["moderators"], by=request.user
            )
        if not change:
            return
        for formset in formsets:  # the areas
            areas = formset.save(commit=False)
            place_areas_save(place=form.instance, areas=areas, by=request.user)
            formset.save_m2m()

    def save_model(self, request, obj, form, change):
        if change:
            if "host" in form.changed_data:
                place_set_host(place=obj, host=obj.host, by=request.user)
            return
        try:
            place_create(
                place=obj,
                areas=form.cleaned_data["areas"],
                copy_from=form.cleaned_data["copy_from"],
                by=request.user,
            )
        except PlaceError as error:
            raise ValidationError(str(error)) from error
