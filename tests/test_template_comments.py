"""No page prints a template comment: `{# … #}` works only on one line."""

import pytest
from django.urls import reverse

from core.template_comments import unclosed_comments
from organisations.models import Membership
from tests.factories import MembershipFactory, PledgeFactory


def test_no_template_opens_a_comment_it_does_not_close_on_the_same_line():
    assert unclosed_comments() == []


def test_the_check_finds_a_comment_over_two_lines(tmp_path):
    folder = tmp_path / "app" / "templates"
    folder.mkdir(parents=True)
    (folder / "page.html").write_text("<p>{# one line #}</p>\n{# two\nlines #}\n")
    assert unclosed_comments(tmp_path) == ["app/templates/page.html:2: {# two"]


@pytest.mark.django_db
def test_the_navigation_and_the_priorities_step_show_no_comment_text(client):
    admin = MembershipFactory(role=Membership.Role.ADMIN)
    PledgeFactory(organisation=admin.organisation)  # a draft to sign
    client.force_login(admin.user)
    home = client.get(reverse("registry:home")).text
    step = client.get(reverse("pledges:sign-priorities", args=[admin.organisation_id])).text
    for page in (home, step):
        assert "{#" not in page and "#}" not in page
    assert "folds the menu behind it" not in home
    assert "nothing typed is lost" not in step and step.count("govuk-checkboxes__conditional") >= 5
