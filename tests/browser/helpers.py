import re

from django.core import mail

from tests.accessibility import assert_accessible
from tests.factories import PASSWORD, current_totp_code


def checked_goto(page, url):
    page.goto(url)
    assert_accessible(page)


def log_in(page, email, password):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    follow(page, page.get_by_role("button", name="Sign in"))


def follow(page, locator):
    """Click a link or button and wait for the page it leads to, so checks never see the old one."""
    with page.expect_navigation():
        locator.click()


def last_link_in_outbox(pattern):
    body = mail.outbox[-1].body
    return re.search(pattern, body).group(0)


def tab_to(page, selector, limit=80):
    """Press Tab until the element matching selector has focus: keyboard only, no clicks."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(
            "(s) => document.activeElement && document.activeElement.matches(s)", selector
        ):
            return
    raise AssertionError(f"Could not reach {selector} with the Tab key")


def submit_with_enter(page):
    """Press Enter on the focused control and wait for the page it leads to."""
    with page.expect_navigation():
        page.keyboard.press("Enter")


def log_in_to_admin(page, email, totp_secret):
    """Sign in as a moderator with a password and a two-factor code, ending on the admin index."""
    page.goto("/admin/")
    page.fill("#id_login", email)
    page.fill("#id_password", PASSWORD)
    page.keyboard.press("Enter")
    page.fill("#id_code", current_totp_code(totp_secret))
    page.keyboard.press("Enter")
    page.wait_for_url("**/admin/")
