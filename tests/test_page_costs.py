"""What keeps public pages cheap when the page cache misses (issue 12), and stays correct.

Speed itself is measured by `make bench`; these tests pin the mechanisms: what is counted or
aggregated once per public-data version, links whose number does not grow with the pages,
and caches that never serve stale text.
"""

import re
from unittest import mock

import pytest
from django.core.cache import caches
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.markdown import plain_lines, render_markdown
from core.paging import PublicPaginator, public_count
from organisations.models import Organisation
from places.models import Place
from pledges import stats
from pledges.models import ProgressUpdate
from registry.forms import SignatoriesForm
from tests.factories import MembershipFactory, ProgressUpdateFactory
from tests.public_world import published_organisation

pytestmark = pytest.mark.django_db


def cheltenham():
    return Place.objects.default()


def aggregate_queries(queries):
    return [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]


def publish_an_update(pledge, title, django_capture_on_commit_callbacks):
    """A real public change: the service moves the public-data version on at commit."""
    from pledges import services

    membership = MembershipFactory(organisation=pledge.organisation)
    with django_capture_on_commit_callbacks(execute=True):
        services.progress_update_publish(
            pledge=pledge,
            by=membership.user,
            title=title,
            body="A story.",
            priorities=list(pledge.agreement.priorities.all()[:1]),
            image=None,
            image_alt="",
        )


def test_a_total_is_counted_once_per_version_and_again_after_a_change(
    django_capture_on_commit_callbacks,
):
    pledge = published_organisation(updates=3)
    caches["pages"].clear()
    published = ProgressUpdate.objects.published()
    with CaptureQueriesContext(connection) as first:
        assert public_count(published) == 3
    with CaptureQueriesContext(connection) as second:
        assert public_count(published) == 3
    assert len(aggregate_queries(first)) == 1
    assert aggregate_queries(second) == []
    # A different list is a different count, never the same cached number.
    assert public_count(published.filter(title__startswith="Story 0")) == 1
    publish_an_update(pledge, "A fourth story", django_capture_on_commit_callbacks)
    assert public_count(published) == 4


def test_the_paginator_of_public_lists_uses_the_remembered_total():
    published_organisation(updates=3)
    caches["pages"].clear()
    PublicPaginator(ProgressUpdate.objects.published().order_by("pk"), 2).count  # noqa: B018
    with CaptureQueriesContext(connection) as queries:
        page = PublicPaginator(ProgressUpdate.objects.published().order_by("pk"), 2).get_page(2)
    assert page.paginator.num_pages == 2
    assert aggregate_queries(queries) == []


def test_registry_wide_statistics_are_remembered_until_public_data_changes(
    django_capture_on_commit_callbacks,
):
    pledge = published_organisation(updates=1)
    caches["pages"].clear()
    assert stats.updates_in_last_year(cheltenham().pk) == 1
    with CaptureQueriesContext(connection) as again:
        assert stats.updates_in_last_year(cheltenham().pk) == 1
        assert stats.organisations_signed(cheltenham().pk) == 1
    assert len(aggregate_queries(again)) == 1  # the first count of signatories only
    publish_an_update(pledge, "Another story", django_capture_on_commit_callbacks)
    assert stats.updates_in_last_year(cheltenham().pk) == 2


def test_the_home_page_shows_new_totals_after_a_change(client, django_capture_on_commit_callbacks):
    pledge = published_organisation(updates=1)
    counter = re.compile(r'app-counter">(\d+)</span>[^<]*progress updates')
    assert counter.search(client.get(reverse("registry:home")).content.decode())[1] == "1"
    assert client.get(reverse("registry:home"))["X-Cache"] == "hit"
    publish_an_update(pledge, "Second story", django_capture_on_commit_callbacks)
    page = client.get(reverse("registry:home"))
    assert page["X-Cache"] == "miss"
    assert "Second story" in page.content.decode()
    assert counter.search(page.content.decode())[1] == "2"


