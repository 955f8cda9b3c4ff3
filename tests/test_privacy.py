"""Privacy operations the privacy notice promises: export, and retention at exact boundaries."""

import json
from datetime import timedelta
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.moderators import moderators_group
from pledges.models import Pledge, PledgeEvent
from privacy.export import COVERED
from privacy.services import retention_apply
from stories.models import Story
from tests.factories import (
    InvitationFactory,
    JoinRequestFactory,
    MembershipFactory,
    PledgeFactory,
    ProgressUpdateFactory,
    StoryFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
User = get_user_model()
NOW = timezone.now().replace(microsecond=0)


def test_every_model_that_points_at_a_person_is_in_the_export():
    pointing = {
        (model._meta.label, field.name)
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if field.concrete and getattr(field, "related_model", None) is User
    }
    assert pointing == COVERED


def test_the_export_holds_everything_about_one_person_and_nothing_about_others():
    membership = MembershipFactory(user__name="Dana Example")
    person = membership.user
    EmailAddress.objects.update_or_create(
        user=person, email=person.email, defaults={"verified": True, "primary": True}
    )
    pledge = PledgeFactory(
        organisation=membership.organisation, signed_by=person, signatory_name="Dana"
    )
    ProgressUpdateFactory(pledge=pledge, author=person, title="Our coffee morning")
    PledgeEvent.objects.create(pledge=pledge, action="submitted", actor=person, reason="Ready")
    InvitationFactory(
        organisation=membership.organisation, invited_by=person, email="new@example.org"
    )
    JoinRequestFactory(user=person, message="Please add me")
    UserFactory(email="someone.else@example.org")

    out = StringIO()
    call_command("export_personal_data", person.email.upper(), stdout=out)
    data = json.loads(out.getvalue())
    assert data["account"]["email"] == person.email and data["account"]["name"] == "Dana Example"
    assert data["email_addresses"] == [{"email": person.email, "verified": True, "primary": True}]
    assert data["memberships"][0]["organisation"] == membership.organisation.name
    assert data["pledges_signed"][0]["signatory_name"] == "Dana"
    assert data["updates_written"][0]["title"] == "Our coffee morning"
    assert data["pledge_events"][0]["reason"] == "Ready"
    assert data["invitations_sent"][0]["email"] == "new@example.org"
    assert data["join_requests"][0]["message"] == "Please add me"
    assert "someone.else@example.org" not in out.getvalue()


def test_exporting_an_unknown_address_says_so():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Nothing is held about the email address"):
        call_command("export_personal_data", "nobody@example.org")


def _account(joined, *, verified, last_login=None):
    user = UserFactory(date_joined=joined, last_login=last_login)
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": verified, "primary": True}
    )
    return user


