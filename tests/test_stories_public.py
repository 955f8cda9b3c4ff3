"""Kindness seen, in public: every surface a published story reaches, and nothing else."""

import csv
import io
import json

import pytest
from django.urls import reverse

from opendata.downloads import STORY_COLUMNS
from places.models import Area, Place
from pledges.models import Priority
from stories import stats
from stories.models import Story
from tests.factories import ProgressUpdateFactory, StoryFactory

pytestmark = pytest.mark.django_db


def cheltenham():
    return Place.objects.default()


@pytest.fixture
def told():
    priority = Priority.objects.get(agreement__is_current=True, number=4)
    story = StoryFactory(
        body="The dentist explained every step to my nervous daughter.",
        shown_name="Ana",
        priority=priority,
        area=Area.objects.get(slug="oakley"),
        email="ana@example.net",
    )
    elsewhere = StoryFactory(
        body="A stranger paid for my bus fare.", organisation=None, shown_name=""
    )
    update = ProgressUpdateFactory(title="Our new quiet room")
    return story, elsewhere, update


def download(client, file_format):
    response = client.get(reverse("opendata:download", args=["stories", file_format]))
    return b"".join(response.streaming_content).decode("utf-8-sig")


def test_a_published_story_is_on_every_surface(client, told):
    story, elsewhere, _ = told
    words = "explained every step"
    pages = {
        "organisation": story.organisation.get_absolute_url(),
        "priority": story.priority.get_absolute_url(),
        "wall": reverse("registry:updates"),
        "story": story.get_absolute_url(),
        "home": reverse("registry:home"),
        "feed": reverse("opendata:stories-feed"),
        "organisation feed": reverse(
            "opendata:organisation-stories-feed", args=[story.organisation.slug]
        ),
    }
    for name, url in pages.items():
        assert words in client.get(url).content.decode(), name
    api = client.get("/api/v1/stories").json()
    found = {item["story"]: item for item in api["items"]}
    assert found[story.body]["shown_name"] == "Ana"
    assert found[story.body]["organisation_slug"] == story.organisation.slug
    assert found[elsewhere.body]["shown_name"] == "A resident"
    assert found[elsewhere.body]["organisation_slug"] is None
    rows = list(csv.DictReader(io.StringIO(download(client, "csv"))))
    assert [row["story"] for row in rows if row["story_id"] == str(story.pk)] == [story.body]
    assert list(rows[0]) == [name for name, _ in STORY_COLUMNS]
    data = json.loads(download(client, "json"))["data"]
    assert {row["story"] for row in data} == {story.body, elsewhere.body}
    assert "ana@example.net" not in json.dumps(api) + json.dumps(data)


def test_the_wall_shows_updates_and_stories_together_or_apart(client, told):
    story, elsewhere, update = told
    wall = reverse("registry:updates")
    both = client.get(wall).content.decode()
    assert all(text in both for text in ("Our new quiet room", "nervous daughter", "bus fare"))
    assert "Progress updates and kindness seen" in both
    only_stories = client.get(wall, {"show": "stories"}).content.decode()
    assert "nervous daughter" in only_stories and "Our new quiet room" not in only_stories
    assert '<h1 class="govuk-heading-xl">Kindness seen</h1>' in only_stories
    only_updates = client.get(wall, {"show": "updates"}).content.decode()
    assert "Our new quiet room" in only_updates and "nervous daughter" not in only_updates
    by_area = client.get(wall, {"show": "stories", "area": "oakley"}).content.decode()
    assert "nervous daughter" in by_area and "bus fare" not in by_area
    by_priority = client.get(wall, {"priority": story.priority.slug}).content.decode()
    assert "nervous daughter" in by_priority and "bus fare" not in by_priority


def test_the_wall_pages_through_both_kinds_in_date_order(client):
    from django.utils import timezone

    now = timezone.now()
    for day in range(25):
        if day % 2:
            StoryFactory(
                body=f"Story of day {day}.", published_at=now - timezone.timedelta(days=day)
            )
        else:
            ProgressUpdateFactory(
                title=f"Update of day {day}", published_at=now - timezone.timedelta(days=day)
            )
    first = client.get(reverse("registry:updates")).context
    second = client.get(reverse("registry:updates"), {"page": 2}).context
    assert first["page"].paginator.count == 25
    dates = [item.published_at for _, item in first["items"] + second["items"]]
    assert len(dates) == 25 and dates == sorted(dates, reverse=True)


def test_statistics_count_stories_by_month_and_priority(client, told):
    story, elsewhere, _ = told
    StoryFactory(status=Story.Status.WAITING)  # not counted
    priorities = tuple(Priority.objects.filter(agreement__is_current=True))
    counts = dict(stats.stories_by_priority(cheltenham().pk, priorities))
    assert counts[story.priority.title] == 1 and counts["No priority chosen"] == 1
    assert sum(count for _, count in stats.stories_by_month(cheltenham().pk)) == 2
    page = client.get(reverse("opendata:statistics")).content.decode()
    assert "Kindness seen per month" in page and "Kindness seen per priority" in page


def test_a_waiting_story_is_nowhere_until_published(client, told):
    waiting = StoryFactory(status=Story.Status.WAITING, body="Not yet read by anyone.")
    assert client.get(waiting.get_absolute_url()).status_code == 404
    assert client.get(reverse("registry:story-concern", args=[waiting.pk])).status_code == 404
    assert "Not yet read" not in client.get(reverse("registry:updates")).content.decode()
    assert "Not yet read" not in client.get("/api/v1/stories").content.decode()


def test_a_story_without_a_name_is_by_a_resident_in_lower_case_mid_sentence(client):
    from tests.factories import StoryFactory

    story = StoryFactory(shown_name="")
    page = client.get(story.get_absolute_url()).content.decode()
    assert "Kindness seen by a resident" in page and "by A resident" not in page
    assert story.byline == "A resident"  # on its own, as a signature, it keeps its capital
