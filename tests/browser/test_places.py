"""Several places, in a real browser: the network page and the place picker pass axe on a
desktop and a phone; a partner signs in a second place from the same account, by keyboard;
addresses from before places (an organisation page, its badge) still answer."""

import re

import pytest
from playwright.sync_api import expect

from organisations.models import Membership
from tests.accessibility import assert_accessible
from tests.browser.helpers import log_in, submit_with_enter, tab_to
from tests.factories import (
    PASSWORD,
    MembershipFactory,
    PledgeFactory,
    StoryFactory,
    north_ayrshire,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def network(seeded_agreement):
    place = north_ayrshire(live=True)
    trust = PledgeFactory(published=True, organisation__name="Carnegie UK Trust").organisation
    StoryFactory(organisation=trust, body="The trust's volunteer walked me home.")
    StoryFactory(organisation=None, place=place, body="A stranger in Largs paid for my bus.")
    return place, trust


def test_the_network_page_and_the_picker_pass_axe_on_a_desktop_and_a_phone(
    network, page, mobile_page
):
    place, trust = network
    for viewer in (page, mobile_page):
        viewer.goto("/")
        expect(viewer.get_by_role("heading", level=1)).to_have_text(
            "Kindness, made visible in every place"
        )
        expect(viewer.get_by_role("table")).to_contain_text("North Ayrshire")
        assert_accessible(viewer)
        # Nothing runs off the side, the places' table included.
        width = viewer.evaluate("document.documentElement.scrollWidth")
        assert width <= viewer.viewport_size["width"]
        picker = viewer.get_by_role("navigation", name="Places")
        picker.get_by_role("link", name="North Ayrshire").click()
        viewer.wait_for_url("**/north-ayrshire/")
        expect(picker.get_by_role("link", name="North Ayrshire")).to_have_attribute(
            "aria-current", "true"
        )
        assert_accessible(viewer)
        width = viewer.evaluate("document.documentElement.scrollWidth")
        assert width <= viewer.viewport_size["width"]


def test_a_partner_signs_in_a_second_place_by_keyboard(network, page):
    place, trust = network
    admin = MembershipFactory(organisation=trust, role=Membership.Role.ADMIN)
    log_in(page, admin.user.email, PASSWORD)
    page.goto(f"/cheltenham/manage/{trust.pk}/")
    tab_to(page, f"a[href='/north-ayrshire/manage/{trust.pk}/']")
    submit_with_enter(page)
    expect(page.locator(".govuk-caption-l")).to_contain_text("North Ayrshire")
    assert_accessible(page)
    page.goto(f"/north-ayrshire/manage/{trust.pk}/sign/")
    tab_to(page, "button[type=submit]")
    submit_with_enter(page)
    assert page.url.endswith(f"/north-ayrshire/manage/{trust.pk}/sign/")
    assert_accessible(page)
    pledges = trust.pledges.order_by("place__slug").values_list("place__slug", "status")
    assert list(pledges) == [("cheltenham", "published"), ("north-ayrshire", "draft")]
    # The place's own areas are offered for the area the trust serves there.
    page.goto(f"/north-ayrshire/manage/{trust.pk}/sign/statement/")
    assert_accessible(page)
    tab_to(page, "#id_statement")
    page.keyboard.type("We learned kindness here.")
    tab_to(page, "#id_area")
    page.keyboard.type("Irvine")
    tab_to(page, "button[value=continue]")
    submit_with_enter(page)
    expect(page).to_have_url(re.compile(r"/north-ayrshire/manage/\d+/sign/signatory/$"))
    assert trust.pledges.get(place=place).area.name == "Irvine"


def test_an_old_organisation_address_and_its_badge_still_answer(network, page):
    place, trust = network
    response = page.goto(f"/organisations/{trust.slug}/")
    assert response.status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text("Carnegie UK Trust")
    badge = page.request.get(
        f"{page.url.split('/organisations/')[0]}/organisations/{trust.slug}/badge.svg"
    )
    assert badge.status == 200 and badge.headers["content-type"] == "image/svg+xml"


def test_a_places_moderator_publishes_in_their_place_and_cannot_act_in_the_other(network, page):
    from accounts.moderators import moderators_group
    from pledges.models import Agreement, Pledge
    from tests.browser.helpers import log_in_to_admin
    from tests.factories import UserFactory, enrol_totp

    place, trust = network
    theirs = PledgeFactory(
        agreement=Agreement.objects.get_current(place),
        status=Pledge.Status.SUBMITTED,
        organisation__name="Irvine Community Larder",
    )
    other = PledgeFactory(status=Pledge.Status.SUBMITTED, organisation__name="Oakwood School")
    moderator = UserFactory(email="ayrshire.moderator@example.org", is_staff=True)
    moderator.groups.add(moderators_group())
    place.moderators.add(moderator)
    secret = enrol_totp(moderator)
    log_in_to_admin(page, moderator.email, secret)
    page.goto("/admin/pledges/pledge/?status__exact=submitted")
    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("Irvine Community Larder")
    tab_to(page, "input.action-select")
    page.keyboard.press("Space")
    tab_to(page, "select[name=action]")
    page.keyboard.type("Approve")
    tab_to(page, "button[title='Run the selected action']")
    submit_with_enter(page)
    expect(page.get_by_text("Published 1 pledge.")).to_be_visible()
    assert_accessible(page)
    response = page.goto(f"/admin/pledges/pledge/{other.pk}/change/")
    assert response.status in {302, 404} or "doesn’t exist" in page.content()
    theirs.refresh_from_db()
    other.refresh_from_db()
    assert (theirs.status, other.status) == ("published", "submitted")


def test_telling_a_story_from_the_network_page_asks_where_first(network, page):
    page.goto("/")
    page.get_by_label("Where did you see it?").select_option(label="North Ayrshire")
    page.get_by_role("button", name="Continue").press("Enter")
    page.wait_for_url("**/north-ayrshire/kindness-seen/tell/")
    expect(page.get_by_label("Which part of North Ayrshire? (optional)")).to_be_visible()
    assert_accessible(page)


@pytest.mark.parametrize("width", [320, 768, 1280])
def test_the_network_page_passes_axe_at_every_width(network, page, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Kindness, made visible in every place"
    )
    # The residents' stories, each naming its place, are part of what axe reads.
    expect(page.get_by_text("A stranger in Largs paid for my bus.")).to_be_visible()
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
