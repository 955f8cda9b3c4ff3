import re

import pytest
from django.contrib import admin
from django.urls import reverse

from tests.factories import (
    MembershipFactory,
    ModeratorFactory,
    ProgressUpdateFactory,
    UserFactory,
    default_place,
)
from tests.public_world import published_organisation

pytestmark = pytest.mark.django_db

CHANGELISTS = [
    f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"
    for model in admin.site._registry
]


@pytest.fixture
def superuser():
    """A moderator who is also a superuser: every changelist, the accounts' included."""
    return ModeratorFactory(is_superuser=True)


def make_rows(count):
    """Organisations with everything a changelist lists: pledge, commitments, updates, members."""
    for _ in range(count):
        MembershipFactory(organisation=published_organisation().organisation)


def test_every_model_is_registered():
    registered = {model._meta.label for model in admin.site._registry}
    expected = {
        "accounts.User",
        "organisations.Organisation",
        "organisations.Membership",
        "pledges.Agreement",
        "pledges.Priority",
        "pledges.Pledge",
        "pledges.Commitment",
        "pledges.ProgressUpdate",
    }
    assert expected <= registered


def test_admin_site_names_the_product(client, superuser):
    client.force_login(superuser)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert "Kindness Commitments" in response.text


@pytest.mark.parametrize("url_name", CHANGELISTS)
def test_changelist_queries_do_not_grow_with_rows(
    client, superuser, url_name, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(superuser)
    make_rows(2)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse(url_name)).status_code == 200
    make_rows(8)
    with django_assert_max_num_queries(len(few)):
        assert client.get(reverse(url_name)).status_code == 200


