"""Every public page: axe at desktop and 375 px, and usable with JavaScript turned off."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from pledges.models import Priority
from pledges.search import refresh_search
from tests.accessibility import assert_accessible
from tests.browser.helpers import follow
from tests.public_world import make_public_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def html_pages():
    pledge = make_public_world(3)[0]
    refresh_search()
    priority = Priority.objects.get(agreement__is_current=True, number=1)
    organisation = pledge.organisation
    return [
        (reverse("registry:home"), "Kindness in Cheltenham"),
        (reverse("registry:signatories"), "Signatories"),
        (reverse("registry:signatories") + "?q=nothing-matches-this", "No organisations match"),
        (organisation.get_absolute_url(), organisation.name),
        (
            reverse("registry:certificate", kwargs={"slug": organisation.slug}),
            organisation.name,
        ),
        (reverse("registry:agreement"), "No Child Left Behind Community Agreement"),
        (priority.get_absolute_url(), priority.title),
        (reverse("registry:updates"), "Progress updates"),
        (pledge.updates.first().get_absolute_url(), pledge.updates.first().title),
        (reverse("opendata:statistics"), "Statistics"),
        (reverse("opendata:data"), "Open data"),
        (reverse("opendata:api-docs"), "API reference"),
        (reverse("core:accessibility"), "Accessibility statement"),
        (reverse("core:privacy"), "Privacy notice"),
        (reverse("core:cookies"), "Cookies"),
        (reverse("core:report-concern"), "Report a concern"),
        (reverse("registry:concern", args=[organisation.slug]), "Report a concern"),
        (reverse("registry:update-concern", args=[pledge.updates.first().pk]), "Report a concern"),
        (reverse("registry:concern-sent"), "Thank you for telling us"),
        ("/no-such-page/", "Page not found"),
    ]


def test_every_public_page_passes_axe_on_desktop_and_mobile(page, mobile_page):
    for url, heading in html_pages():
        for current in (page, mobile_page):
            current.goto(url)
            assert heading in current.locator("main").inner_text(), url
            assert_accessible(current)
        # Reflow (WCAG 1.4.10): nothing makes a 375 px phone scroll sideways.
        width = mobile_page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"{url} is {width} px wide on a 375 px screen"


def test_every_public_page_works_without_javascript(browser, live_server):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    for url, heading in html_pages():
        page.goto(url)
        assert heading in page.locator("main").inner_text(), url
    # The signatories page's search and filters are a plain form.
    page.goto(reverse("registry:signatories"))
    page.get_by_role("textbox", name="Search").fill("nothing-matches-this")
    follow(page, page.get_by_role("button", name="Apply"))
    expect(page).to_have_url(re.compile(r"q=nothing-matches-this"))
    expect(page.get_by_text("No organisations match")).to_be_visible()
    context.close()


def test_long_words_that_partners_write_wrap_on_a_320_px_phone(browser, live_server):
    long_name = "Cheltenham" + "Kindness" * 18
    pledge = make_public_world(1)[0]
    organisation = pledge.organisation
    organisation.name = long_name
    organisation.website = "https://example.org/" + "a-very-long-path-segment" * 8
    organisation.save()
    pledge.statement = "See https://example.org/" + "x" * 150 + " for more."
    pledge.save()
    update = pledge.updates.first()
    update.title = "Update" + "y" * 120
    update.save()
    refresh_search()
    context = browser.new_context(base_url=live_server.url, viewport={"width": 320, "height": 640})
    page = context.new_page()
    for url in (
        organisation.get_absolute_url(),
        reverse("registry:signatories"),
        update.get_absolute_url(),
        reverse("registry:updates"),
    ):
        page.goto(url)
        expect(page.locator("main")).to_contain_text("Cheltenham")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 320, f"{url} is {width} px wide at 320 px"
    context.close()


def test_a_reader_reports_a_concern_by_keyboard_and_errors_are_accessible(page):
    from tests.browser.helpers import submit_with_enter, tab_to

    pledge = make_public_world(1)[0]
    update = pledge.updates.first()
    page.goto(update.get_absolute_url())
    tab_to(page, "a[href$='/concern/']")
    submit_with_enter(page)
    tab_to(page, "button[type=submit]")  # nothing chosen: the error summary says what to do
    submit_with_enter(page)
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select what is wrong")
    assert page.title().startswith("Error:")
    assert_accessible(page)
    tab_to(page, "input[name=reason]")  # the radio group; arrows move through it
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(page.locator("input[value=untrue]")).to_be_checked()
    tab_to(page, "textarea[name=details]")
    page.keyboard.type("The date is wrong.")
    tab_to(page, "button[type=submit]")
    submit_with_enter(page)
    expect(page.locator("h1")).to_contain_text("Thank you for telling us")
    from pledges.models import Concern

    assert Concern.objects.get().details == "The date is wrong."


def test_on_a_phone_the_story_pagination_shows_every_page_near_this_one(mobile_page, page):
    from tests.factories import ProgressUpdateFactory
    from tests.public_world import published_organisation

    pledge = published_organisation("Many Stories Trust", updates=0)
    ProgressUpdateFactory.create_batch(41, pledge=pledge)  # three pages of twenty
    mobile_page.goto(reverse("registry:updates"))
    pages = mobile_page.get_by_role("navigation", name="Pages of results")
    expect(pages.get_by_role("link", name="Page 2", exact=True)).to_be_visible()
    visible = [link.inner_text() for link in pages.locator("a[aria-label^='Page']").all()
               if link.is_visible()]  # fmt: skip
    assert visible == ["1", "2", "3"]
    page.goto(reverse("registry:updates"))  # a wide screen shows its own list, once
    wide = page.get_by_role("navigation", name="Pages of results")
    shown = [link.inner_text() for link in wide.locator("a[aria-label^='Page']").all()
             if link.is_visible()]  # fmt: skip
    assert shown == ["1", "2", "3"]
    assert_accessible(mobile_page)


def test_a_story_picture_that_has_not_loaded_is_a_block_of_colour(page, mobile_page):
    from pledges.models import ProgressUpdate
    from tests.public_world import published_organisation

    pledge = published_organisation("Slow Pictures Trust", updates=1)
    ProgressUpdate.objects.filter(pledge=pledge).update(
        image="updates/not-there-yet.jpg", image_alt="A drawing of a garden."
    )
    for current in (page, mobile_page):
        current.goto(reverse("registry:updates"))
        picture = current.locator(".app-card__image").first
        box = picture.bounding_box()
        assert box["height"] > box["width"] * 0.7  # its place is kept at 4:3
        colour = picture.evaluate("image => getComputedStyle(image).backgroundColor")
        assert colour not in {"rgba(0, 0, 0, 0)", "rgb(255, 255, 255)"}


def test_the_statistics_charts_fit_a_phone_and_line_up_on_a_desktop(page, mobile_page):
    from organisations.models import Organisation
    from tests.public_world import published_organisation

    for index in range(3):
        school = published_organisation(f"School {index}").organisation_id
        Organisation.objects.filter(pk=school).update(type=Organisation.Type.SCHOOL)
    charity = published_organisation("The Charity").organisation_id
    Organisation.objects.filter(pk=charity).update(type=Organisation.Type.CHARITY)
    mobile_page.goto(reverse("opendata:statistics"))
    assert mobile_page.evaluate("document.documentElement.scrollWidth") <= 375
    types = mobile_page.locator("#types-caption").locator("xpath=..")
    bars = {
        item.locator(".app-bars__label").inner_text(): item.locator(".app-bars__bar")
        for item in types.locator(".app-bars__item").all()
        if item.locator(".app-bars__bar").count()
    }
    school = bars["School or college"].bounding_box()["width"]
    charity = bars["Charity or voluntary group"].bounding_box()["width"]
    assert abs(school / charity - 3) < 0.1  # lengths tell the story at phone width too
    for item in types.locator(".app-bars__item").all():
        assert item.locator(".app-bars__value").is_visible()
    assert mobile_page.locator("svg.app-chart--narrow").first.is_visible()
    assert not mobile_page.locator("svg.app-chart--wide").first.is_visible()
    assert_accessible(mobile_page)
    page.goto(reverse("opendata:statistics"))
    heading = page.locator("h1").bounding_box()["x"]
    assert page.locator("figure.app-figure").first.bounding_box()["x"] == heading
    assert page.locator("svg.app-chart--wide").first.is_visible()
    assert_accessible(page)
