"""A moderator returns a pledge from the admin, by keyboard, with axe on every page."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from organisations.models import Membership
from pledges.models import Pledge
from tests.accessibility import assert_accessible
from tests.browser.helpers import follow, log_in, log_in_to_admin
from tests.factories import PASSWORD, MembershipFactory, PledgeFactory, UserFactory, enrol_totp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_moderator_returns_a_pledge_with_a_reason_the_organisation_then_sees(
    page, browser, live_server
):
    moderator = UserFactory(email="moderator@example.org", is_staff=True, is_superuser=True)
    secret = enrol_totp(moderator)
    pledge = PledgeFactory(status=Pledge.Status.SUBMITTED)
    member = MembershipFactory(organisation=pledge.organisation, role=Membership.Role.ADMIN)

    log_in_to_admin(page, "moderator@example.org", secret)
    page.goto(reverse("admin:pledges_pledge_changelist"))
    page.get_by_role("checkbox", name=re.compile("Select this object")).check()
    page.get_by_role("combobox", name="Action").select_option("return_pledges")
    follow(page, page.get_by_role("button", name="Go"))
    expect(page.get_by_role("textbox", name="Reason")).to_be_visible()
    assert_accessible(page)

    # An empty reason is refused, and nothing changes.
    follow(page, page.get_by_role("button", name="Return the selected submitted pledges"))
    expect(page.get_by_role("alert")).to_contain_text("Give a reason")
    assert_accessible(page)

    page.get_by_role("textbox", name="Reason").fill("Please say what you will do for priority 2.")
    page.get_by_role("textbox", name="Reason").press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")  # the focused submit button
    expect(page.get_by_text("Returned 1 pledge(s).")).to_be_visible()
    assert_accessible(page)
    pledge.refresh_from_db()
    assert pledge.status == Pledge.Status.RETURNED

    # The organisation sees the reason on its signing task list.
    organisation_side = browser.new_context(base_url=live_server.url)
    member_page = organisation_side.new_page()
    log_in(member_page, member.user.email, PASSWORD)
    member_page.goto(reverse("pledges:sign", kwargs={"org_id": pledge.organisation_id}))
    expect(member_page.get_by_text("Please say what you will do for priority 2.")).to_be_visible()
    assert_accessible(member_page)
    organisation_side.close()
