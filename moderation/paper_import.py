"""Importing the organisations that signed the agreement on paper, before the registry existed.

The CSV has one row per organisation: name, type, website, contact_email, date_signed
(YYYY-MM-DD), priorities ("1;3;5") and commitment_1 ... commitment_5 (the text for each chosen
priority); area is optional (one of the place's areas by short name; the first, the whole
place, when empty). `check` reports every bad row by its line number and column;
`paper_signatories_import` writes all rows in one transaction or none. Everything is in one
place: an organisation already imported from paper there (same name) is left as it is, so
importing the same file twice creates nothing new; an organisation registered in another
place (online or on paper) signs here on paper as the same organisation; one that registered
online here already is a bad row.

Each imported pledge is published with its paper date and marked "signed on paper", with a
history event; its contact gets an invitation to claim the organisation, as its admin.
Contact emails are kept only on the invitation, never shown in public.
"""

import csv
import io
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models.functions import Lower
from django.utils import timezone

from core.text import clean_text
from organisations.models import Organisation
from organisations.validators import validate_website

COLUMNS = ["name", "type", "website", "contact_email", "date_signed", "priorities"]
COMMITMENT_COLUMNS = [f"commitment_{number}" for number in range(1, 6)]


@dataclass
class RowError:
    line: int
    column: str
    message: str

    def __str__(self):
        return f"Line {self.line}, {self.column}: {self.message}"


@dataclass
class Row:
    line: int
    name: str
    type: str
    area: str
    website: str
    contact_email: str
    date_signed: date
    commitments: dict[int, str] = field(default_factory=dict)
    # An organisation already on the registry, from another place: it signs here too.
    organisation_id: int | None = None


@dataclass
class Plan:
    rows: list[Row]  # to import
    already_imported: list[str]
    errors: list[RowError]


def check(text: str, place) -> Plan:
    """Parse and check the whole file against the rules, the registry and the place's areas;
    write nothing."""
    if place is None:
        raise ValueError("A paper import is into one place: name it.")
    areas = list(place.areas.values_list("slug", flat=True))
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [column for column in COLUMNS if column not in (reader.fieldnames or [])]
    if missing:
        return Plan([], [], [RowError(1, ", ".join(missing), "This column is missing.")])
    rows, errors, seen = [], [], {}
    for line, raw in enumerate(reader, start=2):
        row, row_errors = _parse(
            line, {k: clean_text(v or "").strip() for k, v in raw.items() if k}, areas
        )
        errors += row_errors
        if row is None:
            continue
        if row.name.lower() in seen:
            errors.append(
                RowError(line, "name", f"Repeats line {seen[row.name.lower()]} of this file.")
            )
        seen.setdefault(row.name.lower(), line)
        rows.append(row)
    registered = dict(
        Organisation.objects.annotate(lower=Lower("name"))
        .filter(lower__in=[row.name.lower() for row in rows])
        .values_list("lower", "pk")
    )
    ids = registered.values()
    here = Organisation.objects.filter(pk__in=ids, pledges__place=place)
    # One filter: a paper pledge in this place (not a paper pledge anywhere, and any here).
    from_paper_here = set(
        Organisation.objects.filter(
            pk__in=ids, pledges__place=place, pledges__signed_on_paper=True
        ).values_list("pk", flat=True)
    )
    online_here = set(here.values_list("pk", flat=True)) - from_paper_here
    plan = Plan([], [], errors)
    for row in rows:
        row.organisation_id = registered.get(row.name.lower())
        if row.organisation_id in from_paper_here:
            plan.already_imported.append(row.name)
        elif row.organisation_id in online_here:
            errors.append(
                RowError(
                    row.line,
                    "name",
                    f"An organisation of this name has already signed up in {place.name}.",
                )
            )
        else:
            plan.rows.append(row)
    errors.sort(key=lambda error: error.line)
    return plan


def _parse(line: int, values: dict, areas: list[str]) -> tuple[Row | None, list[RowError]]:
    errors = []

    def error(column, message):
        errors.append(RowError(line, column, message))

    name = values.get("name", "")
    if not name:
        error("name", "Enter the organisation's name.")
    elif len(name) > 200:
        error("name", "The name must be 200 characters or fewer.")
    types = {value: value for value in Organisation.Type.values} | {
        str(label).lower(): value for value, label in Organisation.Type.choices
    }
    type_ = types.get(values.get("type", "").lower())
    if type_ is None:
        error("type", f"Use one of: {', '.join(Organisation.Type.values)}.")
    area = values.get("area") or areas[0]  # the first is the whole place
    if area not in areas:
        error("area", f"Use one of the place's areas: {', '.join(areas)}.")
    website = values.get("website", "")
    if website:
        try:
            validate_website(website)
        except ValidationError as invalid:
            error("website", " ".join(invalid.messages))
    email = values.get("contact_email", "")
    try:
        validate_email(email)
    except ValidationError:
        error("contact_email", "Enter an email address, like name@example.org.")
    signed = None
    try:
        signed = date.fromisoformat(values.get("date_signed", ""))
        if signed > timezone.localdate():
            error("date_signed", "The date is in the future.")
    except ValueError:
        error("date_signed", "Enter the date as YYYY-MM-DD, for example 2024-03-15.")
    chosen = set()
    for part in values.get("priorities", "").replace(",", ";").split(";"):
        if part.strip():
            if part.strip() in {"1", "2", "3", "4", "5"}:
                chosen.add(int(part))
            else:
                error("priorities", f"{part.strip()!r} is not a priority number from 1 to 5.")
    if not chosen and not any(e.column == "priorities" for e in errors):
        error("priorities", "Choose at least one priority, for example 1;3.")
    commitments = {}
    for number in range(1, 6):
        text = values.get(f"commitment_{number}", "")
        if number in chosen and not text:
            error(f"commitment_{number}", "Say what they will do for this chosen priority.")
        elif text and number not in chosen:
            error(f"commitment_{number}", "This priority is not in the priorities column.")
        elif len(text) > 2000:
            error(f"commitment_{number}", "Commitments must be 2,000 characters or fewer.")
        elif text:
            commitments[number] = text
    if errors:
        # A bad row is never imported; its name is still checked against the others.
        return None if not name else Row(line, name, "", "", "", "", date.min), errors
    return Row(line, name, type_, area, website, email.lower(), signed, commitments), []


MAX_UPLOAD_BYTES = 5 * 1024 * 1024


def read_upload(request) -> tuple[str, str]:
    """(text, problem): the uploaded CSV, or the text posted back from the preview."""
    if "text" in request.POST:
        return request.POST["text"], ""
    upload = request.FILES.get("file")
    if upload is None:
        return "", "Choose a CSV file to upload."
    if upload.size > MAX_UPLOAD_BYTES:
        return "", "The file is larger than 5 MB. Split it into smaller files."
    try:
        return upload.read().decode("utf-8-sig"), ""
    except UnicodeDecodeError:
        return "", "The file is not UTF-8 text. Save it from your spreadsheet as 'CSV UTF-8'."
