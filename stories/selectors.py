"""Named reads of residents' stories for the public pages, feeds and downloads."""

from .models import Story

SHOWN = 6  # stories on an organisation's or a priority's page; the wall has the rest


def public_stories():
    return Story.objects.public().select_related("organisation", "priority", "area")


def stories_about(organisation, limit=SHOWN):
    return list(public_stories().filter(organisation=organisation)[:limit])


def stories_for_priority(slug, limit=SHOWN):
    return list(public_stories().about_priority(slug)[:limit])


def latest_stories(limit=SHOWN):
    return list(public_stories()[:limit])
