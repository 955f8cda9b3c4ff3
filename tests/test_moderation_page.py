"""A pledge's admin page: the decision buttons, the public preview, earlier returns."""

import pytest
from django.core import mail
from django.urls import reverse

from pledges import services
from pledges.models import Pledge, PledgeEvent
from tests.factories import (
    CommitmentFactory,
    MembershipFactory,
    ModeratorFactory,
    PledgeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator(client):
    user = ModeratorFactory()
    client.force_login(user)
    return user


def submitted(statement="We want every child to thrive."):
    pledge = PledgeFactory(status=Pledge.Status.SUBMITTED, statement=statement)
    MembershipFactory(organisation=pledge.organisation)  # an admin to email
    CommitmentFactory(pledge=pledge, body="We will <b>listen</b> first.")
    return pledge


def page(pledge):
    return reverse("admin:pledges_pledge_change", args=[pledge.pk])


def decide(pledge, name):
    return reverse("admin:pledges_pledge_decide", args=[pledge.pk, name])


def test_the_page_shows_the_pledge_as_the_public_will_see_it_and_its_earlier_returns(
    client, moderator
):
    pledge = submitted()
    services.pledge_return(pledge=pledge, by=moderator, reason="Say more about priority 2.")
    Pledge.objects.filter(pk=pledge.pk).update(status=Pledge.Status.SUBMITTED)
    response = client.get(page(pledge))
    assert response.status_code == 200
    text = response.content.decode()
    assert "As the public will see it" in text
    assert "We want every child to thrive." in text
    assert "We will &lt;b&gt;listen&lt;/b&gt; first." in text  # escaped, as in public
    assert "Say more about priority 2." in text.split("Earlier returns")[1]
    assert [d.name for d in response.context["decisions"]] == ["approve", "return"]
    assert decide(pledge, "approve") in text and decide(pledge, "return") in text
    assert "A short public statement in your own words." not in text  # partners' help text
    assert "Say in plain words" not in text


def test_approve_is_one_button_that_publishes_and_returns_to_the_queue(
    client, moderator, django_capture_on_commit_callbacks
):
    pledge = submitted()
    assert client.get(decide(pledge, "approve")).status_code == 302  # a GET changes nothing
    pledge.refresh_from_db()
    assert pledge.status == Pledge.Status.SUBMITTED
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(decide(pledge, "approve"))
    assert response.status_code == 302
    assert response["Location"].endswith("?status__exact=submitted")
    pledge.refresh_from_db()
    assert pledge.status == Pledge.Status.PUBLISHED
    assert pledge.events.get().action == PledgeEvent.Action.PUBLISHED
    assert len(mail.outbox) == 1 and pledge.organisation.name in mail.outbox[0].subject


def test_return_asks_for_a_reason_and_keeps_what_was_typed(client, moderator):
    pledge = submitted()
    form = client.get(decide(pledge, "return"))
    assert form.status_code == 200 and 'name="reason"' in form.content.decode()
    empty = client.post(decide(pledge, "return"), {"reason": "   "})
    assert "Give a reason" in empty.content.decode()
    long = client.post(decide(pledge, "return"), {"reason": "x" * 2001})
    assert "x" * 2001 in long.content.decode()  # kept, with the error
    pledge.refresh_from_db()
    assert pledge.status == Pledge.Status.SUBMITTED and not pledge.events.exists()
    client.post(decide(pledge, "return"), {"reason": "Please add a statement."})
    pledge.refresh_from_db()
    assert (pledge.status, pledge.status_reason) == (
        Pledge.Status.RETURNED,
        "Please add a statement.",
    )


def test_suspend_then_reinstate_each_with_a_reason(client, moderator):
    pledge = PledgeFactory(published=True)
    assert [d.name for d in client.get(page(pledge)).context["decisions"]] == ["suspend"]
    client.post(decide(pledge, "suspend"), {"reason": "A complaint to look into."})
    pledge.refresh_from_db()
    assert pledge.status == Pledge.Status.SUSPENDED
    assert [d.name for d in client.get(page(pledge)).context["decisions"]] == ["reinstate"]
    response = client.post(decide(pledge, "reinstate"), {"reason": "Resolved with the school."})
    assert response["Location"] == page(pledge)
    pledge.refresh_from_db()
    assert pledge.status == Pledge.Status.PUBLISHED
    assert pledge.events.filter(
        action=PledgeEvent.Action.REINSTATED, reason="Resolved with the school."
    ).exists()


def test_a_decision_the_state_does_not_allow_is_refused_and_changes_nothing(client, moderator):
    pledge = PledgeFactory(published=True)
    response = client.post(decide(pledge, "approve"), follow=True)
    assert "A published pledge cannot be approved and published." in response.content.decode()
    assert not pledge.events.exists()
    assert client.post(decide(pledge, "delete")).status_code == 404


def test_only_moderators_decide(client):
    pledge = submitted()
    anonymous = client.post(decide(pledge, "approve"))
    assert anonymous.status_code == 302 and "/admin/login/" in anonymous["Location"]
    member = MembershipFactory(organisation=pledge.organisation).user
    client.force_login(member)
    client.post(decide(pledge, "approve"))
    staff_without_permission = UserFactory(is_staff=True)
    client.force_login(staff_without_permission)
    client.post(decide(pledge, "approve"))
    pledge.refresh_from_db()
    assert pledge.status == Pledge.Status.SUBMITTED and not pledge.events.exists()
