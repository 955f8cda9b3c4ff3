"""The area an organisation serves is its pledge's, one of the pledge's place's areas: an
organisation serves a different part of each place it signs in."""

import csv
import io

import pytest
from django.db import IntegrityError, transaction

from moderation.paper_import import check
from organisations.models import Membership
from places.models import Area, Place
from pledges import services
from pledges.models import Agreement, Pledge
from pledges.services import PledgeStateError
from tests import factories
from tests.factories import (
    AgreementFactory,
    MembershipFactory,
    OrganisationFactory,
    PledgeFactory,
    default_place,
    whole_town,
)

pytestmark = pytest.mark.django_db


def north_ayrshire():
    return factories.north_ayrshire(["The whole of North Ayrshire", "Irvine", "Largs"], live=True)


@pytest.fixture
def trust():
    """The Carnegie UK Trust serves Pittville in Cheltenham and Irvine in North Ayrshire; a
    school serves the whole of Cheltenham."""
    place = north_ayrshire()
    trust = OrganisationFactory(name="Carnegie UK Trust")
    PledgeFactory(organisation=trust, published=True, area=Area.objects.get(slug="pittville"))
    PledgeFactory(
        organisation=trust,
        agreement=Agreement.objects.get_current(place),
        area=place.areas.get(slug="irvine"),
        published=True,
    )
    PledgeFactory(published=True, organisation__name="Oakwood Primary School")
    return trust


