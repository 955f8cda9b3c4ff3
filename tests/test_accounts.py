import re
import time
from unittest import mock

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.mail import EmailMessage
from django.urls import reverse

from accounts.models import User
from tests.factories import PASSWORD, UserFactory, current_totp_code, enrol_totp

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()


SIGN_UP_PASSWORD = "kind-and-long-pass"


def sign_up(client, email, password=SIGN_UP_PASSWORD):
    return client.post(
        reverse("account_signup"), {"email": email, "password1": password, "password2": password}
    )


def test_sign_up_sends_a_verification_link_that_confirms_the_email(client):
    response = sign_up(client, "new.person@example.org")
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.to == ["new.person@example.org"]
    assert message.alternatives and message.alternatives[0][1] == "text/html"
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", message.body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    page = client.get("/" + path)
    assert page.status_code == 200
    confirmed = client.post("/" + path)
    assert confirmed.status_code == 302
    user = User.objects.get(email="new.person@example.org")
    assert user.emailaddress_set.get().verified


def test_a_failed_verification_email_keeps_the_account_and_shows_no_error(client):
    with mock.patch.object(EmailMessage, "send", side_effect=ConnectionError("SMTP is down")):
        response = sign_up(client, "unlucky@example.org")
    assert response.status_code == 302
    assert User.objects.filter(email="unlucky@example.org").exists()
    # The page they are sent to says how to get a new link, and that way works.
    assert "we will send you a new link" in client.get(response["Location"]).content.decode()
    cache.clear()  # 5 minutes later: allauth sends at most one link per address every 3 minutes
    client.post(
        reverse("account_login"), {"login": "unlucky@example.org", "password": SIGN_UP_PASSWORD}
    )
    (message,) = mail.outbox
    assert message.to == ["unlucky@example.org"]


def test_a_failed_password_reset_email_shows_no_error(client):
    user = UserFactory()
    with mock.patch.object(EmailMessage, "send", side_effect=ConnectionError("SMTP is down")):
        response = client.post(reverse("account_reset_password"), {"email": user.email})
    assert response.status_code == 302


def test_passwords_must_be_at_least_12_characters(client):
    response = sign_up(client, "short@example.org", "Sh0rt!pass")
    assert response.status_code == 200
    assert "at least 12 characters" in response.text
    assert 'value="short@example.org"' in response.text
    assert not User.objects.filter(email="short@example.org").exists()


def test_password_fields_do_not_block_paste_or_password_managers(client):
    text = client.get(reverse("account_signup")).text
    assert "onpaste" not in text and 'autocomplete="off"' not in text
    assert 'autocomplete="new-password"' in text


def test_log_in_and_out(client):
    user = UserFactory()
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("organisations:home")).status_code == 200
    client.post(reverse("account_logout"))
    assert client.get(reverse("organisations:home")).status_code == 302


def test_repeated_failed_logins_are_throttled_with_an_explanation(client):
    user = UserFactory()
    for _ in range(5):
        client.post(
            reverse("account_login"), {"login": user.email, "password": "wrong-password-123"}
        )
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code in {200, 429}
    assert "Too many failed login attempts" in response.content.decode()


def test_password_reset_email_has_text_and_html(client):
    user = UserFactory()
    client.post(reverse("account_reset_password"), {"email": user.email})
    (message,) = mail.outbox
    assert "/accounts/password/reset/key/" in message.body
    assert "Choose a new password" in message.alternatives[0][0]


def test_change_password_page_is_available_to_signed_in_people(client):
    client.force_login(UserFactory())
    assert client.get(reverse("account_change_password")).status_code == 200


def test_behind_a_trusted_proxy_each_client_is_counted_by_its_own_address(client, settings):
    from allauth.core.internal.httpkit import get_client_ip
    from django.test import RequestFactory

    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR="203.0.113.7", REMOTE_ADDR="10.0.0.1")
    assert get_client_ip(request) == "203.0.113.7"
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    assert get_client_ip(request) == "10.0.0.1"


def test_recovery_codes_can_be_seen_on_their_page(client):
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    from tests.factories import PASSWORD, enrol_totp

    user = UserFactory()
    enrol_totp(user)
    codes = RecoveryCodes.activate(user).get_unused_codes()
    assert len(codes) == 10
    client.force_login(user)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    page = client.get(reverse("mfa_view_recovery_codes")).content.decode()
    assert "10 out of 10 recovery codes" in page
    box = re.search(r"<textarea[^>]*id=\"recovery_codes\"[^>]*>(.*?)</textarea>", page, re.S)
    assert box is not None and box[1].split() == codes  # the codes are there to copy


