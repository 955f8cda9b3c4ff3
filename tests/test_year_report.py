"""A place's year in kindness (`/<place>/year/<yyyy>/`): every figure counted from what
people did through the services, at fixed dates; the figures agree with the statistics page
and the downloads; a year that is over is counted once and kept; the moderators write the
foreword and choose highlights, and never a figure."""

import csv
import io
import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.admin.models import LogEntry
from django.core.cache import caches
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from opendata import yearly
from opendata.models import YearReport
from opendata.services import year_figures, year_report_save
from organisations import services as organisations
from pledges import services as pledges
from pledges import stats
from stories import services as stories
from stories import stats as story_stats
from tests.factories import (
    ModeratorFactory,
    UserFactory,
    default_place,
    north_ayrshire,
)

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
TODAY = datetime(2026, 12, 7, 10, 0, tzinfo=LONDON)


def at(*args):
    return time_machine.travel(datetime(*args, 12, 0, tzinfo=LONDON), tick=False)


def sign(place, moderator, name, kind, *, priorities=(1, 2), area=None):
    """An organisation registers, signs in the place and is published, as people do."""
    admin = UserFactory()
    organisation = organisations.organisation_register(by=admin, data={"name": name, "type": kind})
    pledge = pledges.pledge_start(organisation=organisation, by=admin, place=place)
    chosen = pledge.agreement.priorities.filter(number__in=priorities)
    pledges.pledge_save_priorities(
        pledge=pledge, by=admin, commitments={p: f"We will do {p.number}." for p in chosen}
    )
    pledges.pledge_save_statement(
        pledge=pledge, by=admin, statement="Because.", area=area or place.areas.first()
    )
    pledges.pledge_save_signatory(
        pledge=pledge, by=admin, name="Sam", role="Chair", is_authorised=True, is_public=True
    )
    pledges.pledge_submit(pledge=pledge, by=admin)
    pledges.pledge_publish(pledge=pledge, by=moderator)
    pledge.refresh_from_db()
    return admin, pledge


def post(pledge, admin, title, *numbers):
    return pledges.progress_update_publish(
        pledge=pledge,
        by=admin,
        title=title,
        body="We did it.",
        priorities=list(pledge.agreement.priorities.filter(number__in=numbers)),
    )


def tell(place, moderator, body, *, publish=True):
    story = stories.story_submit(body=body, email=f"{hash(body)}@example.net", place=place)
    token = stories.story_token_issue(story=story)
    stories.story_confirm(token=token)
    if publish:
        stories.story_publish(story=story, by=moderator)
    return story


@pytest.fixture
def world(django_capture_on_commit_callbacks):
    """Cheltenham: a charity signed in 2025 and reported in 2025 and twice in 2026 (lately);
    a school and a business signed in 2026, the school's update is due soon, the business
    withdrew; three residents' stories in 2026, two
    published. North Ayrshire: a charity signed in 2026 with one update and one story."""
    cheltenham = default_place()
    ayrshire = north_ayrshire(areas=("The whole of North Ayrshire", "Irvine"), live=True)
    moderator = ModeratorFactory()
    found = {"cheltenham": cheltenham, "ayrshire": ayrshire, "moderator": moderator}
    with django_capture_on_commit_callbacks(execute=True):
        with at(2025, 6, 2):
            admin, charity = sign(cheltenham, moderator, "Pittville Charity", "charity")
        with at(2025, 9, 15):
            post(charity, admin, "Coffee mornings", 1)
        with at(2026, 3, 10):
            school_admin, school = sign(
                cheltenham, moderator, "Oakwood School", "school", priorities=(1, 3)
            )
            found["update"] = post(charity, admin, "A quiet room", 1, 2)
        with at(2026, 4, 20):
            bakery_admin, business = sign(cheltenham, moderator, "Bath Road Bakery", "business")
        with at(2026, 5, 25):
            post(school, school_admin, "Kind words week", 3)
        with at(2026, 5, 1):
            found["story"] = tell(cheltenham, moderator, "The bakery gave us bread.")
        with at(2026, 7, 1):
            tell(cheltenham, moderator, "A teacher listened.")
            tell(cheltenham, moderator, "Still waiting for a moderator.", publish=False)
        with at(2026, 8, 3):
            pledges.pledge_withdraw(pledge=business, by=bakery_admin, reason="Closed.")
            ayrshire_admin, larder = sign(ayrshire, moderator, "Irvine Larder", "charity")
            found["ayrshire_update"] = post(larder, ayrshire_admin, "Soup and a chat", 1)
            found["ayrshire_story"] = tell(ayrshire, moderator, "The larder found us a seat.")
        with at(2026, 11, 20):
            post(charity, admin, "Winter coats", 2)
    found.update(
        charity=charity, school=school, business=business, admin=admin, school_admin=school_admin
    )
    return found


