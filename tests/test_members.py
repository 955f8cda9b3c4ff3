import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from organisations import services
from organisations.models import Invitation, JoinRequest, Membership
from organisations.services import OrganisationError
from tests.factories import (
    InvitationFactory,
    JoinRequestFactory,
    MembershipFactory,
    ModeratorFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin():
    return MembershipFactory(role=Membership.Role.ADMIN)


def test_invitation_is_emailed_with_both_parts(admin, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invitation_create(
            organisation=admin.organisation, by=admin.user, email="New@Example.org", role="editor"
        )
    assert invitation.email == "new@example.org"
    lifetime = invitation.expires_at - invitation.created_at
    assert abs(lifetime - timezone.timedelta(days=14)) < timezone.timedelta(seconds=1)
    (message,) = mail.outbox
    assert message.to == ["new@example.org"]
    link = reverse("organisations:invitation", kwargs={"token": invitation.token})
    assert link in message.body and link in message.alternatives[0][0]


def test_invitation_works_once_for_the_invited_address(admin):
    invitation = InvitationFactory(organisation=admin.organisation, email="colleague@example.org")
    with pytest.raises(OrganisationError, match="different email"):
        services.invitation_accept(invitation=invitation, by=UserFactory(email="other@example.org"))
    colleague = UserFactory(email="colleague@example.org")
    membership = services.invitation_accept(invitation=invitation, by=colleague)
    assert membership.role == Membership.Role.EDITOR
    with pytest.raises(OrganisationError, match="already been used"):
        services.invitation_accept(invitation=invitation, by=colleague)


def test_an_expired_invitation_is_refused(admin):
    invitation = InvitationFactory(
        organisation=admin.organisation,
        email="late@example.org",
        expires_at=timezone.now() - timezone.timedelta(minutes=1),
    )
    with pytest.raises(OrganisationError, match="expired"):
        services.invitation_accept(invitation=invitation, by=UserFactory(email="late@example.org"))


def test_accepting_through_the_page(client, admin):
    invitation = InvitationFactory(organisation=admin.organisation, email="page@example.org")
    user = UserFactory(email="page@example.org")
    client.force_login(user)
    url = reverse("organisations:invitation", kwargs={"token": invitation.token})
    response = client.post(url)
    assert response.status_code == 302
    assert Membership.objects.filter(user=user, organisation=admin.organisation).exists()


def test_the_last_admin_cannot_be_demoted_or_removed(admin):
    with pytest.raises(OrganisationError, match="only admin"):
        services.membership_change_role(membership=admin, by=admin.user, role="editor")
    with pytest.raises(OrganisationError, match="only admin"):
        services.membership_remove(membership=admin, by=admin.user)
    second = MembershipFactory(organisation=admin.organisation, role=Membership.Role.ADMIN)
    services.membership_change_role(membership=admin, by=second.user, role="editor")
    admin.refresh_from_db()
    assert admin.role == Membership.Role.EDITOR


def test_removing_the_last_admin_through_the_page_shows_why(client, admin):
    client.force_login(admin.user)
    url = reverse(
        "organisations:member-change",
        kwargs={"org_id": admin.organisation_id, "membership_id": admin.pk},
    )
    response = client.post(url, {"remove": "1", "role": "admin"})
    assert response.status_code == 200
    assert "only admin" in response.text
    assert Membership.objects.filter(pk=admin.pk).exists()


def test_join_request_is_sent_to_admins_and_approval_makes_an_editor(
    admin, django_capture_on_commit_callbacks
):
    person = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        request = services.join_request_create(
            organisation=admin.organisation, by=person, message="Hi"
        )
    assert mail.outbox[-1].to == [admin.user.email]
    with pytest.raises(OrganisationError, match="already asked"):
        services.join_request_create(organisation=admin.organisation, by=person)
    with django_capture_on_commit_callbacks(execute=True):
        services.join_request_decide(join_request=request, by=admin.user, approve=True)
    assert mail.outbox[-1].to == [person.email]
    assert Membership.objects.get(user=person, organisation=admin.organisation).role == "editor"
    with pytest.raises(OrganisationError, match="already been decided"):
        services.join_request_decide(join_request=request, by=admin.user, approve=False)


def test_declined_join_request_adds_no_member(admin):
    request = JoinRequestFactory(organisation=admin.organisation)
    services.join_request_decide(join_request=request, by=admin.user, approve=False)
    request.refresh_from_db()
    assert request.status == JoinRequest.Status.DECLINED and request.decided_by == admin.user
    assert not Membership.objects.filter(
        user=request.user, organisation=admin.organisation
    ).exists()


def test_register_suggests_similar_organisations_before_creating(client):
    existing = MembershipFactory().organisation
    existing.name = "Oakwood Primary School"
    existing.save()
    user = UserFactory()
    client.force_login(user)
    data = {"name": "Oakwood Primary", "type": "school"}
    response = client.post(reverse("organisations:register"), data)
    assert response.status_code == 200
    assert reverse("organisations:join", kwargs={"slug": existing.slug}) in response.text
    assert not Membership.objects.filter(user=user).exists()
    response = client.post(reverse("organisations:register"), {**data, "confirm_new": "1"})
    assert response.status_code == 302
    membership = Membership.objects.get(user=user)
    assert membership.role == Membership.Role.ADMIN
    assert membership.organisation.slug == "oakwood-primary"


@pytest.mark.parametrize(
    ("name", "similar"),
    [
        ("St Mary's Café Trust", ["St Mary’s Church of England Primary School"]),
        ("Marys Kitchen", ["St Mary’s Church of England Primary School"]),
        ("The Cheltenham Community Trust", []),
        ("Rose Garden Café", []),
    ],
)
def test_similar_names_share_a_meaningful_whole_word(name, similar):
    from organisations.models import Organisation
    from tests.factories import OrganisationFactory

    for existing in [
        "Carnegie UK Trust",
        "Cheltenham Town FC Community Trust",
        "St Mary’s Church of England Primary School",
        "Rosemary Lodge",
    ]:
        OrganisationFactory(name=existing)
    assert [o.name for o in Organisation.objects.similar_to(name)] == similar


def test_the_type_of_organisation_offers_no_blank_choice(client):
    client.force_login(UserFactory())
    page = client.get(reverse("organisations:register")).content.decode()
    assert "---------" not in page and 'value="school"' in page


def test_register_validation_keeps_every_field(client):
    client.force_login(UserFactory())
    data = {
        "name": "Kind Café",
        "type": "business",
        "website": "not a url",
        "charity_number": "12",
        "description": "We serve breakfasts.",
    }
    response = client.post(reverse("organisations:register"), data)
    assert response.status_code == 200
    assert "Enter a web address like https://example.org" in response.text
    assert "Enter a charity number like" in response.text
    assert 'value="Kind Café"' in response.text and "We serve breakfasts." in response.text
    assert 'class="govuk-error-summary"' in response.text
    assert not Invitation.objects.exists()


@pytest.fixture
def editor(admin):
    return MembershipFactory(organisation=admin.organisation, role=Membership.Role.EDITOR)


def test_every_member_service_refuses_an_editor(admin, editor):
    organisation, by = admin.organisation, editor.user
    request = JoinRequestFactory(organisation=organisation)
    refused = [
        lambda: services.join_request_decide(join_request=request, by=by, approve=True),
        lambda: services.invitation_create(
            organisation=organisation, by=by, email="x@example.org", role="editor"
        ),
        lambda: services.membership_change_role(membership=admin, by=by, role="editor"),
        lambda: services.membership_remove(membership=admin, by=by),
        lambda: services.organisation_update(
            organisation=organisation, by=by, data={"name": "Renamed"}
        ),
    ]
    for call in refused:
        with pytest.raises(OrganisationError, match="Only an admin"):
            call()
    request.refresh_from_db()
    admin.refresh_from_db()
    organisation.refresh_from_db()
    assert request.status == JoinRequest.Status.PENDING
    assert admin.role == Membership.Role.ADMIN
    assert organisation.name != "Renamed"
    assert not Invitation.objects.filter(email="x@example.org").exists()


def test_a_moderator_may_correct_a_profile_but_not_manage_members(admin):
    from tests.factories import ModeratorFactory

    moderator = ModeratorFactory()
    services.organisation_update(
        organisation=admin.organisation, by=moderator, data={"name": "Corrected Name"}
    )
    admin.organisation.refresh_from_db()
    assert admin.organisation.name == "Corrected Name"
    with pytest.raises(OrganisationError):
        services.membership_remove(membership=admin, by=moderator)


def test_a_look_alike_name_meets_the_same_prompt_and_moderators_see_it_flagged(client):
    from organisations.verification import evidence

    existing = MembershipFactory().organisation
    existing.name = "Oakwood Primary School"
    existing.save()
    user = UserFactory()
    client.force_login(user)
    look_alike = "\u041eakwood Primary School"  # a Cyrillic О
    data = {"name": look_alike, "type": "school"}
    response = client.post(reverse("organisations:register"), data)
    assert response.status_code == 200
    assert reverse("organisations:join", kwargs={"slug": existing.slug}) in response.text
    assert not Membership.objects.filter(user=user).exists()
    client.post(reverse("organisations:register"), {**data, "confirm_new": "1"})
    registered = Membership.objects.get(user=user).organisation
    flagged = evidence(registered)[0]["text"]
    assert flagged.startswith("Look-alike letters") and "“Oakwood Primary School”" in flagged
    assert not any(item["text"].startswith("Look-alike") for item in evidence(existing))
    moderator = client
    moderator.force_login(ModeratorFactory())
    listed = moderator.get(reverse("admin:organisations_organisation_changelist")).text
    assert listed.count('alt="True"') == 1  # only the look-alike is flagged
