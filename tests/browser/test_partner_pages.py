"""Every partner page an organisation admin can open: axe on a phone and a desktop, reflow,
and working with JavaScript off.

The list comes from the resolver (tests/partner_urls.py), so a new partner page is checked too.
"""

import pytest
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from organisations.models import Organisation
from tests.accessibility import assert_accessible
from tests.browser.helpers import follow, log_in
from tests.factories import PASSWORD
from tests.partner_urls import ORG_URLS, make_partner_world, url_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIGNED_IN_PAGES = [
    "organisations:home",
    "organisations:register",
    "privacy:your-data",
    "privacy:close-account",
]


def pages_for(user, urls):
    """The URLs that show a page to this user; the rest only take a POST or redirect."""
    client = Client()
    client.force_login(user)
    return [url for url in urls if client.get(url).status_code == 200]


def test_every_partner_page_passes_axe_and_reflows_on_a_phone(page, mobile_page, seeded_agreement):
    world = make_partner_world()
    urls = pages_for(
        world["admin"],
        [reverse(name) for name in SIGNED_IN_PAGES]
        + [url_for(name, pattern, world["ids"]) for name, pattern in ORG_URLS],
    )
    assert (
        len(urls) >= 10
    )  # the signing pages redirect once published; the journey test covers them
    for current in (page, mobile_page):
        log_in(current, world["admin"].email, PASSWORD)
    for url in urls:
        for current in (page, mobile_page):
            current.goto(url)
            assert_accessible(current)
        width = mobile_page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"{url} is {width} px wide on a 375 px screen"


def test_partner_pages_and_forms_work_without_javascript(browser, live_server, seeded_agreement):
    world = make_partner_world()
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    log_in(page, world["admin"].email, PASSWORD)
    urls = pages_for(
        world["admin"], [url_for(name, pattern, world["ids"]) for name, pattern in ORG_URLS]
    )
    for url in urls:
        page.goto(url)
        expect(page.locator("main h1")).to_be_visible()

    # Posting a progress update is a plain form: it works with JavaScript off.
    org = {"org_id": world["ids"]["org_id"]}
    page.goto(reverse("pledges:update-new", kwargs=org))
    page.get_by_label("Title").fill("Written without JavaScript")
    page.get_by_label("What happened").fill("Plain forms for everyone.")
    page.locator("input[name=priorities]").first.check()
    follow(page, page.get_by_role("button", name="Publish update"))
    page.goto(Organisation.objects.get(pk=org["org_id"]).get_absolute_url())
    expect(page.get_by_role("heading", name="Written without JavaScript")).to_be_visible()
    context.close()