@time_machine.travel(TODAY, tick=False)
def test_the_year_so_far_counts_what_people_did_in_the_place_with_the_network_beside_it(world):
    figures = year_figures(world["cheltenham"], 2026, TODAY)
    assert figures["is_complete"] is False
    assert figures["headline"] == {
        "signed": 2,  # the charity and the school; the bakery withdrew
        "new": 1,  # the school (the charity signed in 2025)
        "updates": 3,
        "on_time": 2,  # one sharing progress regularly, one with an update due soon
        "stories_received": 3,
        "stories_published": 2,
    }
    assert figures["network"] == {
        "signed": 3,
        "new": 2,
        "updates": 4,
        "on_time": 3,
        "stories_received": 4,
        "stories_published": 3,
    }
    tables = figures["tables"]
    by_type = {row["key"]: row["values"] for row in tables["signed_by_type"]}
    assert by_type["charity"] == [1, 0] and by_type["school"] == [1, 1]
    assert by_type["business"] == [0, 0]
    committed = {row["key"]: row["values"][0] for row in tables["commitments_by_priority"]}
    assert list(committed.values()) == [2, 1, 1, 0, 0]
    months = {row["key"]: row["values"][0] for row in tables["updates_by_month"]}
    assert len(months) == 12 and months["2026-03"] == months["2026-05"] == months["2026-11"] == 1
    assert sum(months.values()) == 3
    per_priority = [row["values"][0] for row in tables["updates_by_priority"]]
    assert per_priority == [1, 2, 1, 0, 0]
    stories_per_month = {row["key"]: row["values"] for row in tables["stories_by_month"]}
    assert stories_per_month["2026-05"] == [1, 1] and stories_per_month["2026-07"] == [2, 1]
    assert [row["values"][0] for row in tables["reporting"]] == [1, 1, 0]


@time_machine.travel(TODAY, tick=False)
def test_its_figures_agree_with_the_statistics_page_and_the_downloads(world, client):
    place = world["cheltenham"]
    figures = year_figures(place, 2026, TODAY)
    headline, tables = figures["headline"], figures["tables"]
    # The statistics page's series, for the same months.
    signed = stats.signed_by_month(place.pk)
    assert signed[-1][2] == headline["signed"]
    assert sum(n for month, n, _ in signed if month.year == 2026) == headline["new"]
    assert (
        sum(n for month, n in stats.updates_by_month(place.pk) if month.year == 2026)
        == (headline["updates"])
    )
    assert (
        sum(n for month, n in story_stats.stories_by_month(place.pk) if month.year == 2026)
        == (headline["stories_published"])
    )
    assert stats.organisations_signed(place.pk) == headline["signed"]
    committed = stats.organisations_per_priority(place.pk)
    assert [committed.get(row["key"], 0) for row in tables["commitments_by_priority"]] == [
        row["values"][0] for row in tables["commitments_by_priority"]
    ]

    # The downloads, read as someone reusing them would.
    def rows(kind):
        response = client.get(
            reverse("opendata:download", kwargs={"kind": kind, "file_format": "csv"})
        )
        text = b"".join(response.streaming_content).decode("utf-8-sig")
        return list(csv.DictReader(io.StringIO(text)))

    organisations_rows = [row for row in rows("organisations") if row["status"] == "published"]
    assert len(organisations_rows) == headline["signed"]
    assert sum(row["signed_on"].startswith("2026") for row in organisations_rows) == headline["new"]
    for number, row in enumerate(tables["commitments_by_priority"], start=1):
        chosen = sum(bool(r[f"priority_{number}_commitment"]) for r in organisations_rows)
        assert chosen == row["values"][0]
    update_rows = [row for row in rows("updates") if row["published_at"].startswith("2026")]
    assert len(update_rows) == headline["updates"]
    for number, row in enumerate(tables["updates_by_priority"], start=1):
        about = sum(str(number) in r["priorities"].split(";") for r in update_rows)
        assert about == row["values"][0]
    story_rows = [row for row in rows("stories") if row["published_at"].startswith("2026")]
    assert len(story_rows) == headline["stories_published"]


