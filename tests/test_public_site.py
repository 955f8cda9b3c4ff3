import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from unittest import mock

import pytest
from django.contrib.postgres.aggregates import StringAgg
from django.contrib.postgres.search import SearchVector
from django.core.cache import caches
from django.db import OperationalError, connection
from django.db.models import OuterRef, Subquery, TextField, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, Concat
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.public import public_version
from organisations.models import Organisation
from pledges import services
from pledges.models import Agreement, Commitment, Pledge, Priority, ProgressUpdate
from pledges.search import refresh_search
from tests.factories import (
    CommitmentFactory,
    MembershipFactory,
    ModeratorFactory,
    OrganisationFactory,
    PledgeFactory,
    ProgressUpdateFactory,
    default_place,
)
from tests.public_world import SECRET, make_hidden_world, make_public_world, published_organisation

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def body_of(response):
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def public_urls(pledge):
    organisation = pledge.organisation
    priority = Priority.objects.get(agreement__is_current=True, number=1)
    update = pledge.updates.filter(status="published").first()
    story = organisation.stories.public().first()
    return [
        reverse("registry:home"),
        reverse("registry:signatories"),
        reverse("registry:signatories") + "?q=listen&type=charity&priority=" + priority.slug,
        reverse("registry:signatories") + "?withdrawn=on&sort=updated&status=active",
        organisation.get_absolute_url(),
        reverse("registry:certificate", kwargs={"slug": organisation.slug}),
        reverse("registry:badge", kwargs={"slug": organisation.slug}),
        reverse("registry:agreement"),
        priority.get_absolute_url(),
        reverse("registry:updates"),
        reverse("registry:updates") + f"?priority={priority.slug}&type=charity",
        update.get_absolute_url(),
        reverse("opendata:statistics"),
        reverse("opendata:data"),
        reverse("opendata:api-docs"),
        reverse("opendata:feed"),
        reverse("opendata:organisation-feed", kwargs={"slug": organisation.slug}),
        reverse("opendata:priority-feed", kwargs={"slug": priority.slug}),
        reverse("opendata:download", kwargs={"kind": "organisations", "file_format": "csv"}),
        reverse("opendata:download", kwargs={"kind": "organisations", "file_format": "json"}),
        reverse("opendata:download", kwargs={"kind": "updates", "file_format": "csv"}),
        reverse("opendata:download", kwargs={"kind": "updates", "file_format": "json"}),
        reverse("sitemap"),
        "/api/v1/organisations",
        f"/api/v1/organisations/{organisation.slug}",
        "/api/v1/pledges",
        "/api/v1/commitments",
        "/api/v1/updates",
        "/api/v1/priorities",
        "/api/v1/statistics",
        reverse("core:accessibility"),
        reverse("core:privacy"),
        reverse("core:cookies"),
        # Residents' stories of kindness seen
        reverse("registry:updates") + f"?show=stories&priority={priority.slug}&area=hesters-way",
        reverse("registry:updates") + "?show=updates",
        story.get_absolute_url(),
        reverse("registry:story-concern", args=[story.pk]),
        reverse("registry:tell") + f"?organisation={organisation.slug}&priority={priority.slug}",
        reverse("opendata:stories-feed"),
        reverse("opendata:organisation-stories-feed", kwargs={"slug": organisation.slug}),
        reverse("opendata:download", kwargs={"kind": "stories", "file_format": "csv"}),
        reverse("opendata:download", kwargs={"kind": "stories", "file_format": "json"}),
        "/api/v1/stories",
        f"/api/v1/stories?organisation={organisation.slug}&priority={priority.slug}",
    ]


def count_queries(client, url) -> tuple[int, int]:
    """The queries of one page with nothing cached: of the registry, and of the shared cache
    (a remembered figure computed after a change takes its turn there and leaves it there)."""
    caches["pages"].clear()
    caches["default"].clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        assert response.status_code == 200, url
        body_of(response)
    shared = sum('"core_cache"' in query["sql"] for query in queries)
    return len(queries) - shared, shared


# The most queries any public page or API list may make, with 3 organisations or with 15
# (one of them finds the place the address names); and the most on the shared cache, four
# for each remembered figure the page computes (the statistics page computes six).
BUDGET = 13
SHARED_CACHE_BUDGET = 24


