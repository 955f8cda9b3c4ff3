"""List filters the moderators' lists share, worded for people rather than fields."""

from django.contrib import admin

from pledges.models import Pledge, Priority


def priority_filter(path: str):
    """A filter by priority, by its identity across versions and places (the slug), each
    named by its short title: not "By slug" over raw slugs, nor a bare "-" option."""

    class PriorityFilter(admin.SimpleListFilter):
        title = "priority"
        parameter_name = "priority"

        def lookups(self, request, model_admin):
            titles = {}
            for slug, number, title in Priority.objects.order_by(
                "number", "-agreement__is_current", "pk"
            ).values_list("slug", "number", "title"):
                titles.setdefault(slug, f"{number}. {title}")
            return list(titles.items())

        def queryset(self, request, queryset):
            if self.value():
                return queryset.filter(**{path: self.value()}).distinct()
            return queryset

    return PriorityFilter


class ReportingStatusFilter(admin.SimpleListFilter):
    """Published pledges by where they are in the reporting cycle, to chase late reports."""

    title = "reporting status"
    parameter_name = "reporting"

    def lookups(self, request, model_admin):
        return Pledge.ReportingStatus.choices

    def queryset(self, request, queryset):
        if self.value() in Pledge.ReportingStatus.values:
            ids = Pledge.objects.with_reporting_status(self.value()).values("pk")
            return queryset.filter(pk__in=ids)
        return queryset
