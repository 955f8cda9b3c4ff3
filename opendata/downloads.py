"""CSV and JSON downloads of the public registry, streamed row by row."""

import csv
import json

from django.contrib.postgres.aggregates import ArrayAgg
from django.core.files.storage import default_storage
from django.db.models import Prefetch, Q, Value
from django.http import HttpResponse, StreamingHttpResponse
from django.urls import get_script_prefix, reverse

from core.siteurl import absolute_url, site_url
from organisations.identifiers import org_id
from pledges.models import Commitment, Pledge, ProgressUpdate
from stories.models import Story

from .yearly import HEADLINES, TABLES

CHUNK = 1000

ORGANISATION_COLUMNS = [
    ("organisation_id", "Stable id of the organisation."),
    (
        "org_id",
        "Its organisation identifier (org-id.guide, as 360Giving and IATI use): GB-CHC-, GB-SC-, "
        "GB-NIC-, GB-COH- or GB-EDU- and its number, from the numbers below; empty without one.",
    ),
    ("place", "The place it signed in, by short name."),
    ("place_gss_code", "The place's local authority code (ONS GSS code, like E07000078)."),
    ("organisation_slug", "The last part of the organisation's web address."),
    ("organisation_name", "The organisation's name."),
    (
        "organisation_type",
        "One of: council, health, school, early_years, charity, community, faith, business, housing, sport, other.",
    ),
    ("area", "The part of the place it mainly serves: one of the place's areas, by short name."),
    ("website", "Its website, if given."),
    (
        "charity_number",
        "Charity number, if any: Charity Commission (England and Wales), OSCR (SC…, Scotland) "
        "or Charity Commission for Northern Ireland (NIC…).",
    ),
    ("company_number", "Companies House number, if any."),
    (
        "school_urn",
        "School number, if a school: the Department for Education URN (6 digits, England) or "
        "the SEED code (7 digits, Scotland).",
    ),
    ("pledge_id", "Stable id of the pledge."),
    ("agreement_version", "The version of the Community Agreement signed."),
    ("status", "published or withdrawn."),
    ("signed_on", "Date the pledge was published (ISO 8601)."),
    ("withdrawn_on", "Date it was withdrawn, if it was (ISO 8601)."),
    ("signatory_name", "Who signed, only where they consented to publication."),
    ("signatory_role", "Their job title, only where they consented to publication."),
    ("statement", "Why the organisation signed."),
    ("last_reported_on", "Date of the last progress report (ISO 8601)."),
    ("url", "The organisation's page on this registry."),
] + [
    column
    for number in range(1, 6)
    for column in (
        (
            f"priority_{number}_commitment",
            f"What it will do for priority {number}, or empty if not chosen.",
        ),
        (
            f"priority_{number}_progress",
            "planned, in_progress or embedded, or empty if not chosen.",
        ),
    )
]

UPDATE_COLUMNS = [
    ("update_id", "Stable id of the update."),
    ("organisation_id", "Stable id of the organisation."),
    ("organisation_slug", "The last part of the organisation's web address."),
    ("organisation_name", "The organisation's name."),
    ("title", "The update's title."),
    ("body", "The update's text, in Markdown."),
    ("priorities", "Numbers of the priorities it is about, separated by semicolons."),
    ("published_at", "When it was published (ISO 8601, UTC offset included)."),
    ("image_url", "Its image, if any."),
    ("image_alt", "The image's text description."),
    ("url", "Its page on this registry."),
]

STORY_COLUMNS = [
    ("story_id", "Stable id of the story."),
    (
        "organisation_id",
        "Stable id of the organisation it happened at, or empty for somewhere else in the place.",
    ),
    ("organisation_slug", "The last part of that organisation's web address, or empty."),
    ("organisation_name", "That organisation's name, or empty."),
    ("area", "The part of the place it happened in (the area's short name), if the resident said."),
    ("priority", "The number of the priority it shows, if the resident chose one."),
    ("priority_slug", "That priority's lasting name across agreement versions, or empty."),
    ("story", "What the resident told us, as published (plain text)."),
    ("shown_name", "The name the resident agreed to show, or empty for “A resident”."),
    ("published_at", "When it was published (ISO 8601, UTC offset included)."),
    ("reply", "The organisation's public thank-you, if any."),
    ("url", "Its page on this registry."),
]


