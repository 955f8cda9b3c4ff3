"""Every place kept apart: a place's moderator reaches nothing of another place, moderators
fail closed, and what happens in a place (a new version, a concern, the digest, an email)
stays in it. Each test has two places: Cheltenham and North Ayrshire."""

import pytest
from django.contrib.admin.models import LogEntry
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from organisations import permissions
from organisations.services import OrganisationError, invitation_create, organisation_verify
from places.models import Place
from places.moderators import moderated_place_ids, moderates, moderators_of
from pledges.models import Agreement, Concern, Pledge, PledgeEvent
from pledges.services import (
    agreement_make_current,
    concern_report,
    concern_uphold,
    progress_update_hide,
)
from tests.factories import (
    AgreementFactory,
    CommitmentFactory,
    MembershipFactory,
    ModeratorFactory,
    OrganisationFactory,
    PledgeFactory,
    ProgressUpdateFactory,
    UserFactory,
    north_ayrshire,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    """Cheltenham and North Ayrshire, each with a moderator of its own and a network
    moderator; the Carnegie UK Trust signed in both, a school in Cheltenham only and a
    community group in North Ayrshire only, each with an admin."""
    ayrshire = north_ayrshire()
    cheltenham = Place.objects.default()
    with transaction.atomic():
        there = AgreementFactory(
            place=ayrshire,
            version=1,
            is_current=True,
            priorities=True,
            title="North Ayrshire Kindness Agreement",
        )
    trust = OrganisationFactory(name="Carnegie UK Trust")
    school = OrganisationFactory(name="Oakwood Primary School")
    group = OrganisationFactory(name="Irvine Community Group")
    pledges = {
        "trust_here": PledgeFactory(organisation=trust, published=True),
        "trust_there": PledgeFactory(organisation=trust, agreement=there, published=True),
        "school_pledge": PledgeFactory(organisation=school, published=True),
        "group_pledge": PledgeFactory(organisation=group, agreement=there, published=True),
    }
    for organisation in (trust, school, group):
        MembershipFactory(
            organisation=organisation,
            role="admin",
            user__email=f"admin@{organisation.slug}.example",
        )
    return {
        "cheltenham": cheltenham,
        "ayrshire": ayrshire,
        "there": there,
        "trust": trust,
        "school": school,
        "group": group,
        **pledges,
        "ayrshire_moderator": ModeratorFactory(email="mod@ayrshire.example", places=[ayrshire]),
        "cheltenham_moderator": ModeratorFactory(
            email="mod@cheltenham.example", places=[cheltenham]
        ),
        "network_moderator": ModeratorFactory(email="mod@network.example"),
    }


# Moderators fail closed


def test_a_moderator_named_on_no_place_moderates_nothing(world):
    nobody = ModeratorFactory(places=[])
    assert moderated_place_ids(nobody) == set()
    assert not moderates(nobody, world["cheltenham"].pk)
    assert not moderates(nobody, world["ayrshire"].pk)
    assert moderated_place_ids(world["network_moderator"]) is None
    assert moderates(world["network_moderator"], world["ayrshire"].pk)


def test_a_moderator_taken_off_their_only_place_moderates_nothing(world):
    from moderation.services import place_moderators_set

    ayrshire, theirs = world["ayrshire"], world["ayrshire_moderator"]
    place_moderators_set(place=ayrshire, moderators=[], by=world["network_moderator"])
    fresh = type(theirs).objects.get(pk=theirs.pk)
    assert moderated_place_ids(fresh) == set()
    assert not moderates(fresh, world["cheltenham"].pk)
    entry = LogEntry.objects.get(object_id=str(ayrshire.pk))
    assert entry.user == world["network_moderator"]
    assert "removed: mod@ayrshire.example" in entry.get_change_message()


def test_only_a_network_moderator_names_a_places_moderators(world, client):
    from moderation.services import PlaceError, place_moderators_set

    with pytest.raises(PlaceError):
        place_moderators_set(
            place=world["ayrshire"],
            moderators=[world["cheltenham_moderator"]],
            by=world["ayrshire_moderator"],
        )
    client.force_login(world["network_moderator"])
    url = reverse("admin:places_place_change", args=[world["ayrshire"].pk])
    page = client.get(url)
    assert 'name="moderators"' in page.text
    client.force_login(world["ayrshire_moderator"])
    page = client.get(url).text
    assert 'name="moderators"' not in page
    assert "Moderators of the whole network" in page and "mod@network.example" in page


def test_a_places_moderator_cannot_open_a_place(world, client):
    client.force_login(world["ayrshire_moderator"])
    assert client.get(reverse("admin:places_place_add")).status_code == 403


def test_emails_about_a_place_go_to_its_moderators_and_the_networks(world):
    emails = set(moderators_of(world["ayrshire"].pk).values_list("email", flat=True))
    assert emails == {"mod@ayrshire.example", "mod@network.example"}
    with pytest.raises(ValueError):
        moderators_of(None)


# Organisation-wide acts


def test_a_places_moderator_sees_only_their_partners_in_the_admin(world, client):
    client.force_login(world["ayrshire_moderator"])
    listed = client.get(reverse("admin:organisations_organisation_changelist"))
    names = {organisation.name for organisation in listed.context["cl"].result_list}
    assert names == {"Carnegie UK Trust", "Irvine Community Group"}
    for model in ("membership", "invitation", "joinrequest"):
        page = client.get(reverse(f"admin:organisations_{model}_changelist"))
        assert "Oakwood Primary School" not in page.text
    school = reverse("admin:organisations_organisation_change", args=[world["school"].pk])
    assert client.get(school).status_code in {302, 404}  # Django's "does not exist" redirect


def test_a_places_moderator_changes_an_organisation_only_when_every_place_it_signed_is_theirs(
    world, client
):
    theirs = world["ayrshire_moderator"]
    assert permissions.may_act_on_organisation(theirs, world["group"])
    assert not permissions.may_act_on_organisation(theirs, world["trust"])
    assert not permissions.may_act_on_organisation(theirs, world["school"])
    assert permissions.may_act_on_organisation(world["network_moderator"], world["trust"])
    with pytest.raises(OrganisationError):
        organisation_verify(organisation=world["trust"], by=theirs, note="Checked OSCR.")
    with pytest.raises(OrganisationError):
        invitation_create(
            organisation=world["school"], by=theirs, email="taker@example.org", role="admin"
        )
    organisation_verify(organisation=world["group"], by=theirs, note="Checked OSCR SC012345.")
    client.force_login(theirs)
    trust = reverse("admin:organisations_organisation_change", args=[world["trust"].pk])
    page = client.get(trust)
    assert page.status_code == 200 and 'name="name"' not in page.text  # read, not change
    before = world["trust"].name
    client.post(trust, {"name": "Taken over"})
    world["trust"].refresh_from_db()
    assert world["trust"].name == before


# A new agreement version


def test_a_new_version_in_one_place_invites_only_that_places_organisations(
    world, django_capture_on_commit_callbacks
):
    with transaction.atomic():
        version_2 = AgreementFactory(
            place=world["ayrshire"],
            version=2,
            priorities=True,
            published_at=timezone.now(),
            title="North Ayrshire Kindness Agreement",
        )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        agreement_make_current(
            agreement=version_2, by=world["ayrshire_moderator"], reason="Clearer words."
        )
    invited = set(
        PledgeEvent.objects.filter(action=PledgeEvent.Action.INVITED_TO_RESIGN).values_list(
            "pledge_id", flat=True
        )
    )
    assert invited == {world["trust_there"].pk, world["group_pledge"].pk}
    assert Agreement.objects.get_current(world["cheltenham"]).version == 1
    recipients = {address for message in mail.outbox for address in message.to}
    assert "admin@oakwood-primary-school.example" not in recipients
    for message in mail.outbox:
        assert "/north-ayrshire/" in message.body and "Cheltenham" not in message.body
        assert "North Ayrshire" in message.body


# Concerns


def test_a_concern_on_a_places_page_acts_on_that_places_pledge_only(
    world, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        concern = concern_report(
            organisation=world["trust"],
            place=world["ayrshire"],
            reason=Concern.Reason.UNTRUE,
            details="Not what they do here.",
            by=UserFactory.build(),
        )
    assert concern.place == world["ayrshire"]
    told = {address for message in mail.outbox for address in message.to}
    assert told == {"mod@ayrshire.example", "mod@network.example"}
    with pytest.raises(Exception, match="moderators of this place"):
        concern_uphold(concern=concern, by=world["cheltenham_moderator"], reason="No.")
    concern_uphold(concern=concern, by=world["ayrshire_moderator"], reason="Checked: untrue.")
    for key, status in [("trust_there", "suspended"), ("trust_here", "published")]:
        world[key].refresh_from_db()
        assert world[key].status == status


def test_a_concern_raised_in_a_place_is_listed_to_that_places_moderators_only(world, client):
    concern_report(
        organisation=world["trust"],
        place=world["cheltenham"],
        reason=Concern.Reason.OTHER,
        details="In Cheltenham.",
        by=UserFactory.build(),
    )
    client.force_login(world["ayrshire_moderator"])
    listed = client.get(reverse("admin:pledges_concern_changelist"))
    assert list(listed.context["cl"].result_list) == []


def test_a_concern_about_an_update_names_the_updates_place(world):
    update = ProgressUpdateFactory(pledge=world["trust_there"])
    with pytest.raises(Exception, match="another place"):
        concern_report(
            organisation=world["trust"],
            place=world["cheltenham"],
            update=update,
            reason=Concern.Reason.OTHER,
            details="",
            by=UserFactory.build(),
        )


# Emails written in their place


def test_hiding_an_update_tells_the_organisation_in_its_place(
    world, django_capture_on_commit_callbacks
):
    update = ProgressUpdateFactory(pledge=world["group_pledge"], title="Irvine walk")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        progress_update_hide(update=update, by=world["ayrshire_moderator"], reason="A face.")
    (message,) = mail.outbox
    assert message.to == ["admin@irvine-community-group.example"]
    assert "A face." in message.body and "Irvine walk" in message.body
    assert "/north-ayrshire/manage/" in message.body
    assert "North Ayrshire" in message.alternatives[0][0]
    assert "Cheltenham" not in message.body + message.alternatives[0][0]


def test_the_digest_tells_each_moderator_of_their_own_places(
    world, django_capture_on_commit_callbacks
):
    from moderation.digest import send_moderator_digest

    now = timezone.now()
    ProgressUpdateFactory(pledge=world["group_pledge"], title="Irvine walk", published_at=now)
    ProgressUpdateFactory(pledge=world["school_pledge"], title="Oakwood lunch", published_at=now)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        send_moderator_digest(now=now + timezone.timedelta(minutes=1))
    sent = {message.to[0]: message.body for message in mail.outbox}
    assert "Irvine walk" in sent["mod@ayrshire.example"]
    assert "Oakwood lunch" not in sent["mod@ayrshire.example"]
    assert "/north-ayrshire/updates/" in sent["mod@ayrshire.example"]
    assert "Irvine walk" not in sent["mod@cheltenham.example"]
    network = sent["mod@network.example"]
    assert "Irvine walk" in network and "Oakwood lunch" in network


# The admin


def test_a_commitments_history_opens_only_in_its_place(world, client):
    commitment = CommitmentFactory(pledge=world["trust_here"])
    client.force_login(world["ayrshire_moderator"])
    url = reverse("admin:pledges_commitment_history", args=[commitment.pk])
    assert client.get(url).status_code == 404
    client.force_login(world["cheltenham_moderator"])
    assert client.get(url).status_code == 200


def test_an_agreement_version_offers_only_the_moderators_places(world, client):
    client.force_login(world["ayrshire_moderator"])
    page = client.get(reverse("admin:pledges_agreement_add"))
    field = page.context["adminform"].form.fields["place"]
    assert list(field.queryset) == [world["ayrshire"]]


def test_a_place_cannot_take_an_address_the_site_routes(world):
    for slug in ("admin", "manage", "accounts", "data", "feeds", "api", "static"):
        place = Place(
            name=f"Town {slug}",
            slug=slug,
            contact_email="a@example.org",
            data_controller="A council",
            privacy_email="b@example.org",
        )
        with pytest.raises(ValidationError) as error:
            place.full_clean()
        assert "slug" in error.value.message_dict
    Place(
        name="Stroud",
        slug="stroud",
        contact_email="a@example.org",
        data_controller="Stroud District Council",
        privacy_email="b@example.org",
    ).full_clean()


def test_createmoderator_says_what_they_moderate(world):
    from io import StringIO

    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError):
        call_command("createmoderator", "x@example.org", "--no-input", stdout=StringIO())
    call_command(
        "createmoderator", "p@example.org", "--no-input", "--place", "north-ayrshire",
        stdout=StringIO(),
    )  # fmt: skip
    user = type(world["ayrshire_moderator"]).objects.get(email="p@example.org")
    assert moderated_place_ids(user) == {world["ayrshire"].pk}
    assert not moderates(user, world["school_pledge"].place_id)


# Addresses


def test_an_old_address_of_an_organisation_public_in_another_place_moves_there(world, client):
    group = world["group"]
    for name in ("registry:detail", "registry:badge"):
        old = reverse(name, args=[group.slug])
        response = client.get(old)
        assert response.status_code == 301
        assert response["Location"] == f"/north-ayrshire{old}"
        assert client.get(response["Location"]).status_code == 200
    # In a place's own addresses, an organisation that is not public there is not found.
    assert client.get(f"/cheltenham/organisations/{group.slug}/").status_code == 404
    # One public nowhere reveals nothing.
    draft = PledgeFactory(agreement=world["there"]).organisation
    assert client.get(reverse("registry:detail", args=[draft.slug])).status_code == 404


def test_a_pledge_is_viewed_on_site_in_its_place(world):
    assert world["group_pledge"].get_absolute_url() == (
        f"/north-ayrshire/organisations/{world['group'].slug}/"
    )


# The API


def test_every_api_item_names_its_place_and_links_into_it(world, client):
    group = world["group"]
    listed = client.get("/api/v1/organisations", {"place": "north-ayrshire"}).json()["items"]
    mine = next(item for item in listed if item["slug"] == group.slug)
    assert mine["place"] == "north-ayrshire" and mine["pledge"]["place"] == "north-ayrshire"
    assert mine["url"].endswith(f"/north-ayrshire/organisations/{group.slug}/")
    path = "/" + mine["url"].split("://", 1)[1].split("/", 1)[1]
    assert client.get(path).status_code == 200
    ProgressUpdateFactory(pledge=world["group_pledge"], title="Irvine walk")
    update = client.get("/api/v1/updates", {"place": "north-ayrshire"}).json()["items"][0]
    assert update["place"] == "north-ayrshire" and "/north-ayrshire/updates/" in update["url"]
    commitment = CommitmentFactory(pledge=world["group_pledge"])
    commitments = client.get("/api/v1/commitments", {"place": "north-ayrshire"}).json()
    assert {"id": commitment.pk, "place": "north-ayrshire"}.items() <= next(
        item for item in commitments["items"] if item["id"] == commitment.pk
    ).items()


def test_an_organisation_in_two_places_shows_each_places_pledge(world, client):
    trust = world["trust"]
    both = client.get(f"/api/v1/organisations/{trust.slug}").json()
    assert {pledge["place"] for pledge in both["pledges"]} == {"cheltenham", "north-ayrshire"}
    there = client.get(f"/api/v1/organisations/{trust.slug}", {"place": "north-ayrshire"}).json()
    assert there["place"] == "north-ayrshire"
    assert there["pledge"]["id"] == world["trust_there"].pk
    school = world["school"].slug
    assert (
        client.get(f"/api/v1/organisations/{school}", {"place": "north-ayrshire"}).status_code
        == 404
    )


def test_the_sitemap_lists_every_places_main_pages(world, client):
    sitemap = client.get(reverse("sitemap")).content.decode()
    for path in ("", "signatories/", "agreement/", "updates/", "statistics/", "data/"):
        for slug in ("cheltenham", "north-ayrshire"):
            assert f"/{slug}/{path}</loc>" in sitemap


# The paper import


def _paper(*names):
    header = "name,type,website,contact_email,date_signed,priorities,commitment_1\n"
    return header + "".join(
        f"{name},charity,,contact{n}@example.org,2024-03-15,1,We will listen.\n"
        for n, name in enumerate(names)
    )


def test_the_paper_import_is_in_one_place(world, django_capture_on_commit_callbacks):
    from moderation.paper_import import check
    from moderation.services import paper_signatories_import
    from organisations.models import Organisation

    ayrshire = world["ayrshire"]
    # The school registered online in Cheltenham signs in North Ayrshire on paper, as itself;
    # a new organisation is made for the rest. Nothing blocks the file.
    text = _paper("Oakwood Primary School", "Kilwinning Food Bank")
    plan = check(text, ayrshire)
    assert not plan.errors and [row.name for row in plan.rows] == [
        "Oakwood Primary School", "Kilwinning Food Bank",
    ]  # fmt: skip
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        paper_signatories_import(plan=plan, by=world["ayrshire_moderator"], place=ayrshire)
    assert Organisation.objects.filter(name="Oakwood Primary School").count() == 1
    school_there = Pledge.objects.get(organisation=world["school"], place=ayrshire)
    assert school_there.signed_on_paper and school_there.status == "published"
    (claim,) = mail.outbox  # the school has admins: only the food bank's contact is asked
    assert claim.to == ["contact1@example.org"]
    assert "/north-ayrshire/organisations/kilwinning-food-bank/" in claim.body
    assert "North Ayrshire" in claim.body and "Cheltenham" not in claim.body
    # Again: both imported on paper here, nothing new.
    again = check(text, ayrshire)
    assert again.rows == [] and sorted(again.already_imported) == [
        "Kilwinning Food Bank", "Oakwood Primary School",
    ]  # fmt: skip
    # In Cheltenham, the food bank is new there; the school signed up online there: a bad row.
    there = check(text, world["cheltenham"])
    assert [error.line for error in there.errors] == [2]
    assert "already signed up in Cheltenham" in there.errors[0].message
    with pytest.raises(PermissionError):
        paper_signatories_import(
            plan=check(_paper("Leckhampton Choir"), world["cheltenham"]),
            by=world["ayrshire_moderator"],
            place=world["cheltenham"],
        )


# One rule of public for all that an organisation publishes


def test_stories_about_an_organisation_leave_with_its_pledge_and_come_back(
    world, client, django_capture_on_commit_callbacks
):
    from pledges.services import pledge_reinstate, pledge_suspend
    from stories.models import Story
    from tests.factories import StoryFactory

    story = StoryFactory(
        organisation=world["group"], place=world["ayrshire"], body="They listened to us."
    )
    elsewhere = StoryFactory(organisation=None, place=world["ayrshire"], body="A kind bus driver.")
    # The trust's story in Cheltenham is untouched by its pledge in North Ayrshire.
    trust_here = StoryFactory(organisation=world["trust"], body="Warm welcome in Cheltenham.")
    pledge_suspend(pledge=world["group_pledge"], by=world["ayrshire_moderator"], reason="Check.")
    pledge_suspend(pledge=world["trust_there"], by=world["ayrshire_moderator"], reason="Check.")
    public = set(Story.objects.public())
    assert story not in public and {elsewhere, trust_here} <= public
    wall = client.get("/north-ayrshire/updates/").text
    assert "They listened to us." not in wall and "A kind bus driver." in wall
    feed = client.get("/north-ayrshire/feeds/kindness-seen/").text
    assert "They listened to us." not in feed
    api = client.get("/api/v1/stories", {"place": "north-ayrshire"}).json()["items"]
    assert story.pk not in {item["id"] for item in api}
    assert client.get(story.get_absolute_url()).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):  # the cached wall is retired
        pledge_reinstate(
            pledge=world["group_pledge"], by=world["ayrshire_moderator"], reason="Fine."
        )
    assert story in set(Story.objects.public())
    assert "They listened to us." in client.get("/north-ayrshire/updates/").text


