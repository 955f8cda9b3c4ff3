"""The paper signatories: checked row by row, imported all or nothing, and once only."""

import csv
import io
from io import StringIO

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from organisations.models import Invitation, Organisation
from pledges.models import Commitment, Pledge, PledgeEvent
from tests.factories import ModeratorFactory, OrganisationFactory

pytestmark = pytest.mark.django_db
HEADER = [
    "name",
    "type",
    "website",
    "contact_email",
    "date_signed",
    "priorities",
    *(f"commitment_{n}" for n in range(1, 6)),
]


def paper_rows(count=500):
    return [
        {
            "name": f"Paper Signatory {n:03d}",
            "type": "school" if n % 2 else "Charity or voluntary group",
            "website": f"https://paper{n}.example.org" if n % 3 else "",
            "contact_email": f"contact{n}@example.org",
            "date_signed": f"2024-0{n % 9 + 1}-1{n % 9}",
            "priorities": "1;3",
            "commitment_1": f"We will make time, number {n}.",
            "commitment_3": "We will act without waiting to be asked.",
        }
        for n in range(count)
    ]


def as_csv(rows) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=HEADER, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def write(tmp_path, rows, name="paper.csv"):
    path = tmp_path / name
    path.write_text(as_csv(rows), encoding="utf-8")
    return path


def counts():
    return (
        Organisation.objects.count(),
        Pledge.objects.count(),
        Commitment.objects.count(),
        Invitation.objects.count(),
        PledgeEvent.objects.count(),
    )


def test_a_file_with_three_bad_rows_reports_exactly_those_and_writes_nothing(tmp_path):
    rows = paper_rows()
    rows[10]["date_signed"] = "15/03/2024"
    rows[200]["type"] = "spaceship"
    rows[499]["commitment_3"] = ""
    before = counts()
    err = StringIO()
    with pytest.raises(CommandError, match="3 rows have problems. Nothing was imported."):
        call_command("import_signatories", str(write(tmp_path, rows)), stderr=err)
    reported = err.getvalue().splitlines()
    assert reported == [
        "Line 12, date_signed: Enter the date as YYYY-MM-DD, for example 2024-03-15.",
        f"Line 202, type: Use one of: {', '.join(Organisation.Type.values)}.",
        "Line 501, commitment_3: Say what they will do for this chosen priority.",
    ]
    assert counts() == before


def test_the_fixed_file_imports_all_500_in_one_go_and_a_second_import_changes_nothing(
    tmp_path, django_capture_on_commit_callbacks, client
):
    path = write(tmp_path, paper_rows())
    dry = StringIO()
    call_command("import_signatories", str(path), "--dry-run", stdout=dry)
    assert "500 to import, 0 already imported" in dry.getvalue() and counts()[0] == 0
    ModeratorFactory(email="records@example.org")
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "import_signatories", str(path), "--moderator", "records@example.org", stdout=out
        )
    assert "Imported 500 organisations" in out.getvalue() and "500/500" in out.getvalue()
    assert counts() == (500, 500, 1000, 500, 500)
    assert len(mail.outbox) == 500
    claim = next(m for m in mail.outbox if m.to == ["contact7@example.org"])
    assert "Paper Signatory 007" in claim.subject and "/manage/invitations/" in claim.body

    pledge = Pledge.objects.get(organisation__name="Paper Signatory 007")
    assert pledge.status == Pledge.Status.PUBLISHED and pledge.signed_on_paper
    assert pledge.published_at.date().isoformat() == "2024-08-17"
    event = pledge.events.get()
    assert event.action == PledgeEvent.Action.PUBLISHED and event.created_at == pledge.published_at
    assert Invitation.objects.get(organisation=pledge.organisation).role == "admin"

    page = client.get(pledge.organisation.get_absolute_url()).content.decode()
    assert "signed on paper" in page and "contact7@example.org" not in page
    assert "contact7@example.org" not in client.get("/api/v1/organisations").content.decode()

    again = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "import_signatories", str(path), "--moderator", "records@example.org", stdout=again
        )
    assert "Imported 0 organisations (0 to import, 500 already imported)" in again.getvalue()
    assert counts() == (500, 500, 1000, 500, 500) and len(mail.outbox) == 500


def test_a_name_already_registered_online_is_a_bad_row(tmp_path):
    OrganisationFactory(name="Paper Signatory 001")
    with pytest.raises(CommandError):
        call_command("import_signatories", str(write(tmp_path, paper_rows(3))), stderr=StringIO())
    assert Organisation.objects.count() == 1


def test_moderators_upload_preview_and_confirm_in_the_admin(client):
    client.force_login(ModeratorFactory())
    url = reverse("admin:pledges_pledge_import")
    assert url in client.get(reverse("admin:pledges_pledge_changelist")).content.decode()
    bad = paper_rows(4)
    bad[2]["contact_email"] = "not an address"
    upload = SimpleUploadedFile("paper.csv", as_csv(bad).encode())
    preview = client.post(url, {"file": upload, "place": "cheltenham"}).content.decode()
    assert "1 problem. Nothing has been imported" in preview
    assert "contact_email" in preview and ">4<" in preview  # line 4 of the file
    assert Organisation.objects.count() == 0

    good = SimpleUploadedFile("paper.csv", as_csv(paper_rows(4)).encode())
    preview = client.post(url, {"file": good, "place": "cheltenham"})
    assert "4 organisations to import." in preview.content.decode()
    assert Organisation.objects.count() == 0  # nothing until confirmed
    assert "Into Cheltenham:" in preview.content.decode()
    done = client.post(
        url,
        {"text": preview.context["text"], "confirm": "1", "place": "cheltenham"},
        follow=True,
    )
    assert "Imported 4 organisations" in done.content.decode()
    assert Pledge.objects.filter(signed_on_paper=True).count() == 4

    latin = SimpleUploadedFile("paper.csv", "name\nCafé".encode("latin-1"))
    assert "not UTF-8 text" in client.post(url, {"file": latin, "place": "cheltenham"}).text
    assert "Choose the place" in client.post(url, {"file": latin}).text


def test_only_moderators_import(client):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    response = client.post(reverse("admin:pledges_pledge_import"), {"text": as_csv(paper_rows(1))})
    assert response.status_code == 302 and Organisation.objects.count() == 0
