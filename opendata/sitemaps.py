from django.contrib.sitemaps import Sitemap
from django.urls import reverse
from django.utils import timezone

from places.addresses import place_reverse
from places.models import Place
from pledges.models import Pledge, Priority, ProgressUpdate
from stories.models import Story

# Each place's own main pages, written in the place.
PLACE_PAGES = [
    "registry:home",
    "registry:signatories",
    "registry:agreement",
    "registry:updates",
    "registry:tell",
    "opendata:statistics",
    "opendata:data",
]


class StaticSitemap(Sitemap):
    """The network's own pages, then each place's main pages in that place."""

    def items(self):
        network = ["registry:home", "registry:places", "opendata:api-docs", "core:accessibility", "core:privacy",
                   "core:cookies"]  # fmt: skip
        places = Place.objects.values_list("pk", flat=True)
        this_year = {"year": timezone.localdate().year}
        return (
            [(None, name, {}) for name in network]
            + [(place_id, name, {}) for place_id in places for name in PLACE_PAGES]
            + [(place_id, "opendata:year", this_year) for place_id in places]
        )

    def location(self, item):
        place_id, name, kwargs = item
        if place_id is None:
            return reverse(name, kwargs=kwargs)
        return place_reverse(place_id, name, kwargs=kwargs)


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