# Pages name the place they serve


def _title(html: str) -> str:
    return html.split("<title>", 1)[1].split("</title>", 1)[0]


def test_each_places_pages_have_their_own_title_and_header(world, client):
    for name in ("registry:signatories", "registry:agreement", "opendata:statistics",
                 "registry:tell"):  # fmt: skip
        path = reverse(name)
        ayrshire = client.get(f"/north-ayrshire{path}").text
        cheltenham = client.get(f"/cheltenham{path}").text
        assert "North Ayrshire" in _title(ayrshire) and "Cheltenham" not in _title(ayrshire)
        assert "Cheltenham" in _title(cheltenham)
        # The same page without the place's short name serves Cheltenham, and says so.
        plain = client.get(path).text
        assert "Cheltenham" in _title(plain)
        assert 'href="/cheltenham/" aria-current="true"' in plain
        assert 'href="/" aria-current="true"' not in plain
    network = client.get("/").text
    assert 'href="/" aria-current="true"' in network


def test_a_places_story_form_feed_and_statement_name_the_place(world, client):
    form = client.get("/north-ayrshire" + reverse("registry:tell")).text
    assert "Which part of North Ayrshire? (optional)" in form
    assert "part of town" not in form
    feed = client.get("/north-ayrshire" + reverse("opendata:stories-feed")).text
    assert "kindness they met in North Ayrshire" in feed and "Cheltenham" not in feed
    statement = client.get("/north-ayrshire" + reverse("core:accessibility")).text
    main = statement.split("<main", 1)[1]  # the picker lists every place
    assert "North Ayrshire Council" in main and "Cheltenham" not in main