def test_retention_boundaries_are_exact(settings):
    settings.RETENTION_UNVERIFIED_ACCOUNT_DAYS = 30
    settings.RETENTION_INACTIVE_ACCOUNT_DAYS = 1095
    settings.RETENTION_WITHDRAWN_SIGNATORY_DAYS = 730
    day = timedelta(days=1)
    second = timedelta(seconds=1)
    unverified_kept = _account(NOW - 30 * day, verified=False)
    _account(NOW - 30 * day - second, verified=False)
    verified_young = _account(NOW - 400 * day, verified=True, last_login=NOW - day)
    inactive_kept = _account(NOW - 2000 * day, verified=True, last_login=NOW - 1095 * day)
    inactive_gone = _account(NOW - 2000 * day, verified=True, last_login=NOW - 1095 * day - second)
    moderator = _account(NOW - 2000 * day, verified=True, last_login=NOW - 2000 * day)
    moderator.is_staff = True
    moderator.save()
    moderator.groups.add(moderators_group())
    staff_outside_the_group = _account(NOW - 2000 * day, verified=True, last_login=NOW - 2000 * day)
    staff_outside_the_group.is_staff = True
    staff_outside_the_group.save()
    PledgeEvent.objects.create(
        pledge=PledgeFactory(), action="submitted", actor=inactive_gone, reason="kept"
    )
    withdrawn = {
        "kept": PledgeFactory(
            status=Pledge.Status.WITHDRAWN,
            withdrawn_at=NOW - 730 * day,
            signatory_name="Kept Name",
            signatory_role="Head",
            is_signatory_public=True,
        ),
        "gone": PledgeFactory(
            status=Pledge.Status.WITHDRAWN,
            withdrawn_at=NOW - 730 * day - second,
            signatory_name="Gone Name",
            signatory_role="Head",
            is_signatory_public=True,
        ),
    }
    expired = SessionStore()
    expired.create()
    Session.objects.filter(session_key=expired.session_key).update(expire_date=NOW - second)
    live = SessionStore()
    live.create()

    counts = retention_apply(now=NOW, dry_run=True)
    assert counts == {
        "unverified_accounts": 1,
        "inactive_accounts": 2,  # the staff account outside the Moderators group too
        "inactive_last_admins_kept": 0,
        "withdrawn_signatories": 1,
        "expired_sessions": 1,
        "unconfirmed_stories": 0,
        "story_addresses": 0,
    }
    assert User.objects.count() == 7 and Session.objects.count() == 2  # a dry run changes nothing

    assert retention_apply(now=NOW) == counts
    remaining = set(User.objects.values_list("pk", flat=True))
    assert remaining == {u.pk for u in (unverified_kept, verified_young, inactive_kept, moderator)}
    assert PledgeEvent.objects.get(reason="kept").actor is None
    for key, pledge in withdrawn.items():
        pledge.refresh_from_db()
        assert (pledge.signatory_name == "") == (key == "gone")
    assert list(Session.objects.values_list("session_key", flat=True)) == [live.session_key]
    assert retention_apply(now=NOW) == dict.fromkeys(counts, 0)  # safe to run twice


def test_the_privacy_notice_states_the_periods_from_the_settings(client, settings):
    settings.RETENTION_UNVERIFIED_ACCOUNT_DAYS = 45
    settings.RETENTION_WITHDRAWN_SIGNATORY_DAYS = 1095
    text = client.get(reverse("core:privacy")).content.decode()
    assert "deleted 45 days after it was made" in text
    assert "removed 3 years after the withdrawal" in text


def test_stories_are_forgotten_on_time(settings):
    """A story never confirmed goes after 30 days; a decided story's address 30 days after
    the decision, with the duplicate key made from it. To the second."""
    settings.RETENTION_UNCONFIRMED_STORY_DAYS = 30
    settings.RETENTION_STORY_EMAIL_DAYS = 30
    edge = NOW - timedelta(days=30)
    second = timedelta(seconds=1)
    unconfirmed = {
        "kept": StoryFactory(status=Story.Status.UNCONFIRMED, created_at=edge, confirmed_at=None),
        "gone": StoryFactory(
            status=Story.Status.UNCONFIRMED, created_at=edge - second, confirmed_at=None
        ),
    }
    decided = {
        "kept": StoryFactory(published_at=edge),
        "erased": StoryFactory(published_at=edge - second),
        "declined": StoryFactory(
            status=Story.Status.DECLINED, declined_at=edge - second, decline_reason="Names a child"
        ),
        "waiting": StoryFactory(status=Story.Status.WAITING, created_at=edge - 9 * second),
    }
    counts = retention_apply(now=NOW)
    assert counts["unconfirmed_stories"] == 1 and counts["story_addresses"] == 2
    assert set(Story.objects.filter(status="unconfirmed").values_list("pk", flat=True)) == {
        unconfirmed["kept"].pk
    }
    for key, story in decided.items():
        story.refresh_from_db()
        erased = key in {"erased", "declined"}
        assert (story.email == "") == erased, key
        assert (story.duplicate_key is None) == erased, key
        assert story.body  # the story itself stays
    assert retention_apply(now=NOW)["story_addresses"] == 0


def test_a_residents_stories_are_exported_by_address_without_an_account():
    story = StoryFactory(email="Resident@Example.net", body="The nurse sat with us.")
    out = StringIO()
    call_command("export_personal_data", "resident@example.net", stdout=out)
    data = json.loads(out.getvalue())
    assert data["stories_told"][0]["story"] == "The nurse sat with us."
    assert data["stories_told"][0]["email"] == story.email
