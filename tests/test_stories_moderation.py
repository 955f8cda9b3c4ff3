"""Kindness seen, the moderators' and the organisation's side: every story is read first;
published, declined kindly, edited with a record, hidden; the organisation thanks once."""

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from organisations.models import Membership
from stories import services
from stories.models import FlagWord, Story, StoryConcern, StoryEdit
from stories.services import StoryError
from tests.factories import MembershipFactory, ModeratorFactory, StoryFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator():
    return ModeratorFactory(email="moderator@example.org")


@pytest.fixture
def waiting():
    story = StoryFactory(
        status=Story.Status.WAITING,
        email="resident@example.net",
        body="They waited with me at the bus stop.",
    )
    MembershipFactory(organisation=story.organisation, user__email="head@example.org")
    return story


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    def run(function, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(**kwargs)

    return run


def test_publishing_tells_the_resident_and_the_organisations_admins(
    client, moderator, waiting, committed
):
    assert "bus stop" not in client.get(waiting.organisation.get_absolute_url()).content.decode()
    committed(services.story_publish, story=waiting, by=moderator)
    waiting.refresh_from_db()
    assert waiting.status == Story.Status.PUBLISHED and waiting.decided_by == moderator
    to = {message.subject: message.to for message in mail.outbox}
    assert to == {
        "Your story of kindness is published": ["resident@example.net"],
        "Someone noticed your kindness": ["head@example.org"],
    }
    noticed = next(m for m in mail.outbox if m.subject == "Someone noticed your kindness")
    assert "bus stop" in noticed.body and "resident@example.net" not in noticed.body
    assert reverse("stories:list", args=[waiting.organisation.pk]) in noticed.body
    assert "bus stop" in client.get(waiting.organisation.get_absolute_url()).content.decode()


def test_declining_tells_the_resident_why_kindly_and_publishes_nothing(
    client, moderator, waiting, committed
):
    with pytest.raises(StoryError, match="Give a reason"):
        services.story_decline(story=waiting, by=moderator, reason="  ")
    committed(services.story_decline, story=waiting, by=moderator, reason="It names a pupil.")
    waiting.refresh_from_db()
    assert waiting.status == Story.Status.DECLINED
    (message,) = mail.outbox
    assert (
        message.to == ["resident@example.net"] and message.subject == "About your story of kindness"
    )
    assert "Thank you for taking the time" in message.body and "It names a pupil." in message.body
    assert client.get(waiting.get_absolute_url()).status_code == 404
    with pytest.raises(StoryError, match="Only a story waiting"):
        services.story_publish(story=waiting, by=moderator)


@pytest.mark.parametrize("who", ["anonymous", "partner", "staff outside the group"])
def test_only_moderators_decide(waiting, who):
    from django.contrib.auth.models import AnonymousUser

    person = {
        "anonymous": AnonymousUser(),
        "partner": Membership.objects.get(organisation=waiting.organisation).user,
        "staff outside the group": UserFactory(is_staff=True),
    }[who]
    for call in (
        lambda: services.story_publish(story=waiting, by=person),
        lambda: services.story_decline(story=waiting, by=person, reason="No."),
        lambda: services.story_edit(story=waiting, by=person, body="Edited.", note="Tidied."),
        lambda: services.story_hide(story=waiting, by=person, reason="No."),
        lambda: services.story_restore(story=waiting, by=person),
        lambda: services.flag_word_save(flag_word=FlagWord(word="cousin"), by=person),
    ):
        with pytest.raises(StoryError, match="Only moderators"):
            call()
    waiting.refresh_from_db()
    assert waiting.status == Story.Status.WAITING and waiting.body.startswith("They waited")
    assert not FlagWord.objects.filter(word="cousin").exists()


def test_an_edit_takes_out_personal_details_and_records_who_when_and_why(moderator, waiting):
    waiting.body = "Mrs Jones from Hill Road waited with my son at the bus stop."
    waiting.save()
    with pytest.raises(StoryError, match="Say what you changed"):
        services.story_edit(story=waiting, by=moderator, body="A neighbour waited.", note="")
    services.story_edit(
        story=waiting,
        by=moderator,
        body="A neighbour waited with us at the bus stop.",
        note="Took out a name, a street and a child.",
    )
    waiting.refresh_from_db()
    assert waiting.body == "A neighbour waited with us at the bus stop." and not waiting.flagged
    (edit,) = StoryEdit.objects.all()
    assert (edit.by, edit.note) == (moderator, "Took out a name, a street and a child.")
    assert "Hill Road" not in str(list(StoryEdit.objects.values()))  # the removed words are gone


def test_the_flag_is_a_whole_word_rule_moderators_tune(moderator):
    from stories.flags import flag_words_in

    assert flag_words_in("My SON, aged 6, loved it.") == ["aged", "son"]
    assert flag_words_in("A lovely season of reason at Sonning.") == []
    word = FlagWord.objects.get(word="son")
    word.active = False
    services.flag_word_save(flag_word=word, by=moderator)
    services.flag_word_save(flag_word=FlagWord(word="  grandad "), by=moderator)
    assert flag_words_in("My son and my Grandad.") == ["grandad"]


def test_the_queue_counts_waiting_stories_oldest_first_with_those_flagged(client, moderator):
    now = timezone.now()
    StoryFactory(
        status=Story.Status.WAITING, confirmed_at=now - timezone.timedelta(days=4), flagged=True
    )
    StoryFactory(status=Story.Status.WAITING, confirmed_at=now - timezone.timedelta(days=1))
    StoryFactory(status=Story.Status.UNCONFIRMED, confirmed_at=None)
    StoryConcern.objects.create(story=StoryFactory(), reason="other")
    client.force_login(moderator)
    page = client.get(reverse("admin:index")).content.decode()
    assert "2</strong> stories of kindness seen waiting to be read" in page
    assert "the oldest confirmed 4 days ago (1 flagged: it may name a child or a family)" in page
    assert "1</strong> concern about a story open" in page
    listing = client.get(reverse("admin:stories_story_changelist"), {"status__exact": "waiting"})
    rows = listing.context["cl"].result_list
    assert [story.confirmed_at for story in rows] == sorted(story.confirmed_at for story in rows)


def test_the_admin_publishes_several_at_once_and_never_shows_an_address(
    client, moderator, committed
):
    stories = [
        StoryFactory(status=Story.Status.WAITING, email=f"private{n}@example.net") for n in range(3)
    ]
    client.force_login(moderator)
    changelist = reverse("admin:stories_story_changelist")
    page = (
        client.get(changelist).content.decode()
        + client.get(reverse("admin:stories_story_change", args=[stories[0].pk])).content.decode()
    )
    assert "private0@example.net" not in page
    with_commit = committed(
        client.post,
        path=changelist,
        data={"action": "publish_stories", "_selected_action": [s.pk for s in stories[:2]]},
    )
    assert with_commit.status_code == 302
    assert list(Story.objects.filter(status="published").order_by("pk")) == stories[:2]
    asks = client.post(
        changelist, {"action": "decline_stories", "_selected_action": [stories[2].pk]}
    )
    assert "The resident reads this in a kind email" in asks.content.decode()
    client.post(
        changelist,
        {
            "action": "decline_stories",
            "_selected_action": [stories[2].pk],
            "apply": "1",
            "reason": "Thank you; it names a family.",
        },
    )
    stories[2].refresh_from_db()
    assert stories[2].status == Story.Status.DECLINED


def test_an_edit_in_the_admin_needs_a_note_and_goes_through_the_service(client, moderator, waiting):
    client.force_login(moderator)
    url = reverse("admin:stories_story_change", args=[waiting.pk])
    refused = client.post(
        url,
        {
            "body": "Someone waited with us.",
            "note": "",
            "edits-TOTAL_FORMS": 0,
            "edits-INITIAL_FORMS": 0,
        },
    )
    assert "Say what you changed and why." in refused.content.decode()
    client.post(
        url,
        {
            "body": "Someone waited with us.",
            "note": "Took out a name.",
            "edits-TOTAL_FORMS": 0,
            "edits-INITIAL_FORMS": 0,
        },
    )
    waiting.refresh_from_db()
    assert waiting.body == "Someone waited with us." and StoryEdit.objects.get().by == moderator


def test_the_organisations_admin_thanks_once_in_public(client, committed):
    story = StoryFactory(body="The caretaker fixed my wheelchair ramp.")
    admin = MembershipFactory(organisation=story.organisation, role=Membership.Role.ADMIN).user
    reply_url = reverse("stories:reply", args=[story.organisation.pk, story.pk])
    client.force_login(admin)
    listing = client.get(reverse("stories:list", args=[story.organisation.pk])).content.decode()
    assert "wheelchair ramp" in listing and reply_url in listing
    empty = client.post(reply_url, {"reply": ""})
    assert "Enter your reply" in empty.content.decode()
    done = committed(client.post, path=reply_url, data={"reply": "Thank you, it means a lot."})
    assert done.status_code == 302
    assert (
        committed(
            client.post, path=reply_url, data={"reply": "Thank you, it means a lot."}
        ).status_code
        == 302
    )  # a double click
    again = client.post(reply_url, {"reply": "And again!"})
    assert "already replied" in again.content.decode()
    story.refresh_from_db()
    assert story.reply == "Thank you, it means a lot." and story.reply_by == admin
    client.logout()
    assert "Thank you, it means a lot." in client.get(story.get_absolute_url()).content.decode()
    committed(services.story_reply_hide, story=story, by=ModeratorFactory())
    assert "it means a lot" not in client.get(story.get_absolute_url()).content.decode()
    assert (
        "it means a lot" not in client.get(story.organisation.get_absolute_url()).content.decode()
    )


def test_only_the_organisations_admins_may_reply(client):
    story = StoryFactory()
    editor = MembershipFactory(organisation=story.organisation, role=Membership.Role.EDITOR).user
    outsider = MembershipFactory(role=Membership.Role.ADMIN).user
    url = reverse("stories:reply", args=[story.organisation.pk, story.pk])
    assert client.get(url).status_code == 302  # anonymous: to sign in
    client.force_login(editor)
    assert client.get(url).status_code == 403
    assert client.get(reverse("stories:list", args=[story.organisation.pk])).status_code == 200
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    with pytest.raises(StoryError, match="Only an admin"):
        services.story_reply(story=story, by=outsider, text="Hello")
    other = StoryFactory()  # a story about another organisation, through this one's address
    client.force_login(
        MembershipFactory(organisation=story.organisation, role=Membership.Role.ADMIN).user
    )
    assert (
        client.get(reverse("stories:reply", args=[story.organisation.pk, other.pk])).status_code
        == 404
    )


def test_the_database_holds_the_rules_too(waiting):
    with pytest.raises(IntegrityError), transaction.atomic():
        Story.objects.filter(pk=waiting.pk).update(reply="Thanks", reply_at=timezone.now())
    with pytest.raises(IntegrityError), transaction.atomic():
        Story.objects.filter(pk=waiting.pk).update(status="declined", declined_at=timezone.now())
    with pytest.raises(IntegrityError), transaction.atomic():
        Story.objects.filter(pk=waiting.pk).update(email="")
    with pytest.raises(IntegrityError), transaction.atomic():
        Story.objects.filter(pk=waiting.pk).update(body="x" * 1001)
    with pytest.raises(IntegrityError), transaction.atomic():
        Story.objects.filter(pk=waiting.pk).update(status="published")


def test_a_concern_about_a_childs_details_hides_the_story_at_once_until_decided(
    client, moderator, committed
):
    story = StoryFactory(body="Lovely help for a family on Elm Street.")
    url = reverse("registry:story-concern", args=[story.pk])
    assert url in client.get(story.get_absolute_url()).content.decode()
    response = committed(client.post, path=url, data={"reason": "child_info", "details": ""})
    assert response.status_code == 302
    assert client.get(story.get_absolute_url()).status_code == 404
    assert "Elm Street" not in client.get(reverse("registry:updates")).content.decode()
    (message,) = mail.outbox
    assert (
        message.to == ["moderator@example.org"]
        and "hidden from public view at once" in message.body
    )
    concern = StoryConcern.objects.get()
    committed(services.story_concern_dismiss, concern=concern, by=moderator, note="No child named.")
    assert client.get(story.get_absolute_url()).status_code == 200

    committed(client.post, path=url, data={"reason": "unkind"})
    assert client.get(story.get_absolute_url()).status_code == 200  # only child information hides
    concern = StoryConcern.objects.open().get()
    committed(services.story_concern_uphold, concern=concern, by=moderator, reason="Mocking.")
    story.refresh_from_db()
    assert story.moderator_hidden_at and story.hidden_reason == "Mocking."
    assert client.get(story.get_absolute_url()).status_code == 404


def test_a_moderators_hide_outlasts_a_dismissed_concern(moderator, committed):
    story = StoryFactory()
    services.story_concern_report(story=story, reason="child_info", details="")
    services.story_hide(story=story, by=moderator, reason="Checked: names a family.")
    services.story_concern_dismiss(
        concern=StoryConcern.objects.get(), by=moderator, note="Handled by the hide."
    )
    story.refresh_from_db()
    assert not story.is_public
    services.story_restore(story=story, by=moderator)
    story.refresh_from_db()
    assert story.is_public


def test_emails_escape_a_residents_words_and_name_no_one_in_the_subject(moderator, committed):
    hostile = '<script>alert(1)</script> "Sam" & <b>friends</b>'
    story = StoryFactory(status=Story.Status.WAITING, body=hostile, shown_name="<i>Jo</i>")
    MembershipFactory(organisation=story.organisation)
    committed(services.story_publish, story=story, by=moderator)
    noticed = next(m for m in mail.outbox if m.subject == "Someone noticed your kindness")
    html = noticed.alternatives[0][0]
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;i&gt;Jo&lt;/i&gt;" in html
    assert hostile in noticed.body  # plain text carries the words as written
    assert all("\n" not in m.subject and "<" not in m.subject for m in mail.outbox)
    other = StoryFactory(status=Story.Status.WAITING)
    committed(services.story_decline, story=other, by=moderator, reason="<b>Names</b> a pupil")
    assert "&lt;b&gt;Names&lt;/b&gt; a pupil" in mail.outbox[-1].alternatives[0][0]