def test_a_dashboard_links_to_the_public_page_only_where_there_is_one(world, client):
    from organisations.models import Membership

    admin = Membership.objects.get(organisation=world["school"]).user
    client.force_login(admin)
    dashboard = reverse("pledges:dashboard", args=[world["school"].pk])
    here = client.get(f"/cheltenham{dashboard}").text
    assert f'href="/cheltenham/organisations/{world["school"].slug}/"' in here
    there = client.get(f"/north-ayrshire{dashboard}").text
    assert f"/organisations/{world['school'].slug}/" not in there


# No place is an error, never a default


def test_a_read_of_a_places_data_without_its_place_raises(world):
    from places.models import PlaceRequired
    from pledges.models import Priority, ProgressUpdate
    from pledges.selectors import dashboard_for
    from stories.models import Story
    from stories.selectors import public_stories

    for read in (
        lambda: Agreement.objects.get_current(None),
        lambda: Priority.objects.current(None),
        lambda: Pledge.objects.in_place(None),
        lambda: Pledge.objects.public_for(world["trust"], None),
        lambda: ProgressUpdate.objects.in_place(None),
        lambda: Story.objects.in_place(None),
        lambda: public_stories(None),
        lambda: dashboard_for(world["trust"], None),
    ):
        with pytest.raises(PlaceRequired):
            read()
    with pytest.raises(TypeError):  # and none of them has a default to fall back on
        Agreement.objects.get_current()