def test_staff_without_two_factor_are_sent_to_enrol_before_the_admin(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response.url == reverse("mfa_activate_totp")


def test_admin_login_is_the_sites_throttled_login(client):
    response = client.get(reverse("admin:login") + "?next=/admin/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_pledges_and_updates_cannot_be_deleted_or_have_status_edited_in_the_admin(
    client, superuser
):
    from pledges.models import Pledge

    update = ProgressUpdateFactory()
    pledge = update.pledge
    client.force_login(superuser)
    delete_url = reverse("admin:pledges_pledge_delete", args=[pledge.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    change = client.get(reverse("admin:pledges_pledge_change", args=[pledge.pk]))
    assert change.status_code == 200
    assert 'name="status"' not in change.text
    assert (
        client.post(
            reverse("admin:pledges_progressupdate_delete", args=[update.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert Pledge.objects.filter(pk=pledge.pk).exists()


def test_the_approve_action_publishes_through_the_service(client, superuser):
    from pledges.models import Pledge, PledgeEvent
    from tests.factories import PledgeFactory

    pledge = PledgeFactory(status=Pledge.Status.SUBMITTED)
    client.force_login(superuser)
    response = client.post(
        reverse("admin:pledges_pledge_changelist"),
        {"action": "approve_pledges", "_selected_action": [pledge.pk]},
    )
    assert response.status_code == 302
    pledge.refresh_from_db()
    assert pledge.status == Pledge.Status.PUBLISHED
    assert pledge.events.get().action == PledgeEvent.Action.PUBLISHED
    assert pledge.events.get().actor == superuser


def test_the_make_current_action_swaps_the_agreement_version(client, superuser):
    from pledges.models import Agreement
    from tests.factories import AgreementFactory

    newer = AgreementFactory(version=2, priorities=True)
    client.force_login(superuser)
    changelist = reverse("admin:pledges_agreement_changelist")
    action = {"action": "make_current", "_selected_action": [newer.pk]}
    asked = client.post(changelist, action, follow=True)
    assert 'name="reason"' in asked.content.decode()  # it asks why first
    assert not Agreement.objects.get(pk=newer.pk).is_current
    response = client.post(
        changelist, {**action, "apply": "1", "reason": "Agreed by the partnership."}, follow=True
    )
    assert response.status_code == 200
    assert "Version made current." in response.content.decode()
    assert list(Agreement.objects.filter(is_current=True)) == [newer]
    both = client.post(
        changelist,
        {
            "action": "make_current",
            "_selected_action": [newer.pk, Agreement.objects.exclude(pk=newer.pk).get().pk],
        },
        follow=True,
    )
    assert "Select exactly one version." in both.content.decode()


def test_agreements_cannot_be_deleted_or_unset_in_the_admin(client, superuser):
    from pledges.models import Agreement

    current = Agreement.objects.get_current(default_place())
    client.force_login(superuser)
    delete = reverse("admin:pledges_agreement_delete", args=[current.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    change = client.get(reverse("admin:pledges_agreement_change", args=[current.pk]))
    assert change.status_code == 200
    assert 'name="is_current"' not in change.content.decode()


def test_moderators_filter_pledges_by_reporting_status(client, superuser):
    from django.utils import timezone

    from pledges.models import Pledge

    fresh = published_organisation("Fresh Reporter")
    quiet = published_organisation("Quiet Reporter")
    Pledge.objects.filter(pk=quiet.pk).update(
        published_at=timezone.now() - timezone.timedelta(days=400), last_reported_at=None
    )
    client.force_login(superuser)
    url = reverse("admin:pledges_pledge_changelist")
    awaiting = client.get(url, {"reporting": "awaiting"})
    assert awaiting.status_code == 200
    listed = [pledge.pk for pledge in awaiting.context["cl"].result_list]
    assert listed == [quiet.pk]
    active = client.get(url, {"reporting": "active"}).context["cl"].result_list
    assert [pledge.pk for pledge in active] == [fresh.pk]


def test_a_pledges_page_says_who_signed_and_how_it_is_sharing_progress(client):
    from tests.factories import InvitationFactory, PledgeFactory

    pledge = PledgeFactory(published=True, is_signatory_public=True)
    client.force_login(ModeratorFactory())
    page = client.get(reverse("admin:pledges_pledge_change", args=[pledge.pk])).text
    assert "Sam Okafor, Chief executive (shown in public)" in page
    assert "Signed online from the account of" in page
    assert "Active:" in page and "(publication, no update yet); next update due" in page
    # Help written for partners is not shown to moderators reading a record.
    invitation = InvitationFactory()
    page = client.get(reverse("admin:organisations_invitation_change", args=[invitation.pk]))
    assert "Your colleague" not in page.text


def test_lists_filter_by_priority_by_its_title_not_its_slug(client):
    from tests.factories import StoryFactory

    StoryFactory()
    client.force_login(ModeratorFactory())
    for name in ("stories_story", "pledges_progressupdate", "pledges_commitment"):
        page = client.get(reverse(f"admin:{name}_changelist")).text
        filters = page.split('id="changelist-filter"', 1)[1]
        assert "By priority" in filters and "1. " in filters, name
        assert "By slug" not in filters and ">-<" not in filters, name


def test_the_priority_filter_offers_each_priority_once_in_order_with_two_places(client):
    from tests.factories import north_ayrshire

    north_ayrshire(live=True)
    client.force_login(ModeratorFactory())
    page = client.get(reverse("admin:pledges_commitment_changelist")).text
    section = page.split("By priority", 1)[1].split("</ul>", 1)[0]
    numbers = re.findall(r"priority=[^\"]*\"[^>]*>\s*(\d)\. ", section)
    assert numbers == ["1", "2", "3", "4", "5"]


def test_the_admin_writes_a_moment_as_the_site_does(client):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from tests.factories import PledgeFactory

    moment = datetime(2026, 12, 6, 23, 16, tzinfo=ZoneInfo("Europe/London"))
    PledgeFactory(published=True, published_at=moment, submitted_at=moment)
    client.force_login(ModeratorFactory())
    page = client.get(reverse("admin:pledges_pledge_changelist")).text
    assert "6 December 2026, 23:16" in page
    assert "p.m." not in page and "Dec 2026" not in page
