"""The permission matrix: every partner URL, for anonymous, another organisation, editor and admin.

The URL list is read from the resolver, so a new partner URL without a rule fails here.
"""

import pytest
from django.http import Http404, HttpResponse
from django.urls import reverse

from organisations.models import Membership
from organisations.permissions import MEMBER, member_required
from tests.factories import (
    InvitationFactory,
    MembershipFactory,
    PledgeFactory,
    ProgressUpdateFactory,
)
from tests.partner_urls import ORG_URLS, make_partner_world, named_patterns, url_for

pytestmark = pytest.mark.django_db

# Partner URLs that are not about one organisation: they need a signed-in person only.
SIGNED_IN_ONLY = {
    "organisations:home",
    "organisations:register",
    "organisations:join",
    "organisations:invitation",
}


def test_every_organisation_url_declares_a_permission_rule():
    assert len(ORG_URLS) >= 15
    missing = [
        name for name, pattern in ORG_URLS if not hasattr(pattern.callback, "permission_rule")
    ]
    assert missing == []


def test_every_manage_url_is_covered_by_the_matrix():
    manage = {
        name for name, pattern in named_patterns() if str(pattern.pattern).startswith("manage/")
    }
    covered = {name for name, _ in ORG_URLS} | SIGNED_IN_ONLY
    assert manage - covered == set()


# What the right role gets from a GET, where it is not the page itself (200).
GET_STATUS = {
    "pledges:sign-submitted": 302,  # nothing submitted: back to the dashboard
    "organisations:join-request-decision": 405,  # POST only
}


@pytest.fixture
def world():
    return make_partner_world()


@pytest.mark.parametrize(("name", "pattern"), ORG_URLS, ids=[name for name, _ in ORG_URLS])
def test_permission_matrix(client, world, name, pattern):
    url = url_for(name, pattern, world["ids"])
    rule = pattern.callback.permission_rule

    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))

    client.force_login(world["outsider"])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404

    expected = GET_STATUS.get(name, 200)
    client.force_login(world["editor"])
    if rule == "admin":
        assert client.get(url).status_code == 403
        assert client.post(url).status_code == 403
    else:
        assert client.get(url).status_code == expected

    client.force_login(world["admin"])
    assert client.get(url).status_code == expected
    if expected == 405:
        assert client.post(url).status_code == 302  # done, and back to a page


@pytest.mark.parametrize("name", sorted(SIGNED_IN_ONLY))
def test_signed_in_only_urls_send_anonymous_people_to_login(client, world, name):
    kwargs = {
        "organisations:join": {"slug": "any-organisation"},
        "organisations:invitation": {"token": InvitationFactory().token},
    }.get(name, {})
    response = client.get(reverse(name, kwargs=kwargs))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_an_update_of_another_organisation_is_not_found_through_my_organisation(client, world):
    theirs = ProgressUpdateFactory()
    client.force_login(world["admin"])
    url = reverse(
        "pledges:update-edit", kwargs={"org_id": world["ids"]["org_id"], "update_id": theirs.pk}
    )
    assert client.get(url).status_code == 404
    assert client.post(url, {"title": "Hijacked"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.title != "Hijacked"


def test_a_membership_of_another_organisation_cannot_be_changed_through_mine(client, world):
    theirs = MembershipFactory()
    client.force_login(world["admin"])
    url = reverse(
        "organisations:member-change",
        kwargs={"org_id": world["ids"]["org_id"], "membership_id": theirs.pk},
    )
    assert client.post(url, {"remove": "1"}).status_code == 404
    assert Membership.objects.filter(pk=theirs.pk).exists()


def test_drafts_of_another_organisation_are_never_shown(client, world):
    other = PledgeFactory(statement="Our private draft statement")
    client.force_login(world["admin"])
    url = reverse("pledges:sign-check", kwargs={"org_id": other.organisation_id})
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404


def test_the_access_check_loads_membership_and_organisation_in_one_query(
    rf, django_assert_num_queries
):
    membership = MembershipFactory()
    view = member_required(MEMBER)(lambda request, organisation: HttpResponse(organisation.name))
    request = rf.get("/")
    request.user = membership.user
    with django_assert_num_queries(1):
        response = view(request, org_id=membership.organisation_id)
    assert response.content.decode() == membership.organisation.name
    assert request.membership == membership
    with pytest.raises(Http404):  # no such organisation: the same answer as a non-member's
        view(request, org_id=membership.organisation_id + 1000)