def test_pagination_links_do_not_grow_with_the_number_of_pages(client):
    pledge = published_organisation(updates=0, stories=0)
    ProgressUpdateFactory.create_batch(21 * 20, pledge=pledge)  # 21 pages of 20
    # Walking every page number made the wall's cost grow with the registry (50x at 500,000).
    walked = mock.PropertyMock(side_effect=AssertionError("walked every page"))
    with mock.patch.object(Paginator, "page_range", walked):
        text = client.get(reverse("registry:updates"), {"page": 10}).content.decode()
    wide, narrow = text.split("app-pagination__list--narrow", 1)
    assert re.findall(r'aria-label="Page (\d+)"', wide) == ["1", "8", "9", "10", "11", "12", "21"]
    assert re.findall(r'aria-label="Page (\d+)"', narrow) == ["1", "9", "10", "11", "21"]
    assert text.count("govuk-pagination__item--ellipses") == 4  # two in each list
    assert text.count('aria-current="page">10<') == 2


def test_the_filter_form_keeps_choices_hints_and_errors(client):
    text = client.get(
        reverse("registry:signatories"), {"type": "nonsense", "area": "pittville", "q": "café"}
    ).content.decode()
    assert '<option value="pittville" selected>' in text
    assert 'value="café"' in text
    assert 'aria-describedby="id_q_hint"' in text and 'id="id_q_hint"' in text
    assert 'id="id_type_1_error"' in text
    assert 'aria-describedby="id_type_1_error" aria-invalid="true"' in text
    # Every field of the form is on the page, and nothing else named like one.
    names = set(re.findall(r'name="(\w+)"', text.split('role="search"')[1].split("</form>")[0]))
    assert names == set(SignatoriesForm.base_fields)


def test_hostile_choice_and_search_text_stays_escaped_in_the_filter_form(client):
    text = client.get(
        reverse("registry:signatories"), {"q": '"><script>alert(1)</script>', "area": "<b>"}
    ).content.decode()
    assert "<script>alert(1)" not in text
    assert 'value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in text


def test_type_labels_come_from_the_choices():
    organisation = Organisation(type=Organisation.Type.SCHOOL)
    assert organisation.get_type_display() == Organisation.Type.SCHOOL.label
    assert Organisation(type="retired-type").get_type_display() == "retired-type"


def test_a_reused_markdown_converter_carries_nothing_from_one_text_to_the_next():
    first = render_markdown("* one\n* two\n\n[link](https://example.org)")
    assert "<li>one</li>" in first and 'href="https://example.org"' in first
    assert render_markdown("plain words") == "<p>plain words</p>"
    assert plain_lines("**families** first\n\n- one") == ("families first", "one")
    assert plain_lines("<b>x</b>") == ("<b>x</b>",)  # text, escaped later by the template


