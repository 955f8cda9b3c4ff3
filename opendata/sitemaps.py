from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from organisations.models import Organisation
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
    limit = 5000

    def items(self):
        return (
            Organisation.objects.filter(pledges__in=Pledge.objects.public())
            .distinct()
            .order_by("pk")
        )

    def lastmod(self, item):
        return item.updated_at


class PrioritySitemap(Sitemap):
    def items(self):
        return Priority.objects.current()


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
