"""The admin opens on what needs doing, and the oldest submission comes first."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from pledges.models import ModeratorVisit, Pledge
from tests.factories import ModeratorFactory, PledgeFactory, ProgressUpdateFactory, UserFactory
from tests.public_world import published_organisation

pytestmark = pytest.mark.django_db


def queue(response):
    return {item["key"]: item for item in response.context["queue"]}


def test_the_admin_opens_on_the_queue_with_counts_that_link_to_their_lists(client):
    now = timezone.now()
    PledgeFactory(status=Pledge.Status.SUBMITTED, submitted_at=now - timedelta(days=9))
    PledgeFactory(status=Pledge.Status.SUBMITTED, submitted_at=now - timedelta(days=2))
    quiet = published_organisation("Quiet Reporter")
    Pledge.objects.filter(pk=quiet.pk).update(published_at=now - timedelta(days=400))
    quiet_updates = quiet.updates.filter(published_at__gt=now - timedelta(days=7)).count()
    ProgressUpdateFactory(published_at=now - timedelta(days=1))
    moderator = ModeratorFactory()
    client.force_login(moderator)

    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    items = queue(response)
    waiting = items["waiting"]
    assert waiting["count"] == 2 and waiting["detail"] == "the oldest submitted 9 days ago"
    assert waiting["label"] == "pledges waiting for a decision"
    assert items["new_updates"]["count"] == 1 + quiet_updates
    assert items["overdue"]["count"] == 1
    assert items["overdue"]["label"] == "organisation awaiting a progress update"
    text = response.content.decode()
    assert "Waiting for you" in text and "the oldest submitted 9 days ago" in text

    for item in items.values():  # each link opens the list of exactly what it counted
        listed = client.get(item["url"])
        assert listed.status_code == 200, item["url"]
        assert listed.context["cl"].result_count == item["count"], item["label"]


def test_new_updates_are_counted_since_the_moderators_last_visit(client):
    moderator = ModeratorFactory()
    client.force_login(moderator)
    ProgressUpdateFactory(published_at=timezone.now() - timedelta(hours=1))
    first = queue(client.get(reverse("admin:index")))
    assert first["new_updates"]["count"] == 1
    assert ModeratorVisit.objects.get(user=moderator).seen_at > timezone.now() - timedelta(1)
    again = queue(client.get(reverse("admin:index")))
    assert again["new_updates"]["count"] == 0
    assert again["new_updates"]["label"] == "progress updates posted since your last visit"


def test_submitted_pledges_are_listed_oldest_first(client):
    now = timezone.now()
    newer = PledgeFactory(status=Pledge.Status.SUBMITTED, submitted_at=now - timedelta(days=1))
    oldest = PledgeFactory(status=Pledge.Status.SUBMITTED, submitted_at=now - timedelta(days=365))
    middle = PledgeFactory(status=Pledge.Status.SUBMITTED, submitted_at=now - timedelta(days=30))
    client.force_login(ModeratorFactory())
    response = client.get(
        reverse("admin:pledges_pledge_changelist"), {"status__exact": "submitted"}
    )
    assert list(response.context["cl"].result_list) == [oldest, middle, newer]


def test_people_who_are_not_moderators_get_no_queue(client):
    client.force_login(UserFactory())
    response = client.get(reverse("admin:index"), follow=True)
    assert response.status_code == 403  # the admin's login page says it is for moderators
    assert not ModeratorVisit.objects.exists()
