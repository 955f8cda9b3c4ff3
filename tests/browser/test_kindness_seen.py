"""Kindness seen, end to end in a real browser: a resident tells a story from an organisation's
page by keyboard with JavaScript off, confirms it with the button, a moderator publishes it,
the organisation is told and thanks them, and the story is on every public surface."""

import csv
import io
import re

import pytest
from django.core import mail
from django.urls import reverse
from playwright.sync_api import expect

from accounts.moderators import moderators_group, network_moderators_group
from organisations.models import Membership
from pledges.models import Priority
from stories.models import Story
from tests.accessibility import assert_accessible
from tests.browser.helpers import log_in, log_in_to_admin, submit_with_enter, tab_to
from tests.factories import PASSWORD, MembershipFactory, PledgeFactory, UserFactory, enrol_totp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WORDS = "The caretaker stayed late so that my family could use the quiet room."
REPLY = "Thank you for telling us. We will keep the room open on Thursdays."


def keyboard_only(page, selector, text=None):
    """Reach a control with Tab and type into it, or press Space on it (a box or a radio)."""
    tab_to(page, selector)
    if text is None:
        page.keyboard.press("Space")
    else:
        page.keyboard.type(text)


def test_a_residents_story_from_telling_to_thanks(browser, live_server, page, mobile_page):
    pledge = PledgeFactory(published=True, organisation__name="Oakwood Primary School")
    organisation = pledge.organisation
    head = MembershipFactory(
        organisation=organisation, role=Membership.Role.ADMIN, user__email="head@example.org"
    )
    moderator = UserFactory(email="moderator@example.org", is_staff=True)
    moderator.groups.add(moderators_group(), network_moderators_group())
    secret = enrol_totp(moderator)
    priority = Priority.objects.get(agreement__is_current=True, number=4)

    # The resident, with JavaScript off, by keyboard alone.
    resident_side = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    resident = resident_side.new_page()
    resident.goto(organisation.get_absolute_url())
    tab_to(resident, f"a[href*='{reverse('registry:tell')}?organisation=']")
    submit_with_enter(resident)
    expect(resident.get_by_label("Where did it happen? (optional)")).to_have_value(
        organisation.name
    )
    keyboard_only(resident, "textarea[name=body]", WORDS)
    tab_to(resident, "input[name=priority][value='']")  # "Not sure", chosen to begin with
    for _ in range(priority.number):
        resident.keyboard.press("ArrowDown")  # the browser's own radio keys, no script
    keyboard_only(resident, "input[name=shown_name]", "Ana")
    keyboard_only(resident, "input[name=email]", "ana@example.net")
    tab_to(resident, "button[type=submit]")
    submit_with_enter(resident)  # consent not given: a clear error, and nothing lost
    expect(resident.locator(".govuk-error-summary")).to_contain_text(
        "Confirm that your story may be published"
    )
    expect(resident.locator("textarea[name=body]")).to_have_value(WORDS)
    expect(resident.locator(f"input[name=priority][value='{priority.slug}']")).to_be_checked()
    keyboard_only(resident, "input[name=consent]")
    tab_to(resident, "button[type=submit]")
    submit_with_enter(resident)
    expect(resident.get_by_role("heading", name="Check your email")).to_be_visible()

    (confirmation,) = mail.outbox
    confirm = re.search(r"/kindness-seen/confirm/[^/\s]+/", confirmation.body).group(0)
    resident.goto(confirm)  # what a mail scanner does too: nothing changes
    assert Story.objects.get().status == Story.Status.UNCONFIRMED
    tab_to(resident, "button[type=submit]")
    submit_with_enter(resident)
    expect(resident.get_by_role("heading", name="Your story is with a moderator")).to_be_visible()
    story = Story.objects.get()
    assert (story.status, story.organisation, story.priority) == ("waiting", organisation, priority)
    resident_side.close()

    # The moderator publishes it from the queue, by keyboard.
    log_in_to_admin(page, "moderator@example.org", secret)
    expect(page.get_by_role("region", name="Waiting for you")).to_contain_text(
        "1 story of kindness seen waiting to be read"
    )
    tab_to(page, "a[href*='/admin/stories/story/?status__exact=waiting']")
    submit_with_enter(page)
    expect(page.locator("#result_list")).to_contain_text("The caretaker stayed late")
    assert "ana@example.net" not in page.content()
    tab_to(page, "input.action-select")
    page.keyboard.press("Space")
    tab_to(page, "select[name=action]")
    page.keyboard.type("Publish")
    assert page.locator("select[name=action]").input_value() == "publish_stories"
    tab_to(page, "button[title='Run the selected action']")
    submit_with_enter(page)
    expect(page.get_by_text("Published 1 story.")).to_be_visible()
    assert_accessible(page)

    noticed = next(m for m in mail.outbox if m.subject == "Someone noticed your kindness")
    assert noticed.to == ["head@example.org"] and WORDS in noticed.body

    # The story is on every public surface, and the resident's address on none.
    public_pages = [
        organisation.get_absolute_url(),
        priority.get_absolute_url(),
        reverse("registry:updates"),
        reverse("registry:updates") + "?show=stories",
        story.get_absolute_url(),
    ]
    for url in public_pages:
        for viewer in (page, mobile_page):
            viewer.goto(url)
            expect(viewer.locator("main")).to_contain_text(WORDS)
            assert "ana@example.net" not in viewer.content()
            assert_accessible(viewer)
    for url in (
        reverse("opendata:stories-feed"),
        "/api/v1/stories",
        reverse("opendata:download", args=["stories", "csv"]),
    ):
        body = page.request.get(live_server.url + url).text()
        assert WORDS in body and "ana@example.net" not in body, url
    rows = csv.DictReader(
        io.StringIO(page.request.get(live_server.url + url).text().lstrip("\ufeff"))
    )
    assert [row["shown_name"] for row in rows] == ["Ana"]

    # The organisation's admin follows the email's link and thanks the resident, by keyboard.
    partner_side = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    partner = partner_side.new_page()
    log_in(partner, head.user.email, PASSWORD)
    partner.goto(re.search(r"/manage/\d+/kindness-seen/", noticed.body).group(0))
    tab_to(partner, "a[href*='/reply/']")
    submit_with_enter(partner)
    keyboard_only(partner, "textarea[name=reply]", REPLY)
    tab_to(partner, "button[type=submit]")
    submit_with_enter(partner)
    expect(partner.get_by_text("Your reply is published under the story.")).to_be_visible()
    partner_side.close()
    for viewer in (page, mobile_page):
        viewer.goto(story.get_absolute_url())
        expect(viewer.locator("main")).to_contain_text(REPLY)
        assert_accessible(viewer)


def test_the_story_form_counts_characters_as_they_type_and_reports_errors_accessibly(
    page, mobile_page
):
    PledgeFactory(published=True)
    for viewer in (page, mobile_page):
        viewer.goto(reverse("registry:tell"))
        assert_accessible(viewer)
        keyboard_only(viewer, "textarea[name=body]", "x" * 1005)
        expect(viewer.locator(".govuk-character-count__status")).to_contain_text(
            "5 characters too many"
        )
        tab_to(viewer, "button[type=submit]")
        submit_with_enter(viewer)
        summary = viewer.locator(".govuk-error-summary")
        expect(summary).to_contain_text("What happened must be 1000 characters or fewer")
        expect(summary).to_contain_text("Enter your email address")
        expect(viewer.locator("textarea[name=body]")).to_have_value("x" * 1005)
        assert_accessible(viewer)
    assert not Story.objects.exists()
