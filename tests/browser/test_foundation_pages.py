import re

import pytest
from django.contrib import admin
from django.urls import reverse
from playwright.sync_api import expect

from tests.accessibility import assert_accessible
from tests.browser.helpers import log_in_to_admin
from tests.factories import (
    CommitmentFactory,
    ProgressUpdateFactory,
    UserFactory,
    enrol_totp,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Django's own admin markup: rules it breaks that we cannot fix without forking its templates.
ADMIN_KNOWN_VIOLATIONS = ()


def test_the_accessibility_check_fails_on_a_page_that_breaks_a_rule(page):
    page.goto(reverse("registry:home"))
    page.set_content('<html lang="en"><main><img src="/x.png"></main></html>')
    for _check in ("the first, which sends axe to the page", "the next, which finds it there"):
        with pytest.raises(AssertionError, match="image-alt"):
            assert_accessible(page)


def test_home_page_is_accessible_on_desktop_and_mobile(page, mobile_page):
    for current in (page, mobile_page):
        current.goto(reverse("registry:home"))
        expect(current.locator("h1").first).to_be_visible()
        assert current.locator(".app-priority-card").count() == 5
        assert_accessible(current)


def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(page):
    page.goto(reverse("registry:home"))
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert "Skip to main content" in focused
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main-content$"))
    expect(page.locator("#main-content")).to_be_focused()


def test_organisation_and_update_pages_are_accessible(page):
    update = ProgressUpdateFactory(body="We **listened**.\n\n- one\n- two")
    CommitmentFactory(pledge=update.pledge)
    for url in (update.pledge.organisation.get_absolute_url(), update.get_absolute_url()):
        page.goto(url)
        assert_accessible(page)


def test_admin_changelists_are_accessible(page):
    moderator = UserFactory(email="admin@example.org", is_staff=True, is_superuser=True)
    secret = enrol_totp(moderator)
    ProgressUpdateFactory()
    log_in_to_admin(page, "admin@example.org", secret)
    assert page.get_by_role("heading", name="Waiting for you").is_visible()  # the queue
    assert_accessible(page, exclude_rules=ADMIN_KNOWN_VIOLATIONS)
    for model in admin.site._registry:
        page.goto(reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"))
        assert_accessible(page, exclude_rules=ADMIN_KNOWN_VIOLATIONS)
