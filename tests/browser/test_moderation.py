"""A moderator returns a pledge from the admin by keyboard alone, with axe on every page."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from accounts.moderators import moderators_group, network_moderators_group
from organisations.models import Membership
from pledges.models import Concern, Pledge
from tests.accessibility import assert_accessible
from tests.browser.helpers import log_in, log_in_to_admin, submit_with_enter, tab_to
from tests.factories import (
    PASSWORD,
    MembershipFactory,
    PledgeFactory,
    UserFactory,
    enrol_totp,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAPER_FILE = {
    "name": "paper.csv",
    "mimeType": "text/csv",
    "buffer": (
        b"name,type,website,contact_email,date_signed,priorities,commitment_1\n"
        b"Paper Playgroup,early_years,,play@example.org,2024-05-01,1,We will make time.\n"
    ),
}


def test_a_moderator_returns_a_pledge_with_a_reason_the_organisation_then_sees(
    page, browser, live_server
):
    moderator = UserFactory(email="moderator@example.org", is_staff=True, is_superuser=True)
    secret = enrol_totp(moderator)
    pledge = PledgeFactory(status=Pledge.Status.SUBMITTED)
    member = MembershipFactory(organisation=pledge.organisation, role=Membership.Role.ADMIN)

    log_in_to_admin(page, "moderator@example.org", secret)
    page.goto(reverse("admin:pledges_pledge_changelist"))
    # Keyboard only: tick the row, choose the action by typing, and press Go.
    tab_to(page, "input.action-select")
    page.keyboard.press("Space")
    tab_to(page, "select[name=action]")
    page.keyboard.type("Return the")
    assert page.locator("select[name=action]").input_value() == "return_pledges"
    tab_to(page, "button[title='Run the selected action']")
    submit_with_enter(page)
    expect(page.get_by_role("textbox", name="Reason")).to_be_visible()
    assert_accessible(page)

    # An empty reason is refused, and nothing changes.
    tab_to(page, "input[name=apply]")
    submit_with_enter(page)
    expect(page.get_by_role("alert")).to_contain_text("Give a reason")
    assert_accessible(page)

    tab_to(page, "textarea[name=reason]")
    page.keyboard.type("Please say what you will do for priority 2.")
    tab_to(page, "input[name=apply]")
    submit_with_enter(page)
    expect(
        page.get_by_text("Returned 1 pledge. The organisation has been emailed.")
    ).to_be_visible()
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


def test_a_moderator_clears_the_queue_from_the_admin_front_page_by_keyboard(page):
    moderator = UserFactory(email="queue@example.org", is_staff=True, is_superuser=True)
    secret = enrol_totp(moderator)
    first, second = (
        PledgeFactory(status=Pledge.Status.SUBMITTED, organisation__name=name)
        for name in ("Alpha Nursery", "Beta Youth Club")
    )
    for pledge in (first, second):
        MembershipFactory(organisation=pledge.organisation, role=Membership.Role.ADMIN)

    log_in_to_admin(page, "queue@example.org", secret)
    assert_accessible(page)
    tab_to(page, "a[href*='status__exact=submitted']")
    submit_with_enter(page)
    # Approve the oldest by keyboard; the second is returned with a reason.
    tab_to(page, "#result_list tbody a")
    submit_with_enter(page)
    assert_accessible(page)
    tab_to(page, ".app-moderation__buttons button")  # Approve and publish
    submit_with_enter(page)
    expect(page.locator(".messagelist")).to_contain_text("Published.")
    tab_to(page, "#result_list tbody a")
    submit_with_enter(page)
    tab_to(page, ".app-moderation__buttons a")  # Return for changes
    submit_with_enter(page)
    assert_accessible(page)
    tab_to(page, "textarea[name=reason]")
    page.keyboard.type("Please tell us which priorities you chose.")
    tab_to(page, "input[type=submit]")
    submit_with_enter(page)
    expect(page.locator(".messagelist")).to_contain_text("Returned.")
    expect(page.locator("#result_list")).to_have_count(0)  # nothing left waiting

    statuses = {
        p.organisation.name: p.status for p in Pledge.objects.select_related("organisation")
    }
    assert statuses == {"Alpha Nursery": "published", "Beta Youth Club": "returned"}

    # The other moderation pages pass axe too: the paper import, and deciding a concern.
    page.goto(reverse("admin:pledges_pledge_import"))
    assert_accessible(page)
    page.set_input_files("#id_file", files=[PAPER_FILE])
    tab_to(page, "input[type=submit]")
    submit_with_enter(page)
    expect(page.get_by_role("table", name="What will be imported")).to_contain_text(
        "Paper Playgroup"
    )
    assert_accessible(page)
    published = Pledge.objects.get(status="published")
    concern = Concern.objects.create(
        organisation=published.organisation, place=published.place, reason="untrue"
    )
    page.goto(reverse("admin:pledges_concern_changelist") + "?status__exact=open")
    assert_accessible(page)
    tab_to(page, f"input.action-select[value='{concern.pk}']")
    page.keyboard.press("Space")
    tab_to(page, "select[name=action]")
    page.keyboard.type("Dismiss")
    tab_to(page, "button[title='Run the selected action']")
    submit_with_enter(page)
    expect(page.get_by_role("textbox", name="Note")).to_be_visible()
    assert_accessible(page)

    # The same decision from the concern's own page, by keyboard, back to that page.
    own_page = reverse("admin:pledges_concern_change", args=[concern.pk])
    page.goto(own_page)
    assert_accessible(page)
    tab_to(page, "form[action$='/act/dismiss_concerns/'] button")
    submit_with_enter(page)
    tab_to(page, "textarea[name=reason]")
    page.keyboard.type("Checked: the update is true.")
    tab_to(page, "input[name=apply]")
    submit_with_enter(page)
    expect(page.locator(".messagelist")).to_contain_text("Dismissed 1 concern.")
    assert page.url.endswith(own_page)
    concern.refresh_from_db()
    assert concern.status == Concern.Status.DISMISSED


def test_a_new_moderator_enrols_two_factor_once_and_lands_in_the_admin(page):
    from io import StringIO

    from django.core.management import call_command

    from tests.factories import current_totp_code

    call_command(
        "createmoderator", "new.moderator@example.org", "--no-input", "--network", stdout=StringIO()
    )
    user = UserFactory._meta.model.objects.get(email="new.moderator@example.org")
    user.set_password(PASSWORD)
    user.save()
    page.goto("/admin/")
    page.fill("#id_login", "new.moderator@example.org")
    page.fill("#id_password", PASSWORD)
    submit_with_enter(page)
    # Straight to enrolment: no second request for the password just given.
    expect(page.get_by_role("heading", level=1)).not_to_contain_text("Confirm")
    assert page.url.split("?")[0].endswith("/2fa/totp/activate/"), page.url
    assert_accessible(page)
    secret = page.locator("#authenticator_secret").input_value()
    page.fill("#id_code", current_totp_code(secret))
    submit_with_enter(page)
    # The recovery codes are there to save, then one button back to the moderation tools.
    codes = page.locator("textarea#recovery_codes").input_value().split()
    assert len(codes) == 10
    assert_accessible(page)
    tab_to(page, "a[href='/admin/']")
    submit_with_enter(page)
    expect(page.get_by_role("heading", name="Waiting for you")).to_be_visible()


# How many lines an element's words take: the tops of its text's boxes.
LINES_OF_TEXT = """h => {
  const tops = new Set();
  const walker = document.createTreeWalker(h, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const range = document.createRange();
    range.selectNodeContents(walker.currentNode);
    for (const box of range.getClientRects()) tops.add(Math.round(box.top));
  }
  return tops.size;
}"""


def test_the_pledge_list_reads_on_a_phone_and_its_filters_one_to_a_line(mobile_page, page):
    moderator = UserFactory(email="phone.moderator@example.org", is_staff=True)
    moderator.groups.add(moderators_group(), network_moderators_group())
    secret = enrol_totp(moderator)
    long_name = "Cheltenham Town Football Club Community Trust and Friends of the Park"
    PledgeFactory(organisation__name=long_name, status="submitted")
    log_in_to_admin(mobile_page, moderator.email, secret)
    mobile_page.goto(reverse("admin:pledges_pledge_changelist"))
    name = mobile_page.get_by_role("link", name=long_name)
    box = name.bounding_box()
    assert box["x"] + box["width"] <= 375, box  # wraps within the screen
    assert_accessible(mobile_page)
    filters = mobile_page.locator("#changelist-filter li")
    tops = [filters.nth(index).bounding_box()["y"] for index in range(4)]
    assert tops == sorted(set(tops))  # each choice on a line of its own

    # On every list a moderator decides from, the status is on the first screen, beside the
    # name, and no column heading is split inside a word.
    from tests.factories import ProgressUpdateFactory, StoryFactory

    ProgressUpdateFactory()
    StoryFactory()
    for model in ("pledges_pledge", "pledges_progressupdate", "stories_story"):
        mobile_page.goto(reverse(f"admin:{model}_changelist"))
        status = mobile_page.locator("#result_list thead th.column-status")
        box = status.bounding_box()
        assert box["x"] + box["width"] <= 375, (model, box)
        for heading in mobile_page.locator("#result_list thead th .text").all():
            lines = heading.evaluate(LINES_OF_TEXT)
            words = len(heading.inner_text().split())
            assert lines <= max(words, 1), (model, heading.inner_text())
