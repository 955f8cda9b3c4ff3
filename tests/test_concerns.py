"""Concerns about published content: a calm public form, one automatic hide, moderators decide."""

import pytest
from django.core import mail
from django.urls import reverse

from pledges.models import Concern, Pledge, PledgeEvent, ProgressUpdate
from pledges.services import PledgeStateError, concern_dismiss, concern_uphold
from tests.factories import MembershipFactory, ModeratorFactory, ProgressUpdateFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(django_capture_on_commit_callbacks):
    update = ProgressUpdateFactory(title="Our summer fair")
    MembershipFactory(organisation=update.pledge.organisation)  # an admin to tell
    ModeratorFactory(email="moderator@example.org")
    return update


@pytest.fixture
def send(client, django_capture_on_commit_callbacks):
    def send(url, data):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data)

    return send


def concern_url(update):
    return reverse("registry:update-concern", args=[update.pk])


def test_both_public_pages_link_to_a_form(client, story):
    organisation = story.pledge.organisation
    page = client.get(organisation.get_absolute_url()).content.decode()
    assert reverse("registry:concern", args=[organisation.slug]) in page
    assert concern_url(story) in client.get(story.get_absolute_url()).content.decode()
    form = client.get(concern_url(story)).content.decode()
    assert "Personal information about a child or family" in form
    assert 'tabindex="-1"' in form and 'aria-hidden="true"' in form  # the bots' field


def test_a_concern_is_recorded_and_moderators_are_told(client, story, send):
    response = send(
        concern_url(story), {"reason": "untrue", "details": "They <b>never</b> held it."}
    )
    assert response.status_code == 302 and response["Location"] == reverse("registry:concern-sent")
    concern = Concern.objects.get()
    assert (concern.update, concern.reason, concern.status) == (story, "untrue", "open")
    assert not concern.hidden_automatically
    story.refresh_from_db()
    assert story.status == ProgressUpdate.Status.PUBLISHED
    assert [m.to for m in mail.outbox] == [["moderator@example.org"]]
    assert "They &lt;b&gt;never&lt;/b&gt; held it." in mail.outbox[0].alternatives[0][0]
    assert "Thank you for telling us" in client.get(response["Location"]).content.decode()


def test_personal_information_about_a_child_hides_the_update_at_once(client, story, send):
    send(concern_url(story), {"reason": "child_info", "details": "It names a pupil."})
    story.refresh_from_db()
    assert story.status == ProgressUpdate.Status.HIDDEN
    assert client.get(story.get_absolute_url()).status_code == 404
    event = story.pledge.events.get(action=PledgeEvent.Action.UPDATE_HIDDEN)
    assert event.actor is None and event.reason.startswith("Hidden automatically")
    assert Concern.objects.get().hidden_automatically
    assert mail.outbox[0].subject.startswith("Hidden at once:")


def test_a_concern_about_the_organisation_page_never_hides_it_automatically(client, story, send):
    organisation = story.pledge.organisation
    send(reverse("registry:concern", args=[organisation.slug]), {"reason": "child_info"})
    concern = Concern.objects.get()
    assert concern.update is None and not concern.hidden_automatically
    assert client.get(organisation.get_absolute_url()).status_code == 200


def test_bad_input_gets_a_message_and_keeps_what_was_typed(client, story):
    empty = client.post(concern_url(story), {"details": "Please look at this."})
    text = empty.content.decode()
    assert empty.status_code == 200 and "Select what is wrong" in text
    assert "Please look at this." in text and "<title>Error:" in text
    long = client.post(concern_url(story), {"reason": "other", "details": "y" * 2001})
    assert "2,000 characters or fewer" in long.content.decode()
    assert "y" * 2001 in long.content.decode()
    assert not Concern.objects.exists()


def test_the_honeypot_drops_bots_silently(client, story, send):
    response = send(concern_url(story), {"reason": "child_info", "website": "http://spam"})
    assert response.status_code == 302 and response["Location"] == reverse("registry:concern-sent")
    assert not Concern.objects.exists() and mail.outbox == []
    story.refresh_from_db()
    assert story.status == ProgressUpdate.Status.PUBLISHED


def test_too_many_reports_from_one_address_get_a_readable_429(client, story, settings):
    settings.CONCERN_LIMIT = 2
    for _ in range(2):
        assert client.post(concern_url(story), {"reason": "other"}).status_code == 302
    refused = client.post(concern_url(story), {"reason": "other"})
    assert refused.status_code == 429
    assert "Please try again in an hour" in refused.content.decode()
    assert Concern.objects.count() == 2
    other = client.post(concern_url(story), {"reason": "other"}, REMOTE_ADDR="203.0.113.9")
    assert other.status_code == 302  # limits count per address


