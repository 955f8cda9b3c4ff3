"""Moderators return, suspend and hide from the admin, giving a reason the organisation sees."""

import pytest
from django.core import mail
from django.urls import reverse

from pledges.models import Pledge, PledgeEvent, ProgressUpdate
from tests.factories import (
    MembershipFactory,
    ModeratorFactory,
    PledgeFactory,
    ProgressUpdateFactory,
)

pytestmark = pytest.mark.django_db

PLEDGES = reverse("admin:pledges_pledge_changelist")


@pytest.fixture
def moderator(client):
    user = ModeratorFactory()
    client.force_login(user)
    return user


def submitted_pledge():
    pledge = PledgeFactory(status=Pledge.Status.SUBMITTED)
    MembershipFactory(organisation=pledge.organisation)  # an admin to email
    return pledge


def run_action(client, url, action, rows, **extra):
    data = {"action": action, "_selected_action": [row.pk for row in rows], **extra}
    return client.post(url, data, follow=True)


def test_return_asks_for_a_reason_first_and_changes_nothing_until_given(client, moderator):
    pledge = submitted_pledge()
    page = run_action(client, PLEDGES, "return_pledges", [pledge]).content.decode()
    assert 'name="reason"' in page and pledge.organisation.name in page
    page = run_action(client, PLEDGES, "return_pledges", [pledge], apply="1", reason="  ")
    assert "Give a reason. The organisation will see it." in page.content.decode()
    pledge.refresh_from_db()
    assert pledge.status == Pledge.Status.SUBMITTED and not pledge.events.exists()


def test_return_with_a_reason_records_it_and_emails_the_organisation(
    client, moderator, django_capture_on_commit_callbacks
):
    pledge = submitted_pledge()
    with django_capture_on_commit_callbacks(execute=True):
        page = run_action(
            client,
            PLEDGES,
            "return_pledges",
            [pledge],
            apply="1",
            reason="Please say what you will do for priority 2.",
        )
    assert "Returned 1 pledge. The organisation has been emailed." in page.content.decode()
    pledge.refresh_from_db()
    assert pledge.status == Pledge.Status.RETURNED
    assert pledge.status_reason == "Please say what you will do for priority 2."
    event = pledge.events.get()
    assert (event.action, event.actor) == (PledgeEvent.Action.RETURNED, moderator)
    (message,) = mail.outbox
    assert "Please say what you will do for priority 2." in message.body


def test_suspend_takes_a_published_pledge_off_the_public_site(client, moderator):
    pledge = PledgeFactory(published=True)
    assert client.get(pledge.organisation.get_absolute_url()).status_code == 200
    run_action(client, PLEDGES, "suspend_pledges", [pledge], apply="1", reason="A complaint.")
    pledge.refresh_from_db()
    assert pledge.status == Pledge.Status.SUSPENDED
    client.logout()
    assert client.get(pledge.organisation.get_absolute_url()).status_code == 404


def test_reinstating_a_suspended_pledge_keeps_its_original_date(client, moderator):
    pledge = PledgeFactory(published=True)
    signed = pledge.published_at
    run_action(client, PLEDGES, "suspend_pledges", [pledge], apply="1", reason="A complaint.")
    asked = run_action(client, PLEDGES, "reinstate_pledges", [pledge]).content.decode()
    assert 'name="reason"' in asked  # reinstating asks why, like the other decisions
    pledge.refresh_from_db()
    assert pledge.status == Pledge.Status.SUSPENDED
    page = run_action(
        client, PLEDGES, "reinstate_pledges", [pledge], apply="1", reason="Complaint resolved."
    )
    assert "Reinstated 1 pledge. It is public again." in page.content.decode()
    pledge.refresh_from_db()
    assert (pledge.status, pledge.published_at) == (Pledge.Status.PUBLISHED, signed)
    assert list(pledge.events.order_by("pk").values_list("action", "reason")) == [
        (PledgeEvent.Action.SUSPENDED, "A complaint."),
        (PledgeEvent.Action.REINSTATED, "Complaint resolved."),
    ]
    client.logout()
    assert client.get(pledge.organisation.get_absolute_url()).status_code == 200