def test_query_budgets_hold_and_do_not_grow_with_the_data(client):
    first = make_public_world(3)[0]
    urls = public_urls(first)
    small = {url: count_queries(client, url) for url in urls}
    make_public_world(12)
    large = {url: count_queries(client, url) for url in urls}
    over_budget = {
        url: counts
        for url, counts in large.items()
        if counts[0] > BUDGET or counts[1] > SHARED_CACHE_BUDGET
    }
    assert over_budget == {}
    grew = {url: (small[url], large[url]) for url in urls if large[url] != small[url]}
    assert grew == {}


def test_hidden_content_never_appears_on_any_public_surface(client):
    visible, hidden = make_hidden_world()
    for url in public_urls(visible) + ["/api/v1/updates?page=1"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert SECRET not in body_of(response), url
    for query in ({"q": SECRET}, {"q": SECRET, "withdrawn": "on"}, {"q": "statement commitment"}):
        text = client.get(reverse("registry:signatories"), query).content.decode()
        assert "0 organisations" in text, query


@pytest.mark.parametrize("status", ["draft", "submitted", "returned", "suspended"])
def test_unpublished_organisations_have_no_public_page_badge_feed_or_api_record(client, status):
    _, hidden = make_hidden_world()
    slug = hidden[status].organisation.slug
    for url in (
        reverse("registry:detail", kwargs={"slug": slug}),
        reverse("registry:badge", kwargs={"slug": slug}),
        reverse("registry:certificate", kwargs={"slug": slug}),
        f"/api/v1/organisations/{slug}",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert SECRET not in response.content.decode()
    feed = client.get(reverse("opendata:organisation-feed", kwargs={"slug": slug}))
    assert feed.status_code == 404 and SECRET not in feed.content.decode()


def test_hidden_and_draft_updates_are_not_found(client):
    _, hidden = make_hidden_world()
    for key in ("update_hidden", "update_draft", "suspended_update"):
        assert (
            client.get(reverse("registry:update", kwargs={"pk": hidden[key].pk})).status_code == 404
        )


def test_search_finds_a_word_in_a_commitment_and_its_stemmed_form(client):
    published_organisation(
        "Hesters Way Larder", commitment="We will listen to every family we serve."
    )
    published_organisation("Unrelated Choir", commitment="We will sing together.")

    refresh_search()
    for word in ("listen", "listening", "serving"):
        text = client.get(reverse("registry:signatories"), {"q": word}).content.decode()
        assert "Hesters Way Larder" in text, word
        assert "Unrelated Choir" not in text, word


def test_search_supports_the_phrases_and_exclusions_its_hint_promises(client):
    published_organisation("Larder One", commitment="We will cook warm meals for families.")
    published_organisation("Larder Two", commitment="Families can borrow warm coats.")

    refresh_search()

    def found(query):
        text = client.get(reverse("registry:signatories"), {"q": query}).content.decode()
        return {name for name in ("Larder One", "Larder Two") if name in text}

    assert found("warm") == {"Larder One", "Larder Two"}
    assert found('"warm meals"') == {"Larder One"}
    assert found("warm -coats") == {"Larder One"}
    assert "Put a phrase in" in client.get(reverse("registry:signatories")).content.decode()


def test_search_ranks_a_name_match_above_a_commitment_match(client):
    published_organisation("Garden Club", commitment="We will welcome everyone.")
    published_organisation("Town Cafe", commitment="We will plant a garden for families.")

    refresh_search()
    text = client.get(reverse("registry:signatories"), {"q": "garden"}).content.decode()
    assert text.index("Garden Club") < text.index("Town Cafe")


def test_signatories_filters_sorts_and_keeps_filters_in_pagination(client):
    make_public_world(23)
    Organisation.objects.update(type="school")
    response = client.get(reverse("registry:signatories"), {"type": "school", "sort": "joined"})
    text = response.content.decode()
    assert "23 organisations" in text
    assert "?type=school&amp;sort=joined&amp;page=2" in text
    assert (
        "0 organisations"
        in client.get(reverse("registry:signatories"), {"type": "faith"}).content.decode()
    )


def test_signatories_reports_a_bad_filter_and_still_lists(client):
    make_public_world(2)
    text = client.get(reverse("registry:signatories"), {"type": "not-a-type"}).content.decode()
    assert "govuk-error-summary" in text
    assert "2 organisations" in text


def test_withdrawn_organisations_only_when_asked(client):
    pledge = published_organisation("Closing Shop")
    Pledge.objects.filter(pk=pledge.pk).update(status="withdrawn")
    signatories = reverse("registry:signatories")
    assert "Closing Shop" not in client.get(signatories).content.decode()
    assert "Closing Shop" in client.get(signatories, {"withdrawn": "on"}).content.decode()


def test_reporting_status_filter(client):
    from django.utils import timezone

    fresh = published_organisation("Fresh Reporter")
    stale = published_organisation("Quiet Reporter")
    Pledge.objects.filter(pk=stale.pk).update(
        published_at=timezone.now() - timezone.timedelta(days=400), last_reported_at=None
    )
    Pledge.objects.filter(pk=fresh.pk).update(last_reported_at=timezone.now())
    awaiting = client.get(reverse("registry:signatories"), {"status": "awaiting"}).content.decode()
    assert "Quiet Reporter" in awaiting and "Fresh Reporter" not in awaiting
    page = client.get(stale.organisation.get_absolute_url()).content.decode()
    assert "looking forward to their next update" in page


def test_organisation_page_shows_grid_history_and_earlier_wording(client):
    membership = MembershipFactory()
    pledge = published_organisation()
    Pledge.objects.filter(pk=pledge.pk).update(organisation=membership.organisation)
    pledge.refresh_from_db()
    commitment = pledge.commitments.get(priority__number=1)
    services.commitment_update(
        commitment=commitment, by=membership.user, body="New wording", progress="embedded"
    )
    text = client.get(membership.organisation.get_absolute_url()).content.decode()
    assert text.count("app-priority-card") >= 5
    assert text.count(">Not chosen<") == 3 and "chose 2 of the five priorities." in text
    assert "New wording" in text and "Changed on" in text
    assert "We will protect time for talking." in text  # the earlier wording
    assert (
        "Signed version 1 of the Community Agreement" in text and "Changed its commitment" in text
    )


def test_every_earlier_wording_of_a_commitment_stays_in_public_view_dated(client):
    membership = MembershipFactory()
    pledge = published_organisation()
    Pledge.objects.filter(pk=pledge.pk).update(organisation=membership.organisation)
    commitment = pledge.commitments.get(priority__number=1)
    original = commitment.body
    for body, progress in [
        ("Second wording", "in_progress"),
        ("Second wording", "embedded"),  # progress only: not a new wording
        ("Third wording", "embedded"),
    ]:
        commitment = services.commitment_update(
            commitment=commitment, by=membership.user, body=body, progress=progress
        )
    text = client.get(membership.organisation.get_absolute_url()).content.decode()
    earlier = text[
        text.index("Earlier wording") : text.index("</ol>", text.index("Earlier wording"))
    ]
    assert "Third wording" not in earlier  # the current wording is shown above, not here
    assert earlier.count("<li>") == 2 and earlier.count("From ") == 2
    assert earlier.index("Second wording") < earlier.index(original)  # newest first


def test_signatory_is_shown_only_with_consent(client):
    pledge = published_organisation()
    Pledge.objects.filter(pk=pledge.pk).update(
        signatory_name="Private Person", is_signatory_public=False
    )
    assert (
        "Private Person" not in client.get(pledge.organisation.get_absolute_url()).content.decode()
    )
    csv_text = body_of(
        client.get(
            reverse("opendata:download", kwargs={"kind": "organisations", "file_format": "csv"})
        )
    )
    assert "Private Person" not in csv_text
    Pledge.objects.filter(pk=pledge.pk).update(is_signatory_public=True)

    caches["pages"].clear()
    assert "Private Person" in client.get(pledge.organisation.get_absolute_url()).content.decode()


def test_csv_opens_with_the_documented_columns(client):
    from opendata.downloads import ORGANISATION_COLUMNS, UPDATE_COLUMNS

    pledge = make_public_world(2)[0]
    for kind, columns in (("organisations", ORGANISATION_COLUMNS), ("updates", UPDATE_COLUMNS)):
        response = client.get(
            reverse("opendata:download", kwargs={"kind": kind, "file_format": "csv"})
        )
        assert response.streaming
        assert response["Content-Type"].startswith("text/csv")
        rows = list(csv.DictReader(io.StringIO(body_of(response).lstrip("\ufeff"))))
        assert list(rows[0].keys()) == [name for name, _ in columns]
        assert len(rows) == (2 if kind == "organisations" else 4)
    rows = list(
        csv.DictReader(
            io.StringIO(
                body_of(
                    client.get(
                        reverse(
                            "opendata:download",
                            kwargs={"kind": "organisations", "file_format": "csv"},
                        )
                    )
                ).lstrip("\ufeff")
            )
        )
    )
    row = next(r for r in rows if r["organisation_slug"] == pledge.organisation.slug)
    assert row["signed_on"] == pledge.published_at.date().isoformat()
    assert row["priority_1_commitment"] == "We will protect time for talking."
    data_page = client.get(reverse("opendata:data")).content.decode()
    assert "Open Government Licence v3.0" in data_page
    for name, _ in ORGANISATION_COLUMNS + UPDATE_COLUMNS:
        assert f"<code>{name.replace('_', '_<wbr>')}</code>" in data_page


def test_json_download_is_valid_and_licensed(client):
    make_public_world(2)
    data = json.loads(
        body_of(
            client.get(
                reverse("opendata:download", kwargs={"kind": "updates", "file_format": "json"})
            )
        )
    )
    assert data["licence"] == "Open Government Licence v3.0"
    assert len(data["data"]) == 4 and "published_at" in data["data"][0]


@pytest.mark.parametrize("feed", ["all", "organisation", "priority"])
def test_feeds_are_valid_atom_with_the_required_elements(client, feed):
    pledge = make_public_world(2)[0]
    url = {
        "all": reverse("opendata:feed"),
        "organisation": reverse(
            "opendata:organisation-feed", kwargs={"slug": pledge.organisation.slug}
        ),
        "priority": reverse(
            "opendata:priority-feed",
            kwargs={"slug": Priority.objects.get(agreement__is_current=True, number=1).slug},
        ),
    }[feed]
    response = client.get(url)
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert root.find(f"{ATOM}{required}") is not None
    entries = root.findall(f"{ATOM}entry")
    assert entries
    for entry in entries:
        for required in ("id", "title", "updated", "link"):
            assert entry.find(f"{ATOM}{required}") is not None, required
        assert (
            entry.find(f"{ATOM}author/{ATOM}name") is not None
            or root.find(f"{ATOM}author") is not None
        )


def test_badge_has_an_etag_and_says_when_withdrawn(client):
    pledge = published_organisation("Badge Bakery")
    url = reverse("registry:badge", kwargs={"slug": pledge.organisation.slug})
    response = client.get(url)
    assert response["Content-Type"] == "image/svg+xml"
    assert "max-age=3600" in response["Cache-Control"]
    assert f"Since {pledge.published_at.year}" in response.content.decode()
    assert client.get(url, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
    ET.fromstring(response.content)  # well-formed SVG
    assert client.get(url)["X-Cache"] == "hit"  # the badge is a cached public page
    Pledge.objects.filter(pk=pledge.pk).update(status="withdrawn")
    caches["pages"].clear()  # the raw update above bypassed the services' version bump
    again = client.get(url, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 200 and "Withdrew" in again.content.decode()


def test_the_badge_says_kindly_when_an_update_is_due(client):
    from django.utils import timezone

    from pledges.reporting import reporting_cycle

    pledge = published_organisation("Due Bakery")
    url = reverse("registry:badge", kwargs={"slug": pledge.organisation.slug})
    assert "· Active</text>" in client.get(url).content.decode()
    Pledge.objects.filter(pk=pledge.pk).update(
        published_at=timezone.now() - reporting_cycle() - timezone.timedelta(days=1)
    )
    caches["pages"].clear()  # time, not a service, moved the status on
    badge = client.get(url).content.decode()
    assert "· Update due</text>" in badge
    assert (
        "A progress update is due soon."
        in ET.fromstring(badge).find("{http://www.w3.org/2000/svg}title").text
    )


def test_statistics_page_has_accessible_charts_with_tables(client):
    make_public_world(3)
    text = client.get(reverse("opendata:statistics")).content.decode()
    assert text.count('role="img"') == 6
    assert text.count("<title id=") == 6 and text.count("<desc id=") == 6
    assert text.count('<table class="govuk-table">') == 6
    scripts = re.findall(r"<script[^>]*>", text)
    assert scripts and all('src="/static/' in script for script in scripts)  # none third-party


def test_home_counts_and_latest_stories(client):
    make_public_world(3)
    text = client.get(reverse("registry:home")).content.decode()
    assert "3</span>organisations have signed" in text.replace("\n", "")
    assert "6</span>progress updates in the last 12 months" in text.replace("\n", "")
    assert "Sign the agreement" in text


def test_an_edit_shows_at_once_on_cached_pages(client, django_capture_on_commit_callbacks):
    membership = MembershipFactory()
    pledge = published_organisation()
    Pledge.objects.filter(pk=pledge.pk).update(organisation=membership.organisation)
    page_url = membership.organisation.get_absolute_url()
    assert "We will protect time for talking." in client.get(page_url).content.decode()
    version = public_version()
    commitment = pledge.commitments.get(priority__number=1)
    with django_capture_on_commit_callbacks(execute=True):
        services.commitment_update(
            commitment=commitment, by=membership.user, body="Freshly changed", progress="embedded"
        )
    assert public_version() != version
    assert "Freshly changed" in client.get(page_url).content.decode()


def test_pages_are_served_from_the_cache_until_data_changes(client, django_assert_num_queries):
    make_public_world(2)
    client.get(reverse("registry:home"))
    with django_assert_num_queries(1):  # the shared public-data version, nothing else
        client.get(reverse("registry:home"))


def test_api_responses_are_cached_until_data_changes(
    client, django_assert_num_queries, django_capture_on_commit_callbacks
):
    membership = MembershipFactory()
    pledge = published_organisation()
    Pledge.objects.filter(pk=pledge.pk).update(organisation=membership.organisation)
    url = f"/api/v1/organisations/{membership.organisation.slug}"
    assert "We will protect time for talking." in client.get(url).content.decode()
    with django_assert_num_queries(1):  # the shared public-data version
        assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        services.commitment_update(
            commitment=pledge.commitments.get(priority__number=1),
            by=membership.user,
            body="Freshly changed",
            progress="embedded",
        )
    assert "Freshly changed" in client.get(url).content.decode()


def test_sitemap_and_robots(client):
    pledge = make_public_world(1)[0]
    sitemap = client.get(reverse("sitemap")).content.decode()
    assert pledge.organisation.get_absolute_url() in sitemap
    robots = client.get(reverse("core:robots")).content.decode()
    assert "Sitemap:" in robots and "Disallow: /manage/" in robots


def test_pages_have_meta_descriptions_and_open_graph(client):
    pledge = make_public_world(1)[0]
    text = client.get(pledge.organisation.get_absolute_url()).content.decode()
    assert '<meta name="description" content="What ' in text
    assert f'<meta property="og:title" content="{pledge.organisation.name}">' in text


def test_moderation_changes_show_at_once(client, django_capture_on_commit_callbacks):
    pledge = published_organisation("Soon Suspended")
    signatories = reverse("registry:signatories")
    assert "Soon Suspended" in client.get(signatories).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.pledge_suspend(pledge=pledge, by=ModeratorFactory(), reason="Concern")
    assert "Soon Suspended" not in client.get(signatories).content.decode()


def test_agreement_page_shows_earlier_versions_but_not_one_prepared_ahead(
    client, django_capture_on_commit_callbacks
):
    from tests.factories import AgreementFactory

    version_one = Agreement.objects.get_current(default_place())
    second = AgreementFactory(version=2, body="The second wording.", priorities=True)
    AgreementFactory(version=3, body="A third wording, still being prepared.")
    with django_capture_on_commit_callbacks(execute=True):
        services.agreement_make_current(agreement=second, by=ModeratorFactory(), reason="Reviewed")
    text = client.get(reverse("registry:agreement")).content.decode()
    assert "The second wording." in text
    assert "Earlier versions" in text and f"Version {version_one.version}, published" in text
    assert "A third wording" not in text


def test_home_shows_the_current_agreement_and_its_five_priorities(client):
    response = client.get(reverse("registry:home"))
    assert response.status_code == 200
    agreement = Agreement.objects.get_current(default_place())
    assert agreement.title in response.text
    for priority in agreement.priorities.all():
        assert priority.title in response.text
    assert response.text.count('class="app-priority-card"') == 5


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
    assert client.get(pledge.organisation.get_absolute_url()).status_code == 404


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


def test_a_missing_organisation_s_404_has_the_site_s_header_without_claiming_the_address(client):
    """The address resolved to the organisation page, which found nothing: the 404 keeps the
    site's header and footer, but marks no menu item current and names no canonical page."""
    missing = client.get("/cheltenham/organisations/no-such-organisation/")
    found = client.get("/cheltenham/agreement/")
    assert missing.status_code == 404 and "Page not found" in missing.text
    assert 'rel="canonical"' in found.text and 'rel="canonical"' not in missing.text
    assert 'aria-current="page"' not in missing.text
    menu = re.compile(r'<ul class="govuk-service-navigation__list".*?</ul>', re.S)
    assert menu.search(missing.text).group(0) == menu.search(found.text).group(0).replace(
        ' aria-current="page"', ""
    )
    assert missing.text.split("</main>")[1] == found.text.split("</main>")[1]


def test_pages_send_a_content_security_policy_without_inline_scripts(client):
    response = client.get(reverse("registry:home"))
    policy = response["Content-Security-Policy"]
    assert (
        "script-src 'self'" in policy
        and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    )
    assert "frame-ancestors 'none'" in policy
    assert "<script>" not in response.text


def test_the_policy_built_once_is_django_csps_own_and_follows_the_settings(client, settings):
    from csp.utils import build_policy

    assert client.get("/")["Content-Security-Policy"] == build_policy()
    assert client.get("/")["X-Cache"] == "hit"
    assert client.get("/")["Content-Security-Policy"] == build_policy()
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'none'"]}}
    assert client.get("/")["Content-Security-Policy"] == "default-src 'none'"


def test_each_state_of_the_directory_and_the_wall_has_its_own_title(client):
    import re

    make_public_world(25)

    def title(url, params=None):
        page = client.get(url, params or {}).content.decode()
        return re.search(r"<title>(.*?)</title>", page, re.S)[1].split(" – ")[0].strip()

    signatories = reverse("registry:signatories")
    titles = [
        title(signatories),
        title(signatories, {"q": "coffee"}),
        title(signatories, {"type": "school"}),
        title(signatories, {"page": 2}),
        title(signatories, {"type": "not-a-type"}),
    ]
    assert len(set(titles)) == len(titles), titles
    assert titles[1].startswith("Search for “coffee”") and titles[4].startswith("Error:")
    wall = reverse("registry:updates")
    walls = [title(wall), title(wall, {"page": 2}), title(wall, {"type": "school"})]
    assert len(set(walls)) == 3, walls


def test_story_excerpts_on_the_wall_are_plain_text(client):
    pledge = published_organisation("Markdown Makers", updates=0)
    ProgressUpdateFactory(
        pledge=pledge, body="- 40 families came along\n\nThanks to **families and staff**."
    )
    text = client.get(reverse("registry:updates")).content.decode()
    assert "40 families came along<br>Thanks to families and staff." in text
    assert "**" not in text and "- 40" not in text


def test_the_signings_chart_has_every_month_evenly_spaced_with_labels_apart(client):
    from django.utils import timezone

    from opendata import charts

    now = timezone.now()
    for months_ago in (30, 29, 20, 3):  # gaps of months with no signing
        pledge = published_organisation(updates=0)
        Pledge.objects.filter(pk=pledge.pk).update(
            published_at=now - timezone.timedelta(days=30.5 * months_ago)
        )
    page = client.get(reverse("opendata:statistics")).content.decode()
    drawings = re.findall(r'(<svg class="app-chart app-chart--(wide|narrow)".*?</svg>)', page, re.S)
    assert [size for _svg, size in drawings[:2]] == ["wide", "narrow"]  # the signings chart
    counts = []
    for drawing, _size in drawings[:2]:
        svg = ET.fromstring(drawing)
        ns = "{http://www.w3.org/2000/svg}"
        lefts = [float(rect.get("x")) for rect in svg.iter(f"{ns}rect")]
        assert len(lefts) >= 30  # every month from the first signing to now, gaps included
        gaps = [b - a for a, b in zip(lefts, lefts[1:], strict=False)]
        assert max(gaps) - min(gaps) < 0.2  # evenly spaced (to the drawing's rounding): to scale
        labels = [t for t in svg.iter(f"{ns}text") if t.get("class") == "app-chart__axis-label"]
        spans = []
        for label in labels:
            half = len(label.text) * charts.CHAR_WIDTH / 2
            spans.append((float(label.get("x")) - half, float(label.get("x")) + half))
        assert all(
            right < next_left for (_, right), (next_left, _) in zip(spans, spans[1:], strict=False)
        )
        assert spans[-1][1] <= float(svg.get("width"))  # the newest label is not cut off
        assert labels[-1].text == now.strftime("%b %Y")
        counts.append(len(labels))
    assert counts[1] < counts[0]  # the phone's drawing has fewer labels


def _search_text_with_the_orm():
    """The search text as the model managers define what is public: the reference that the
    SQL in pledges/search.py must match. Each public pledge's text is its place's alone."""
    empty = Value("", output_field=TextField())

    def joined(queryset, group_by, expression):
        return Subquery(
            queryset.values(*group_by)
            .annotate(text=StringAgg(expression, " ", output_field=TextField()))
            .values("text")
        )

    commitments = joined(Commitment.objects.filter(pledge=OuterRef("pk")), ["pledge"], "body")
    update_text = joined(
        ProgressUpdate.objects.published().filter(
            pledge__organisation=OuterRef("organisation"), pledge__place=OuterRef("place")
        ),
        ["pledge__organisation", "pledge__place"],
        Concat("title", Value(" "), "body", output_field=TextField()),
    )

    def of_organisation(field):  # an update cannot join: the organisation's field as a subquery
        return Subquery(Organisation.objects.filter(pk=OuterRef("organisation")).values(field))

    ranked = (
        SearchVector(of_organisation("name"), weight="A", config="english")
        + SearchVector(
            Concat("statement", Value(" "), Coalesce(commitments, empty), output_field=TextField()),
            weight="B",
            config="english",
        )
        + SearchVector(of_organisation("description"), weight="D", config="english")
    )
    updates = SearchVector(Coalesce(update_text, empty), weight="C", config="english")
    Pledge.objects.public().update(search_vector=ranked + updates, search_rank_vector=ranked)


def test_the_search_refresh_writes_what_the_models_call_public_for_one_or_all():
    make_public_world(4)
    make_hidden_world()
    withdrawn = published_organisation("Closing Café")
    Pledge.objects.filter(pk=withdrawn.pk).update(status=Pledge.Status.WITHDRAWN)
    Organisation.objects.filter(pk=withdrawn.organisation_id).update(description="We closed.")
    ProgressUpdateFactory(pledge=withdrawn, title="Last story")  # a withdrawn pledge's update

    def texts():
        lexemes = RawSQL(
            "strip(search_vector)::text || ' / ' || strip(search_rank_vector)::text", []
        )
        return dict(Pledge.objects.annotate(text=lexemes).values_list("pk", "text"))

    Pledge.objects.update(search_vector=None, search_rank_vector=None)
    _search_text_with_the_orm()
    expected = texts()
    public = set(Pledge.objects.public().values_list("pk", flat=True))
    assert len(public) >= 6 and all(expected[pk] for pk in public)
    assert not any(text for pk, text in expected.items() if pk not in public)

    Pledge.objects.update(search_vector=None, search_rank_vector=None)
    refresh_search()  # the whole registry at once
    assert texts() == expected

    Pledge.objects.update(search_vector=None, search_rank_vector=None)
    first, *others = Organisation.objects.filter(pledges__in=public).values_list("pk", flat=True)
    refresh_search([first])  # one organisation, as the services do: only its pledges
    assert {pk for pk, text in texts().items() if text} == set(
        Pledge.objects.public().filter(organisation=first).values_list("pk", flat=True)
    )
    refresh_search(others)
    assert texts() == expected
    # A pledge that stops being public loses its text.
    Pledge.objects.filter(pk=withdrawn.pk).update(status=Pledge.Status.SUSPENDED)
    refresh_search([withdrawn.organisation_id])
    assert texts()[withdrawn.pk] is None


def test_identifiers_wrap_only_after_underscores_and_slashes_and_stay_escaped():
    from core.templatetags.site import breakable

    assert breakable("organisation_id") == "organisation_<wbr>id"
    assert breakable("<b>_x") == "&lt;b&gt;_<wbr>x"
    assert breakable("https://example.org/a/") == "https:/<wbr>/<wbr>example.org/<wbr>a/<wbr>"


def test_public_pages_lead_back_in_one_wording(client):
    pledge = published_organisation()
    update = pledge.updates.first()
    story = pledge.organisation.stories.public().first()
    for url, words in (
        (pledge.organisation.get_absolute_url(), "Back to the signatories"),
        (update.get_absolute_url(), "Back to progress updates"),
        (story.get_absolute_url(), "Back to kindness seen"),
        (reverse("registry:agreement"), "Back to the home page"),
    ):
        page = client.get(url).content.decode()
        back = page.split('class="govuk-back-link"', 1)[1].split("</a>", 1)[0]
        assert words in back, (url, back)