def test_hidden_or_unpublished_content_has_no_concern_form(client, story):
    ProgressUpdate.objects.filter(pk=story.pk).update(status=ProgressUpdate.Status.HIDDEN)
    assert client.get(concern_url(story)).status_code == 404
    Pledge.objects.filter(pk=story.pledge_id).update(status=Pledge.Status.DRAFT, published_at=None)
    slug = story.pledge.organisation.slug
    assert client.get(reverse("registry:concern", args=[slug])).status_code == 404


def test_moderators_hide_with_a_reason_the_organisation_is_told(
    client, story, send, django_capture_on_commit_callbacks
):
    send(concern_url(story), {"reason": "unkind"})
    concern = Concern.objects.get()
    moderator = ModeratorFactory()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        concern_uphold(concern=concern, by=moderator, reason="It mocks a family.")
    story.refresh_from_db()
    assert (
        story.status == ProgressUpdate.Status.HIDDEN and story.hidden_reason == "It mocks a family."
    )
    concern.refresh_from_db()
    assert (concern.status, concern.decided_by) == (Concern.Status.UPHELD, moderator)
    told = [m for m in mail.outbox if "removed from public view" in m.subject]
    assert told and "It mocks a family." in told[0].body
    with pytest.raises(PledgeStateError, match="already been decided"):
        concern_dismiss(concern=concern, by=moderator, note="Changed my mind")


def test_dismissing_restores_what_was_hidden_at_once(client, story, send):
    send(concern_url(story), {"reason": "child_info"})
    concern = Concern.objects.get()
    moderator = ModeratorFactory()
    with pytest.raises(PledgeStateError, match="Write a note"):
        concern_dismiss(concern=concern, by=moderator, note=" ")
    with pytest.raises(PledgeStateError):
        concern_dismiss(
            concern=concern, by=story.pledge.organisation.memberships.get().user, note="x"
        )
    concern_dismiss(concern=concern, by=moderator, note="A staff photo, no children.")
    story.refresh_from_db()
    assert story.status == ProgressUpdate.Status.PUBLISHED
    assert story.pledge.events.filter(action=PledgeEvent.Action.UPDATE_RESTORED).exists()
    assert client.get(story.get_absolute_url()).status_code == 200


def test_upholding_a_concern_about_a_page_suspends_the_pledge(story, send):
    organisation = story.pledge.organisation
    send(reverse("registry:concern", args=[organisation.slug]), {"reason": "advertising"})
    concern_uphold(concern=Concern.objects.get(), by=ModeratorFactory(), reason="It is an advert.")
    story.pledge.refresh_from_db()
    assert story.pledge.status == Pledge.Status.SUSPENDED


def test_moderators_decide_from_the_admin_list(client, story, send):
    send(concern_url(story), {"reason": "child_info"})
    client.force_login(ModeratorFactory())
    concerns = reverse("admin:pledges_concern_changelist")
    listed = client.get(concerns, {"status__exact": "open"})
    assert listed.status_code == 200 and listed.context["cl"].result_count == 1
    concern = Concern.objects.get()
    page = client.post(
        concerns,
        {
            "action": "dismiss_concerns",
            "_selected_action": [concern.pk],
            "apply": "1",
            "reason": "Checked: no child is named.",
        },
        follow=True,
    )
    assert "Dismissed 1 concern." in page.content.decode()
    concern.refresh_from_db()
    assert concern.decision_note == "Checked: no child is named."
    queue = {item["key"]: item for item in client.get(reverse("admin:index")).context["queue"]}
    assert queue["concerns"]["count"] == 0


def test_the_concern_form_names_what_it_is_about_in_its_title_and_heading(client):
    import re

    update = ProgressUpdateFactory(title="Our garden")
    organisation = update.pledge.organisation
    about_page = client.get(reverse("registry:concern", args=[organisation.slug])).text
    about_update = client.get(reverse("registry:update-concern", args=[update.pk])).text
    for page, words in ((about_page, organisation.name), (about_update, "“Our garden”")):
        title = " ".join(re.search(r"<title>(.*?)</title>", page, re.S).group(1).split())
        heading = " ".join(re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S).group(1).split())
        assert title.startswith(f"Report a concern about {words}") and heading.endswith(words)
