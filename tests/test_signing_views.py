import re

import pytest
from django.urls import reverse

from organisations.models import Membership
from pledges import services
from pledges.models import Pledge
from tests.factories import (
    CommitmentFactory,
    MembershipFactory,
    ModeratorFactory,
    PledgeFactory,
    whole_town,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin():
    return MembershipFactory(role=Membership.Role.ADMIN)


def url(name, membership):
    return reverse(name, kwargs={"org_id": membership.organisation_id})


def start(client, membership):
    client.force_login(membership.user)
    client.post(url("pledges:sign", membership))
    return Pledge.objects.get(organisation=membership.organisation)


def fill_all(client, membership):
    client.post(
        url("pledges:sign-priorities", membership),
        {"choose_1": "on", "body_1": "Protect time", "choose_4": "on", "body_4": "Listen termly"},
    )
    client.post(
        url("pledges:sign-statement", membership),
        {"statement": "Because we care.", "area": whole_town().pk},
    )
    client.post(
        url("pledges:sign-signatory", membership),
        {"signatory_name": "Sam Okafor", "signatory_role": "Head", "is_authorised": "on"},
    )


def test_start_twice_makes_one_draft(client, admin):
    start(client, admin)
    client.post(url("pledges:sign", admin))
    assert Pledge.objects.filter(organisation=admin.organisation).count() == 1


def test_each_step_saves_the_draft_for_another_session(client, admin, django_user_model):
    start(client, admin)
    response = client.post(
        url("pledges:sign-priorities", admin),
        {"choose_2": "on", "body_2": "Share stories monthly", "action": "save-and-exit"},
    )
    assert response.status_code == 302
    client.logout()
    client.force_login(admin.user)  # a new session, as on another device
    response = client.get(url("pledges:sign-priorities", admin))
    assert "Share stories monthly" in response.text
    assert 'id="id_choose_2" name="choose_2" type="checkbox" value="on" checked' in response.text


def test_priorities_validation_keeps_every_field(client, admin):
    start(client, admin)
    response = client.post(
        url("pledges:sign-priorities", admin),
        {
            "choose_1": "on",
            "body_1": "",
            "choose_3": "on",
            "body_3": "Trust staff",
            "body_5": "Unticked text",
        },
    )
    assert response.status_code == 200
    assert "Say what you will do about" in response.text
    assert "Trust staff" in response.text and "Unticked text" in response.text
    assert response.text.startswith("<!DOCTYPE html>") and "<title>Error:" in response.text
    assert not Pledge.objects.get().commitments.exists()


def test_text_under_an_unticked_priority_is_never_thrown_away_silently(client, admin):
    start(client, admin)
    response = client.post(
        url("pledges:sign-priorities", admin),
        {"choose_1": "on", "body_1": "We will listen.", "body_4": "Half-written idea"},
    )
    assert response.status_code == 200
    assert "You wrote about" in response.text and "did not choose it" in response.text
    assert "Half-written idea" in response.text
    assert not Pledge.objects.get().commitments.exists()
    # Its box is shown, not hidden, so the person can see what the message is about.
    box = re.search(
        r'<div class="govuk-checkboxes__conditional([^"]*)" id="conditional-id_choose_4"',
        response.text,
    )
    assert box[1] == ""


def test_each_box_is_revealed_by_its_own_priority(client, admin):
    start(client, admin)
    client.post(url("pledges:sign-priorities", admin), {"choose_2": "on", "body_2": "Share"})
    page = client.get(url("pledges:sign-priorities", admin)).text
    found = re.findall(
        r'class="govuk-checkboxes__conditional([^"]*)" id="conditional-id_choose_(\d)"', page
    )
    boxes = {number: css for css, number in found}
    assert boxes["2"] == "" and all(
        boxes[n].strip() == "govuk-checkboxes__conditional--hidden" for n in "1345"
    )
    assert 'data-aria-controls="conditional-id_choose_2"' in page


def test_no_priority_chosen_gives_a_clear_error(client, admin):
    start(client, admin)
    response = client.post(url("pledges:sign-priorities", admin), {})
    assert "Choose at least one priority." in response.text


def test_too_long_commitment_is_refused_and_kept(client, admin):
    start(client, admin)
    long_text = "x" * 2001
    response = client.post(
        url("pledges:sign-priorities", admin), {"choose_1": "on", "body_1": long_text}
    )
    assert response.status_code == 200
    assert "at most 2000 characters" in response.text
    assert long_text in response.text


def test_signatory_needs_authority(client, admin):
    start(client, admin)
    response = client.post(
        url("pledges:sign-signatory", admin), {"signatory_name": "Sam", "signatory_role": "Head"}
    )
    assert "Confirm that the signatory is authorised" in response.text
    assert 'value="Sam"' in response.text


def test_task_list_shows_progress_and_check_answers_lists_change_links(client, admin):
    start(client, admin)
    fill_all(client, admin)
    task_list = client.get(url("pledges:sign", admin)).text
    assert "Check your answers and submit" in task_list and "Ready" in task_list
    check = client.get(url("pledges:sign-check", admin)).text
    assert "Protect time" in check and "Listen termly" in check
    assert check.count(">Change<") >= 4


def test_submit_shows_confirmation_and_double_submit_is_friendly(client, admin):
    start(client, admin)
    fill_all(client, admin)
    response = client.post(url("pledges:sign-check", admin), follow=True)
    assert "Pledge submitted" in response.text and "What happens next" in response.text
    again = client.post(url("pledges:sign-check", admin), follow=True)
    assert "already been submitted" in again.text
    assert Pledge.objects.filter(organisation=admin.organisation).count() == 1


def test_an_editor_prepares_but_cannot_submit(client, admin):
    editor = MembershipFactory(organisation=admin.organisation, role=Membership.Role.EDITOR)
    start(client, editor)
    fill_all(client, editor)
    check = client.get(url("pledges:sign-check", editor)).text
    assert "Only an admin of your organisation can submit" in check
    response = client.post(url("pledges:sign-check", editor))
    assert response.status_code == 400
    assert Pledge.objects.get().status == Pledge.Status.DRAFT


def test_returned_pledge_shows_the_reason_and_can_be_resubmitted(client, admin):
    start(client, admin)
    fill_all(client, admin)
    client.post(url("pledges:sign-check", admin))
    services.pledge_return(
        pledge=Pledge.objects.get(), by=ModeratorFactory(), reason="Say more on 4."
    )
    dashboard = client.get(url("pledges:dashboard", admin)).text
    assert "Say more on 4." in dashboard
    client.post(
        url("pledges:sign-statement", admin), {"statement": "Updated.", "area": whole_town().pk}
    )
    client.post(url("pledges:sign-check", admin))
    assert Pledge.objects.get().status == Pledge.Status.SUBMITTED


def test_dashboard_shows_due_date_and_commitments_once_published(client, admin):
    start(client, admin)
    fill_all(client, admin)
    client.post(url("pledges:sign-check", admin))
    services.pledge_publish(pledge=Pledge.objects.get(), by=ModeratorFactory())
    text = client.get(url("pledges:dashboard", admin)).text
    assert "Next progress update due" in text and "Protect time" in text
    assert "You are up to date." in text
    assert "Post a progress update" in text


def test_stale_commitment_edit_is_refused_and_keeps_the_text(client, admin):
    start(client, admin)
    fill_all(client, admin)
    client.post(url("pledges:sign-check", admin))
    pledge = services.pledge_publish(pledge=Pledge.objects.get(), by=ModeratorFactory())
    commitment = pledge.commitments.first()
    edit_url = reverse(
        "pledges:commitment-edit",
        kwargs={"org_id": admin.organisation_id, "commitment_id": commitment.pk},
    )
    loaded_at = commitment.updated_at.isoformat()
    services.commitment_update(
        commitment=commitment, by=admin.user, body="Colleague's words", progress="planned"
    )
    response = client.post(
        edit_url, {"body": "My words", "progress": "embedded", "loaded_at": loaded_at}
    )
    assert response.status_code == 200
    assert "A colleague changed this commitment" in response.text and "My words" in response.text
    commitment.refresh_from_db()
    assert commitment.body == "Colleague's words"


@pytest.mark.parametrize(
    ("status", "message"),
    [
        ("submitted", "Your pledge is with a moderator."),
        ("published", "Your pledge is published."),
    ],
)
def test_the_signing_page_says_why_it_sends_a_finished_pledge_back_to_the_dashboard(
    client, status, message
):
    from tests.factories import PledgeFactory

    membership = MembershipFactory(role=Membership.Role.ADMIN)
    PledgeFactory(
        organisation=membership.organisation, status=status, published=status == "published"
    )
    client.force_login(membership.user)
    response = client.get(
        reverse("pledges:sign", kwargs={"org_id": membership.organisation_id}), follow=True
    )
    assert response.redirect_chain[-1][0] == reverse(
        "pledges:dashboard", kwargs={"org_id": membership.organisation_id}
    )
    assert message in response.content.decode()


def test_losing_a_race_to_submit_gets_the_double_clicks_kind_message(client, monkeypatch):
    """A colleague's submission lands between this request's check and its own submit."""
    from pledges.views import signing

    admin = MembershipFactory(role=Membership.Role.ADMIN)
    pledge = PledgeFactory(organisation=admin.organisation, is_authorised=True)
    CommitmentFactory(pledge=pledge)
    submit = signing.pledge_submit

    def colleague_first(*, pledge, by):
        submit(pledge=pledge, by=by)  # the other request wins
        return submit(pledge=pledge, by=by)

    monkeypatch.setattr(signing, "pledge_submit", colleague_first)
    client.force_login(admin.user)
    response = client.post(url("pledges:sign-check", admin), follow=True)
    assert response.redirect_chain[0] == (url("pledges:sign-submitted", admin), 302)
    assert "already been submitted" in response.text
    pledge.refresh_from_db()
    assert pledge.status == Pledge.Status.SUBMITTED


def test_the_priorities_step_and_the_concern_form_are_titled_as_their_headings(client):
    admin = MembershipFactory(role=Membership.Role.ADMIN)
    PledgeFactory(organisation=admin.organisation)
    client.force_login(admin.user)
    step = client.get(url("pledges:sign-priorities", admin)).text
    title = " ".join(re.search(r"<title>(.*?)</title>", step, re.S).group(1).split())
    assert title.startswith("Which priorities will you commit to?")
    assert "Which priorities will you commit to?</h1>" in step
