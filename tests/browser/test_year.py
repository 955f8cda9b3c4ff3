"""A place's year in kindness in a real browser: axe finds nothing at 320, 768 and 1280 px,
nothing runs off the side, and it prints to A4 without the menus (the PDF that Chromium
prints is saved beside the screenshots, for a person to read)."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from opendata.models import YearReport
from opendata.services import year_report_save
from tests.accessibility import assert_accessible
from tests.browser.screenshots import SCREENSHOTS
from tests.factories import (
    ModeratorFactory,
    PledgeFactory,
    ProgressUpdateFactory,
    StoryFactory,
    default_place,
    north_ayrshire,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def year(seeded_agreement):
    north_ayrshire(live=True)
    pledge = PledgeFactory(published=True, organisation__name="Pittville Community Larder")
    update = ProgressUpdateFactory(pledge=pledge, title="Soup and a chat on Tuesdays")
    story = StoryFactory(organisation=pledge.organisation, body="They kept us a warm seat.")
    this_year = timezone.localdate().year
    year_report_save(
        report=YearReport(place=default_place(), year=this_year),
        foreword="A year of **listening**, with thanks to every partner.",
        updates=[update],
        stories=[story],
        by=ModeratorFactory(),
    )
    return this_year


@pytest.mark.parametrize("width", [320, 768, 1280])
def test_the_year_passes_axe_at_every_width(year, page, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"/cheltenham/year/{year}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Cheltenham's year in kindness, {year}"
    )
    expect(page.get_by_role("heading", name="Soup and a chat on Tuesdays")).to_be_visible()
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_the_year_prints_on_a4_without_the_menus(year, page):
    page.goto(f"/cheltenham/year/{year}/")
    page.emulate_media(media="print")
    try:
        expect(page.get_by_role("navigation", name="Main")).to_be_hidden()
        expect(page.get_by_role("navigation", name="Places")).to_be_hidden()
        expect(page.locator("footer")).to_be_hidden()
        expect(page.get_by_role("heading", name="Download these figures")).to_be_hidden()
        expect(page.get_by_text("From the Kindness Commitments registry:")).to_be_visible()
        # Links are written out after their words.
        link = page.get_by_role("link", name="Soup and a chat on Tuesdays")
        after = link.evaluate("a => getComputedStyle(a, '::after').content")
        assert re.search(r"/cheltenham/updates?/", after), after
        pdf = page.pdf(format="A4", print_background=True)
    finally:
        page.emulate_media(media="screen")
    assert pdf.startswith(b"%PDF")
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert pages >= 2, pages
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / "year-in-kindness.pdf").write_bytes(pdf)
