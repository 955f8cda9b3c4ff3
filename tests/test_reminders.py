"""Reminders that chase late reports kindly, and the moderators' daily digest."""

import threading
from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from moderation import reminders as reminders_module
from moderation.digest import send_moderator_digest
from moderation.reminders import LEAD, send_reminders
from organisations.models import Membership
from pledges.models import (
    ModeratorDigest,
    Pledge,
    PledgeEvent,
    Reminder,
)
from pledges.reporting import reporting_cycle, reporting_grace
from tests.factories import (
    MembershipFactory,
    ModeratorFactory,
    PledgeFactory,
    ProgressUpdateFactory,
)

T0 = timezone.now().replace(microsecond=0) - timedelta(days=400)
DUE = T0 + reporting_cycle()
SECOND = timedelta(seconds=1)


def published_pledge(published_at=T0, name="Leckhampton Primary"):
    admin = MembershipFactory(role=Membership.Role.ADMIN, organisation__name=name)
    return PledgeFactory(organisation=admin.organisation, published=True, published_at=published_at)


def sent_subjects():
    return [message.subject for message in mail.outbox]


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    def run(now, **options):
        with django_capture_on_commit_callbacks(execute=True):
            return send_reminders(now=now, **options)

    return run


@pytest.mark.django_db
def test_each_reminder_goes_once_at_its_exact_moment(run):
    published_pledge()
    steps = [
        (DUE - LEAD - SECOND, []),
        (DUE - LEAD, ["due in two weeks"]),
        (DUE - SECOND, []),
        (DUE, ["update is due"]),
        (DUE + reporting_grace() - SECOND, []),
        (DUE + reporting_grace(), ["how you are getting on"]),
        (DUE + reporting_grace() + timedelta(days=60), []),
    ]
    for now, expected in steps:
        mail.outbox.clear()
        run(now)
        assert len(mail.outbox) == len(expected), (now - DUE, sent_subjects())
        for subject, words in zip(sent_subjects(), expected, strict=True):
            assert subject.startswith("Leckhampton Primary: ") and words in subject
    kinds = list(Reminder.objects.order_by("created_at").values_list("kind", "status"))
    assert kinds == [("soon", "sent"), ("due", "sent"), ("awaiting", "sent")]


@pytest.mark.django_db
def test_a_late_first_run_sends_only_the_reminder_that_applies_now(run):
    published_pledge()
    run(DUE + reporting_grace() + SECOND)
    assert len(mail.outbox) == 1 and "how you are getting on" in mail.outbox[0].subject


@pytest.mark.django_db
def test_the_email_links_to_posting_an_update_and_to_confirming(run, client):
    pledge = published_pledge(name="Tom & Jerry's <Club>")
    run(DUE)
    message = mail.outbox[0]
    assert message.subject == "Tom & Jerry's <Club>: your progress update is due"
    assert message.to == pledge.organisation.admin_emails()
    org = pledge.organisation_id
    confirm = reverse("pledges:confirm-accurate", args=[org])
    assert reverse("pledges:update-new", args=[org]) in message.body
    assert confirm in message.body
    html = message.alternatives[0][0]
    assert "Tom &amp; Jerry&#x27;s &lt;Club&gt;" in html and confirm in html

    admin = Membership.objects.get(organisation_id=org)
    client.force_login(admin.user)
    page = client.get(confirm)
    assert page.status_code == 200
    assert "Yes, they are still accurate" in page.content.decode()
    assert not PledgeEvent.objects.filter(action=PledgeEvent.Action.CONFIRMED).exists()
    client.post(confirm)
    pledge.refresh_from_db()
    assert pledge.last_reported_at is not None
    assert PledgeEvent.objects.filter(action=PledgeEvent.Action.CONFIRMED).count() == 1


@pytest.mark.django_db
def test_running_twice_sends_each_email_once(run):
    for number in range(3):
        published_pledge(name=f"Organisation {number}")
    assert run(DUE)["sent"] == 3
    assert run(DUE)["sent"] == 0
    assert run(DUE + SECOND)["sent"] == 0
    assert len(mail.outbox) == 3


@pytest.mark.django_db
def test_a_dry_run_counts_and_changes_nothing(run):
    published_pledge()
    out = StringIO()
    call_command("send_reminders", "--dry-run", stdout=out)
    assert "Would send 1 reminder\n" in out.getvalue()
    assert Reminder.objects.count() == 0 and mail.outbox == []
    run(timezone.now())
    assert run(timezone.now(), dry_run=True) == {"would_send": 0}