def test_account_pages_speak_in_sentence_case(client):
    import gettext
    from pathlib import Path

    from django.conf import settings

    for url, expected, title_case in [
        (reverse("account_login"), "Sign in", "Sign In"),
        (reverse("account_signup"), "Create an account", "Sign Up"),
        (reverse("account_reset_password"), "Reset your password", "Password Reset"),
    ]:
        page = client.get(url).content.decode()
        assert expected in page and f">{title_case}<" not in page, url
    # The compiled catalogue is the one in the source: every override is in the .mo.
    folder = Path(settings.LOCALE_PATHS[0]) / "en_GB" / "LC_MESSAGES"
    compiled = gettext.GNUTranslations((folder / "django.mo").open("rb"))
    source = re.findall(r'msgid "(.+)"\nmsgstr "(.+)"', (folder / "django.po").read_text())
    for msgid, msgstr in source:
        msgid, msgstr = (text.replace('\\"', '"') for text in (msgid, msgstr))
        assert compiled.gettext(msgid) == msgstr, msgid


def test_confirming_an_address_says_so_plainly_with_one_success_banner(client):
    sign_up(client, "plain.words@example.org")
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[0].body).group(0)
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    page = client.get(path).content.decode()
    assert "Confirm that plain.words@example.org is your email address." in page
    assert "is an email address for user" not in page
    done = client.post(path, follow=True).content.decode()
    assert done.count("govuk-notification-banner--success") == 1  # confirmed, and signed in:
    banner = done.split("govuk-notification-banner--success", 1)[1].split("</div>\n</div>")[0]
    assert banner.count('class="govuk-notification-banner__heading"') == 1  # one message
    assert "plain.words@example.org" in banner and "signed in" in banner.lower()


def test_a_code_from_the_window_just_gone_is_accepted_once_and_an_older_one_never(client):
    user = UserFactory()
    secret = enrol_totp(user)

    def sign_in_with(code):
        client.logout()
        client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
        client.post(reverse("mfa_authenticate"), {"code": code})
        return "_auth_user_id" in client.session

    if time.time() % 30 > 28:  # a new window mid-test would make last window's code too old
        time.sleep(30 - time.time() % 30 + 0.1)
    assert not sign_in_with(current_totp_code(secret, windows_ago=2))
    late = current_totp_code(secret, windows_ago=1)
    assert sign_in_with(late)
    assert not sign_in_with(late)  # a code works once


def test_every_browser_language_gets_the_same_english_page(client):
    page = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="fr, de;q=0.8")
    assert "Sign in" in page.text and "Connexion" not in page.text
    # One language: nothing for a shared cache to keep apart.
    assert "Accept-Language" not in page.headers.get("Vary", "")


def _title(html):
    return " ".join(re.search(r"<title>(.*?)</title>", html, re.S).group(1).split())


def test_account_pages_with_errors_start_their_title_with_error(client):
    UserFactory(email="known@example.org")
    pages = {
        reverse("account_login"): {"login": "known@example.org", "password": "wrong"},
        reverse("account_signup"): {"email": "not an address"},
        reverse("account_reset_password"): {"email": "not an address"},
    }
    for url, data in pages.items():
        assert not _title(client.get(url).text).startswith("Error:"), url
        assert _title(client.post(url, data).text).startswith("Error: "), url
    assert _title(client.get(reverse("account_signup")).text).startswith("Create an account")


def test_a_wrong_password_is_shown_on_the_email_field_the_summary_links_to(client):
    UserFactory(email="known@example.org")
    html = client.post(
        reverse("account_login"), {"login": "known@example.org", "password": "wrong"}
    ).text
    summary = re.search(r"govuk-error-summary__list.*?</ul>", html, re.S).group(0)
    assert 'href="#id_login"' in summary
    field = re.search(r'<input[^>]*id="id_login"[^>]*>', html).group(0)
    assert 'aria-describedby="id_login_1_error"' in field
    assert 'id="id_login_1_error"' in html and "alert-danger" not in html