def _iso(value):
    return value.isoformat() if value else ""


def organisation_rows(base, place):
    pledges = (
        Pledge.objects.public()
        .in_place(place)
        .select_related("organisation", "agreement", "area")
        .prefetch_related(
            Prefetch("commitments", queryset=Commitment.objects.select_related("priority"))
        )
        .order_by("organisation__name", "pk")
    )
    for pledge in pledges.iterator(chunk_size=CHUNK):
        organisation = pledge.organisation
        row = {
            "organisation_id": organisation.pk,
            "org_id": org_id(organisation),
            "place": place.slug,
            "place_gss_code": place.gss_code,
            "organisation_slug": organisation.slug,
            "organisation_name": organisation.name,
            "organisation_type": organisation.type,
            "area": pledge.area.slug,
            "website": organisation.website,
            "charity_number": organisation.charity_number,
            "company_number": organisation.company_number,
            "school_urn": organisation.school_urn,
            "pledge_id": pledge.pk,
            "agreement_version": pledge.agreement.version,
            "status": pledge.status,
            "signed_on": _iso(pledge.published_at and pledge.published_at.date()),
            "withdrawn_on": _iso(pledge.withdrawn_at and pledge.withdrawn_at.date()),
            "signatory_name": signatory.name if (signatory := pledge.public_signatory) else "",
            "signatory_role": signatory.role if signatory else "",
            "statement": pledge.statement,
            "last_reported_on": _iso(pledge.reporting_from.date()),
            "url": base + organisation.get_absolute_url(),
        }
        for number in range(1, 6):
            row[f"priority_{number}_commitment"] = ""
            row[f"priority_{number}_progress"] = ""
        for commitment in pledge.commitments.all():
            row[f"priority_{commitment.priority.number}_commitment"] = commitment.body
            row[f"priority_{commitment.priority.number}_progress"] = commitment.progress
        yield row


def _url_template(base: str, name: str) -> str:
    """The URL for a numeric id, reversed once: reversing per row dominated large downloads."""
    return base + reverse(name, kwargs={"pk": 987654321}).replace("987654321", "{}")


def update_rows(base, place):
    # Plain values and one aggregated column: model instances and a prefetch per chunk
    # made the 50,000-update download take half a minute.
    updates = (
        ProgressUpdate.objects.published()
        .in_place(place)
        .annotate(
            priority_numbers=ArrayAgg(
                "priorities__number",
                filter=Q(priorities__isnull=False),
                order_by="priorities__number",
                default=Value([]),
            )
        )
        .order_by("-published_at", "pk")
        .values_list(
            "pk",
            "pledge__organisation_id",
            "pledge__organisation__slug",
            "pledge__organisation__name",
            "title",
            "body",
            "priority_numbers",
            "published_at",
            "image",
            "image_alt",
            named=True,
        )
    )
    update_url = _url_template(base, "registry:update")
    for update in updates.iterator(chunk_size=CHUNK):
        yield {
            "update_id": update.pk,
            "organisation_id": update.pledge__organisation_id,
            "organisation_slug": update.pledge__organisation__slug,
            "organisation_name": update.pledge__organisation__name,
            "title": update.title,
            "body": update.body,
            "priorities": ";".join(str(number) for number in update.priority_numbers),
            "published_at": _iso(update.published_at),
            "image_url": absolute_url(default_storage.url(update.image)) if update.image else "",
            "image_alt": update.image_alt,
            "url": update_url.format(update.pk),
        }