def test_an_action_that_does_not_fit_the_status_is_refused_with_the_reason(client, moderator):
    published = PledgeFactory(published=True)
    page = run_action(client, PLEDGES, "return_pledges", [published], apply="1", reason="x")
    assert "A published pledge cannot be returned for changes." in page.content.decode()
    published.refresh_from_db()
    assert published.status == Pledge.Status.PUBLISHED


def test_hide_an_update_keeps_it_on_record_with_the_reason(client, moderator):
    update = ProgressUpdateFactory()
    url = reverse("admin:pledges_progressupdate_changelist")
    run_action(client, url, "hide_updates", [update], apply="1", reason="Names a child.")
    update.refresh_from_db()
    assert update.status == ProgressUpdate.Status.HIDDEN
    assert update.hidden_reason.startswith("Names a child.")


def test_a_hostile_reason_is_shown_as_text(client, moderator):
    pledge = submitted_pledge()
    hostile = "<script>alert(1)</script>"
    run_action(client, PLEDGES, "return_pledges", [pledge], apply="1", reason=hostile)
    pledge.refresh_from_db()
    assert pledge.status_reason == hostile
    change = client.get(reverse("admin:pledges_pledge_change", args=[pledge.pk]))
    assert hostile not in change.content.decode()
    assert "&lt;script&gt;" in change.content.decode()


def test_only_moderators_reach_the_actions(client):
    pledge = submitted_pledge()
    member = MembershipFactory(organisation=pledge.organisation)
    client.force_login(member.user)
    response = client.post(
        PLEDGES, {"action": "return_pledges", "_selected_action": [pledge.pk], "apply": "1"}
    )
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    pledge.refresh_from_db()
    assert pledge.status == Pledge.Status.SUBMITTED


def test_reinstating_a_pledge_that_is_not_suspended_says_so(client, moderator):
    published = PledgeFactory(published=True)
    page = run_action(client, PLEDGES, "reinstate_pledges", [published], apply="1", reason="Why")
    assert "A published pledge cannot be reinstated." in page.content.decode()


def test_messages_count_in_words_and_the_email_names_the_organisation(
    client, moderator, django_capture_on_commit_callbacks
):
    pledges = [submitted_pledge(), submitted_pledge()]
    with django_capture_on_commit_callbacks(execute=True):
        page = run_action(client, PLEDGES, "approve_pledges", pledges).content.decode()
    assert "Published 2 pledges. The organisations have been emailed." in page
    assert "pledge(s)" not in page
    subjects = sorted(message.subject for message in mail.outbox)
    assert subjects == sorted(
        f"Your pledge for {pledge.organisation.name}: Approved and published" for pledge in pledges
    )


def test_a_removed_update_is_restored_with_a_reason_and_the_event_says_who(client, moderator):
    from pledges import services

    update = ProgressUpdateFactory(title="Our garden")
    member = MembershipFactory(organisation=update.pledge.organisation).user
    services.progress_update_hide(update=update, by=moderator, reason="Names a pupil.")
    with pytest.raises(services.PledgeStateError):
        services.progress_update_restore(update=update, by=member, reason="Mine to restore")
    updates = reverse("admin:pledges_progressupdate_changelist")
    asked = run_action(client, updates, "restore_updates", [update]).content.decode()
    assert 'name="reason"' in asked
    page = run_action(
        client, updates, "restore_updates", [update], apply="1", reason="Checked: no names."
    )
    assert "Restored 1 update. It is public again." in page.content.decode()
    update.refresh_from_db()
    assert update.status == ProgressUpdate.Status.PUBLISHED and update.hidden_reason == ""
    event = update.pledge.events.get(action=PledgeEvent.Action.UPDATE_RESTORED)
    assert (event.actor, event.reason) == (moderator, "Our garden: Checked: no names.")
    again = run_action(client, updates, "restore_updates", [update], apply="1", reason="Again")
    assert "Only a removed update can be restored." in again.content.decode()
    client.logout()
    assert client.get(update.get_absolute_url()).status_code == 200
