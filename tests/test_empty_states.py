"""A place that has just opened, with nothing signed or told yet: every public page says
something useful instead of an empty list, table or chart; and so does an organisation that
has signed but not yet posted."""

import re

import pytest
from django.urls import reverse

from pledges.models import Agreement
from tests.factories import PledgeFactory, opened_place

pytestmark = pytest.mark.django_db

EMPTY_LIST = re.compile(r"<(ul|ol)\b[^>]*>\s*</\1>")
EMPTY_BODY = re.compile(r"<tbody\b[^>]*>\s*</tbody>")


def _main(html):
    return html.split("<main", 1)[1].split("</main>", 1)[0]


@pytest.fixture
def new_place(seeded_agreement):
    return opened_place("Newtown", "newtown")


def _pages(place):
    priority = Agreement.objects.get_current(place).priorities.first()
    from django.utils import timezone

    return {
        "home": "/newtown/",
        "signatories": "/newtown/signatories/",
        "wall": "/newtown/updates/",
        "wall, updates": "/newtown/updates/?show=updates",
        "wall, stories": "/newtown/updates/?show=stories",
        "priority": f"/newtown/priorities/{priority.slug}/",
        "agreement": "/newtown/agreement/",
        "statistics": "/newtown/statistics/",
        "data": "/newtown/data/",
        "year": f"/newtown/year/{timezone.localdate().year}/",
    }


def test_every_public_page_of_a_new_place_says_something_where_its_lists_are_empty(
    client, new_place
):
    for name, url in _pages(new_place).items():
        answer = client.get(url)
        assert answer.status_code == 200, (name, answer.status_code)
        main = _main(answer.text)
        assert not EMPTY_LIST.search(main), (name, EMPTY_LIST.search(main).group(0))
        assert not EMPTY_BODY.search(main), name


@pytest.mark.parametrize(
    "url, words",
    [
        ("/newtown/", "No progress updates yet."),
        ("/newtown/signatories/", "No organisation has signed in Newtown yet"),
        ("/newtown/updates/", "Nothing matches"),
        ("/newtown/statistics/", "No organisation has signed the agreement in Newtown yet"),
        ("/newtown/statistics/", "Nothing to count yet"),
    ],
)
def test_the_empty_pages_say_what_will_appear(client, new_place, url, words):
    assert words in _main(client.get(url).text)


def test_an_organisation_that_has_just_signed_says_what_will_appear(client, seeded_agreement):
    pledge = PledgeFactory(published=True, organisation__name="Quiet Charity")
    page = _main(client.get(reverse("registry:detail", args=[pledge.organisation.slug])).text)
    assert not EMPTY_LIST.search(page) and not EMPTY_BODY.search(page)
    assert "No progress updates yet" in page