def story_rows(base, place):
    stories = (
        Story.objects.public()
        .in_place(place)
        .order_by("-published_at", "pk")
        .values_list(
            "pk",
            "organisation_id",
            "organisation__slug",
            "organisation__name",
            "area__slug",
            "priority__number",
            "priority__slug",
            "body",
            "shown_name",
            "published_at",
            "reply",
            "reply_hidden_at",
            named=True,
        )
    )  # named columns only: the resident's address is never read here
    story_url = _url_template(base, "registry:story")
    for story in stories.iterator(chunk_size=CHUNK):
        yield {
            "story_id": story.pk,
            "organisation_id": story.organisation_id or "",
            "organisation_slug": story.organisation__slug or "",
            "organisation_name": story.organisation__name or "",
            "area": story.area__slug or "",
            "priority": story.priority__number or "",
            "priority_slug": story.priority__slug or "",
            "story": story.body,
            "shown_name": story.shown_name,
            "published_at": _iso(story.published_at),
            "reply": "" if story.reply_hidden_at else story.reply,
            "url": story_url.format(story.pk),
        }


class _Echo:
    def write(self, value):
        return value


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """A text cell that a spreadsheet would run as a formula gets a leading apostrophe (OWASP)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _csv_stream(rows, columns):
    writer = csv.DictWriter(_Echo(), fieldnames=[name for name, _ in columns])
    yield "\ufeff"  # so that spreadsheet programs read UTF-8
    yield writer.writeheader()
    for row in rows:
        yield writer.writerow({key: spreadsheet_safe(value) for key, value in row.items()})


LICENCE = {
    "licence": "Open Government Licence v3.0",
    "licence_url": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
}


def _json_stream(rows):
    yield json.dumps(LICENCE)[:-1] + ', "data": ['
    for index, row in enumerate(rows):
        yield ("," if index else "") + json.dumps(row, ensure_ascii=False)
    yield "]}"


def stream(kind: str, file_format: str, place) -> StreamingHttpResponse:
    rows, columns = {
        "organisations": (organisation_rows, ORGANISATION_COLUMNS),
        "updates": (update_rows, UPDATE_COLUMNS),
        "stories": (story_rows, STORY_COLUMNS),
    }[kind]
    # Read now: the rows are written after the view returns, outside the request.
    # The place's prefix too: the rows' addresses are reversed after the request has ended.
    base = site_url() + get_script_prefix().rstrip("/")
    if file_format == "csv":
        content = _csv_stream(rows(base, place), columns)
        content_type = "text/csv; charset=utf-8"
    else:
        content = _json_stream(rows(base, place))
        content_type = "application/json"
    response = StreamingHttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="kindness-commitments-{place.slug}-{kind}.{file_format}"'
    )
    return response


YEAR_COLUMNS = [
    ("table", "Which table: headline, or the name of one of the report's tables."),
    (
        "row",
        "The row's lasting key: a figure's name, a type, an area's or priority's short "
        "name, a status, or a month (YYYY-MM).",
    ),
    ("row_label", "The row as the report names it."),
    ("column", "The column as the report heads it."),
    ("value", "The figure."),
]


def year_rows(figures, place):
    """One row per figure of a year's report (`opendata.yearly`), the headline first, each
    with the network's figure beside the place's."""
    for key, label in HEADLINES:
        for column, value in (
            (place.name, figures["headline"][key]),
            ("Across the network", figures["network"][key]),
        ):
            yield {
                "table": "headline",
                "row": key,
                "row_label": str(label),
                "column": column,
                "value": value,
            }
    for name, _title, _description, columns in TABLES:
        for row in figures["tables"][name]:
            for column, value in zip(columns[1:], row["values"], strict=True):
                yield {
                    "table": name,
                    "row": row["key"],
                    "row_label": row["label"],
                    "column": str(column),
                    "value": value,
                }


def year_download(figures, place, file_format) -> HttpResponse:
    """A year's figures as CSV or JSON, under the Open Government Licence like the rest."""
    if file_format == "csv":
        content = "".join(_csv_stream(year_rows(figures, place), YEAR_COLUMNS))
        content_type = "text/csv; charset=utf-8"
    else:
        columns = {name: [str(column) for column in columns] for name, _t, _d, columns in TABLES}
        content = json.dumps({**LICENCE, **figures, "columns": columns}, ensure_ascii=False)
        content_type = "application/json"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="kindness-commitments-{place.slug}-{figures["year"]}.{file_format}"'
    )
    return response
