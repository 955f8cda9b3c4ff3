"""A new agreement version: counts and feeds carry over, organisations are invited once, and
their published pledge stays in use while they sign again from a prefilled draft."""

import re
import xml.etree.ElementTree as ET

import pytest
from django.core import mail
from django.urls import reverse

from organisations.models import Membership
from pledges import services
from pledges.models import Agreement, Commitment, Pledge, PledgeEvent, Priority
from tests.factories import (
    AgreementFactory,
    MembershipFactory,
    ModeratorFactory,
    PledgeFactory,
    default_place,
)
from tests.public_world import published_organisation

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def next_version(carry_over=5):
    """Version 2: the first `carry_over` priorities keep their slugs (reworded), the rest are new."""
    old = Agreement.objects.get_current(default_place())
    newer = AgreementFactory(version=old.version + 1, body="The second wording.")
    for priority in old.priorities.all():
        Priority.objects.create(
            agreement=newer,
            number=priority.number,
            title=f"{priority.title} (reworded)",
            slug=priority.slug if priority.number <= carry_over else f"new-{priority.number}",
            description=priority.description,
        )
    return newer


def figures(client):
    """Everything public that counts or lists by priority."""
    api = client.get("/api/v1/statistics").json()["commitments_per_priority"]
    listed = client.get("/api/v1/priorities").json()
    slug = Priority.objects.get(agreement__is_current=True, number=1).slug
    feed = ET.fromstring(client.get(reverse("opendata:priority-feed", args=[slug])).content)
    priority_page = client.get(reverse("registry:priority", args=[slug])).content.decode()
    return {
        "statistics": [row["count"] for row in api],
        "priorities": [row["commitment_count"] for row in listed],
        "feed_entries": len(feed.findall(f"{ATOM}entry")),
        "listed_on_priority_page": re.search(r"(\d+) organisations?</p>", priority_page)[1],
        "home": [p.commitment_count for p in client.get("/").context["priorities"]],
    }


@pytest.fixture
def town():
    pledges = [published_organisation(f"Organisation {n}") for n in range(3)]
    for pledge in pledges:
        MembershipFactory(organisation=pledge.organisation, role=Membership.Role.ADMIN)
    return pledges


def make_current(newer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return services.agreement_make_current(
            agreement=newer, by=ModeratorFactory(), reason="Agreed by the partnership board."
        )


def test_counts_feeds_and_statistics_are_the_same_after_a_new_version(
    client, town, django_capture_on_commit_callbacks
):
    before = figures(client)
    assert sum(before["statistics"]) > 0 and before["feed_entries"] > 0
    make_current(next_version(), django_capture_on_commit_callbacks)
    assert figures(client) == before


def test_each_organisation_that_signed_earlier_is_invited_once(
    client, town, django_capture_on_commit_callbacks
):
    already_signing = town[0].organisation
    PledgeFactory(organisation=already_signing, agreement=AgreementFactory(version=50))
    newer = next_version()
    Pledge.objects.filter(organisation=already_signing, agreement__version=50).update(
        agreement=newer
    )
    mail.outbox.clear()
    make_current(newer, django_capture_on_commit_callbacks)
    invited = sorted(message.subject for message in mail.outbox)
    assert invited == [
        f"Organisation {n}: please sign version {newer.version} of the Community Agreement"
        for n in (1, 2)
    ]
    for pledge in town[1:]:
        event = pledge.events.get(action=PledgeEvent.Action.INVITED_TO_RESIGN)
        assert "Agreed by the partnership board." in event.reason and event.actor is not None
    assert not town[0].events.filter(action=PledgeEvent.Action.INVITED_TO_RESIGN).exists()
    # The old pledges stay public, labelled with their version.
    page = client.get(town[1].organisation.get_absolute_url()).content.decode()
    assert f"Version {town[1].agreement.version}" in page
    with pytest.raises(services.AgreementError, match="already the current"):
        services.agreement_make_current(agreement=newer, by=ModeratorFactory(), reason="Again")


def test_the_new_draft_starts_from_the_old_pledge_where_priorities_carry_over(
    town, django_capture_on_commit_callbacks
):
    old = town[0]
    admin = Membership.objects.filter(organisation=old.organisation, role="admin").first()
    make_current(next_version(carry_over=3), django_capture_on_commit_callbacks)
    draft = services.pledge_start(
        organisation=old.organisation, by=admin.user, place=default_place()
    )
    assert draft.agreement.is_current and draft.status == Pledge.Status.DRAFT
    carried = {c.priority.slug: c.body for c in draft.commitments.select_related("priority")}
    earlier = {
        c.priority.slug: c.body
        for c in old.commitments.select_related("priority")
        if c.priority.number <= 3
    }
    assert carried == earlier and carried  # priority 4 has a new slug: not carried over
    assert draft.statement == old.statement
    assert Commitment.history.filter(pledge_id=draft.pk).count() == len(carried)


def test_the_old_pledge_stays_in_use_while_the_new_one_is_drafted(
    client, town, django_capture_on_commit_callbacks
):
    old = town[0]
    admin = Membership.objects.filter(organisation=old.organisation, role="admin").first()
    make_current(next_version(), django_capture_on_commit_callbacks)
    services.pledge_start(organisation=old.organisation, by=admin.user, place=default_place())
    client.force_login(admin.user)
    dashboard = client.get(reverse("pledges:dashboard", args=[old.organisation.pk]))
    text = dashboard.content.decode()
    assert dashboard.context["pledge"] == old and dashboard.context["signing"] is not None
    assert "Continue signing version" in text
    assert reverse("pledges:update-new", args=[old.organisation.pk]) in text
    assert reverse("pledges:confirm-accurate", args=[old.organisation.pk]) in text
    client.post(reverse("pledges:confirm-accurate", args=[old.organisation.pk]))
    assert old.events.filter(action=PledgeEvent.Action.CONFIRMED).exists()
