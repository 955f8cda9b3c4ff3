"""`manage.py createmoderator EMAIL` makes an account that works at once."""

import re
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts.moderators import MODERATOR_PERMISSIONS

pytestmark = pytest.mark.django_db
User = get_user_model()
NEW_PASSWORD = "a long new moderator password 7"


def test_a_ready_moderator_with_a_link_to_choose_a_password(client):
    out = StringIO()
    call_command(
        "createmoderator",
        "Nia@Council.example",
        "--name",
        "Nia Jones",
        "--no-input",
        "--network",
        stdout=out,
    )
    user = User.objects.get(email="nia@council.example")
    assert user.is_staff and not user.is_superuser and user.name == "Nia Jones"
    assert EmailAddress.objects.get(user=user).verified
    granted = {
        f"{p.content_type.app_label}.{p.codename}"
        for p in Permission.objects.filter(group__user=user)
    }
    assert granted == {*MODERATOR_PERMISSIONS, "accounts.moderate_network"}

    link = re.search(r"https?://\S+/accounts/password/reset/key/\S+/", out.getvalue())[0]
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    form = client.get(path, follow=True)
    assert form.status_code == 200
    client.post(
        form.redirect_chain[-1][0] if form.redirect_chain else path,
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert User.objects.get(pk=user.pk).check_password(NEW_PASSWORD)
    # Signed in, the admin first asks them to enrol an authenticator app.
    client.post(reverse("account_login"), {"login": user.email, "password": NEW_PASSWORD})
    admin = client.get(reverse("admin:index"))
    assert admin.status_code == 302 and "2fa" in admin["Location"]


def test_asks_for_a_password_and_refuses_a_weak_one(monkeypatch):
    answers = iter(["short", "short", NEW_PASSWORD, NEW_PASSWORD])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    err = StringIO()
    call_command(
        "createmoderator", "sam@council.example", "--network", stdout=StringIO(), stderr=err
    )
    assert "too short" in err.getvalue()
    assert User.objects.get(email="sam@council.example").check_password(NEW_PASSWORD)


def test_refuses_an_existing_account_or_a_bad_address():
    call_command(
        "createmoderator", "one@council.example", "--no-input", "--network", stdout=StringIO()
    )
    with pytest.raises(CommandError, match="already an account"):
        call_command(
            "createmoderator", "ONE@council.example", "--no-input", "--network", stdout=StringIO()
        )
    with pytest.raises(CommandError, match="not an email address"):
        call_command(
            "createmoderator", "not-an-address", "--no-input", "--network", stdout=StringIO()
        )
