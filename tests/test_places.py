"""Several places on one registry: what a place means, enforced by PostgreSQL, and today's data
moved into the first place, Cheltenham, with nothing lost."""

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone

from places.models import Area, Place
from places.seed import seed_default_place
from pledges.models import Agreement, Pledge
from stories.models import Story
from tests.factories import (
    AgreementFactory,
    OrganisationFactory,
    PledgeFactory,
    ProgressUpdateFactory,
    StoryFactory,
    default_place,
    north_ayrshire,
)


def second_place():
    return north_ayrshire()


@pytest.mark.django_db
def test_each_place_has_its_own_current_version_and_numbers():
    place = second_place()
    with transaction.atomic():
        own = AgreementFactory(place=place, version=1, is_current=True, priorities=True)
    assert Agreement.objects.get_current(place) == own
    assert Agreement.objects.get_current(default_place()) == Agreement.objects.get(
        place__is_default=True
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        AgreementFactory(place=place, version=1)  # a version number is unique in its place


@pytest.mark.django_db
def test_a_place_with_agreements_needs_exactly_one_current_at_commit():
    place = second_place()
    with pytest.raises(IntegrityError), transaction.atomic():
        AgreementFactory(place=place, version=1, is_current=False)  # none current there
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # as the commit would


@pytest.mark.django_db
def test_the_database_keeps_a_pledge_in_its_agreements_place():
    place = second_place()
    with transaction.atomic():
        there = AgreementFactory(place=place, version=1, is_current=True, priorities=True)
    pledge = PledgeFactory(agreement=there)
    assert pledge.place == place  # taken from the agreement as it is saved
    with pytest.raises(IntegrityError), transaction.atomic():
        Pledge.objects.filter(pk=pledge.pk).update(place=Place.objects.default())


@pytest.mark.django_db
def test_one_organisation_has_one_public_pledge_in_each_place():
    place = second_place()
    with transaction.atomic():
        there = AgreementFactory(place=place, version=1, is_current=True, priorities=True)
    trust = OrganisationFactory(name="Carnegie UK Trust")
    PledgeFactory(organisation=trust, published=True)  # Cheltenham
    PledgeFactory(organisation=trust, agreement=there, published=True)  # and there
    assert Pledge.objects.public().filter(organisation=trust).count() == 2
    with pytest.raises(IntegrityError), transaction.atomic():
        PledgeFactory(organisation=trust, agreement=there, published=True)


@pytest.mark.django_db
def test_a_storys_area_is_one_of_its_places_areas():
    place = second_place()
    story = StoryFactory(area=Area.objects.get(slug="oakley"))
    with pytest.raises(IntegrityError), transaction.atomic():
        Story.objects.filter(pk=story.pk).update(area=place.areas.get())


@pytest.mark.django_db(transaction=True)
def test_todays_registry_moves_into_cheltenham_with_nothing_lost():
    """The benchmark's 2,000 organisations, made before places existed, then migrated."""
    before = [("pledges", "0010_supersede_and_hide_reasons"), ("stories", "0002_flag_words")]
    call_command("flush", "--no-input", verbosity=0)  # an empty registry of the old shape
    executor = MigrationExecutor(connection)
    executor.migrate([*before, ("places", None)])
    old = executor.loader.project_state(before).apps
    now = timezone.now()
    agreement = old.get_model("pledges", "Agreement").objects.create(
        version=1, title="Agreement", body="Text", published_at=now, is_current=True
    )
    Organisation = old.get_model("organisations", "Organisation")
    organisations = Organisation.objects.bulk_create(
        Organisation(name=f"Organisation {n}", slug=f"organisation-{n}", type="charity",
                     area=["oakley", "lansdown"][n % 2], created_at=now, updated_at=now)
        for n in range(2000)
    )  # fmt: skip
    old.get_model("pledges", "Pledge").objects.bulk_create(
        old.get_model("pledges", "Pledge")(
            organisation=organisation, agreement=agreement, status="published",
            published_at=now, created_at=now, updated_at=now,
        )
        for organisation in organisations
    )  # fmt: skip
    old.get_model("stories", "Story").objects.bulk_create(
        old.get_model("stories", "Story")(
            body=f"Kind {n}.", email="a@example.net", token_digest=f"t{n}", area="oakley",
            status="waiting", confirmed_at=now, organisation=organisations[n],
        )
        for n in range(50)
    )  # fmt: skip

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    cheltenham = Place.objects.default()
    assert cheltenham.slug == "cheltenham" and cheltenham.areas.count() == 22
    assert Agreement.objects.get().place == cheltenham
    assert Pledge.objects.filter(place=cheltenham, status="published").count() == 2000
    assert Pledge.objects.exclude(place=cheltenham).count() == 0
    assert Story.objects.filter(place=cheltenham, area__slug="oakley").count() == 50
    # The area each organisation served is now its pledge's, one of Cheltenham's areas.
    served = dict(Pledge.objects.values_list("organisation__slug", "area__slug"))
    assert served["organisation-0"] == "oakley" and served["organisation-1"] == "lansdown"
    assert Pledge.objects.filter(area__slug="lansdown", area__place=cheltenham).count() == 1000
    call_command("flush", "--no-input", verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_the_area_served_moves_to_each_pledge_in_its_own_place():
    """An organisation signed in two places before the move: its Cheltenham pledge keeps its
    ward, and the other place's pledge, which has no such area, takes the whole place."""
    before = [("pledges", "0013_places_rules"), ("organisations", "0006_search_rank_vector")]
    call_command("flush", "--no-input", verbosity=0)
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    now = timezone.now()
    Place, Area = old.get_model("places", "Place"), old.get_model("places", "Area")
    Agreement_, Pledge_ = old.get_model("pledges", "Agreement"), old.get_model("pledges", "Pledge")
    seed_default_place(Place, Area)
    cheltenham = Place.objects.get(is_default=True)
    ayrshire = Place.objects.create(name="North Ayrshire", slug="north-ayrshire")
    Area.objects.create(place=ayrshire, slug="whole", name="All of it", position=0)
    Area.objects.create(place=ayrshire, slug="irvine", name="Irvine", position=1)
    trust = old.get_model("organisations", "Organisation").objects.create(
        name="Trust", slug="trust", type="charity", area="pittville", created_at=now
    )
    for place in (cheltenham, ayrshire):
        agreement = Agreement_.objects.create(
            place=place, version=1, title="A", body="B", published_at=now, is_current=True
        )
        Pledge_.objects.create(organisation=trust, agreement=agreement, place=place,
                               status="published", published_at=now, created_at=now)  # fmt: skip

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert dict(Pledge.objects.values_list("place__slug", "area__slug")) == {
        "cheltenham": "pittville",
        "north-ayrshire": "whole",
    }
    call_command("flush", "--no-input", verbosity=0)


@pytest.fixture
def two_places(db):
    """Cheltenham, and North Ayrshire with its own agreement; the Carnegie UK Trust signed in
    both, with an update in each; a school signed in Cheltenham only."""
    place = second_place()
    with transaction.atomic():
        there = AgreementFactory(
            place=place, version=1, is_current=True, priorities=True, title="North Ayrshire"
        )
    trust = OrganisationFactory(name="Carnegie UK Trust")
    here = PledgeFactory(organisation=trust, published=True, statement="Kind in Cheltenham.")
    away = PledgeFactory(
        organisation=trust, agreement=there, published=True, statement="Kind in Ayrshire."
    )
    ProgressUpdateFactory(pledge=here, title="Cheltenham coffee morning")
    ProgressUpdateFactory(pledge=away, title="Irvine listening session")
    school = PledgeFactory(published=True, organisation__name="Oakwood Primary School")
    return {"place": place, "trust": trust, "school": school.organisation}


def test_each_place_has_its_own_pages_under_its_short_name(client, two_places):
    trust = two_places["trust"]
    cheltenham = client.get(f"/cheltenham/organisations/{trust.slug}/").content.decode()
    ayrshire = client.get(f"/north-ayrshire/organisations/{trust.slug}/").content.decode()
    assert "Kind in Cheltenham." in cheltenham and "Kind in Ayrshire." not in cheltenham
    assert "Kind in Ayrshire." in ayrshire and "Kind in Cheltenham." not in ayrshire
    assert "Irvine listening session" in ayrshire
    assert "Cheltenham coffee morning" not in ayrshire
    # Links on a place's pages stay in the place.
    assert 'href="/north-ayrshire/updates/"' in ayrshire
    wall = client.get("/north-ayrshire/updates/").content.decode()
    assert "Irvine listening session" in wall and "Cheltenham coffee morning" not in wall
    signatories = client.get("/north-ayrshire/signatories/").content.decode()
    assert "Carnegie UK Trust" in signatories and "Oakwood Primary School" not in signatories
    school = two_places["school"]
    assert client.get(f"/north-ayrshire/organisations/{school.slug}/").status_code == 404
    assert client.get("/nowhere/signatories/").status_code == 404


def test_addresses_from_before_places_still_answer(client, two_places):
    """Every public address that worked with one place answers the same, in Cheltenham."""
    trust, school = two_places["trust"], two_places["school"]
    for path in (
        f"/organisations/{school.slug}/",
        f"/organisations/{trust.slug}/badge.svg",
        f"/organisations/{trust.slug}/certificate/",
        "/signatories/",
        "/updates/",
        "/agreement/",
        "/statistics/",
        "/data/",
        "/feeds/updates/",
        f"/feeds/organisations/{trust.slug}/",
        "/data/organisations.csv",
        "/api/v1/organisations",
        "/sitemap.xml",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
    old = client.get(f"/organisations/{trust.slug}/").content.decode()
    assert "Kind in Cheltenham." in old and "Kind in Ayrshire." not in old


def test_the_network_page_sets_the_places_side_by_side(client, two_places):
    page = client.get("/").content.decode()
    assert "Places with a community agreement" in page
    assert 'href="/cheltenham/"' in page and 'href="/north-ayrshire/"' in page
    assert "North Ayrshire" in page and "Cheltenham" in page
    home = client.get("/north-ayrshire/").content.decode()
    assert "North Ayrshire" in home


def test_the_api_filters_by_place_and_lists_the_network_without_one(client, two_places):
    everywhere = client.get("/api/v1/organisations").json()["items"]
    assert sorted(item["name"] for item in everywhere).count("Carnegie UK Trust") == 2
    ayrshire = client.get("/api/v1/organisations", {"place": "north-ayrshire"}).json()["items"]
    assert [item["name"] for item in ayrshire] == ["Carnegie UK Trust"]
    updates = client.get("/api/v1/updates", {"place": "north-ayrshire"}).json()["items"]
    assert [item["title"] for item in updates] == ["Irvine listening session"]
    assert client.get("/api/v1/updates", {"place": "nowhere"}).json()["items"] == []
    assert client.get("/api/v1/updates", {"place": "No Where!"}).status_code == 422
    assert client.get("/api/v1/statistics", {"place": "nowhere"}).status_code == 404


@pytest.mark.django_db
def test_a_moderator_opens_a_new_place_from_the_admin_and_it_is_live(
    client, django_capture_on_commit_callbacks
):
    from tests.factories import ModeratorFactory

    client.force_login(ModeratorFactory())
    theirs = ModeratorFactory(email="ayrshire.moderator@example.org")
    cheltenham_agreement = Agreement.objects.get_current(default_place())
    form = {
        "name": "North Ayrshire",
        "slug": "north-ayrshire",
        "host": "",
        "contact_email": "kindness@north-ayrshire.example",
        "data_controller": "North Ayrshire Council",
        "privacy_email": "dpo@north-ayrshire.example",
        "areas": "The whole of North Ayrshire\nIrvine\nKilwinning\n",
        "copy_from": str(cheltenham_agreement.pk),
        "moderators": [str(theirs.pk)],
    }
    refused = client.post("/admin/places/place/add/", {**form, "areas": "Irvine\nirvine"})
    assert "Give each area a different name" in refused.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/admin/places/place/add/", form)
    assert response.status_code == 302
    place = Place.objects.get(slug="north-ayrshire")
    assert [a.name for a in place.areas.all()] == [
        "The whole of North Ayrshire",
        "Irvine",
        "Kilwinning",
    ]
    assert list(place.moderators.all()) == [theirs]
    copy = Agreement.objects.get_current(place)
    assert copy.version == 1 and copy.body == cheltenham_agreement.body
    assert [p.slug for p in copy.priorities.all()] == [
        p.slug for p in cheltenham_agreement.priorities.all()
    ]
    client.logout()
    assert client.get("/north-ayrshire/").status_code == 200
    assert "North Ayrshire" in client.get("/").content.decode()  # the network page


def test_a_partner_signs_in_a_second_place_from_the_same_account(client, two_places):
    from organisations.models import Membership
    from tests.factories import MembershipFactory

    school = two_places["school"]
    admin = MembershipFactory(organisation=school, role=Membership.Role.ADMIN).user
    client.force_login(admin)
    dashboard = client.get(f"/cheltenham/manage/{school.pk}/").content.decode()
    assert f'href="/north-ayrshire/manage/{school.pk}/"' in dashboard
    response = client.post(f"/north-ayrshire/manage/{school.pk}/sign/")
    assert response.status_code == 302
    assert response["Location"] == f"/north-ayrshire/manage/{school.pk}/sign/"
    there = Pledge.objects.get(organisation=school, place=two_places["place"])
    assert there.status == Pledge.Status.DRAFT
    assert there.agreement == Agreement.objects.get_current(two_places["place"])
    here = Pledge.objects.get(organisation=school, place=Place.objects.default())
    assert here.status == Pledge.Status.PUBLISHED  # Cheltenham's pledge carries on


def test_a_place_with_its_own_host_name_answers_there_without_the_prefix(
    client, two_places, settings
):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "kindness.north-ayrshire.example"]
    from moderation.services import PlaceError, place_set_host
    from tests.factories import ModeratorFactory, UserFactory

    place = two_places["place"]
    with pytest.raises(PlaceError):
        place_set_host(place=place, host="kindness.example", by=ModeratorFactory())
    place_set_host(
        place=place, host="Kindness.North-Ayrshire.example", by=UserFactory(is_superuser=True)
    )
    page = client.get("/updates/", HTTP_HOST="kindness.north-ayrshire.example").content.decode()
    assert "Irvine listening session" in page and "Cheltenham coffee morning" not in page


def test_a_change_in_one_place_renders_afresh_only_its_pages_and_the_networks(
    client, two_places, django_capture_on_commit_callbacks
):
    from pledges.services import pledge_confirm_accurate
    from tests.factories import MembershipFactory

    trust = two_places["trust"]
    pages = {
        "cheltenham": f"/cheltenham/organisations/{trust.slug}/",
        "ayrshire": f"/north-ayrshire/organisations/{trust.slug}/",
        "network": "/",
        "api": "/api/v1/organisations",
    }
    for url in pages.values():
        client.get(url)
        assert client.get(url)["X-Cache"] == "hit", url
    member = MembershipFactory(organisation=trust).user
    here = Pledge.objects.get(organisation=trust, place=Place.objects.default())
    with django_capture_on_commit_callbacks(execute=True):
        pledge_confirm_accurate(pledge=here, by=member)  # a change in Cheltenham
    seen = {name: client.get(url)["X-Cache"] for name, url in pages.items()}
    assert seen == {"cheltenham": "miss", "ayrshire": "hit", "network": "miss", "api": "miss"}


def _cheltenham_world():
    """One of everything a moderator decides, all in Cheltenham."""
    from pledges.models import Concern, ProgressUpdate
    from stories.models import StoryConcern

    update = ProgressUpdateFactory()
    hidden = ProgressUpdateFactory(
        status=ProgressUpdate.Status.HIDDEN, moderator_hidden_at=timezone.now()
    )
    story = StoryFactory(status=Story.Status.WAITING, published_at=None)
    published_story = StoryFactory(reply="Thanks", reply_at=timezone.now())
    with transaction.atomic():
        draft = AgreementFactory(priorities=True)
    return {
        "submitted": PledgeFactory(status=Pledge.Status.SUBMITTED),
        "published": PledgeFactory(published=True),
        "update": update,
        "hidden": hidden,
        "concern": Concern.objects.create(
            organisation=update.pledge.organisation,
            place=update.pledge.place,
            update=update,
            reason="other",
        ),
        "story": story,
        "published_story": published_story,
        "story_concern": StoryConcern.objects.create(story=published_story, reason="other"),
        "draft": draft,
    }


def _every_moderator_action(world, by):
    from pledges import services as pledges
    from stories import services as stories

    return {
        "publish a pledge": lambda: pledges.pledge_publish(pledge=world["submitted"], by=by),
        "return a pledge": lambda: pledges.pledge_return(
            pledge=world["submitted"], by=by, reason="Why"
        ),
        "suspend a pledge": lambda: pledges.pledge_suspend(
            pledge=world["published"], by=by, reason="Why"
        ),
        "hide an update": lambda: pledges.progress_update_hide(
            update=world["update"], by=by, reason="Why"
        ),
        "restore an update": lambda: pledges.progress_update_restore(
            update=world["hidden"], by=by, reason="Why"
        ),
        "uphold a concern": lambda: pledges.concern_uphold(
            concern=world["concern"], by=by, reason="Why"
        ),
        "dismiss a concern": lambda: pledges.concern_dismiss(
            concern=world["concern"], by=by, note="Why"
        ),
        "make a version current": lambda: pledges.agreement_make_current(
            agreement=world["draft"], by=by, reason="Why"
        ),
        "write a draft version": lambda: pledges.agreement_save_draft(
            agreement=world["draft"], by=by
        ),
        "publish a story": lambda: stories.story_publish(story=world["story"], by=by),
        "decline a story": lambda: stories.story_decline(story=world["story"], by=by, reason="Why"),
        "edit a story": lambda: stories.story_edit(
            story=world["story"], by=by, body="Edited.", note="Why"
        ),
        "hide a story": lambda: stories.story_hide(
            story=world["published_story"], by=by, reason="Why"
        ),
        "restore a story": lambda: stories.story_restore(story=world["published_story"], by=by),
        "hide a reply": lambda: stories.story_reply_hide(story=world["published_story"], by=by),
        "uphold a story concern": lambda: stories.story_concern_uphold(
            concern=world["story_concern"], by=by, reason="Why"
        ),
        "dismiss a story concern": lambda: stories.story_concern_dismiss(
            concern=world["story_concern"], by=by, note="Why"
        ),
    }


ACTIONS = [
    "publish a pledge", "return a pledge", "suspend a pledge", "hide an update",
    "restore an update", "uphold a concern", "dismiss a concern", "make a version current",
    "write a draft version", "publish a story", "decline a story", "edit a story",
    "hide a story", "restore a story", "hide a reply", "uphold a story concern",
    "dismiss a story concern",
]  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize("action", ACTIONS)
def test_a_places_moderator_cannot_act_in_another_place(action):
    from pledges.services import AgreementError, PledgeStateError
    from stories.services import StoryError
    from tests.factories import ModeratorFactory

    ayrshire = second_place()
    theirs = ModeratorFactory(places=[ayrshire])
    world = _cheltenham_world()
    with pytest.raises((PledgeStateError, StoryError, AgreementError)), transaction.atomic():
        _every_moderator_action(world, theirs)[action]()
    network = ModeratorFactory()  # a moderator of no place in particular: everywhere
    _every_moderator_action(world, network)[action]()


@pytest.mark.django_db
def test_a_places_moderator_sees_and_decides_their_place_only(client, two_places):
    from tests.factories import ModeratorFactory

    place = two_places["place"]
    with transaction.atomic():
        there = Agreement.objects.get_current(place)
    waiting_there = PledgeFactory(agreement=there, status=Pledge.Status.SUBMITTED)
    PledgeFactory(status=Pledge.Status.SUBMITTED)  # in Cheltenham
    theirs = ModeratorFactory(places=[place])
    client.force_login(theirs)
    front = client.get("/admin/").content.decode()
    assert "1</strong> pledge waiting for a decision" in front
    listed = client.get("/admin/pledges/pledge/", {"status__exact": "submitted"})
    assert list(listed.context["cl"].result_list) == [waiting_there]
    from pledges.services import pledge_publish

    pledge_publish(pledge=waiting_there, by=theirs)
    waiting_there.refresh_from_db()
    assert waiting_there.status == Pledge.Status.PUBLISHED


@pytest.mark.django_db
def test_the_paper_import_takes_a_place(tmp_path, two_places):
    from io import StringIO

    from tests.factories import ModeratorFactory

    moderator = ModeratorFactory(email="network@example.org")
    paper = tmp_path / "paper.csv"
    paper.write_text(
        "name,type,website,contact_email,date_signed,priorities,commitment_1\n"
        "Irvine Playgroup,early_years,,play@example.org,2024-05-01,1,We will make time.\n"
    )
    call_command(
        "import_signatories", str(paper), "--moderator", moderator.email,
        "--place", "north-ayrshire", stdout=StringIO(),
    )  # fmt: skip
    pledge = Pledge.objects.get(organisation__name="Irvine Playgroup")
    assert pledge.place == two_places["place"] and pledge.signed_on_paper


def test_a_reminder_links_to_the_pledge_in_its_own_place(
    two_places, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.core import mail

    from moderation.reminders import send_reminders
    from organisations.models import Membership
    from tests.factories import MembershipFactory

    trust = two_places["trust"]
    MembershipFactory(organisation=trust, role=Membership.Role.ADMIN)
    away = Pledge.objects.get(organisation=trust, place=two_places["place"])
    Pledge.objects.filter(organisation=trust).update(
        last_reported_at=timezone.now() - timedelta(days=400)
    )
    with django_capture_on_commit_callbacks(execute=True):
        send_reminders(now=timezone.now())
    bodies = [m.body for m in mail.outbox]
    assert any(f"/north-ayrshire/manage/{trust.pk}/" in body for body in bodies), bodies
    assert any(f"/cheltenham/manage/{trust.pk}/" in body for body in bodies), bodies
    assert away.place.slug == "north-ayrshire"


def test_every_public_address_pattern_from_before_places_answers_without_a_place(
    client, two_places
):
    """Walks today's URL patterns (the public pages, feeds, downloads and API lists), each
    filled in for Cheltenham's data and asked for without a place, as links made before
    places exist were."""
    from pledges.models import Priority
    from tests.partner_urls import named_patterns

    trust = two_places["trust"]
    update = ProgressUpdateFactory(pledge=Pledge.objects.get(organisation=trust, place=1))
    story = StoryFactory(organisation=trust)
    values = {
        "slug": trust.slug,
        "pk": update.pk,
        "token": "emailed-token",
        "kind": "organisations",
        "file_format": "csv",
        "year": timezone.localdate().year,
    }
    special = {
        "registry:priority": {"slug": Priority.objects.current(default_place()).first().slug},
        "opendata:priority-feed": {"slug": Priority.objects.current(default_place()).first().slug},
        "registry:story": {"pk": story.pk},
        "registry:story-concern": {"pk": story.pk},
    }
    walked = []
    for name, pattern in named_patterns():
        if name.split(":")[0] not in {"registry", "opendata", "core"} and name != "sitemap":
            continue
        if name in {"registry:tell-where", "opendata:year-latest"}:  # they lead on (below)
            continue
        kwargs = {
            key: special.get(name, {}).get(key, values[key])
            for key in pattern.pattern.regex.groupindex
        }
        url = reverse(name, kwargs=kwargs)
        response = client.get(url)
        assert response.status_code == 200, (name, url, response.status_code)
        walked.append(name)
    assert len(walked) >= 30


def test_the_network_page_searches_every_places_signatories(client, two_places):
    from pledges.search import refresh_search

    refresh_search()
    page = client.get("/", {"q": "Ayrshire"}).content.decode()
    assert 'href="/north-ayrshire/organisations/carnegie-uk-trust/"' in page
    assert "Carnegie UK Trust</a>, North Ayrshire" in page
    both = client.get("/", {"q": "Kind"}).content.decode()
    assert "2 signatories" in both  # the Trust, once in each place
    assert client.get("/", {"q": "-" * 40}).status_code == 200


def test_the_sitemap_lists_each_places_pages_in_their_place(client, two_places):
    trust = two_places["trust"]
    sitemap = client.get("/sitemap.xml").content.decode()
    assert f"/cheltenham/organisations/{trust.slug}/" in sitemap
    assert f"/north-ayrshire/organisations/{trust.slug}/" in sitemap
    assert "/north-ayrshire/priorities/" in sitemap


def test_the_network_pages_title_is_plain_text(client, two_places):
    import re

    title = re.search(r"<title>(.*?)</title>", client.get("/").content.decode(), re.S).group(1)
    assert title.strip() == "Kindness, made visible in every place – Kindness Commitments"


@pytest.mark.django_db
def test_a_places_moderators_keep_its_areas_in_the_admin(client):
    from tests.factories import ModeratorFactory

    place = second_place()
    irvine = place.areas.get()
    theirs = ModeratorFactory(places=[place])
    client.force_login(theirs)
    form = {
        "areas-TOTAL_FORMS": "2",
        "areas-INITIAL_FORMS": "1",
        "areas-MIN_NUM_FORMS": "0",
        "areas-MAX_NUM_FORMS": "1000",
        "areas-0-id": str(irvine.pk),
        "areas-0-place": str(place.pk),
        "areas-0-name": "Irvine and Dreghorn",
        "areas-0-position": "0",
        "areas-1-place": str(place.pk),
        "areas-1-name": "Kilwinning",
        "areas-1-position": "1",
    }
    response = client.post(f"/admin/places/place/{place.pk}/change/", form)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert list(place.areas.values_list("slug", "name")) == [
        ("irvine", "Irvine and Dreghorn"),
        ("kilwinning", "Kilwinning"),
    ]
    cheltenham = Place.objects.default()
    assert client.get(f"/admin/places/place/{cheltenham.pk}/change/").status_code == 302
    assert cheltenham.areas.filter(name="Kilwinning").count() == 0
    tell = client.get("/north-ayrshire/kindness-seen/tell/").content.decode()
    assert "Kilwinning" in tell


def test_a_places_page_names_its_own_address_as_canonical(client, two_places):
    origin = "http://testserver"  # the test client's, as no SITE_URL is set
    trust = two_places["trust"]
    own = f"{origin}/cheltenham/organisations/{trust.slug}/"
    for address in (f"/organisations/{trust.slug}/", f"/cheltenham/organisations/{trust.slug}/"):
        page = client.get(address).content.decode()
        assert f'<link rel="canonical" href="{own}">' in page
    there = client.get(f"/north-ayrshire/organisations/{trust.slug}/").content.decode()
    assert f'href="{origin}/north-ayrshire/organisations/{trust.slug}/"' in there
    listed = client.get("/signatories/", {"page": 1, "q": '"><b>'}).content.decode()
    assert f'<link rel="canonical" href="{origin}/cheltenham/signatories/?page=1&amp;q=' in listed
    assert "<b>" not in listed.split("</head>")[0]
    assert 'rel="canonical"' not in client.get("/").content.decode()  # the network's own page


def test_the_network_pages_place_options_escape_each_name(client, seeded_agreement):
    from tests.factories import opened_place

    opened_place('Ayr & "Arran" <b>', "ayr-arran")
    page = client.get("/").content.decode()
    assert '<option value="ayr-arran">Ayr &amp; &quot;Arran&quot; &lt;b&gt;</option>' in page
    assert "<b>" not in page.split('id="tell-place"', 1)[1].split("</select>", 1)[0]


def test_a_place_opened_is_listed_on_the_next_visit_to_the_network_page(
    client, two_places, django_capture_on_commit_callbacks
):
    """The list of places is kept until a change no place owns: opening a place is one."""
    from tests.factories import opened_place

    def options():
        page = client.get("/").content.decode()
        return page.split('id="tell-place"', 1)[1].split("</select>", 1)[0], page

    listed, page = options()
    assert 'value="stroud"' not in listed and "2 places are on the registry" in page
    with django_capture_on_commit_callbacks(execute=True):
        opened_place("Stroud", "stroud")
    listed, page = options()
    assert '<option value="stroud">Stroud</option>' in listed
    assert "3 places are on the registry" in page


def test_the_network_counts_an_organisation_committed_in_two_places_once(two_places):
    """The five priorities across the network count organisations: the Trust commits to the
    first priority in both places and is counted once."""
    from pledges import stats
    from tests.factories import CommitmentFactory

    trust = Pledge.objects.filter(organisation=two_places["trust"])
    for pledge, numbers in (
        (trust.get(place__is_default=True), (1, 2)),
        (trust.get(place=two_places["place"]), (1, 3)),
        (Pledge.objects.get(organisation=two_places["school"]), (1,)),
    ):
        for number in numbers:
            CommitmentFactory(
                pledge=pledge, priority=pledge.agreement.priorities.get(number=number)
            )
    counts = {row["number"]: row["count"] for row in stats.network_priorities()}
    assert counts == {1: 2, 2: 1, 3: 1, 4: 0, 5: 0}


def test_the_network_pages_newest_photos_cost_the_same_queries_however_many(client, two_places):
    """Each card of the network's newest photos names its organisation, place and
    priorities from the page's own few queries, whichever place it comes from."""
    from django.core.cache import caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def photos(count, place=None):
        for n in range(count):
            extra = {"pledge__agreement": place.agreements.get()} if place else {}
            ProgressUpdateFactory(
                title=f"Photo {n} {place}", image="updates/a.jpg", image_alt="A garden", **extra
            )

    def drawn():
        caches["pages"].clear()
        caches["default"].clear()
        with CaptureQueriesContext(connection) as queries:
            page = client.get("/").content.decode()
        return [query["sql"] for query in queries if '"core_cache"' not in query["sql"]], page

    from places.addresses import place_slug

    photos(1)
    place_slug(two_places["place"].pk)  # what each process reads once: the short names
    few, page = drawn()
    assert page.count('class="app-card__image"') == 1
    photos(3)
    photos(2, two_places["place"])
    many, page = drawn()
    assert page.count('class="app-card__image"') == 6
    assert "<strong>North Ayrshire</strong>: " in page and "<strong>Cheltenham</strong>: " in page
    assert len(many) == len(few), set(many) - set(few)
