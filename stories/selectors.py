"""Named reads of residents' stories for the public pages, feeds and downloads."""

from .models import Story

SHOWN = 6  # stories on an organisation's or a priority's page; the wall has the rest


def public_stories(place):
    """Published stories of the place."""
    return (
        Story.objects.public()
        .in_place(place)
        .select_related("organisation", "priority", "area", "place")
    )


def stories_about(organisation, place, limit=SHOWN):
    return list(public_stories(place).filter(organisation=organisation)[:limit])


def stories_for_priority(place, slug, limit=SHOWN):
    return list(public_stories(place).about_priority(slug)[:limit])


def latest_stories(place, limit=SHOWN):
    return list(public_stories(place)[:limit])