def test_a_year_that_is_over_is_counted_once_and_kept(world, django_capture_on_commit_callbacks):
    place = world["cheltenham"]
    with time_machine.travel(datetime(2027, 1, 2, 9, 0, tzinfo=LONDON), tick=False):
        closed = year_figures(place, 2026, datetime.now(tz=LONDON))
        assert closed["is_complete"] is True
        assert closed["as_of"].startswith("2027-01-02")
        kept = YearReport.objects.get(place=place, year=2026)
        assert kept.figures == closed
        # Later changes in the data change this year's figures, never 2026's.
        with django_capture_on_commit_callbacks(execute=True):
            pledges.pledge_withdraw(
                pledge=world["school"], by=world["school_admin"], reason="Gone."
            )
        again = year_figures(place, 2026, datetime.now(tz=LONDON))
        assert again == closed
        assert yearly.count(place, 2026, datetime.now(tz=LONDON))["headline"]["signed"] == 1
        assert year_figures(place, 2027, datetime.now(tz=LONDON))["headline"]["signed"] == 1


def test_the_page_shows_every_figure_with_its_table_and_the_network_beside_it(world, client):
    with time_machine.travel(TODAY, tick=False):
        response = client.get("/cheltenham/year/2026/")
        assert response.status_code == 200
        page = response.content.decode()
        assert "Cheltenham's year in kindness, 2026" in page
        assert "So far" in page and "7 December 2026" in page
        for _key, label in yearly.HEADLINES:
            assert str(label).replace("'", "&#x27;") in page
        for _name, title, _description, columns in yearly.TABLES:
            assert str(title).replace("'", "&#x27;") in page
            for column in columns:
                assert str(column).replace("'", "&#x27;") in page
        assert "Across the network" in page
        assert "Oakwood School" not in page  # no highlights chosen yet
        assert "The moderators have not chosen any highlights" in page
        # North Ayrshire's own year counts only its own.
        ayrshire = client.get("/north-ayrshire/year/2026/")
        assert ayrshire.context["figures"]["headline"]["signed"] == 1
        # Only years with a report: from the first signature to this one.
        assert client.get("/cheltenham/year/2024/").status_code == 404
        assert client.get("/cheltenham/year/2027/").status_code == 404
        assert client.get("/north-ayrshire/year/2025/").status_code == 404
        assert client.get("/cheltenham/year/2025/").status_code == 200
        latest = client.get("/cheltenham/year/")
        assert latest.status_code == 302 and latest["Location"].endswith("/cheltenham/year/2026/")


@time_machine.travel(TODAY, tick=False)
def test_the_figures_download_as_csv_and_json_under_the_licence(world, client):
    figures = year_figures(world["cheltenham"], 2026, TODAY)
    response = client.get("/cheltenham/year/2026.csv")
    assert response["Content-Type"].startswith("text/csv")
    assert "cheltenham-2026.csv" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    headline = {(r["row"], r["column"]): int(r["value"]) for r in rows if r["table"] == "headline"}
    assert headline[("signed", "Cheltenham")] == 2
    assert headline[("signed", "Across the network")] == 3
    cells = sum(len(row["values"]) for table in figures["tables"].values() for row in table)
    assert len(rows) == 2 * len(yearly.HEADLINES) + cells
    data = json.loads(client.get("/cheltenham/year/2026.json").content)
    assert data["licence"] == "Open Government Licence v3.0"
    assert data["headline"] == figures["headline"] and data["tables"] == figures["tables"]
    assert data["columns"]["signed_by_type"] == [
        "Type",
        "Signed by the year's end",
        "Signed during the year",
    ]


@time_machine.travel(TODAY, tick=False)
def test_a_csv_cell_a_spreadsheet_would_run_is_defused(world, client):
    place = world["cheltenham"]
    area = place.areas.first()
    area.name = '=HYPERLINK("http://evil.example")'
    area.save()
    rows = client.get("/cheltenham/year/2026.csv").content.decode("utf-8-sig")
    assert "'=HYPERLINK" in rows
    assert '\n"=HYPERLINK' not in rows and ",=HYPERLINK" not in rows


