"""Hostile input, settings and faults: each test fails on the code before the hardening."""

import csv
import io
import json
from xml.etree import ElementTree

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse
from PIL import Image

from core.text import clean_text
from organisations.models import Membership, Organisation
from pledges import services
from pledges.models import Pledge, ProgressUpdate
from tests.factories import (
    MembershipFactory,
    ModeratorFactory,
    PledgeFactory,
    ProgressUpdateFactory,
    UserFactory,
)
from tests.test_pledge_services import complete_draft
from tests.test_public_site import body_of
from tests.test_uploads import post_update, upload

pytestmark = pytest.mark.django_db

BEL = "\x07"


# 2. Control characters


def test_clean_text_removes_controls_keeps_tab_and_newline_and_normalises_to_nfc():
    assert clean_text(f"a{BEL}b\x1b\x7f\x85c\td\r\ne") == "abc\td\r\ne"
    assert clean_text("Cafe\u0301") == "Café"
    assert clean_text("\x00") == "\x00"  # left for the form to refuse, with a message


def test_a_title_with_a_control_character_is_stored_clean(client, publisher):
    post_update(client, publisher, title=f"Our{BEL} cafe\u0301", body=f"Line{BEL}\nTwo")
    update = ProgressUpdate.objects.get()
    assert update.title == "Our café"
    assert update.body == "Line\nTwo"


def test_a_nul_in_a_form_field_is_refused_with_a_message(client, publisher):
    response = post_update(client, publisher, title="Our\x00garden")
    assert response.status_code == 200
    assert "Null characters are not allowed." in response.text
    assert 'value="Our' in response.text or "Our" in response.text
    assert not ProgressUpdate.objects.exists()


def test_feeds_and_badge_stay_valid_xml_whatever_is_stored(client):
    # Stored directly, as old data or an import might hold it: the outputs guard themselves.
    pledge = PledgeFactory(
        published=True, organisation__name=f"Bell{BEL} Trust", organisation__slug="bell-trust"
    )
    ProgressUpdateFactory(pledge=pledge, title=f"Ding{BEL}", body=f"Body{BEL}")
    slug = pledge.organisation.slug
    for url in (
        reverse("opendata:feed"),
        reverse("opendata:organisation-feed", args=[slug]),
        reverse("registry:badge", args=[slug]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        root = ElementTree.fromstring(body_of(response).encode())  # raises on invalid XML
        assert "Bell Trust" in "".join(root.itertext()), url


# 3. NUL in the address


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/organisations/a%00b",
        "/organisations/a%00b/",
        "/signatories/?q=a%00b",
        "/updates/?page=%00",
        "/api/v1/updates?priority=%00",
        "/accounts/login/?next=%00",
        "/%00",
    ],
)
def test_a_nul_anywhere_in_the_address_is_a_400_not_a_server_error(client, url):
    response = client.get(url)
    assert response.status_code == 400
    if url.startswith("/api/"):
        assert response.json() == {"detail": "The address contains a NUL character."}
    else:
        assert "could not read that address" in response.content.decode()


# 5. Spreadsheet formulas


def test_csv_cells_that_would_run_as_formulas_are_neutralised_and_json_stays_exact(client):
    pledge = PledgeFactory(published=True, organisation__name="@SUM(A1)")
    title = '=HYPERLINK("https://evil.example","x")'
    ProgressUpdateFactory(pledge=pledge, title=title, body="-2+3")
    kwargs = {"kind": "updates"}
    csv_text = body_of(
        client.get(reverse("opendata:download", kwargs={**kwargs, "file_format": "csv"}))
    )
    (row,) = list(csv.DictReader(io.StringIO(csv_text.lstrip("\ufeff"))))
    assert row["title"] == "'" + title
    assert row["body"] == "'-2+3"
    assert row["organisation_name"] == "'@SUM(A1)"
    assert row["update_id"].isdigit()
    data = json.loads(
        body_of(client.get(reverse("opendata:download", kwargs={**kwargs, "file_format": "json"})))
    )["data"][0]
    assert data["title"] == title and data["organisation_name"] == "@SUM(A1)"
    assert "starts with an apostrophe" in client.get(reverse("opendata:data")).content.decode()


# 6. Bodies and images


def test_a_body_over_the_limit_is_refused_from_its_length_before_it_is_read(client):
    response = client.post(
        "/accounts/login/", data=b"x", content_type="text/plain", CONTENT_LENGTH=str(200 * 2**20)
    )
    assert response.status_code == 413
    assert "What you sent is too large" in response.content.decode()


@override_settings(MAX_REQUEST_BODY_BYTES=1024)
def test_the_body_limit_is_a_setting(client):
    assert client.post("/accounts/login/", {"login": "x" * 2000}).status_code == 413
    assert client.post("/accounts/login/", {"login": "x"}).status_code == 200


