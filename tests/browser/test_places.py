"""Several places, in a real browser: the network page and the place picker pass axe on a
desktop and a phone; a partner signs in a second place from the same account, by keyboard;
addresses from before places (an organisation page, its badge) still answer."""

import pytest
from django.db import transaction
from playwright.sync_api import expect

from organisations.models import Membership
from places.models import Area, Place
from tests.accessibility import assert_accessible
from tests.browser.helpers import log_in, submit_with_enter, tab_to
from tests.factories import PASSWORD, AgreementFactory, MembershipFactory, PledgeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def network(seeded_agreement):
    place = Place.objects.create(
        name="North Ayrshire",
        slug="north-ayrshire",
        contact_email="kindness@north-ayrshire.example",
        data_controller="North Ayrshire Council",
        privacy_email="dpo@north-ayrshire.example",
    )
    Area.objects.create(place=place, slug="irvine", name="Irvine")
    with transaction.atomic():
        AgreementFactory(place=place, version=1, is_current=True, priorities=True)
    trust = PledgeFactory(published=True, organisation__name="Carnegie UK Trust").organisation
    return place, trust


def test_the_network_page_and_the_picker_pass_axe_on_a_desktop_and_a_phone(
    network, page, mobile_page
):
    place, trust = network
    for viewer in (page, mobile_page):
        viewer.goto("/")
        expect(viewer.get_by_role("heading", level=1)).to_have_text(
            "Places with a community agreement"
        )
        expect(viewer.get_by_role("table")).to_contain_text("North Ayrshire")
        assert_accessible(viewer)
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


def test_an_old_organisation_address_and_its_badge_still_answer(network, page):
    place, trust = network
    response = page.goto(f"/organisations/{trust.slug}/")
    assert response.status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text("Carnegie UK Trust")
    badge = page.request.get(
        f"{page.url.split('/organisations/')[0]}/organisations/{trust.slug}/badge.svg"
    )
    assert badge.status == 200 and badge.headers["content-type"] == "image/svg+xml"
