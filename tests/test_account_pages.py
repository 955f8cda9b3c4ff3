"""The account and two-factor pages read and behave like the rest of the service: a next
step wherever a person is stuck, a link to write to, no labels repeated as placeholders, and
no destructive or primary button where it does not belong."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from places.models import Place
from tests.factories import PASSWORD, UserFactory, enrol_totp, north_ayrshire

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()


def _buttons(html):
    """The buttons in the page's main content (the header's menu toggle left out)."""
    main = html.split("<main", 1)[1]
    return [b.strip() for b in re.findall(r"<button[^>]*>(.*?)</button>", main, re.S)]


def test_an_inactive_account_is_told_what_to_do_and_whom_to_write_to(client):
    user = UserFactory(is_active=False)
    answer = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    page = client.get(answer["Location"]).text
    contact = Place.objects.default().contact_email
    assert "You cannot sign in with this account" in page
    assert f'href="mailto:{contact}"' in page
    assert f'href="{reverse("account_signup")}"' in page


def test_the_reset_page_links_to_the_places_team_and_asks_without_placeholders(client):
    there = north_ayrshire()
    page = client.get("/north-ayrshire" + reverse("account_reset_password")).text
    assert f'href="mailto:{there.contact_email}"' in page and "the team in North Ayrshire" in page
    assert "placeholder=" not in page
    for name in ("account_login", "account_signup"):
        assert "placeholder=" not in client.get(reverse(name)).text


def test_the_new_password_page_is_named_for_what_it_does_and_cancel_is_no_button(client):
    user = UserFactory()
    client.post(reverse("account_reset_password"), {"email": user.email})
    link = re.search(r"/accounts/password/reset/key/\S+/", mail.outbox[0].body).group(0)
    page = client.get(client.get(link)["Location"]).text
    assert "<title>Choose a new password" in page and "Change password</h1>" not in page
    assert _buttons(page) == ["Save the new password"]
    assert re.search(r'<a class="govuk-link" href="/accounts/login/">Cancel</a>', page)


def test_the_only_address_offers_no_remove_or_make_primary(client):
    user = UserFactory()
    client.force_login(user)
    page = client.get(reverse("account_email")).text
    assert user.email in page and "Primary" in page
    assert _buttons(page) == ["Add email address"]


def test_a_second_address_can_be_confirmed_again_or_removed_without_javascript(client):
    user = UserFactory()
    EmailAddress.objects.create(user=user, email="second@example.org", verified=False)
    client.force_login(user)
    page = client.get(reverse("account_email")).text
    assert 'name="action_send"' in page and 'name="action_remove"' in page
    assert 'name="action_primary"' not in page  # an unconfirmed address cannot sign in
    assert page.count("govuk-button--warning") == 1

    client.post(reverse("account_email"), {"email": "second@example.org", "action_remove": ""})

    assert list(user.emailaddress_set.values_list("email", flat=True)) == [user.email]


def test_two_factor_says_what_it_does_and_sets_up_from_a_link_button(client):
    user = UserFactory()
    client.force_login(user)
    page = client.get(reverse("mfa_index")).text
    assert "You have not set up an authenticator app" in page
    activate = reverse("mfa_activate_totp")
    assert re.search(rf'<a href="{activate}" role="button"[^>]*class="govuk-button', page)
    setup = client.get(activate).text
    assert "Code from the app" in setup and "placeholder=" not in setup

    enrol_totp(user)
    page = client.get(reverse("mfa_index")).text
    assert "Signing in asks for a code from your authenticator app" in page
    assert "Turn off" in page
