"""A person closes their own account, and a signatory withdraws consent to show their name."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.urls import reverse

from organisations.models import Membership
from organisations.services import OrganisationError, account_close
from pledges.models import Pledge, PledgeEvent, ProgressUpdate
from pledges.services import PledgeStateError, pledge_hide_signatory, pledge_publish
from tests.factories import (
    PASSWORD,
    MembershipFactory,
    ModeratorFactory,
    PledgeFactory,
    ProgressUpdateFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
User = get_user_model()


def sign_in(client, user):
    """Signed in, and the password given again just now, as closing an account asks."""
    client.force_login(user)
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302, response.content[:500]


@pytest.fixture
def team():
    """An organisation with two admins and a published pledge, one of whom wrote a story."""
    leaver = MembershipFactory(role=Membership.Role.ADMIN)
    organisation = leaver.organisation
    MembershipFactory(organisation=organisation, role=Membership.Role.ADMIN)
    pledge = PledgeFactory(
        organisation=organisation, status=Pledge.Status.SUBMITTED, signed_by=leaver.user
    )
    pledge = pledge_publish(pledge=pledge, by=ModeratorFactory())
    story = ProgressUpdateFactory(pledge=pledge, author=leaver.user, title="Our first walk")
    PledgeEvent.objects.create(
        pledge=pledge, action=PledgeEvent.Action.UPDATE_POSTED, actor=leaver.user
    )
    return leaver, pledge, story


def test_closing_an_account_deletes_the_person_and_keeps_what_they_wrote(client, team):
    leaver, pledge, story = team
    user = leaver.user
    sign_in(client, user)
    page = client.get(reverse("privacy:close-account"))
    assert page.status_code == 200
    assert "cannot be undone" in page.content.decode()

    refused = client.post(reverse("privacy:close-account"), {})
    assert refused.status_code == 200
    assert "Tick the box to confirm" in refused.content.decode()
    assert User.objects.filter(pk=user.pk).exists()

    response = client.post(reverse("privacy:close-account"), {"confirm": "on"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("registry:home")
    assert "Your account is closed" in response.content.decode()
    assert not response.context["user"].is_authenticated
    assert not User.objects.filter(pk=user.pk).exists()
    assert not EmailAddress.objects.filter(email=user.email).exists()
    assert not Membership.objects.filter(pk=leaver.pk).exists()

    story.refresh_from_db()
    assert story.author is None and story.status == ProgressUpdate.Status.PUBLISHED
    posted = PledgeEvent.objects.get(pledge=pledge, action=PledgeEvent.Action.UPDATE_POSTED)
    assert posted.actor is None  # the record stays, without the person
    pledge.refresh_from_db()
    assert pledge.signed_by is None and pledge.status == Pledge.Status.PUBLISHED
    public = client.get(pledge.organisation.get_absolute_url()).content.decode()
    assert "Our first walk" in public


def test_the_last_admin_must_hand_over_first(client):
    only = MembershipFactory(role=Membership.Role.ADMIN)
    colleague = MembershipFactory(organisation=only.organisation, role=Membership.Role.EDITOR)
    sign_in(client, only.user)

    page = client.get(reverse("privacy:close-account")).content.decode()
    assert "You are the only admin" in page
    assert reverse("organisations:members", args=[only.organisation.pk]) in page
    assert "Close my account" not in page
    client.post(reverse("privacy:close-account"), {"confirm": "on"})
    assert User.objects.filter(pk=only.user.pk).exists()
    with pytest.raises(OrganisationError, match="Make someone else an admin"):
        account_close(user=only.user, by=only.user)

    colleague.role = Membership.Role.ADMIN
    colleague.save()
    client.post(reverse("privacy:close-account"), {"confirm": "on"})
    assert not User.objects.filter(pk=only.user.pk).exists()


def test_no_one_closes_another_persons_account(client):
    person, other = UserFactory(), UserFactory()
    with pytest.raises(OrganisationError):
        account_close(user=person, by=other)
    with pytest.raises(OrganisationError):
        account_close(user=person, by=ModeratorFactory())
    assert User.objects.filter(pk=person.pk).exists()
    response = client.get(reverse("privacy:close-account"))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_closing_asks_for_the_password_again_then_goes_ahead(client):
    person = UserFactory()
    client.force_login(person)
    assert client.get(reverse("privacy:close-account")).status_code == 200
    response = client.post(reverse("privacy:close-account"), {"confirm": "on"})
    assert response.status_code == 302 and "reauthenticate" in response["Location"]
    assert User.objects.filter(pk=person.pk).exists()
    wrong = client.post(response["Location"], {"password": "not-my-password"})
    assert wrong.status_code == 200
    assert User.objects.filter(pk=person.pk).exists()
    # The right password resumes the request it interrupted: the account is closed.
    client.post(response["Location"], {"password": PASSWORD})
    assert not User.objects.filter(pk=person.pk).exists()


def test_a_signatory_withdraws_consent_to_show_their_name(
    client, team, django_capture_on_commit_callbacks
):
    leaver, pledge, _story = team
    pledge.is_signatory_public = True
    pledge.save()
    organisation_page = pledge.organisation.get_absolute_url()
    assert "Sam Okafor" in client.get(organisation_page).content.decode()

    client.force_login(leaver.user)
    listed = client.get(reverse("privacy:your-data")).content.decode()
    assert "Sam Okafor" in listed and pledge.organisation.name in listed
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("privacy:hide-signatory", args=[pledge.pk]), follow=True)
    assert "now show only that" in response.content.decode()

    pledge.refresh_from_db()
    assert not pledge.is_signatory_public
    assert pledge.signatory_name == "Sam Okafor"  # kept on record for moderators
    event = PledgeEvent.objects.get(pledge=pledge, action=PledgeEvent.Action.SIGNATORY_HIDDEN)
    assert event.actor == leaver.user
    client.logout()
    public = client.get(organisation_page).content.decode()
    assert "Sam Okafor" not in public
    api = client.get(f"/api/v1/organisations/{pledge.organisation.slug}").json()
    assert "Sam Okafor" not in str(api)
    csv = client.get(reverse("opendata:download", args=["organisations", "csv"]))
    assert "Sam Okafor" not in b"".join(csv.streaming_content).decode()


def test_only_the_signer_its_admins_and_moderators_may_hide_the_name(client, team):
    _leaver, pledge, _story = team
    pledge.is_signatory_public = True
    pledge.save()
    stranger = UserFactory()
    editor = MembershipFactory(organisation=pledge.organisation, role=Membership.Role.EDITOR)
    for person in (stranger, editor.user):
        with pytest.raises(PledgeStateError):
            pledge_hide_signatory(pledge=pledge, by=person)
    client.force_login(stranger)
    response = client.post(reverse("privacy:hide-signatory", args=[pledge.pk]), follow=True)
    assert "Only the person who signed" in response.content.decode()
    pledge.refresh_from_db()
    assert pledge.is_signatory_public
    client.logout()
    anonymous = client.post(reverse("privacy:hide-signatory", args=[pledge.pk]))
    assert anonymous.status_code == 302 and reverse("account_login") in anonymous["Location"]

    admin = Membership.objects.filter(organisation=pledge.organisation, role="admin").last()
    pledge_hide_signatory(pledge=pledge, by=admin.user)
    pledge.refresh_from_db()
    assert not pledge.is_signatory_public
    assert PledgeEvent.objects.filter(action=PledgeEvent.Action.SIGNATORY_HIDDEN).count() == 1
    pledge_hide_signatory(pledge=pledge, by=ModeratorFactory())  # twice changes nothing more
    assert PledgeEvent.objects.filter(action=PledgeEvent.Action.SIGNATORY_HIDDEN).count() == 1