def test_a_pledges_area_is_one_of_its_places_areas_and_a_public_pledge_has_one():
    place = north_ayrshire()
    pledge = PledgeFactory(published=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        Pledge.objects.filter(pk=pledge.pk).update(area=place.areas.first())
    with pytest.raises(IntegrityError), transaction.atomic():
        Pledge.objects.filter(pk=pledge.pk).update(area=None)
    draft = PledgeFactory(area=None)  # a draft says where it serves with why it signs
    assert "statement" in draft.missing_steps()


def test_each_place_shows_the_area_its_pledge_serves(client, trust):
    here = client.get(f"/cheltenham/organisations/{trust.slug}/").content.decode()
    there = client.get(f"/north-ayrshire/organisations/{trust.slug}/").content.decode()
    assert "Pittville" in here and "Irvine" not in here
    assert "Irvine" in there and "Pittville" not in there
    listed = client.get("/north-ayrshire/signatories/").content.decode()
    assert "Irvine" in listed and "Pittville" not in listed


def test_each_places_filters_offer_its_own_areas(client, trust):
    for page in ("/north-ayrshire/signatories/", "/north-ayrshire/updates/"):
        text = client.get(page).content.decode()
        assert '<option value="irvine">Irvine</option>' in text
        assert 'value="pittville"' not in text
    irvine = client.get("/north-ayrshire/signatories/", {"area": "irvine"}).content.decode()
    assert "Carnegie UK Trust" in irvine
    largs = client.get("/north-ayrshire/signatories/", {"area": "largs"}).content.decode()
    assert "Carnegie UK Trust" not in largs
    pittville = client.get("/cheltenham/signatories/", {"area": "pittville"}).content.decode()
    assert "Carnegie UK Trust" in pittville and "Oakwood Primary School" not in pittville
    # Another place's area is not a choice here: said so, and left out of the filter.
    refused = client.get("/cheltenham/signatories/", {"area": "irvine"}).content.decode()
    assert "Select a valid choice" in refused and "Oakwood Primary School" in refused


def test_the_api_and_downloads_give_each_pledges_area(client, trust):
    items = client.get("/api/v1/organisations", {"place": "north-ayrshire"}).json()["items"]
    assert [(item["slug"], item["area"]) for item in items] == [(trust.slug, "irvine")]
    items = client.get("/api/v1/organisations", {"place": "cheltenham"}).json()["items"]
    assert {item["slug"]: item["area"] for item in items}[trust.slug] == "pittville"
    response = client.get("/north-ayrshire/data/organisations.csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [(row["organisation_name"], row["area"]) for row in rows] == [
        ("Carnegie UK Trust", "irvine")
    ]


def test_signing_in_a_place_asks_which_of_its_areas_the_organisation_serves(client):
    place = north_ayrshire()
    admin = MembershipFactory(role=Membership.Role.ADMIN)
    organisation = admin.organisation
    client.force_login(admin.user)
    client.post(f"/north-ayrshire/manage/{organisation.pk}/sign/")
    step = f"/north-ayrshire/manage/{organisation.pk}/sign/statement/"
    page = client.get(step).content.decode()
    assert "Which part of North Ayrshire do you mainly serve?" in page
    assert ">Irvine</option>" in page and ">Pittville</option>" not in page

    missing = client.post(step, {"statement": "Because kindness matters here."})
    assert "Choose the part of North Ayrshire you mainly serve." in missing.content.decode()
    assert "Because kindness matters here." in missing.content.decode()  # nothing lost
    elsewhere = client.post(
        step, {"statement": "Because.", "area": Area.objects.get(slug="pittville").pk}
    )
    assert "Select a valid choice" in elsewhere.content.decode()
    pledge = Pledge.objects.get(organisation=organisation)
    assert pledge.area is None and pledge.statement == ""

    irvine = place.areas.get(slug="irvine")
    assert client.post(step, {"statement": "Because.", "area": irvine.pk}).status_code == 302
    pledge.refresh_from_db()
    assert pledge.area == irvine
    check_page = client.get(f"/north-ayrshire/manage/{organisation.pk}/sign/check/")
    assert "Irvine" in check_page.content.decode()


def test_the_service_refuses_an_area_of_another_place():
    place = north_ayrshire()
    admin = MembershipFactory(role=Membership.Role.ADMIN)
    pledge = services.pledge_start(organisation=admin.organisation, by=admin.user, place=place)
    with pytest.raises(PledgeStateError):
        services.pledge_save_statement(
            pledge=pledge, by=admin.user, statement="Because.", area=whole_town()
        )


def test_a_new_versions_draft_keeps_the_area_the_organisation_serves():
    admin = MembershipFactory(role=Membership.Role.ADMIN)
    oakley = Area.objects.get(slug="oakley")
    PledgeFactory(organisation=admin.organisation, published=True, area=oakley)
    current = Agreement.objects.get_current(default_place())
    with transaction.atomic():
        Agreement.objects.filter(pk=current.pk).update(is_current=False)
        AgreementFactory(version=2, is_current=True, priorities=True)
    draft = services.pledge_start(
        organisation=admin.organisation, by=admin.user, place=default_place()
    )
    assert draft.agreement.version == 2 and draft.area == oakley


def test_the_paper_import_checks_areas_against_the_places_own():
    place = north_ayrshire()
    header = "name,type,website,contact_email,date_signed,priorities,commitment_1,area\n"
    rows = [
        "Irvine Playgroup,early_years,,a@example.org,2024-05-01,1,We will.,irvine",
        "Largs Larder,charity,,b@example.org,2024-05-01,1,We will.,",
        "Oakley Club,charity,,c@example.org,2024-05-01,1,We will.,oakley",
    ]
    plan = check(header + "\n".join(rows) + "\n", place)
    assert [str(error) for error in plan.errors] == [
        "Line 4, area: Use one of the place's areas: the-whole-of-north-ayrshire, irvine, largs."
    ]
    assert [(row.name, row.area) for row in plan.rows[:2]] == [
        ("Irvine Playgroup", "irvine"),
        ("Largs Larder", "the-whole-of-north-ayrshire"),  # empty: the whole place
    ]
    cheltenham = Place.objects.default()
    assert not check(header + rows[2] + "\n", cheltenham).errors  # one of Cheltenham's


def test_a_member_changes_the_area_a_published_pledge_serves(client, trust):
    member = MembershipFactory(organisation=trust, role=Membership.Role.EDITOR)
    client.force_login(member.user)
    assert "Pittville" in client.get(f"/organisations/{trust.slug}/").content.decode()  # cached
    dashboard = client.get(f"/manage/{trust.pk}/").content.decode()
    assert "Pittville" in dashboard and f'href="/manage/{trust.pk}/area/"' in dashboard
    step = f"/manage/{trust.pk}/area/"
    page = client.get(step).content.decode()
    assert ">Oakley</option>" in page and ">Irvine</option>" not in page
    irvine = Area.objects.get(slug="irvine")
    refused = client.post(step, {"area": irvine.pk}).content.decode()
    assert "Select a valid choice" in refused
    oakley = Area.objects.get(slug="oakley")
    assert client.post(step, {"area": oakley.pk}).status_code == 302
    public = client.get(f"/organisations/{trust.slug}/").content.decode()
    assert "Oakley" in public and "Pittville" not in public  # the cached page went
    there = Pledge.objects.get(organisation=trust, place__slug="north-ayrshire")
    assert there.area == irvine  # the other place's pledge is its own
    with pytest.raises(PledgeStateError):
        services.pledge_change_area(
            pledge=Pledge.objects.get(organisation=trust, place__is_default=True),
            by=member.user,
            area=irvine,
        )
