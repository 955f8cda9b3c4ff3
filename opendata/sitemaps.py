from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from places.addresses import place_reverse
from pledges.models import Pledge, Priority, ProgressUpdate
from stories.models import Story


class StaticSitemap(Sitemap):
    def items(self):
        return [
            "registry:home",
            "registry:directory",
            "registry:agreement",
            "registry:updates",
            "registry:tell",
            "opendata:statistics",
            "opendata:data",
            "opendata:api-docs",
            "core:accessibility",
            "core:privacy",
            "core:cookies",
        ]

    def location(self, item):
        return reverse(item)


class OrganisationSitemap(Sitemap):
    """Each organisation's page in each place it signed in."""

    limit = 5000

    def items(self):
        return Pledge.objects.public().select_related("organisation").order_by("pk")

    def location(self, item):
        return place_reverse(item.place_id, "registry:detail", args=[item.organisation.slug])

    def lastmod(self, item):
        return item.organisation.updated_at


class PrioritySitemap(Sitemap):
    """Each place's current priorities."""

    def items(self):
        return Priority.objects.filter(agreement__is_current=True).select_related("agreement")

    def location(self, item):
        return place_reverse(item.agreement.place_id, "registry:priority", args=[item.slug])


class UpdateSitemap(Sitemap):
    limit = 5000

    def items(self):
        return ProgressUpdate.objects.published().select_related("pledge").order_by("pk")

    def lastmod(self, item):
        return item.updated_at


class StorySitemap(Sitemap):
    limit = 5000

    def items(self):
        return Story.objects.public().order_by("pk")

    def lastmod(self, item):
        return item.published_at


SITEMAPS = {
    "pages": StaticSitemap,
    "organisations": OrganisationSitemap,
    "priorities": PrioritySitemap,
    "updates": UpdateSitemap,
    "stories": StorySitemap,
}