def test_a_huge_png_of_few_bytes_is_refused_with_its_size(client, publisher):
    big = io.BytesIO()
    Image.new("L", (6300, 6300)).save(big, format="PNG")
    response = post_update(
        client, publisher, image=upload("big.png", big.getvalue()), image_alt="x"
    )
    assert "6300 × 6300 pixels, which is too large" in response.text
    assert not ProgressUpdate.objects.exists()


def test_a_large_jpeg_is_reduced_while_decoding_and_accepted(client, publisher):
    photo = io.BytesIO()
    Image.new("RGB", (8000, 6000), (10, 120, 60)).save(photo, format="JPEG", quality=30)
    response = post_update(
        client,
        publisher,
        image=upload("big.jpg", photo.getvalue(), "image/jpeg"),
        image_alt="A field",
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    with Image.open(ProgressUpdate.objects.get().image) as stored:
        assert max(stored.size) == 1600


# 7. Deceptive values


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("website", "https://example.org/\u202egpj.exe", "hidden characters"),
        ("website", "https://user:pass@example.org", "without a name or password"),
        ("website", "https://bank.example@evil.example", "without a name or password"),
        ("charity_number", "\uff11\uff12\uff13\uff14\uff15\uff16\uff17", "digits 0 to 9"),
        ("school_urn", "\u0661\u0662\u0663\u0664\u0665\u0666", "digits 0 to 9"),
        ("company_number", "\u0967\u0968\u0969\u096a\u096b\u096c\u096d\u096e", "digits 0 to 9"),
    ],
)
def test_deceptive_profile_values_are_refused_with_clear_messages(client, field, value, message):
    client.force_login(UserFactory())
    data = {"name": "Honest Trust", "type": "charity", field: value}
    response = client.post(reverse("organisations:register"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert 'value="Honest Trust"' in response.content.decode()
    assert not Organisation.objects.exists()


# 11. Links follow the site


def test_links_follow_the_request_host_when_site_url_is_not_set(client):
    pledge = PledgeFactory(published=True)
    response = client.get(
        f"/api/v1/organisations/{pledge.organisation.slug}", HTTP_HOST="localhost:8123"
    )
    assert response.json()["url"].startswith("http://localhost:8123/cheltenham/organisations/")


@override_settings(SITE_URL="https://kindness.example.org")
def test_links_use_site_url_when_it_is_set(client):
    pledge = PledgeFactory(published=True)
    response = client.get(
        f"/api/v1/organisations/{pledge.organisation.slug}", HTTP_HOST="localhost:8123"
    )
    assert response.json()["url"].startswith(
        "https://kindness.example.org/cheltenham/organisations/"
    )


def test_emails_sent_during_a_request_link_to_the_host_that_served_it(
    client, django_capture_on_commit_callbacks
):
    membership = MembershipFactory(role=Membership.Role.ADMIN)
    pledge = PledgeFactory(organisation=membership.organisation, status=Pledge.Status.SUBMITTED)
    moderator = ModeratorFactory()
    from django.test import RequestFactory

    from core.siteurl import RequestSiteMiddleware

    def publish(request):
        services.pledge_publish(pledge=pledge, by=moderator)
        return None

    request = RequestFactory().get("/", HTTP_HOST="localhost:8123")
    with django_capture_on_commit_callbacks(execute=True):
        RequestSiteMiddleware(publish)(request)
    # Written in the pledge's place, whichever address the moderator acted from.
    assert "http://localhost:8123/cheltenham/organisations/" in mail.outbox[-1].body


# Smaller points


def test_every_response_has_a_permissions_policy(client):
    for url in ("/", "/healthz", "/api/v1/statistics", "/does-not-exist/", "/%00"):
        assert "camera=()" in client.get(url)["Permissions-Policy"], url


def test_email_subjects_and_text_bodies_are_not_html_escaped(django_capture_on_commit_callbacks):
    membership = MembershipFactory(
        role=Membership.Role.ADMIN, organisation__name="St Mary's Café & Co <Trust>"
    )
    pledge = complete_draft(membership)
    with django_capture_on_commit_callbacks(execute=True):
        services.pledge_submit(pledge=pledge, by=membership.user)
    subjects = [message.subject for message in mail.outbox]
    assert "St Mary's Café & Co <Trust> has signed the Community Agreement" in subjects
    assert all("&#x27;" not in m.subject and "&amp;" not in m.body for m in mail.outbox)


def test_a_failed_sign_in_does_not_echo_the_password(client):
    user = UserFactory()
    response = client.post(
        "/accounts/login/", {"login": user.email, "password": "my-secret-typed-password"}
    )
    assert response.status_code == 200
    assert "my-secret-typed-password" not in response.content.decode()
    assert user.email in response.content.decode()  # the rest is kept


def test_api_list_answers_with_and_without_a_trailing_slash(client):
    assert client.get("/api/v1/organisations").status_code == 200
    assert client.get("/api/v1/organisations/", follow=True).status_code == 200


def test_a_signed_in_person_who_is_not_a_moderator_gets_a_clear_admin_page(client):
    client.force_login(UserFactory())
    response = client.get("/admin/", follow=True)
    assert len(response.redirect_chain) < 3
    assert response.status_code == 403
    assert "not a moderator" in response.content.decode()


def test_every_project_form_cleans_its_text():
    import importlib
    import pkgutil

    from django import forms

    from core.forms import CleanTextMixin

    apps = ("accounts", "core", "organisations", "pledges", "moderation", "registry", "opendata",
            "privacy")  # fmt: skip
    for app in apps:
        package = importlib.import_module(app)
        for module_info in pkgutil.walk_packages(package.__path__, f"{app}."):
            if ".migrations" in module_info.name or ".management" in module_info.name:
                continue
            importlib.import_module(module_info.name)

    def project_forms(base):
        for subclass in base.__subclasses__():
            yield subclass
            yield from project_forms(subclass)

    found = {
        form for form in project_forms(forms.BaseForm) if form.__module__.split(".")[0] in apps
    }
    assert len(found) >= 10
    assert [f for f in found if not issubclass(f, CleanTextMixin)] == []


@pytest.mark.parametrize(
    ("url_name", "data", "anchor"),
    [
        ("organisations:register", {"name": "A Trust"}, "id_type_1"),
    ],
)
def test_error_summary_links_lead_to_the_first_option_of_a_group(client, url_name, data, anchor):
    client.force_login(UserFactory())
    text = client.post(reverse(url_name), data).content.decode()
    assert f'href="#{anchor}"' in text
    assert f'id="{anchor}"' in text


def test_the_update_forms_priorities_error_leads_to_the_first_checkbox(client, publisher):
    text = post_update(client, publisher, priorities=[]).content.decode()
    assert 'href="#id_priorities_1"' in text and 'id="id_priorities_1"' in text


def test_a_website_that_python_cannot_split_is_refused_not_a_server_error(client):
    client.force_login(UserFactory())
    data = {"name": "Honest Trust", "type": "charity"}
    response = client.post(
        reverse("organisations:register"), {**data, "website": "[click](  javascript:alert(1))"}
    )
    assert response.status_code == 200
    assert "Enter a web address like https://example.org" in response.content.decode()


def test_fields_a_form_adds_itself_are_cleaned_too():
    from pledges.forms import PrioritiesForm

    agreement = PledgeFactory().agreement
    form = PrioritiesForm(
        {"choose_1": "on", "body_1": f"We{BEL} listen"},
        priorities=agreement.priorities.all(),
        pledge=PledgeFactory(agreement=agreement),
    )
    assert form.is_valid(), form.errors
    assert list(form.cleaned_data["commitments"].values()) == ["We listen"]


def _summary_targets_are_described_by_their_errors(html):
    """Each link in the error summary leads to a control whose aria-describedby names an
    error message shown on the page; returns the targets."""
    import re

    summary = re.search(r"govuk-error-summary__list.*?</ul>", html, re.S).group(0)
    targets = re.findall(r'href="#([^"]+)"', summary)
    for target in targets:
        control = re.search(rf'<(?:input|textarea|select)\b[^>]*\bid="{target}"[^>]*>', html, re.S)
        assert control, target
        described = re.search(r'aria-describedby="([^"]*)"', control.group(0))
        assert described, f"{target} is not described by anything"
        errors = [i for i in described.group(1).split() if i.endswith("_error")]
        assert errors and all(f'id="{i}"' in html for i in errors), (target, described.group(1))
    return targets


def test_the_error_summary_leads_to_a_radio_group_described_by_its_error(client):
    client.force_login(UserFactory())
    response = client.post(reverse("organisations:register"), {"name": ""})
    html = response.content.decode()
    assert "<title>Error: " in html
    assert "id_type_1" in _summary_targets_are_described_by_their_errors(html)


def test_the_error_summary_leads_to_a_checkbox_group_described_by_its_error(client, publisher):
    membership, _pledge = publisher
    url = reverse("pledges:update-new", kwargs={"org_id": membership.organisation_id})
    response = client.post(url, {"title": "A story", "body": "Words."})
    html = response.content.decode()
    assert "<title>Error: " in html
    targets = _summary_targets_are_described_by_their_errors(html)
    assert any(target.startswith("id_priorities") for target in targets), targets


@pytest.mark.parametrize(
    ("template", "heading"),
    [
        ("400.html", "Sorry, we could not read that address"),
        ("413.html", "What you sent is too large"),
        ("500.html", "Sorry, there is a problem with the service"),
        ("503.html", "Sorry, the service is unavailable"),
    ],
)
def test_error_pages_have_the_sites_look_without_the_database(
    template, heading, django_assert_num_queries
):
    from core.middleware import plain_error

    with django_assert_num_queries(0):
        page = plain_error(template, 500, {"limit_mb": 10}).content.decode()
    assert f'<h1 class="govuk-heading-l">{heading}</h1>' in page
    assert "build/app.css" in page and 'class="app-header"' in page
    assert 'class="govuk-footer app-footer"' in page and 'href="#main-content"' in page
