"""Email is sent by the task worker, exactly once, and retried when the mail server fails."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from pledges.models import Pledge
from tests import flaky_email
from tests.factories import MembershipFactory, ModeratorFactory, PledgeFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("seeded_agreement")]

REAL_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def run_worker():
    call_command("db_worker", "--batch", "--interval", "0", "--no-startup-delay", verbosity=0)


def submitted_pledges(count):
    pledges = []
    for _ in range(count):
        membership = MembershipFactory()
        pledges.append(
            PledgeFactory(organisation=membership.organisation, status=Pledge.Status.SUBMITTED)
        )
    return pledges


@override_settings(TASKS=REAL_QUEUE)
def test_an_admin_action_on_many_pledges_answers_without_sending_and_the_worker_sends_each_once(
    client,
):
    pledges = submitted_pledges(40)
    client.force_login(ModeratorFactory())
    response = client.post(
        reverse("admin:pledges_pledge_changelist"),
        {"action": "approve_pledges", "_selected_action": [p.pk for p in pledges]},
    )
    assert response.status_code == 302
    assert Pledge.objects.filter(status=Pledge.Status.PUBLISHED).count() == 40
    assert mail.outbox == []  # nothing was sent inside the request
    assert DBTaskResult.objects.count() == 40

    run_worker()
    assert len(mail.outbox) == 40
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        p.organisation.memberships.get().user.email for p in pledges
    )
    run_worker()  # running again sends nothing twice
    assert len(mail.outbox) == 40
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}


@override_settings(TASKS=REAL_QUEUE, EMAIL_BACKEND="tests.flaky_email.FlakyEmailBackend")
def test_a_failed_send_is_retried_later_and_delivered_exactly_once(client, monkeypatch):
    (pledge,) = submitted_pledges(1)
    client.force_login(ModeratorFactory())
    client.post(
        reverse("admin:pledges_pledge_changelist"),
        {"action": "approve_pledges", "_selected_action": [pledge.pk]},
    )
    monkeypatch.setitem(flaky_email.FAIL_SENDS, "left", 2)

    run_worker()  # the mail server is down: a retry is queued for later, nothing is sent
    assert mail.outbox == []
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.run_after > timezone.now() + timedelta(seconds=50)
    assert retry.args_kwargs["kwargs"]["attempt"] == 2

    run_worker()  # not due yet: the worker leaves it alone
    assert mail.outbox == []

    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
    run_worker()  # still down: the third attempt waits five minutes
    third = DBTaskResult.objects.get(status="READY")
    assert third.run_after > timezone.now() + timedelta(minutes=4)

    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
    run_worker()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [pledge.organisation.memberships.get().user.email]
    run_worker()
    assert len(mail.outbox) == 1


@override_settings(TASKS=REAL_QUEUE, EMAIL_BACKEND="tests.flaky_email.FlakyEmailBackend")
def test_a_residents_address_and_token_are_never_in_a_task(monkeypatch):
    """The confirmation is rendered at sending from the story's id: the address and the token
    (made then) are in the email only, never in the task's arguments, result or a retry."""
    import json
    import re

    from places.models import Place
    from stories.models import Story, token_digest
    from stories.services import story_submit

    story = story_submit(
        body="A neighbour walked my son to school.",
        email="resident@example.net",
        place=Place.objects.default(),
    )
    monkeypatch.setitem(flaky_email.FAIL_SENDS, "left", 1)
    run_worker()  # the mail server is down: a retry is queued, by the story's id only
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
    run_worker()
    (message,) = mail.outbox
    assert message.to == ["resident@example.net"]
    token = re.search(r"/kindness-seen/confirm/([^/\s]+)/", message.body).group(1)
    assert Story.objects.get(pk=story.pk).token_digest == token_digest(token)
    stored = json.dumps(list(DBTaskResult.objects.values("args_kwargs", "return_value")))
    assert DBTaskResult.objects.count() == 2
    assert "resident@example.net" not in stored and token not in stored
    assert f'"story_id": {story.pk}' in stored
