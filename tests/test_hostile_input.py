"""Hostile text is stored exactly as typed and rendered inert everywhere it is shown."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from organisations.models import Membership, Organisation
from places.models import Area
from pledges import services
from pledges.models import Pledge, ProgressUpdate
from tests.factories import MembershipFactory, ModeratorFactory, UserFactory, default_place

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert('x')</script>"
ONERROR = '<img src=x onerror="alert(1)">'
JS_LINK = "[click me](javascript:alert(1))"
SMUGGLED = '<a href="javascript:alert(2)">smuggled</a> **bold**'
PAYLOAD = f"{SCRIPT} {ONERROR} {JS_LINK} {SMUGGLED}"


class ActiveContent(HTMLParser):
    """Collects anything in parsed HTML that a browser would run."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"{tag} {name}")
            if name in {"href", "src"} and (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"{tag} {name}={value}")
        if tag == "script" and not dict(attrs).get("src", "").startswith("/static/"):
            self.found.append("inline script")
        if tag == "img" and dict(attrs).get("src") == "x":
            self.found.append("injected img")


def assert_inert(html):
    parser = ActiveContent()
    parser.feed(html)
    assert parser.found == [], parser.found


def test_every_free_text_field_is_kept_as_text_and_rendered_inert(client):
    user = UserFactory(name=f"Eve {SCRIPT}")
    client.force_login(user)
    client.post(
        reverse("organisations:register"),
        {"name": f"Org {SCRIPT}", "type": "charity", "description": PAYLOAD},
    )
    organisation = Organisation.objects.get()
    assert organisation.name == f"Org {SCRIPT}" and organisation.description == PAYLOAD
    org_url = {"org_id": organisation.pk}

    client.post(reverse("pledges:sign", kwargs=org_url))
    client.post(
        reverse("pledges:sign-priorities", kwargs=org_url), {"choose_1": "on", "body_1": PAYLOAD}
    )
    client.post(
        reverse("pledges:sign-statement", kwargs=org_url),
        {"statement": PAYLOAD, "area": Area.objects.first().pk},
    )
    client.post(
        reverse("pledges:sign-signatory", kwargs=org_url),
        {
            "signatory_name": SCRIPT,
            "signatory_role": ONERROR,
            "is_authorised": "on",
            "is_signatory_public": "on",
        },
    )
    pledge = Pledge.objects.get()
    assert pledge.statement == PAYLOAD and pledge.signatory_name == SCRIPT
    assert pledge.commitments.get().body == PAYLOAD
    assert_inert(client.get(reverse("pledges:sign-check", kwargs=org_url)).text)

    client.post(reverse("pledges:sign-check", kwargs=org_url))
    services.pledge_publish(pledge=pledge, by=ModeratorFactory())
    client.post(
        reverse("pledges:update-new", kwargs=org_url),
        {
            "title": f"Title {SCRIPT}",
            "body": PAYLOAD,
            "priorities": [pledge.agreement.priorities.first().pk],
        },
    )
    update = ProgressUpdate.objects.get()
    assert update.body == PAYLOAD

    joiner = UserFactory()
    client.force_login(joiner)
    client.post(
        reverse("organisations:join", kwargs={"slug": organisation.slug}), {"message": PAYLOAD}
    )
    client.force_login(user)

    pages = [
        organisation.get_absolute_url(),
        update.get_absolute_url(),
        reverse("pledges:dashboard", kwargs=org_url),
        reverse("organisations:members", kwargs=org_url),
        reverse("registry:home"),
    ]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        assert_inert(response.text)
    update_page = client.get(update.get_absolute_url()).text
    assert "&lt;script&gt;" in update_page  # shown as text, not removed
    assert "<strong>bold</strong>" in update_page  # the allowed Markdown still works


def test_reasons_are_escaped_on_the_dashboard(client):
    membership = MembershipFactory(role=Membership.Role.ADMIN)
    pledge = services.pledge_start(
        organisation=membership.organisation, by=membership.user, place=default_place()
    )
    Pledge.objects.filter(pk=pledge.pk).update(status="submitted")
    services.pledge_return(pledge=pledge, by=ModeratorFactory(), reason=PAYLOAD)
    client.force_login(membership.user)
    text = client.get(
        reverse("pledges:dashboard", kwargs={"org_id": membership.organisation_id})
    ).text
    assert_inert(text)
    assert "&lt;script&gt;" in text


@pytest.mark.parametrize(
    "html",
    [
        "<script>alert(1)</script>",
        '<a href="javascript:alert(1)">x</a>',
        '<img src=x onerror="alert(1)">',
    ],
)
def test_the_checker_itself_catches_active_content(html):
    with pytest.raises(AssertionError):
        assert_inert(html)
