"""Relevance in the signatories: where a search matched, best first (the name alone; with the
pledge; with the description; anywhere, the updates too), and by name within each, paged
across the tiers with their sizes counted once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from organisations.models import Organisation
from places.models import Place
from pledges.search import refresh_search
from registry.signatories import by_relevance
from tests.factories import ProgressUpdateFactory
from tests.public_world import published_organisation

pytestmark = pytest.mark.django_db


def organisation(name, *, commitment="We will protect time for talking.", description="",
                 update=None):  # fmt: skip
    pledge = published_organisation(name, updates=0, stories=0, commitment=commitment)
    Organisation.objects.filter(pk=pledge.organisation_id).update(description=description)
    if update:
        ProgressUpdateFactory(pledge=pledge, title="News", body=update)
    return pledge


@pytest.fixture
def gardens():
    """Where "garden" is: in three names, in eighteen pledges, in two descriptions, in four
    organisations' updates only; and one organisation it is nowhere."""
    expected = []
    for name in ("Garden Club", "Abbey Gardens", "Market Garden Co-op"):
        expected.append(organisation(name))
    expected.sort(key=lambda pledge: pledge.organisation.name.lower())
    tiers = [expected]
    tiers.append([organisation(f"Pledged {n:02d}", commitment="We will plant a garden.")
                  for n in range(18)])  # fmt: skip
    tiers.append([organisation(f"Described {n}", description="We keep a garden.") for n in (1, 2)])
    tiers.append([organisation(f"Told {n}", update="Our garden grew.") for n in range(4)])
    organisation("Elsewhere Trust")
    refresh_search()
    return [pledge.pk for tier in tiers for pledge in tier]


def test_a_search_lists_each_tier_in_turn_by_name_across_pages(gardens):
    chain = by_relevance({"q": "garden", "place": Place.objects.default()})
    assert chain.sizes == [3, 18, 2, 4] and chain.count() == 27
    assert chain[0:20] == gardens[:20]
    assert chain[20:40] == gardens[20:]  # the end of one tier, the next two whole
    assert chain[19:22] == gardens[19:22]


def test_the_signatories_pages_show_the_tiers_in_turn(client, gardens):
    first = client.get(reverse("registry:signatories"), {"q": "gardens"}).content.decode()
    assert "27 organisations" in first
    assert first.index("Abbey Gardens") < first.index("Garden Club") < first.index("Pledged 00")
    second = client.get(reverse("registry:signatories"), {"q": "garden", "page": 2})
    text = second.content.decode()
    assert "Pledged 17" in text and "Told 3" in text and "Pledged 16" not in text
    assert text.index("Described 2") < text.index("Told 0")
    assert "Elsewhere Trust" not in text


def test_every_word_counts_where_they_all_match_together():
    school = organisation("Kindness Primary School", commitment="We plant a garden.")
    pledged = organisation("Oak Academy", commitment="Our school garden is open.")
    told = organisation("Ash Trust", update="The school garden had its first harvest.")
    refresh_search()
    chain = by_relevance({"q": "school garden", "place": Place.objects.default()})
    # The name alone holds "school" but not "garden": the school needs its pledge too.
    assert chain.sizes == [0, 2, 0, 1]
    assert chain[0:20] == [school.pk, pledged.pk, told.pk]
    assert by_relevance({"q": "garden -school"}).count() == 0  # the whole network


def test_a_page_costs_a_query_for_each_tier_it_shows_and_nothing_more(client, gardens):
    url = reverse("registry:signatories")
    client.get(url, {"q": "garden"})  # the tiers' sizes are counted once, then remembered
    client.get(url, {"q": "talking"})
    costs = {}
    for query in ("garden", "talking"):  # one tier, every organisation
        with CaptureQueriesContext(connection) as queries:
            client.get(url, {"q": query, "page": 1, "x": query})
        costs[query] = len(queries)
    # The same but one: the first page of "garden" reads two tiers (three names, then
    # seventeen pledges); "talking" is in every pledge, one tier. Nothing is counted again.
    assert costs["garden"] == costs["talking"] + 1


def test_a_search_says_it_is_sorted_by_best_match_and_can_be_sorted_otherwise(client, gardens):
    url = reverse("registry:signatories")
    searched = client.get(url, {"q": "garden"}).content.decode()
    sort = searched.split('name="sort"')[1].split("</select>")[0]
    assert sort.index("Best match") < sort.index("Name, A to Z")  # shown first, so chosen
    by_name = client.get(url, {"q": "garden", "sort": "name"}).content.decode()
    assert (
        by_name.index("Abbey Gardens") < by_name.index("Described 1") < by_name.index("Garden Club")
    )
    cleared = client.get(url, {"sort": "relevance"}).content.decode()  # the search cleared
    assert "Best match" not in cleared and "Select a valid choice" not in cleared


def test_a_search_in_one_place_reads_only_that_places_pledge_and_updates(client):
    from django.db import transaction

    from tests.factories import AgreementFactory, CommitmentFactory, PledgeFactory, north_ayrshire

    ayrshire = north_ayrshire()
    with transaction.atomic():
        there = AgreementFactory(place=ayrshire, version=1, is_current=True, priorities=True)
    here = organisation("Carnegie UK Trust", commitment="We will fund a lending library.")
    away = PledgeFactory(organisation=here.organisation, agreement=there, published=True)
    CommitmentFactory(pledge=away, priority=there.priorities.first(), body="A harbour walk.")
    ProgressUpdateFactory(pledge=away, title="News", body="The ferry crossing was kind.")
    refresh_search()

    def found(address, words):
        text = client.get(address, {"q": words}).content.decode()
        return "Carnegie UK Trust" in text

    assert found("/cheltenham/signatories/", "library")
    assert not found("/north-ayrshire/signatories/", "library")
    assert found("/north-ayrshire/signatories/", "harbour")
    assert not found("/cheltenham/signatories/", "harbour")
    assert not found("/cheltenham/signatories/", "ferry")  # an update in the other place
    assert found("/", "ferry") and found("/", "library")  # the network reads every place


def test_saving_a_pledge_never_writes_back_a_search_text_from_before():
    from django.contrib.postgres.search import SearchQuery

    from pledges.models import Pledge

    pledge = organisation("Kind Club")
    loaded = Pledge.objects.get(pk=pledge.pk)  # as a service holds it
    Pledge.objects.filter(pk=pledge.pk).update(statement="We grow marrows.")
    refresh_search([pledge.organisation_id])
    loaded.save()  # the pledge as it was loaded; its search text was never loaded with it
    marrows = SearchQuery("marrows", config="english")
    assert Pledge.objects.filter(pk=pledge.pk, search_vector=marrows).exists()