@pytest.mark.django_db
def test_a_reminder_no_longer_needed_is_cancelled_not_sent(run):
    pledge = published_pledge()
    Reminder.objects.create(pledge=pledge, kind=Reminder.Kind.SOON, due_at=DUE)
    Pledge.objects.filter(pk=pledge.pk).update(last_reported_at=DUE - timedelta(days=3))
    counts = run(DUE - timedelta(days=2))
    assert counts == {"sent": 0, "cancelled": 1, "failed": 0}
    assert mail.outbox == []


@pytest.mark.django_db
@pytest.mark.django_db
def test_reminders_skip_unclaimed_organisations_without_an_error(run, caplog):
    ok = published_pledge(name="Reachable")
    unclaimed = published_pledge(name="Imported from paper")
    Membership.objects.filter(organisation=unclaimed.organisation).delete()  # nobody acts for it
    assert run(DUE) == {"sent": 1, "cancelled": 0, "failed": 0}
    assert [m.to for m in mail.outbox] == [ok.organisation.admin_emails()]
    assert not Reminder.objects.filter(pledge=unclaimed).exists()
    assert not [record for record in caplog.records if record.levelname == "ERROR"]
    MembershipFactory(organisation=unclaimed.organisation, role=Membership.Role.ADMIN)  # claimed
    assert run(DUE + SECOND)["sent"] == 1


@pytest.mark.django_db
def test_one_organisation_failing_does_not_stop_the_others_and_is_retried(run, monkeypatch):
    ok = published_pledge(name="Reachable")
    unreachable = published_pledge(name="Unreachable")
    send = reminders_module.send_place_email

    def failing_for_one(template, recipients, context, *, place):
        if context["organisation"] == unreachable.organisation:
            raise OSError("The mail queue refused it.")
        return send(template, recipients, context, place=place)

    monkeypatch.setattr(reminders_module, "send_place_email", failing_for_one)
    counts = run(DUE)
    assert counts == {"sent": 1, "cancelled": 0, "failed": 1}
    assert [m.to for m in mail.outbox] == [ok.organisation.admin_emails()]
    failed = Reminder.objects.get(pledge=unreachable)
    assert failed.status == Reminder.Status.PENDING and failed.attempts == 1
    assert "refused" in failed.last_error

    monkeypatch.setattr(reminders_module, "send_place_email", send)
    assert run(DUE + SECOND)["sent"] == 1
    failed.refresh_from_db()
    assert failed.status == Reminder.Status.SENT and failed.last_error == ""
    assert len(mail.outbox) == 2


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_send_each_email_once(seeded_agreement, monkeypatch):
    for number in range(6):
        published_pledge(name=f"Organisation {number}")
    barrier = threading.Barrier(2)
    planned = reminders_module.planned

    def planned_together(now):  # both runs plan before either sends
        result = planned(now)
        barrier.wait(timeout=10)
        return result

    monkeypatch.setattr(reminders_module, "planned", planned_together)
    results = []

    def one_run():
        try:
            results.append(send_reminders(now=DUE))
        finally:
            connection.close()

    threads = [threading.Thread(target=one_run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sum(result["sent"] for result in results) == 6
    assert len(mail.outbox) == 6
    assert Reminder.objects.count() == 6


@pytest.mark.django_db
def test_the_digest_lists_new_updates_once_a_day(django_capture_on_commit_callbacks):
    ModeratorFactory(email="moderator@example.org")
    # Nine in the morning today: an hour later is the same day at any hour the test runs.
    now = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0)
    old = ProgressUpdateFactory(title="Last week's story", published_at=now - timedelta(days=7))
    fresh = ProgressUpdateFactory(
        title="A <b>bold</b> story", published_at=now - timedelta(hours=2)
    )
    with django_capture_on_commit_callbacks(execute=True):
        digest = send_moderator_digest(now=now)
        again = send_moderator_digest(now=now + timedelta(hours=1))
    assert digest.updates == 1 and again is None
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "1 new progress update to look at"
    assert message.to == ["moderator@example.org"]
    assert fresh.title in message.body and old.title not in message.body
    assert "A &lt;b&gt;bold&lt;/b&gt; story" in message.alternatives[0][0]

    tomorrow = now + timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        quiet = send_moderator_digest(now=tomorrow)
    assert quiet.updates == 0 and len(mail.outbox) == 1  # nothing new, no email
    assert ModeratorDigest.objects.count() == 2
    out = StringIO()
    call_command("send_moderator_digest", stdout=out)
    assert "already been sent" in out.getvalue()  # today's went out above