def test_only_network_moderators_change_the_flag_words(world, client):
    from stories.models import FlagWord
    from stories.services import StoryError, flag_word_save

    with pytest.raises(StoryError):
        flag_word_save(flag_word=FlagWord(word="godchild"), by=world["ayrshire_moderator"])
    flag_word_save(flag_word=FlagWord(word="godchild"), by=world["network_moderator"])
    client.force_login(world["ayrshire_moderator"])
    assert client.get(reverse("admin:stories_flagword_add")).status_code == 403
    client.force_login(world["network_moderator"])
    assert client.get(reverse("admin:stories_flagword_add")).status_code == 200


# Scottish and Northern Irish identifiers


@pytest.mark.parametrize(
    ("field", "value", "register", "link"),
    [
        ("charity_number", "SC012345", "OSCR", "oscr.org.uk/about-charities/search-the-register/charity-details?number=SC012345"),
        ("charity_number", "NIC100001", "Northern Ireland", "charitycommissionni.org.uk/charity-details/?regId=100001"),
        ("charity_number", "1234567", "Charity Commission register", "charity-details/1234567"),
        ("school_urn", "115678", "Get information about schools", "Details/115678"),
        ("school_urn", "8200122", "SEED code", "gov.scot/publications/school-contact-details/"),
    ],
)  # fmt: skip
def test_identifiers_link_to_their_own_register(field, value, register, link):
    from organisations.verification import evidence

    organisation = OrganisationFactory(**{field: value})
    organisation.full_clean()
    (item,) = [item for item in evidence(organisation) if value in item["text"]]
    assert register in item["text"] and link in item["url"]


