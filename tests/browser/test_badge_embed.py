"""The badge code partners copy is correct HTML whatever their organisation is called."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from organisations.models import Membership
from tests.accessibility import assert_accessible
from tests.browser.helpers import log_in
from tests.factories import PASSWORD, MembershipFactory, PledgeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HOSTILE_NAMES = [
    'x" onerror="alert(1)',
    'St Mary\'s & <Friends> "Trust"',
    "</textarea><script>alert(2)</script>",
    "&amp; &lt;b&gt; 'quoted' \"double\"",
]


class Snippet(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def parse(code):
    parser = Snippet()
    parser.feed(code)
    parser.close()
    return parser.tags


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_the_copied_code_is_one_link_holding_one_image(page, dialogs, live_server, name):
    membership = MembershipFactory(
        role=Membership.Role.ADMIN, organisation__name=name, organisation__slug="hostile-name"
    )
    organisation = membership.organisation
    PledgeFactory(organisation=organisation, published=True)
    public_url = organisation.get_absolute_url()

    page.goto(public_url)  # signed out: no code to copy
    expect(page.get_by_role("heading", name="Community Agreement badge")).to_be_visible()
    expect(page.locator("#badge-snippet")).to_have_count(0)

    log_in(page, membership.user.email, PASSWORD)
    for url in (public_url, reverse("pledges:dashboard", args=[organisation.pk])):
        page.goto(url)
        assert_accessible(page)
        code = page.locator("#badge-snippet").input_value()
        tags = parse(code)
        assert [tag for tag, _ in tags] == ["a", "img"], code
        (_, link), (_, image) = tags
        assert link == {"href": live_server.url + public_url}
        assert image["src"] == live_server.url + reverse("registry:badge", args=[organisation.slug])
        assert image["alt"] == f"{name} signed the community agreement in Cheltenham"
        assert code.endswith("</a>") and code.count("<") == 3
    assert dialogs == []  # no script ran
