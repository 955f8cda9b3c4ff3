from unittest import mock

import pytest
from django.db import OperationalError
from django.urls import reverse

from pledges.models import Agreement, Pledge
from tests.factories import (
    CommitmentFactory,
    OrganisationFactory,
    PledgeFactory,
    ProgressUpdateFactory,
)

pytestmark = pytest.mark.django_db

HOME_BUDGET = 7  # includes the shared public-data version


def make_published_organisations(count):
    for _ in range(count):
        update = ProgressUpdateFactory()
        CommitmentFactory(pledge=update.pledge)


def test_home_shows_the_current_agreement_and_its_five_priorities(client):
    response = client.get(reverse("registry:home"))
    assert response.status_code == 200
    agreement = Agreement.objects.get_current()
    assert agreement.title in response.text
    for priority in agreement.priorities.all():
        assert priority.title in response.text
    assert response.text.count('class="app-priority-card"') == 5


@pytest.mark.parametrize("organisations", [0, 12])
def test_home_query_budget_does_not_grow_with_data(
    client, django_assert_max_num_queries, organisations
):
    make_published_organisations(organisations)
    with django_assert_max_num_queries(HOME_BUDGET):
        client.get(reverse("registry:home"))


def test_page_titles_are_unique(client):
    titles = set()
    for name in ("registry:home", "core:accessibility", "core:privacy"):
        text = client.get(reverse(name)).text
        titles.add(text.split("<title>")[1].split("</title>")[0])
    assert len(titles) == 3


def test_base_template_has_skip_link_main_and_footer_links(client):
    text = client.get(reverse("registry:home")).text
    assert 'href="#main-content"' in text
    assert '<main class="govuk-main-wrapper" id="main-content"' in text
    assert reverse("core:accessibility") in text and reverse("core:privacy") in text
    assert 'aria-current="page"' in text
    assert "GDS Transport" not in text


def test_healthz_answers_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(reverse("healthz"))
    assert response.status_code == 200


def test_readyz_answers_when_the_database_answers(client):
    assert client.get(reverse("readyz")).status_code == 200


def test_readyz_fails_when_the_database_does_not_answer(client):
    with mock.patch("core.views.connection.cursor", side_effect=OperationalError("down")):
        response = client.get(reverse("readyz"))
    assert response.status_code == 503


def test_organisation_page_shows_published_commitments(client):
    commitment = CommitmentFactory(pledge=PledgeFactory(published=True))
    response = client.get(commitment.pledge.organisation.get_absolute_url())
    assert response.status_code == 200
    assert commitment.body in response.text


@pytest.mark.parametrize(
    "status",
    [Pledge.Status.DRAFT, Pledge.Status.SUBMITTED, Pledge.Status.RETURNED, Pledge.Status.SUSPENDED],
)
def test_organisation_page_never_shows_unpublished_pledges(client, status):
    pledge = PledgeFactory(status=status, statement="A secret draft statement")
    response = client.get(pledge.organisation.get_absolute_url())
    assert response.status_code == 404
    assert "A secret draft statement" not in response.text


def test_hidden_updates_are_not_found(client):
    update = ProgressUpdateFactory(status="hidden", hidden_reason="Named a child")
    assert client.get(update.get_absolute_url()).status_code == 404


def test_update_markdown_is_sanitised(client):
    update = ProgressUpdateFactory(
        body="Hello <script>alert(1)</script> [x](javascript:alert(2)) <img src=x onerror=alert(3)>"
    )
    text = client.get(update.get_absolute_url()).text
    assert "<script>alert(1)" not in text
    assert "javascript:" not in text
    assert "<img src=x" not in text
    assert "&lt;script&gt;" in text


def test_unknown_page_uses_the_helpful_404(client):
    OrganisationFactory()
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.text


def test_pages_send_a_content_security_policy_without_inline_scripts(client):
    response = client.get(reverse("registry:home"))
    policy = response["Content-Security-Policy"]
    assert (
        "script-src 'self'" in policy
        and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    )
    assert "frame-ancestors 'none'" in policy
    assert "<script>" not in response.text
