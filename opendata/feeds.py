"""Atom feeds of published progress updates: everything, one organisation, one priority."""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from core.markdown import render_markdown
from core.text import xml_safe
from organisations.models import Organisation
from pledges.models import Pledge, Priority, ProgressUpdate

ITEMS = 50


def _xml_safe(value):
    if isinstance(value, str):
        return xml_safe(value)
    if isinstance(value, list | tuple):
        return [_xml_safe(item) for item in value]
    return value


class SafeAtom1Feed(Atom1Feed):
    """Atom that drops what XML 1.0 cannot carry, so one bad title never breaks a feed."""

    def __init__(self, *args, **kwargs):
        super().__init__(*map(_xml_safe, args), **{k: _xml_safe(v) for k, v in kwargs.items()})

    def add_item(self, *args, **kwargs):
        super().add_item(*map(_xml_safe, args), **{k: _xml_safe(v) for k, v in kwargs.items()})


class UpdatesFeed(Feed):
    feed_type = SafeAtom1Feed
    title = "Kindness Commitments: progress updates"
    subtitle = "Progress updates from organisations that signed the No Child Left Behind Community Agreement."
    author_name = "Kindness Commitments"

    def link(self):
        return reverse("registry:updates")

    def queryset(self, obj):
        return ProgressUpdate.objects.published().select_related("pledge__organisation")

    def items(self, obj=None):
        return self.queryset(obj)[:ITEMS]

    def item_title(self, item):
        return f"{item.pledge.organisation.name}: {item.title}"

    def item_description(self, item):
        return render_markdown(item.body)

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return item.pledge.organisation.name


class OrganisationUpdatesFeed(UpdatesFeed):
    def get_object(self, request, slug):
        return get_object_or_404(
            Organisation.objects.filter(pledges__in=Pledge.objects.public()).distinct(), slug=slug
        )

    def title(self, obj):
        return f"Kindness Commitments: updates from {obj.name}"

    def link(self, obj):
        return obj.get_absolute_url()

    def queryset(self, obj):
        return super().queryset(obj).filter(pledge__organisation=obj)


class PriorityUpdatesFeed(UpdatesFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Priority, agreement__is_current=True, slug=slug)

    def title(self, obj):
        return f"Kindness Commitments: updates about “{obj.title}”"

    def link(self, obj):
        return obj.get_absolute_url()

    def queryset(self, obj):  # stories from every version: the slug is the priority's identity
        return super().queryset(obj).filter(priorities__slug=obj.slug)