def test_a_school_number_of_another_length_is_refused():
    with pytest.raises(ValidationError):
        OrganisationFactory.build(name="A school", slug="a-school", school_urn="12345").full_clean()


# Identifiers that join up


@pytest.mark.parametrize(
    ("numbers", "expected"),
    [
        ({"charity_number": "1234567"}, "GB-CHC-1234567"),
        ({"charity_number": "1234567-1"}, "GB-CHC-1234567-1"),
        ({"charity_number": "SC012345"}, "GB-SC-SC012345"),
        ({"charity_number": "NIC100001"}, "GB-NIC-100001"),
        ({"company_number": "SC123456"}, "GB-COH-SC123456"),
        ({"school_urn": "115678"}, "GB-EDU-115678"),
        ({"school_urn": "8200122"}, ""),  # a Scottish SEED code: no list in the scheme yet
        ({"charity_number": "1234567", "company_number": "01234567"}, "GB-CHC-1234567"),
        ({}, ""),
    ],
)
def test_an_organisations_org_id_follows_the_scheme(numbers, expected):
    from organisations.identifiers import org_id

    assert org_id(OrganisationFactory.build(**numbers)) == expected


def test_the_downloads_and_api_carry_the_org_id_and_the_places_code(world, client):
    import csv
    import io

    group = world["group"]
    group.charity_number = "SC044444"
    group.save()
    rows = list(
        csv.DictReader(
            io.StringIO(
                b"".join(
                    client.get("/north-ayrshire/data/organisations.csv").streaming_content
                ).decode()
            )
        )
    )
    (mine,) = [row for row in rows if row["organisation_slug"] == group.slug]
    assert mine["org_id"] == "GB-SC-SC044444"
    assert mine["place"] == "north-ayrshire" and mine["place_gss_code"] == ""
    listed = client.get("/api/v1/organisations", {"place": "north-ayrshire"}).json()["items"]
    assert next(item for item in listed if item["slug"] == group.slug)["org_id"] == "GB-SC-SC044444"
    places = {item["slug"]: item for item in client.get("/api/v1/places").json()["items"]}
    assert places["cheltenham"]["local_authority_code"] == "E07000078"
    assert places["north-ayrshire"]["url"].endswith("/north-ayrshire/")


