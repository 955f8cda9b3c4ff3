import pytest
from django.urls import reverse

from organisations.models import Membership
from pledges import services
from pledges.models import Agreement, Pledge, PledgeEvent, ProgressUpdate
from tests.factories import (
    AgreementFactory,
    CommitmentFactory,
    MembershipFactory,
    ModeratorFactory,
    PledgeFactory,
    ProgressUpdateFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(client):
    membership = MembershipFactory(role=Membership.Role.ADMIN)
    client.force_login(membership.user)
    return membership


@pytest.fixture
def pledge(admin):
    pledge = PledgeFactory(organisation=admin.organisation, published=True)
    CommitmentFactory(pledge=pledge)
    return pledge


def org_url(name, admin, **kwargs):
    return reverse(name, kwargs={"org_id": admin.organisation_id, **kwargs})


def test_editing_an_update(client, admin, pledge):
    update = ProgressUpdateFactory(pledge=pledge, title="Old title")
    response = client.post(
        org_url("pledges:update-edit", admin, update_id=update.pk),
        {
            "title": "New title",
            "body": "New body",
            "priorities": [pledge.agreement.priorities.first().pk],
        },
    )
    assert response.status_code == 302
    update.refresh_from_db()
    assert (update.title, update.body) == ("New title", "New body")


def test_removing_an_update_hides_it_and_keeps_it(client, admin, pledge):
    update = ProgressUpdateFactory(pledge=pledge)
    url = org_url("pledges:update-remove", admin, update_id=update.pk)
    assert "Give a reason." in client.post(url, {"reason": ""}).text
    assert client.post(url, {"reason": "Duplicate"}).status_code == 302
    update.refresh_from_db()
    assert update.status == ProgressUpdate.Status.HIDDEN
    assert client.get(update.get_absolute_url()).status_code == 404


def test_withdrawing_explains_what_is_public_and_keeps_the_record(client, admin, pledge):
    url = org_url("pledges:withdraw", admin)
    assert "withdrew" in client.get(url).text.lower()
    client.post(url, {"reason": "We are closing"})
    pledge.refresh_from_db()
    assert pledge.status == Pledge.Status.WITHDRAWN
    public = client.get(pledge.organisation.get_absolute_url()).text
    assert "Withdrew from the Community Agreement on" in public
    assert "We are closing" not in public


def test_an_editor_cannot_withdraw(client, admin, pledge):
    editor = MembershipFactory(organisation=admin.organisation, role=Membership.Role.EDITOR)
    client.force_login(editor.user)
    assert client.post(org_url("pledges:withdraw", admin), {"reason": "x"}).status_code == 403
    pledge.refresh_from_db()
    assert pledge.status == Pledge.Status.PUBLISHED


def test_confirm_accurate_button(client, admin, pledge):
    response = client.post(org_url("pledges:confirm-accurate", admin), follow=True)
    assert "confirmed as accurate" in response.text
    assert pledge.events.filter(action=PledgeEvent.Action.CONFIRMED).exists()


def test_an_older_version_signatory_is_invited_to_sign_the_current_one(client, admin, pledge):
    Agreement.objects.update(is_current=False)
    AgreementFactory(is_current=True, version=2)
    text = client.get(org_url("pledges:dashboard", admin)).text
    assert "Version 2 of the agreement is now available" in text
    assert "Your earlier pledge stays on record" in text


def test_editing_the_profile(client, admin):
    response = client.post(
        reverse("organisations:edit", kwargs={"org_id": admin.organisation_id}),
        {
            "name": "Renamed Charity",
            "type": "charity",
            "description": "New words",
        },
    )
    assert response.status_code == 302
    admin.organisation.refresh_from_db()
    assert (admin.organisation.name, admin.organisation.description) == (
        "Renamed Charity",
        "New words",
    )


def test_a_failed_profile_edit_keeps_what_was_typed(client, admin):
    response = client.post(
        reverse("organisations:edit", kwargs={"org_id": admin.organisation_id}),
        {"name": "", "type": "charity", "description": "Unsaved words"},
    )
    assert response.status_code == 200
    assert "Enter the name of your organisation." in response.text
    assert "Unsaved words" in response.text


def test_dashboard_actions_work_with_published_pledges_for_two_versions(client, admin, pledge):
    Agreement.objects.update(is_current=False)
    newer = PledgeFactory(
        organisation=admin.organisation,
        agreement=AgreementFactory(is_current=True),
        status=Pledge.Status.SUBMITTED,
    )
    services.pledge_publish(pledge=newer, by=ModeratorFactory())
    pledge.refresh_from_db()
    assert pledge.status == Pledge.Status.SUPERSEDED
    response = client.post(
        reverse("pledges:confirm-accurate", kwargs={"org_id": admin.organisation_id})
    )
    assert response.status_code == 302
    assert newer.events.filter(action=PledgeEvent.Action.CONFIRMED).exists()


def test_the_update_form_offers_the_organisations_own_priorities_first(client, admin, pledge):
    fourth = pledge.agreement.priorities.get(number=4)
    CommitmentFactory(pledge=pledge, priority=fourth)
    form = client.get(org_url("pledges:update-new", admin)).context["form"]
    offered = list(form.fields["priorities"].queryset.values_list("number", flat=True))
    assert offered == [1, 4, 2, 3, 5]
    labels = [label for _value, label in form.fields["priorities"].choices]
    assert str(labels[0]).startswith("1.") and "not one of your commitments" not in str(labels[0])
    assert str(labels[2]).endswith("(not one of your commitments)")
    text = client.get(org_url("pledges:update-new", admin)).content.decode()
    assert "A story can be about another priority too." in text
