from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from organisations.models import Membership, Organisation
from places.models import Place
from pledges.models import Agreement, Commitment, Pledge, Priority, ProgressUpdate
from pledges.seed import PRIORITIES, seed_agreement

pytestmark = pytest.mark.django_db


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (
            User,
            Organisation,
            Membership,
            Agreement,
            Priority,
            Pledge,
            Commitment,
            ProgressUpdate,
        )
    }


def test_data_migration_creates_version_one_and_its_five_priorities():
    agreement = Agreement.objects.get(is_current=True)
    assert agreement.version == 1
    titles = list(agreement.priorities.values_list("title", flat=True))
    assert titles == [priority["title"] for priority in PRIORITIES]
    assert "working text" in agreement.body


def test_seeding_the_agreement_again_changes_nothing():
    before = counts()
    seed_agreement(Agreement, Priority, timezone.now(), place=Place.objects.default())
    assert counts() == before


def test_seed_demo_twice_leaves_the_same_row_counts(capsys):
    call_command("seed_demo")
    first = counts()
    call_command("seed_demo")
    assert counts() == first
    assert first["Organisation"] >= 20
    assert "partner@example.org" in capsys.readouterr().out


def test_the_benchmark_seeds_further_places_each_with_its_own_registry():
    call_command("seed_demo", organisations=30, updates=60, places=4, stdout=StringIO())
    first = counts()
    call_command("seed_demo", organisations=30, updates=60, places=4, stdout=StringIO())
    assert counts() == first
    assert list(Place.objects.values_list("slug", flat=True)) == [
        "cheltenham", "north-ayrshire", "stroud", "tewkesbury",
    ]  # fmt: skip
    for slug in ("stroud", "tewkesbury"):
        pledges = Pledge.objects.filter(place__slug=slug)
        assert pledges.count() == 30 and Agreement.objects.get_current(pledges[0].place)
        assert not pledges.exclude(area__place__slug=slug).exists()
        assert ProgressUpdate.objects.filter(pledge__place__slug=slug).count() == 60


def test_seed_demo_has_pledges_in_every_status_and_two_years_of_updates():
    call_command("seed_demo")
    statuses = set(Pledge.objects.values_list("status", flat=True))
    # A pledge is superseded only by one to a newer version, and the demo has one version.
    assert statuses == set(Pledge.Status.values) - {Pledge.Status.SUPERSEDED}
    names = set(Organisation.objects.values_list("name", flat=True))
    assert {"Cheltenham Borough Council", "Carnegie UK Trust"} <= names
    oldest = ProgressUpdate.objects.order_by("published_at").first().published_at
    assert (timezone.now() - oldest).days > 365
    moderator = User.objects.get(email="moderator@example.org")
    assert moderator.is_staff and moderator.check_password("kindness-demo-2026")


def test_seed_demo_generates_a_larger_town_on_request():
    call_command("seed_demo", organisations=60, updates=300)
    assert Organisation.objects.count() >= 60 + 25
    assert ProgressUpdate.objects.count() >= 300


def test_seed_demo_gives_its_pledges_a_real_history():
    from pledges.models import PledgeEvent

    call_command("seed_demo", stdout=StringIO())
    for pledge in Pledge.objects.exclude(status=Pledge.Status.DRAFT):
        actions = set(pledge.events.values_list("action", flat=True))
        assert PledgeEvent.Action.SUBMITTED in actions, pledge
        if pledge.published_at:
            assert PledgeEvent.Action.PUBLISHED in actions, pledge
    assert PledgeEvent.objects.filter(action=PledgeEvent.Action.UPDATE_POSTED).exists()
    changed = PledgeEvent.objects.filter(action=PledgeEvent.Action.COMMITMENT_CHANGED).first()
    assert changed is not None
    wordings = Commitment.history.filter(pledge_id=changed.pledge_id).values_list("id", "body")
    bodies = {}
    for commitment_id, body in wordings:
        bodies.setdefault(commitment_id, set()).add(body)
    assert any(len(texts) == 2 for texts in bodies.values())  # an earlier wording is on record


def test_bulk_loads_analyze_the_tables_they_filled():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        call_command("seed_demo", "--organisations", "5", stdout=StringIO())
    analyzed = {q["sql"] for q in queries.captured_queries if q["sql"].startswith("ANALYZE")}
    for table in ("organisations_organisation", "pledges_pledge", "pledges_progressupdate"):
        assert f'ANALYZE "{table}"' in analyzed


