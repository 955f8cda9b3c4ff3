"""Every staff page an organisation admin can open: axe on a phone and a desktop, and reflow.

The list comes from the resolver (tests/staff_urls.py), so a new staff page is checked too.
"""

import pytest
from django.test import Client
from django.urls import reverse

from tests.accessibility import assert_accessible
from tests.browser.helpers import log_in
from tests.factories import PASSWORD
from tests.staff_urls import ORG_URLS, make_staff_world, url_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIGNED_IN_PAGES = ["organisations:home", "organisations:register"]


def pages_for(user, urls):
    """The URLs that show a page to this user; the rest only take a POST or redirect."""
    client = Client()
    client.force_login(user)
    return [url for url in urls if client.get(url).status_code == 200]


def test_every_staff_page_passes_axe_and_reflows_on_a_phone(page, mobile_page, seeded_agreement):
    world = make_staff_world()
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
