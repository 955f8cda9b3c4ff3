"""A place's year in kindness, for its moderators: the foreword and the highlights. The
figures are the registry's, shown here to read, never to change."""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.forms import ModelForm
from moderation.scoping import PlaceScopedAdmin

from . import yearly
from .models import HIGHLIGHTS_MAX, YearReport
from .services import year_report_save


class YearReportForm(ModelForm):
    class Meta:
        model = YearReport
        fields = ["place", "year", "foreword", "updates", "stories"]

    def _at_most(self, name):
        chosen = self.cleaned_data.get(name)
        if chosen is not None and len(chosen) > HIGHLIGHTS_MAX:
            raise ValidationError(
                _("Choose at most %(max)s: you chose %(count)s."),
                params={"max": HIGHLIGHTS_MAX, "count": len(chosen)},
            )
        return chosen

    def clean_updates(self):
        return self._at_most("updates")

    def clean_stories(self):
        return self._at_most("stories")


@admin.register(YearReport)
class YearReportAdmin(PlaceScopedAdmin, admin.ModelAdmin):
    form = YearReportForm
    list_display = ["place", "year", "has_foreword", "view_on_site_link"]
    list_filter = [("place", admin.RelatedOnlyFieldListFilter), "year"]
    list_select_related = ["place"]
    # Plain multiple selects: the admin's two-box filter widget fails axe (labels on spans).
    readonly_fields = ["view_on_site_link"]

    def get_fields(self, request, obj=None):
        if obj is None:  # the highlights are chosen once the place and year are known
            return ["place", "year", "foreword"]
        return ["place", "year", "view_on_site_link", "foreword", "updates", "stories"]

    def get_readonly_fields(self, request, obj=None):
        return ["view_on_site_link"] + (["place", "year"] if obj else [])

    def get_changeform_initial_data(self, request):
        return {"year": timezone.localdate().year, **super().get_changeform_initial_data(request)}

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if obj is not None:
            updates, stories = yearly.highlight_choices(obj.place_id, obj.year)
            form.base_fields["updates"].queryset = updates
            form.base_fields["stories"].queryset = stories
        return form

    def save_model(self, request, obj, form, change):
        """Through the service, with the highlights (`save_related` has nothing left to do)."""
        saved = year_report_save(
            report=obj,
            foreword=form.cleaned_data["foreword"],
            updates=form.cleaned_data.get("updates", []),
            stories=form.cleaned_data.get("stories", []),
            by=request.user,
        )
        obj.pk = saved.pk

    def save_related(self, request, form, formsets, change):
        pass

    # The service writes the history, with the whole foreword: not a second entry here.
    def log_addition(self, request, obj, message):
        pass

    def log_change(self, request, obj, message):
        pass

    @admin.display(boolean=False, description=_("foreword"))
    def has_foreword(self, obj):
        return _("Written") if obj.foreword.strip() else _("Not yet")

    @admin.display(description=_("on the site"))
    def view_on_site_link(self, obj):
        if obj is None or obj.pk is None:
            return "-"
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), _("Read the year"))
