"""Decisions where the moderator is looking: a concern, an update, a story and an
organisation offer, on their own admin page, the list's actions that fit their state, through
the same actions and services, within the moderator's places."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from organisations.models import Organisation
from pledges.models import Concern, ProgressUpdate
from pledges.services import concern_report
from tests.factories import (
    ModeratorFactory,
    OrganisationFactory,
    ProgressUpdateFactory,
    default_place,
    north_ayrshire,
)

pytestmark = pytest.mark.django_db


def _buttons(html):
    section = re.search(r'<section aria-labelledby="decide-heading".*?</section>', html, re.S)
    return (
        re.findall(r'<button type="submit"[^>]*>(.*?)</button>', section.group(0))
        if section
        else []
    )


@pytest.fixture
def concern():
    update = ProgressUpdateFactory(title="Our summer fair")
    pledge = update.pledge
    return concern_report(
        organisation=pledge.organisation,
        place=pledge.place,
        update=update,
        reason=Concern.Reason.UNTRUE,
        details="The fair was cancelled.",
        by=AnonymousUser(),
    )


def test_an_open_concern_is_decided_on_its_own_page_and_the_moderator_returns_there(
    client, concern, django_capture_on_commit_callbacks
):
    client.force_login(ModeratorFactory(places=[default_place()]))
    page = reverse("admin:pledges_concern_change", args=[concern.pk])
    assert _buttons(client.get(page).text) == ["Hide the content", "Dismiss"]

    act = reverse("admin:pledges_concern_act", args=[concern.pk, "dismiss_concerns"])
    asks = client.post(act)
    assert asks.status_code == 200 and 'name="reason"' in asks.text  # the reason page
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(act, {"apply": "1", "reason": "The fair went ahead."})

    assert done.status_code == 302 and done["Location"] == page
    concern.refresh_from_db()
    assert concern.status == Concern.Status.DISMISSED
    assert concern.decision_note == "The fair went ahead."
    assert _buttons(client.get(page).text) == []  # decided: nothing more to decide
    assert client.post(act).status_code == 404


def test_a_moderator_of_another_place_cannot_decide_it_and_anonymous_is_sent_to_sign_in(
    client, concern
):
    act = reverse("admin:pledges_concern_act", args=[concern.pk, "uphold_concerns"])
    assert client.post(act)["Location"].startswith("/admin/login/")
    client.force_login(ModeratorFactory(places=[north_ayrshire()]))
    assert client.post(act).status_code == 404
    concern.refresh_from_db()
    assert concern.status == Concern.Status.OPEN
    assert client.get(act).status_code == 405  # a decision is never a link


def test_an_update_is_hidden_from_its_page_and_then_offers_nothing_more(client):
    update = ProgressUpdateFactory(title="Our summer fair")
    client.force_login(ModeratorFactory())
    page = reverse("admin:pledges_progressupdate_change", args=[update.pk])
    assert _buttons(client.get(page).text) == ["Hide this update"]
    act = reverse("admin:pledges_progressupdate_act", args=[update.pk, "hide_updates"])
    client.post(act, {"apply": "1", "reason": "A child's name is in the photo caption."})
    update.refresh_from_db()
    assert update.moderator_hidden_at is not None
    assert update.status != ProgressUpdate.Status.DRAFT
    assert "Hide this update" not in _buttons(client.get(page).text)


def test_an_organisation_is_verified_from_its_page(client):
    organisation = OrganisationFactory(charity_number="1234567")
    client.force_login(ModeratorFactory())
    page = reverse("admin:organisations_organisation_change", args=[organisation.pk])
    assert _buttons(client.get(page).text) == ["Verify", "Invite an admin"]
    act = reverse(
        "admin:organisations_organisation_act", args=[organisation.pk, "verify_organisations"]
    )
    client.post(act, {"apply": "1", "reason": "Charity 1234567 is registered to this name."})
    organisation = Organisation.objects.get(pk=organisation.pk)
    assert organisation.is_verified
    assert organisation.verification_note == "Charity 1234567 is registered to this name."
    assert _buttons(client.get(page).text) == ["Invite an admin"]
