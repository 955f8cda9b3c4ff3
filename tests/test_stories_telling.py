"""Kindness seen, the resident's side: tell a story without an account, confirm it with a
button (never by following a link), withdraw it, and meet clear limits on the way."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from pledges.models import Priority
from stories.models import Story
from tests.factories import MembershipFactory, PledgeFactory, StoryFactory

pytestmark = pytest.mark.django_db

TELL = reverse("registry:tell")


@pytest.fixture
def place():
    """A school that signed, with an admin to tell, and a second school of a similar name."""
    pledge = PledgeFactory(published=True, organisation__name="Oakwood Primary School")
    MembershipFactory(organisation=pledge.organisation)
    PledgeFactory(published=True, organisation__name="Oakwood Nursery")
    return pledge.organisation


@pytest.fixture
def post(client, django_capture_on_commit_callbacks):
    def post(url, data, **extra):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data, **extra)

    return post


def story_data(**overrides):
    return {
        "body": "The receptionist found us a quiet room and a glass of water.",
        "organisation_name": "",
        "area": "",
        "priority": "",
        "shown_name": "Sam",
        "email": "sam@example.net",
        "consent": "on",
        "website": "",
        **overrides,
    }


def emailed_links(message):
    return re.findall(r"https?://[^\s\"<]+", message.body)


def test_home_organisation_and_priority_pages_invite_a_story(client, place):
    priority = Priority.objects.get(agreement__is_current=True, number=2)
    assert TELL in client.get(reverse("registry:home")).content.decode()
    assert (
        f"{TELL}?organisation={place.slug}" in client.get(place.get_absolute_url()).content.decode()
    )
    assert (
        f"{TELL}?priority={priority.slug}"
        in client.get(priority.get_absolute_url()).content.decode()
    )
    form = client.get(
        TELL, {"organisation": place.slug, "priority": priority.slug}
    ).content.decode()
    assert 'value="Oakwood Primary School"' in form and f'value="{place.slug}"' in form
    assert re.search(rf'value="{priority.slug}"\s+checked', form)
    assert "You can enter up to 1,000 characters" in form  # the limit, without JavaScript
    assert 'data-module="govuk-character-count"' in form  # and counted as they type, with it
    assert "Never publish anything that could identify a child or a family" in form
    assert priority.description[:40] in form  # each priority's description beside it


def test_a_story_waits_unseen_until_its_address_is_confirmed(client, place, post):
    response = post(TELL, story_data(organisation=place.slug, organisation_name=place.name))
    assert response.status_code == 302 and response["Location"] == reverse("registry:story-sent")
    story = Story.objects.get()
    assert (story.status, story.organisation, story.shown_name) == ("unconfirmed", place, "Sam")
    assert [message.to for message in mail.outbox] == [["sam@example.net"]]
    confirm, withdraw = emailed_links(mail.outbox[0])
    assert "/kindness-seen/confirm/" in confirm and "/kindness-seen/withdraw/" in withdraw
    assert "quiet room" not in client.get(place.get_absolute_url()).content.decode()
    assert "Check your email" in client.get(response["Location"]).content.decode()


def test_opening_the_link_changes_nothing_until_the_button_is_pressed(client, place, post):
    post(TELL, story_data())
    confirm = emailed_links(mail.outbox[0])[0].split("testserver")[-1]
    for _ in range(3):  # a mail scanner, then the resident, opens the link
        page = client.get(confirm)
        assert page.status_code == 200 and "Confirm and send my story" in page.content.decode()
    assert Story.objects.get().status == Story.Status.UNCONFIRMED
    assert client.head(confirm).status_code == 200
    assert Story.objects.get().status == Story.Status.UNCONFIRMED
    done = client.post(confirm)
    assert "Your story is with a moderator" in done.content.decode()
    story = Story.objects.get()
    assert story.status == Story.Status.WAITING and story.confirmed_at
    client.post(confirm)  # twice is once
    assert Story.objects.get().confirmed_at == story.confirmed_at


def test_a_wrong_link_says_so_and_changes_nothing(client):
    StoryFactory(status=Story.Status.UNCONFIRMED, confirmed_at=None)
    response = client.post(reverse("registry:story-confirm", args=["not-a-real-token"]))
    assert "We could not find that story" in response.content.decode()
    assert Story.objects.get().status == Story.Status.UNCONFIRMED


def test_the_resident_withdraws_at_any_time_and_nothing_of_it_is_kept(client, place, post):
    post(TELL, story_data(organisation=place.slug, organisation_name=place.name))
    confirm, withdraw = (link.split("testserver")[-1] for link in emailed_links(mail.outbox[0]))
    client.post(confirm)
    Story.objects.update(status=Story.Status.PUBLISHED, published_at="2026-11-30T10:00Z")
    story = Story.objects.get()
    assert "quiet room" in client.get(place.get_absolute_url()).content.decode()
    assert "Withdraw and delete my story" in client.get(withdraw).content.decode()
    assert Story.objects.exists()  # the link alone withdraws nothing
    assert "has been withdrawn" in post(withdraw, {}).content.decode()
    assert not Story.objects.exists()
    assert "quiet room" not in client.get(place.get_absolute_url()).content.decode()
    assert client.get(story.get_absolute_url()).status_code == 404
    assert "no story to withdraw" in client.post(withdraw).content.decode()


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"body": ""}, "body", "Tell us what happened"),
        ({"body": "x" * 1001}, "body", "What happened must be 1000 characters or fewer"),
        ({"body": "   \u200b  "}, "body", "Tell us what happened"),
        ({"email": "not an address"}, "email", "Enter an email address in the correct format"),
        ({"email": ""}, "email", "Enter your email address"),
        ({"consent": ""}, "consent", "Confirm that your story may be published"),
        ({"shown_name": "n" * 41}, "shown_name", "Your name must be 40 characters or fewer"),
        ({"area": "atlantis"}, "area", "Select a valid choice"),
        ({"priority": "world-peace"}, "priority", "Select a valid choice"),
        ({"organisation_name": "Nowhere Ltd"}, "organisation_name", "No organisation on the"),
    ],
)
def test_bad_input_gets_a_clear_message_and_keeps_everything_typed(
    client, place, change, field, message
):
    data = story_data(**{"organisation_name": place.name, **change})
    if field == "body" and len(data["body"]) > 1000:
        data["body"] = "Kept words. " + data["body"][12:]
    response = client.post(TELL, data)
    text = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in text
    assert message in text
    assert text.count(message) == 2  # in the summary and beside the field
    assert "Error: Tell us about kindness you saw" in text
    for name in ("shown_name", "email", "organisation_name"):
        if data[name] and name != field:
            assert f'value="{data[name]}"' in text, name
    if field != "body":
        assert data["body"] in text
    assert not Story.objects.exists() and not mail.outbox


def test_the_organisation_is_found_by_name_without_javascript(client, place, post):
    several = client.post(TELL, story_data(organisation_name="oakwood"))
    text = several.content.decode()
    assert "Several organisations match. Choose the one you meant" in text
    assert "Oakwood Nursery" in text and 'type="radio" value="oakwood-primary-school"' in text
    chosen = post(TELL, story_data(organisation_name="oakwood", organisation=place.slug))
    assert chosen.status_code == 302 and Story.objects.get().organisation == place
    Story.objects.all().delete()
    exact = post(TELL, story_data(organisation_name="OAKWOOD PRIMARY SCHOOL", body="Another."))
    assert exact.status_code == 302 and Story.objects.get().organisation == place
    Story.objects.all().delete()
    nowhere = post(TELL, story_data(body="At the bus stop.", organisation=place.slug))
    assert nowhere.status_code == 302 and Story.objects.get().organisation is None  # emptied


def test_an_unsigned_organisation_cannot_be_named(client):
    draft = PledgeFactory(organisation__name="Secret Draft Club")
    response = client.post(TELL, story_data(organisation_name=draft.organisation.name))
    assert "No organisation on the registry is called that" in response.content.decode()
    assert (
        "Secret Draft Club"
        not in client.get(TELL, {"organisation": draft.organisation.slug}).content.decode()
    )


def test_a_filled_hidden_field_is_thanked_and_nothing_kept(client, post):
    response = post(TELL, story_data(website="http://spam.example"))
    assert response.status_code == 302 and not Story.objects.exists() and not mail.outbox


def test_the_same_story_twice_is_one_story_and_one_email(client, post):
    for body in ("Kind words at the pharmacy.", "kind  words at the   Pharmacy!"):
        assert post(TELL, story_data(body=body)).status_code == 302
    assert Story.objects.count() == 1 and len(mail.outbox) == 1
    assert post(TELL, story_data(body="Something else.")).status_code == 302
    assert Story.objects.count() == 2


def test_limits_per_connection_and_per_address_keep_the_words(client, settings, post):
    settings.STORY_LIMIT = 2
    settings.STORY_EMAIL_LIMIT = 5
    for index in range(2):
        assert post(TELL, story_data(body=f"Story {index}.")).status_code == 302
    refused = client.post(TELL, story_data(body="My third story, kept for me."))
    assert refused.status_code == 429
    text = refused.content.decode()
    assert "Please try again in an hour" in text and "My third story, kept for me." in text
    other = post(TELL, story_data(body="From elsewhere."), REMOTE_ADDR="203.0.113.9")
    assert other.status_code == 302

    settings.STORY_LIMIT = 100
    settings.STORY_EMAIL_LIMIT = 2
    for index in range(2):
        address = f"198.51.100.{index}"
        assert (
            post(
                TELL,
                story_data(body=f"Same address {index}.", email="jo@example.net"),
                REMOTE_ADDR=address,
            ).status_code
            == 302
        )
    elsewhere = client.post(
        TELL, story_data(body="Third.", email="JO@example.net"), REMOTE_ADDR="198.51.100.9"
    )
    assert elsewhere.status_code == 429  # the address's limit holds from any connection
    assert Story.objects.count() == 5


def test_a_body_bigger_than_the_form_can_make_is_refused_unread(client):
    response = client.post(TELL, story_data(body="x" * 40_000))
    assert response.status_code == 413
    assert "A story can be up to 1,000 characters" in response.content.decode()
    assert not Story.objects.exists()


def test_hostile_text_is_stored_as_typed_and_shown_as_text(client, post):
    hostile = '<script>alert(1)</script><img src=x onerror=alert(2)> =HYPERLINK("http://x")'
    post(TELL, story_data(body=hostile, shown_name='"><b>Sam</b>'))
    story = Story.objects.get()
    assert story.body == hostile and story.shown_name == '"><b>Sam</b>'
    Story.objects.update(
        status=Story.Status.PUBLISHED,
        confirmed_at="2026-11-30T10:00Z",
        published_at="2026-11-30T10:00Z",
    )
    page = client.get(story.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<b>Sam</b>" not in page
    csv = b"".join(
        client.get(reverse("opendata:download", args=["stories", "csv"])).streaming_content
    ).decode()
    assert "'=HYPERLINK" not in csv  # the cell starts with <, not =
    feed = client.get(reverse("opendata:stories-feed")).content.decode()
    assert "<script>" not in feed