# The network's front page


def test_the_network_page_shows_kindness_from_every_place_naming_each(
    world, client, django_capture_on_commit_callbacks, tmp_path, settings
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from pledges.services import progress_update_publish
    from stories.models import Story
    from tests.factories import StoryFactory

    settings.MEDIA_ROOT = tmp_path
    with django_capture_on_commit_callbacks(execute=True):
        for pledge, title in (
            (world["group_pledge"], "Irvine soup"),
            (world["school_pledge"], "Oakwood garden"),
        ):
            from organisations.models import Membership

            admin = Membership.objects.get(organisation=pledge.organisation).user
            progress_update_publish(
                pledge=pledge, by=admin, title=title, body="Photo.", priorities=[],
                image=SimpleUploadedFile("p.png", _png(), content_type="image/png"),
                image_alt="Volunteers at a table",
            )  # fmt: skip
    StoryFactory(organisation=world["group"], place=world["ayrshire"], body="Warm seat in Irvine.")
    StoryFactory(organisation=world["school"], body="Kind teacher in Cheltenham.")
    assert Story.objects.public().count() == 2
    page = client.get("/").text
    for place, words in (("North Ayrshire", "Irvine soup"), ("Cheltenham", "Oakwood garden"),
                         ("North Ayrshire", "Warm seat in Irvine."),
                         ("Cheltenham", "Kind teacher in Cheltenham.")):  # fmt: skip
        card = (
            page.split(words, 1)[0].rsplit("<li", 1)[1]
            + page.split(words, 1)[1].split("</li>", 1)[0]
        )
        assert f"<strong>{place}</strong>" in card, words
    # The five priorities, counted in every place.
    assert page.count('class="app-priority-card"') == 5
    # Telling a story asks where first, then leads into that place.
    assert 'action="/kindness-seen/where/"' in page
    response = client.get(reverse("registry:tell-where"), {"place": "north-ayrshire"})
    assert response.status_code == 302
    assert response["Location"] == "/north-ayrshire" + reverse("registry:tell")
    assert client.get(reverse("registry:tell-where"), {"place": "nowhere"}).status_code == 404


def test_the_network_pages_latest_photos_are_drawn_once_per_version_and_never_outlive_a_hide(
    world, client, django_capture_on_commit_callbacks, tmp_path, settings
):
    """Every search of the network page shows the same newest photos, drawn once per version
    of public data (`{% public_fragment %}`): a new photo appears on the next search, and a
    hidden one is gone from it."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from organisations.models import Membership
    from pledges.services import progress_update_hide, progress_update_publish
    from tests.factories import ModeratorFactory

    settings.MEDIA_ROOT = tmp_path
    pledge = world["group_pledge"]
    assert "Irvine soup" not in client.get("/", {"q": "first"}).text
    admin = Membership.objects.get(organisation=pledge.organisation).user
    with django_capture_on_commit_callbacks(execute=True):
        update = progress_update_publish(
            pledge=pledge, by=admin, title="Irvine soup", body="Photo.", priorities=[],
            image=SimpleUploadedFile("p.png", _png(), content_type="image/png"),
            image_alt="Volunteers at a table",
        )  # fmt: skip
    assert "Irvine soup" in client.get("/", {"q": "second"}).text
    progress_update_hide(update=update, by=ModeratorFactory(), reason="A child's face.")
    assert "Irvine soup" not in client.get("/", {"q": "third"}).text


def _png() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "teal").save(buffer, "PNG")
    return buffer.getvalue()


# A thousand places


def _more_places(count, *, digits):
    """Places with nothing signed yet, "Aberton 00" onwards, as many as a test needs."""
    Place.objects.bulk_create(
        Place(
            name=f"Aberton {n:0{digits}}",
            slug=f"aberton-{n:0{digits}}",
            contact_email="a@example.org",
            data_controller="A council",
            privacy_email="b@example.org",
        )
        for n in range(count)
    )


def test_with_more_places_than_the_header_can_list_it_links_to_all_of_them(world, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from places.middleware import PICKER_LIMIT

    def queries(path):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200
        return len(captured)

    queries("/north-ayrshire/signatories/?warm=1")  # remembered figures, fragments
    with_two = queries("/north-ayrshire/signatories/?miss=1")
    _more_places(PICKER_LIMIT + 3, digits=2)
    # A page that misses costs one query more than with two places, however many there are.
    assert queries("/north-ayrshire/signatories/?miss=2") == with_two + 1
    page = client.get("/north-ayrshire/signatories/").text
    header = page.split("</header>", 1)[0]
    assert "Aberton" not in header  # not one link per place
    assert 'href="/north-ayrshire/" aria-current="true"' in header
    assert 'href="/places/"' in header
    # Every place is still found by its address, and on the network's list of places.
    assert "North Ayrshire" in _title(page)
    listed = client.get("/places/").text
    assert all(f"Aberton {n:02}" in listed for n in range(PICKER_LIMIT + 3))
    # The network's page shows the busiest places, the two with organisations first, and
    # leads to the rest: a table of every place would be a thousand rows.
    network = client.get("/").text
    rows = network.split("<tbody", 1)[1].split("</tbody>", 1)[0]
    assert rows.count('<tr class="govuk-table__row">') == PICKER_LIMIT
    assert "Cheltenham" in rows and "North Ayrshire" in rows
    assert f"Every place, {PICKER_LIMIT + 5} in all, by name" in network


def test_every_place_is_listed_a_page_at_a_time_and_found_by_name(world, client):
    from registry.views.network import PLACES_PER_PAGE

    _more_places(PLACES_PER_PAGE + 10, digits=3)
    first = client.get("/places/")
    assert len(first.context["rows"]) == PLACES_PER_PAGE
    assert first.context["page"].paginator.count == PLACES_PER_PAGE + 12
    second = client.get("/places/?page=2")
    assert [place.name for place, _ in second.context["rows"]][-2:] == [
        "Cheltenham",
        "North Ayrshire",
    ]
    cheltenham = dict((place.name, figures) for place, figures in second.context["rows"])
    assert cheltenham["Cheltenham"]["signed"] == 2 and cheltenham["Aberton 059"]["signed"] == 0
    found = client.get("/places/?q=ayrsh")
    assert [place.name for place, _ in found.context["rows"]] == ["North Ayrshire"]
    assert "1 place matches" in found.text
    nothing = client.get("/places/?q=Atlantis")
    assert "No place has that in its name" in nothing.text
    assert client.get("/places/?q=" + "x" * 101).context["form"].errors
    # One address: the network's, never a place's.
    moved = client.get("/cheltenham/places/")
    assert moved.status_code == 301 and moved["Location"] == "/places/"
    assert "The community agreement in" not in found.text.split("</header>", 1)[0]


def test_the_list_of_places_moves_on_with_a_change_in_any_place(
    world, client, django_capture_on_commit_callbacks
):
    from pledges import services as pledges

    before = client.get("/places/")
    assert before["X-Cache"] == "miss" and client.get("/places/")["X-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        pledges.pledge_suspend(
            pledge=world["group_pledge"], by=world["ayrshire_moderator"], reason="Checking."
        )
    after = client.get("/places/")
    assert after["X-Cache"] == "miss"


# One safeguarding rule, said once


def test_the_safeguarding_rule_has_one_wording_wherever_it_is_said(world, client):
    from core.safeguarding import PHOTO_RULE, RULE
    from organisations.models import Membership

    admin = Membership.objects.get(organisation=world["school"]).user
    client.force_login(admin)
    form = client.get("/cheltenham" + reverse("pledges:update-new", args=[world["school"].pk])).text
    tell = client.get(reverse("registry:tell")).text
    privacy = client.get(reverse("core:privacy")).text
    for page in (form, privacy):
        assert str(PHOTO_RULE) in page.replace("&#x27;", "'")
    for page in (form, tell, privacy):
        assert str(RULE) in page.replace("&#x27;", "'")
    # The contradiction it replaced: faces were "never" in one sentence, "with consent" in
    # the next.
    assert "without consent" not in form and "photos of faces" not in form


# Smaller things a careful reader stumbled on


def test_every_optional_box_of_an_organisation_says_so():
    from organisations.forms import OrganisationForm

    form = OrganisationForm()
    for name in ("description", "website", "charity_number", "company_number", "school_urn"):
        assert str(form.fields[name].label).endswith("(optional)"), name
    assert "(optional)" not in str(form.fields["name"].label)


def test_the_admin_greets_a_moderator_by_name_not_by_title(client, world):
    moderator = world["network_moderator"]
    moderator.name = "Mrs Jane Clark"
    moderator.save()
    client.force_login(moderator)
    page = client.get(reverse("admin:index")).text
    assert "<strong>Mrs Jane Clark</strong>" in page and "<strong>Mrs</strong>" not in page


def test_the_old_address_of_the_signatories_leads_to_the_place_s_signatories(world, client):
    answer = client.get("/north-ayrshire/commitments/", {"q": "trust", "page": "2"})
    assert answer.status_code == 301
    assert answer["Location"] == "/north-ayrshire/signatories/?q=trust&page=2"
    assert client.get("/commitments/")["Location"] == "/signatories/"
