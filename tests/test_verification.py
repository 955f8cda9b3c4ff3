"""Verified in public: a member's confirmed email on the website's domain, or a moderator's check."""

import pytest
from allauth.account.models import EmailAddress
from allauth.account.signals import email_confirmed
from django.urls import reverse

from organisations.models import Membership, Organisation
from organisations.services import (
    OrganisationError,
    organisation_check_email_domain,
    organisation_update,
    organisation_verify,
)
from pledges import services as pledge_services
from pledges.models import Pledge
from tests.factories import (
    CommitmentFactory,
    MembershipFactory,
    ModeratorFactory,
    PledgeFactory,
    UserFactory,
)
from tests.public_world import published_organisation

pytestmark = pytest.mark.django_db


def school(website="https://www.StMarys.example.sch.uk/", email="head@stmarys.example.sch.uk"):
    """A school whose admin signs in with the given address."""
    admin = MembershipFactory(
        role=Membership.Role.ADMIN,
        organisation__website=website,
        organisation__school_urn="115678",
        user__email=email,
    )
    return admin.organisation, admin.user


def submit(organisation, user):
    pledge = PledgeFactory(
        organisation=organisation, is_authorised=True, signatory_role="Head", statement="Yes."
    )
    CommitmentFactory(pledge=pledge)
    return pledge_services.pledge_submit(pledge=pledge, by=user)


def test_submitting_with_an_email_on_the_website_domain_verifies_it(client):
    organisation, head = school()
    assert not organisation.is_verified
    submit(organisation, head)
    organisation.refresh_from_db()
    assert organisation.verification == Organisation.Verification.EMAIL_DOMAIN
    assert organisation.verification_note == "head@stmarys.example.sch.uk"
    pledge = Pledge.objects.get(organisation=organisation)
    pledge_services.pledge_publish(pledge=pledge, by=ModeratorFactory())
    page = client.get(organisation.get_absolute_url()).content.decode()
    assert "govuk-tag--green" in page and "on the organisation's website domain" in page
    assert "govuk-tag--green" in client.get(reverse("registry:signatories")).content.decode()


@pytest.mark.parametrize(
    "email",
    ["head@gmail.com", "head@evil-stmarys.example.sch.uk", "head@stmarys.example.sch.uk.evil.org"],
)
def test_an_address_on_another_domain_does_not_verify_but_signing_still_works(email):
    organisation, head = school(email=email)
    pledge = submit(organisation, head)
    assert pledge.status == Pledge.Status.SUBMITTED
    organisation.refresh_from_db()
    assert not organisation.is_verified


def test_an_unconfirmed_address_is_not_evidence():
    organisation, head = school()
    EmailAddress.objects.filter(user=head).update(verified=False)
    assert organisation_check_email_domain(organisation=organisation, by=head) is False
    EmailAddress.objects.filter(user=head).update(verified=True)
    email_confirmed.send(
        sender=None, request=None, email_address=EmailAddress.objects.get(user=head)
    )
    organisation.refresh_from_db()
    assert organisation.is_verified  # confirming the address verifies the organisation


def test_moving_the_website_lifts_an_automatic_verification_but_not_a_moderators():
    organisation, head = school()
    organisation_check_email_domain(organisation=organisation, by=head)
    moved = organisation_update(
        organisation=organisation, by=head, data={"website": "https://another.example.org"}
    )
    assert not moved.is_verified
    organisation_verify(organisation=moved, by=ModeratorFactory(), note="URN 115678 matches.")
    again = organisation_update(
        organisation=moved, by=head, data={"website": "https://third.example.org"}
    )
    assert again.verification == Organisation.Verification.MODERATOR


def test_only_moderators_verify_and_they_say_what_they_checked():
    organisation, head = school(email="head@gmail.com")
    with pytest.raises(OrganisationError):
        organisation_verify(organisation=organisation, by=head, note="Trust me")
    with pytest.raises(OrganisationError, match="what you checked"):
        organisation_verify(organisation=organisation, by=ModeratorFactory(), note="  ")
    organisation.refresh_from_db()
    assert not organisation.is_verified


def test_moderators_see_the_evidence_and_verify_from_the_admin(client):
    organisation, head = school(email="head@gmail.com")
    pledge = submit(organisation, head)
    moderator = ModeratorFactory()
    client.force_login(moderator)
    page = client.get(reverse("admin:pledges_pledge_change", args=[pledge.pk])).content.decode()
    assert "Not verified yet" in page
    assert (
        "get-information-schools.service.gov.uk/Establishments/Establishment/Details/115678" in page
    )
    listed = client.get(reverse("admin:pledges_pledge_changelist"), {"status__exact": "submitted"})
    assert "Not yet" in listed.content.decode()

    organisations = reverse("admin:organisations_organisation_changelist")
    done = client.post(
        organisations,
        {
            "action": "verify_organisations",
            "_selected_action": [organisation.pk],
            "apply": "1",
            "reason": "URN 115678 is this school, at this address.",
        },
        follow=True,
    )
    assert "Verified 1 organisation." in done.content.decode()
    organisation.refresh_from_db()
    assert (organisation.verification, organisation.verified_by) == ("moderator", moderator)
    assert organisation.verification_note == "URN 115678 is this school, at this address."


def test_an_unverified_organisation_says_so_kindly_in_public(client):
    pledge = published_organisation("Plain Club")
    page = client.get(pledge.organisation.get_absolute_url()).content.decode()
    assert "Not yet. Organisations can sign before they are verified." in page


def test_a_person_can_be_a_member_without_a_website(client):
    membership = MembershipFactory(organisation__website="")
    assert (
        organisation_check_email_domain(organisation=membership.organisation, by=UserFactory())
        is False
    )