def test_the_demo_shows_stories_with_pictures_and_logos(client):
    call_command("seed_demo")
    pictured = ProgressUpdate.objects.published().exclude(image="")
    assert pictured.count() >= 5
    for update in pictured:
        assert update.image_alt.startswith("A drawing of") and len(update.image_sizes) >= 3
        assert update.image.storage.exists(update.image.name)
    assert Organisation.objects.exclude(logo="").count() == 4
    cheltenham = pictured.filter(pledge__place__slug="cheltenham").first()
    wall = client.get(reverse("registry:updates")).text
    assert cheltenham.image.url in wall


def test_demo_stories_show_the_feature_at_once_and_load_once(client):
    from stories.models import Story

    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo_stories", stdout=StringIO())
    call_command("seed_demo_stories", stdout=StringIO())
    published = Story.objects.public()
    waiting = Story.objects.waiting()
    assert published.count() >= 5 and waiting.count() >= 3
    assert waiting.filter(flagged=True).exists()  # one for the moderator to look at closely
    assert published.filter(organisation__isnull=True).exists()  # somewhere in the town
    assert published.exclude(priority=None).exists()
    for story in published.select_related("place"):  # each on its own place's wall
        wall = client.get(f"/{story.place.slug}/updates/?show=stories").text
        assert story.body[:30] in wall.replace("&#x27;", "'")


def test_demo_stories_wait_for_the_demo_town():
    from stories.models import Story

    call_command("seed_demo_stories", stdout=StringIO())
    assert not Story.objects.exists()


def test_the_demo_is_a_network_of_two_places_with_the_trust_signed_in_both(client):
    call_command("seed_demo", stdout=StringIO())
    trust = Pledge.objects.public().filter(organisation__name="Carnegie UK Trust")
    assert sorted(trust.values_list("place__slug", flat=True)) == ["cheltenham", "north-ayrshire"]
    network = client.get("/").content.decode()
    assert 'href="/cheltenham/"' in network and 'href="/north-ayrshire/"' in network
    page = client.get("/north-ayrshire/organisations/carnegie-uk-trust/").content.decode()
    assert "North Ayrshire" in page and "Learning from each other" in page
    assert "Gloucestershire" not in page and "Cheltenham Borough" not in page


def test_the_demos_network_page_shows_kindness_from_both_places(client):
    """`make run`, then /: photos and residents' stories from both places, each naming its
    place; the five priorities with their counts; telling a story leads into a place."""
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo_stories", stdout=StringIO())
    page = client.get("/").text
    photos, stories = page.split('<h3 class="govuk-heading-m">Kindness seen</h3>', 1)
    stories = stories.split("Tell us about kindness you saw", 1)[0]
    for section in (photos, stories):
        for place in ("Cheltenham", "North Ayrshire"):
            assert f"<strong>{place}</strong>:" in section
    assert photos.count("<img") >= 6
    assert page.count('class="app-priority-card"') == 5
    assert "organisations commit to this" in page
    assert 'action="/kindness-seen/where/"' in page


def test_each_demo_commitment_sits_under_the_priority_it_describes():
    from pledges.demo_places import COMMITMENTS as SECOND_PLACE
    from pledges.demo_texts import COMMITMENTS
    from pledges.models import Commitment

    call_command("seed_demo", stdout=StringIO())
    commitments = list(Commitment.objects.select_related("priority"))
    assert len(commitments) > 50
    for commitment in commitments:
        number = commitment.priority.number
        assert commitment.body in [*COMMITMENTS[number], SECOND_PLACE[number]], commitment.body


def test_no_demo_organisation_repeats_an_update_title_and_each_title_keeps_its_story():
    from django.db.models import Count

    from pledges.demo_texts import UPDATES
    from pledges.models import ProgressUpdate

    call_command("seed_demo", stdout=StringIO())
    updates = ProgressUpdate.objects.all()
    assert updates.count() > 50
    repeated = (
        updates.values("pledge", "title").annotate(n=Count("pk")).filter(n__gt=1).values("pledge")
    )
    assert not repeated.exists()
    stories = dict(UPDATES)
    paired = [u.body == stories[u.title] for u in updates if u.title in stories]
    assert paired and all(paired)


def test_the_thousand_places_benchmark_adds_small_places_cheaply():
    from places.models import Place

    call_command("seed_demo", small_places=3, stdout=StringIO())
    small = Place.objects.filter(slug__startswith="smallbrook-")
    assert small.count() == 3
    assert all(place.pledges.count() == 3 for place in small)
