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
            # One row per slug, a current version's wording first (DISTINCT ON): with a
            # thousand places there are five thousand priorities, and five options.
            rows = (
                Priority.objects.order_by("slug", "-agreement__is_current", "pk")
                .distinct("slug")
                .values_list("slug", "number", "title")
            )
            return [
                (slug, f"{number}. {title}")
                for slug, number, title in sorted(rows, key=lambda r: (r[1], r[0]))
            ]

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