@time_machine.travel(TODAY, tick=False)
def test_moderators_write_the_foreword_and_choose_highlights_in_their_own_place_only(
    world, client, django_capture_on_commit_callbacks
):
    cheltenham, ayrshire = world["cheltenham"], world["ayrshire"]
    ours = ModeratorFactory(places=[cheltenham])
    theirs = ModeratorFactory(places=[ayrshire])
    report = YearReport(place=cheltenham, year=2026)
    with pytest.raises(PermissionDenied):
        year_report_save(report=report, foreword="Hello", updates=[], stories=[], by=theirs)
    with pytest.raises(PermissionDenied):
        year_report_save(report=report, foreword="Hello", updates=[], stories=[], by=world["admin"])
    # Only what was published in this place during this year.
    for updates, stories_ in (([world["ayrshire_update"]], []), ([], [world["ayrshire_story"]])):
        with pytest.raises(ValidationError):
            year_report_save(report=report, foreword="", updates=updates, stories=stories_, by=ours)
    assert not YearReport.objects.exists()  # nothing half-written
    with django_capture_on_commit_callbacks(execute=True):
        report = year_report_save(
            report=report,
            foreword="A year of *listening*.<script>alert(1)</script>",
            updates=[world["update"]],
            stories=[world["story"]],
            by=ours,
        )
        year_report_save(
            report=report,
            foreword="A year of *listening* and learning.",
            updates=[world["update"]],
            stories=[world["story"]],
            by=ours,
        )
    history = list(
        LogEntry.objects.filter(object_id=str(report.pk), content_type__model="yearreport")
        .order_by("pk")
        .values_list("user_id", "change_message")
    )
    assert len(history) == 2 and {user for user, _ in history} == {ours.pk}
    assert "A year of *listening*.<script>" in history[0][1]
    assert "A year of *listening* and learning." in history[1][1]
    page = client.get("/cheltenham/year/2026/").content.decode()
    assert "<em>listening</em> and learning" in page
    assert "A quiet room" in page and "The bakery gave us bread." in page
    assert "<script>alert" not in page
    # A highlight hidden since leaves the report with the rest of the registry at once.
    with django_capture_on_commit_callbacks(execute=True):
        pledges.progress_update_hide(update=world["update"], by=ours, reason="Names a child.")
        stories.story_hide(story=world["story"], by=ours, reason="Names a child.")
    page = client.get("/cheltenham/year/2026/").content.decode()
    assert "A quiet room" not in page and "The bakery gave us bread." not in page


@time_machine.travel(TODAY, tick=False)
def test_the_admin_lets_a_place_moderator_write_their_year_and_never_a_figure(world, client):
    cheltenham, ayrshire = world["cheltenham"], world["ayrshire"]
    ours = ModeratorFactory(places=[cheltenham])
    client.force_login(ours)
    add = reverse("admin:opendata_yearreport_add")
    form = client.get(add)
    assert form.status_code == 200
    assert [p.pk for p in form.context["adminform"].form.fields["place"].queryset] == [
        cheltenham.pk
    ]
    assert "figures" not in form.context["adminform"].form.fields
    refused = client.post(add, {"place": ayrshire.pk, "year": 2026, "foreword": "x"})
    assert refused.status_code == 200 and not YearReport.objects.exists()
    created = client.post(add, {"place": cheltenham.pk, "year": 2026, "foreword": "Thank you."})
    assert created.status_code == 302
    report = YearReport.objects.get()
    change = reverse("admin:opendata_yearreport_change", args=[report.pk])
    form = client.get(change).context["adminform"].form
    assert world["update"] in form.fields["updates"].queryset
    assert len(form.fields["updates"].queryset) == 3  # Cheltenham's three published in 2026
    assert world["story"] in form.fields["stories"].queryset
    assert len(form.fields["stories"].queryset) == 2  # Cheltenham's two published in 2026
    saved = client.post(
        change, {"foreword": "Thank you all.", "updates": [world["update"].pk], "stories": []}
    )
    assert saved.status_code == 302
    report.refresh_from_db()
    assert report.foreword == "Thank you all." and list(report.updates.all()) == [world["update"]]
    assert LogEntry.objects.filter(object_id=str(report.pk)).count() == 2  # one per save
    # Another place's moderator finds nothing of Cheltenham's.
    client.force_login(ModeratorFactory(places=[ayrshire]))
    assert client.get(change).status_code in (302, 404)


def test_a_year_over_costs_the_same_few_queries_however_much_it_counted(
    world, client, django_assert_max_num_queries
):
    with time_machine.travel(datetime(2027, 3, 1, 9, 0, tzinfo=LONDON), tick=False):
        client.get("/cheltenham/year/2026/")  # counted and kept
        caches["pages"].clear()
        with django_assert_max_num_queries(12):
            assert client.get("/cheltenham/year/2026/").status_code == 200
