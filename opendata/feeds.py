"""Atom feeds of published progress updates (everything, one organisation, one priority) and
of residents' stories of kindness seen (everything, one organisation)."""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape, linebreaks

from core.markdown import render_markdown
from core.text import xml_safe
from organisations.models import Organisation
from pledges.models import Pledge, Priority, ProgressUpdate
from stories.selectors import public_stories

ITEMS = 50


def _xml_safe(value):
    if isinstance(value, str):
        return xml_safe(value)
    if isinstance(value, list | tuple):
        return [_xml_safe(item) for item in value]
    return value


def _place(obj):
    """The place a feed's object is in: the place itself, or an organisation or priority
    that carries it."""
    return getattr(obj, "feed_place", obj)


class SafeAtom1Feed(Atom1Feed):
    """Atom that drops what XML 1.0 cannot carry, so one bad title never breaks a feed."""

    def __init__(self, *args, **kwargs):
        super().__init__(*map(_xml_safe, args), **{k: _xml_safe(v) for k, v in kwargs.items()})

    def add_item(self, *args, **kwargs):
        super().add_item(*map(_xml_safe, args), **{k: _xml_safe(v) for k, v in kwargs.items()})


class UpdatesFeed(Feed):
    feed_type = SafeAtom1Feed
    author_name = "Kindness Commitments"

    def title(self, obj):
        return f"Kindness Commitments in {_place(obj).name}: progress updates"

    def subtitle(self, obj):
        place = _place(obj)
        return f"Progress updates from organisations that signed the community agreement of {place.name}."

    def link(self):
        return reverse("registry:updates")

    def get_object(self, request, *args, **kwargs):
        return request.place  # the feed instance is shared: what a request needs is in obj

    def queryset(self, obj):
        return (
            ProgressUpdate.objects.published()
            .in_place(_place(obj))
            .select_related("pledge__organisation")
        )

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
        organisation = get_object_or_404(
            Organisation.objects.filter(
                pledges__in=Pledge.objects.public().in_place(request.place)
            ).distinct(),
            slug=slug,
        )
        organisation.feed_place = request.place
        return organisation

    def title(self, obj):
        return f"Kindness Commitments in {_place(obj).name}: updates from {obj.name}"

    def link(self, obj):
        return obj.get_absolute_url()

    def queryset(self, obj):
        return super().queryset(obj).filter(pledge__organisation=obj)


class PriorityUpdatesFeed(UpdatesFeed):
    def get_object(self, request, slug):
        priority = get_object_or_404(Priority.objects.current(request.place), slug=slug)
        priority.feed_place = request.place
        return priority

    def title(self, obj):
        return f"Kindness Commitments in {_place(obj).name}: updates about “{obj.title}”"

    def link(self, obj):
        return obj.get_absolute_url()

    def queryset(self, obj):  # stories from every version: the slug is the priority's identity
        return super().queryset(obj).filter(priorities__slug=obj.slug)


class StoriesFeed(Feed):
    """Residents' published stories of kindness seen. Their words are plain text, shown as
    written; the resident's address is never part of a story's public fields."""

    feed_type = SafeAtom1Feed
    author_name = "Kindness Commitments"

    def title(self, obj):
        return f"Kindness Commitments in {_place(obj).name}: kindness seen"

    def subtitle(self, obj):
        return f"What residents and families tell us about kindness they met in {_place(obj).name}."

    def link(self):
        return f"{reverse('registry:updates')}?show=stories"

    get_object = UpdatesFeed.get_object

    def queryset(self, obj):
        return public_stories(_place(obj))

    def items(self, obj=None):
        return self.queryset(obj)[:ITEMS]

    def item_title(self, item):
        where = item.organisation.name if item.organisation else f"Somewhere in {item.place.name}"
        return f"Kindness seen by {item.byline_in_sentence}: {where}"

    def item_description(self, item):
        return linebreaks(escape(item.body))

    def item_pubdate(self, item):
        return item.published_at

    def item_author_name(self, item):
        return item.byline


class OrganisationStoriesFeed(StoriesFeed):
    get_object = OrganisationUpdatesFeed.get_object

    def title(self, obj):
        return f"Kindness Commitments in {_place(obj).name}: kindness seen at {obj.name}"

    def link(self, obj):
        return obj.get_absolute_url()

    def queryset(self, obj):
        return super().queryset(obj).filter(organisation=obj)