def test_a_client_with_the_current_etag_gets_not_modified(client):
    published_organisation()
    first = client.get(reverse("registry:home"))
    assert first.has_header("ETag")
    again = client.get(reverse("registry:home"), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    # The ETag is kept with the page, not hashed again on each hit.
    with mock.patch("django.middleware.http.set_response_etag") as hashed:
        hit = client.get(reverse("registry:home"))
    assert hit["X-Cache"] == "hit" and hit["ETag"] == first["ETag"] and not hashed.called


def test_a_repeat_anonymous_visit_is_answered_before_sessions_and_the_view(client):
    published_organisation()
    url = reverse("registry:signatories")
    assert client.get(url)["X-Cache"] == "miss"
    with mock.patch("django.contrib.sessions.middleware.SessionMiddleware.process_request") as s:
        again = client.get(url)
    assert again["X-Cache"] == "hit" and again.status_code == 200
    assert s.call_count == 0  # the cached page middleware answered first
    # Headers from the middleware above it still apply to the cached answer.
    assert again.has_header("Content-Security-Policy") and again["X-Frame-Options"] == "DENY"


def test_someone_signed_in_never_gets_the_anonymous_copy(client):
    pledge = published_organisation()
    membership = MembershipFactory(organisation=pledge.organisation)
    url = pledge.organisation.get_absolute_url()
    assert "Badge for your website" not in client.get(url).content.decode()
    assert client.get(url)["X-Cache"] == "hit"
    client.force_login(membership.user)
    page = client.get(url)
    assert not page.has_header("X-Cache")  # rendered for this person, and not stored
    assert "Badge for your website" in page.content.decode()


def test_cards_and_entries_show_a_change_at_once(client, django_capture_on_commit_callbacks):
    from organisations import services as organisation_services

    pledge = published_organisation("Old Name Bakery")
    admin = MembershipFactory(organisation=pledge.organisation, role="admin").user
    for url in (reverse("registry:signatories"), reverse("registry:updates")):
        assert "Old Name Bakery" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        organisation_services.organisation_update(
            organisation=pledge.organisation, by=admin, data={"name": "New Name Bakery"}
        )
    # Another query string: the page misses, and so must every fragment with the old name.
    # (Story titles keep the old name: they are the partner's own words.)
    signatories = client.get(reverse("registry:signatories"), {"page": 1}).content.decode()
    assert "New Name Bakery</a>" in signatories and "Old Name Bakery</a>" not in signatories
    wall = client.get(reverse("registry:updates"), {"page": 1}).content.decode()
    assert "New Name Bakery, <time" in wall and "Old Name Bakery, <time" not in wall


def test_fragments_are_reused_across_pages_of_the_same_version(client):
    published_organisation("Reused Bakery", updates=2)
    client.get(reverse("registry:updates"))
    with mock.patch("core.markdown.plain_lines") as converted:
        text = client.get(reverse("registry:updates"), {"area": ""}).content.decode()
    assert "Reused Bakery" in text
    assert converted.call_count == 0  # both cards came from the first page's fragments


def test_feeds_are_cached_public_pages(client):
    pledge = published_organisation()
    for url in (
        reverse("opendata:feed"),
        reverse("opendata:organisation-feed", kwargs={"slug": pledge.organisation.slug}),
    ):
        assert client.get(url)["X-Cache"] == "miss"
        again = client.get(url)
        assert again["X-Cache"] == "hit"
        assert again["Content-Type"].startswith("application/atom+xml")


def test_a_search_ranks_by_name_and_pledge_not_by_how_many_stories_mention_it(client):
    from pledges.search import refresh_search

    described = published_organisation("Zed Trust", updates=0)
    Organisation.objects.filter(pk=described.organisation_id).update(
        description="We run an allotment."
    )
    storied = published_organisation("Abbey Trust", updates=0)
    for index in range(8):
        ProgressUpdateFactory(
            pledge=storied,
            title=f"Allotment day {index}",
            body="Allotment allotment allotment: we dug the allotment together.",
        )
    refresh_search()
    text = client.get(reverse("registry:signatories"), {"q": "allotment"}).content.decode()
    assert "Abbey Trust" in text  # its stories still find it
    # Its own description ranks Zed first; stories find Abbey but no longer decide its place.
    assert text.index("Zed Trust") < text.index("Abbey Trust")


def test_a_change_in_one_place_recomputes_only_that_places_figures(
    django_capture_on_commit_callbacks,
):
    """The network's page shows every place's figures; with a thousand places, recomputing
    them all after any change cost more than the page. Each is kept under its own place's
    version."""
    from pledges.stats import quarter_start
    from tests.factories import north_ayrshire

    pledge = published_organisation(updates=1)
    places = [cheltenham().pk, north_ayrshire(live=True).pk]
    start = quarter_start(pledge.published_at)
    with mock.patch.object(stats, "_figures", wraps=stats._figures) as computed:
        before = stats.network_figures(start, places)
        assert computed.call_args.args[1] == places
        assert stats.network_figures(start, places) == before
        assert computed.call_count == 1
        publish_an_update(pledge, "Another step", django_capture_on_commit_callbacks)
        after = stats.network_figures(start, places)
    assert computed.call_count == 2 and computed.call_args.args[1] == [places[0]]
    assert after[places[0]]["updates"] == before[places[0]]["updates"] + 1
    assert after[places[1]] == before[places[1]]


def test_a_process_reads_the_figures_another_counted_from_the_shared_cache(
    django_capture_on_commit_callbacks,
):
    """Every place's figures are one book in the shared cache: a process whose own cache
    lacks them, or has them from before a change, counts only what the book lacks."""
    from django.core.cache import caches

    from pledges.stats import quarter_start
    from tests.factories import north_ayrshire

    pledge = published_organisation(updates=1)
    places = [cheltenham().pk, north_ayrshire(live=True).pk]
    start = quarter_start(pledge.published_at)
    with mock.patch.object(stats, "_figures", wraps=stats._figures) as computed:
        before = stats.network_figures(start, places)
        caches["pages"].clear()  # another process: nothing of its own
        assert stats.network_figures(start, places) == before
        assert computed.call_count == 1
        publish_an_update(pledge, "Another step", django_capture_on_commit_callbacks)
        stats.network_figures(start, places)  # this process counts Cheltenham again
        assert computed.call_count == 2
        caches["pages"].clear()
        assert stats.network_figures(start, places)[places[0]]["updates"] == 2
        assert computed.call_count == 2
