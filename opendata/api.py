"""The read-only JSON API at /api/v1/, with its OpenAPI schema and documentation."""

from datetime import date, datetime
from operator import attrgetter
from typing import Annotated

from django.shortcuts import get_object_or_404
from ninja import Field, NinjaAPI, Query, Schema
from ninja.decorators import decorate_view
from ninja.pagination import PageNumberPagination, paginate

from core.public import cached_public_page, public_count
from core.siteurl import absolute_url, site_url
from places.models import Place
from pledges import stats
from pledges.models import Agreement, Commitment, Pledge, ProgressUpdate
from registry.directory import directory
from stories.models import Story

api = NinjaAPI(
    title="Kindness Commitments API",
    version="1.0.0",
    description=(
        "Read-only public data of the No Child Left Behind Community Agreement registry, "
        "under the Open Government Licence v3.0. Only published content is included."
    ),
    urls_namespace="api",
    # Our own page documents the API (opendata/apidocs.py): Swagger UI needs JavaScript.
    docs_url=None,
)


def _attribute(path: str):
    """A resolver for a field read from a dotted path ("organisation.slug"). django-ninja's
    own dotted aliases try the whole path as one attribute, catch the AttributeError and parse
    it with Django's template Variable, for every field of every item: a third of a list's
    time."""
    getter = attrgetter(path)

    def resolve(obj):
        return getter(obj)

    return staticmethod(resolve)


class Pages(PageNumberPagination):
    """Page numbers, bounded so that no request can ask the database for an absurd offset."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=100_000)
        page_size: int | None = Field(None, ge=1, le=100)

    def __init__(self, **kwargs):
        super().__init__(page_size=50, max_page_size=100, **kwargs)

    def _items_count(self, queryset):
        return public_count(queryset)


class PriorityOut(Schema):
    number: int
    slug: str
    title: str
    description: str
    agreement_version: int
    resolve_agreement_version = _attribute("agreement.version")
    commitment_count: int | None = None


class PledgeCommitmentOut(Schema):
    priority_number: int
    resolve_priority_number = _attribute("priority.number")
    priority_title: str
    resolve_priority_title = _attribute("priority.title")
    body: str
    progress: str


class CommitmentOut(PledgeCommitmentOut):
    id: int
    pledge_id: int
    organisation_slug: str
    resolve_organisation_slug = _attribute("pledge.organisation.slug")
    updated_at: datetime


class PledgeOut(Schema):
    id: int
    organisation_slug: str
    resolve_organisation_slug = _attribute("organisation.slug")
    organisation_name: str
    resolve_organisation_name = _attribute("organisation.name")
    agreement_version: int
    resolve_agreement_version = _attribute("agreement.version")
    status: str
    signed_on: date
    withdrawn_on: date | None
    statement: str
    signatory_name: str | None
    signatory_role: str | None
    commitments: list[PledgeCommitmentOut]

    @staticmethod
    def resolve_signed_on(obj):
        return obj.published_at.date()

    @staticmethod
    def resolve_withdrawn_on(obj):
        return obj.withdrawn_at.date() if obj.withdrawn_at else None

    @staticmethod
    def resolve_signatory_name(obj):
        signatory = obj.public_signatory
        return signatory.name if signatory else None

    @staticmethod
    def resolve_signatory_role(obj):
        signatory = obj.public_signatory
        return signatory.role if signatory else None

    @staticmethod
    def resolve_commitments(obj):
        return list(obj.commitments.all())


class OrganisationOut(Schema):
    """An organisation with its latest public pledge (the object given is the pledge)."""

    id: int
    resolve_id = _attribute("organisation.pk")
    slug: str
    resolve_slug = _attribute("organisation.slug")
    name: str
    resolve_name = _attribute("organisation.name")
    type: str
    resolve_type = _attribute("organisation.type")
    area: str
    resolve_area = _attribute("area.slug")
    website: str
    resolve_website = _attribute("organisation.website")
    charity_number: str
    resolve_charity_number = _attribute("organisation.charity_number")
    company_number: str
    resolve_company_number = _attribute("organisation.company_number")
    school_urn: str
    resolve_school_urn = _attribute("organisation.school_urn")
    url: str
    pledge: PledgeOut

    @staticmethod
    def resolve_url(obj):
        return site_url() + obj.organisation.get_absolute_url()

    @staticmethod
    def resolve_pledge(obj):
        return obj


class UpdateOut(Schema):
    id: int
    organisation_slug: str
    resolve_organisation_slug = _attribute("pledge.organisation.slug")
    organisation_name: str
    resolve_organisation_name = _attribute("pledge.organisation.name")
    title: str
    body: str
    priority_numbers: list[int]
    published_at: datetime
    image_url: str | None
    image_alt: str
    url: str

    @staticmethod
    def resolve_priority_numbers(obj):
        return sorted(priority.number for priority in obj.priorities.all())

    @staticmethod
    def resolve_image_url(obj):
        return absolute_url(obj.image.url) if obj.image else None

    @staticmethod
    def resolve_url(obj):
        return site_url() + obj.get_absolute_url()


class StoryOut(Schema):
    """A resident's published story. The resident's address is not a field: it never leaves
    the database."""

    id: int
    organisation_slug: str | None
    organisation_name: str | None
    area: str | None
    resolve_area = staticmethod(lambda obj: obj.area.slug if obj.area else None)
    priority_slug: str | None
    story: str = Field(alias="body")
    shown_name: str = Field(alias="byline")
    published_at: datetime
    reply: str | None
    url: str

    @staticmethod
    def resolve_organisation_slug(obj):
        return obj.organisation.slug if obj.organisation else None

    @staticmethod
    def resolve_organisation_name(obj):
        return obj.organisation.name if obj.organisation else None

    @staticmethod
    def resolve_priority_slug(obj):
        return obj.priority.slug if obj.priority else None

    @staticmethod
    def resolve_reply(obj):
        return obj.reply if obj.reply_is_public else None

    @staticmethod
    def resolve_url(obj):
        return site_url() + obj.get_absolute_url()


class ErrorOut(Schema):
    detail: str | list[dict]


class CountOut(Schema):
    label: str
    count: int


class StatisticsOut(Schema):
    organisations_signed: int
    updates_last_12_months: int
    commitments_per_priority: list[CountOut]
    organisations_by_type: list[CountOut]


# A place's short name, as its addresses have it; an organisation's or priority's slug.
PlaceName = Annotated[str | None, Query(pattern=r"^[a-z0-9-]{1,50}$")]
Slug = Annotated[str | None, Query(pattern=r"^[-a-zA-Z0-9_]{1,200}$")]


def _public_pledges(place=None):
    pledges = Pledge.objects.public().for_lists()
    return pledges.filter(place=_place(place)) if place else pledges


def _place(slug):
    """The place a `place` parameter names: lists of a place no one has are empty, like any
    filter that matches nothing; lists without one cover every place of the network."""
    return Place.objects.filter(slug=slug).first() or Place(pk=0, slug=slug)


@api.get(
    "/organisations",
    response={200: list[OrganisationOut], 400: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    tags=["organisations"],
)
@decorate_view(cached_public_page)
@paginate(Pages)
def list_organisations(request, place: PlaceName = None):
    """Every organisation's public pledge, withdrawn ones included: in one place (`place`,
    its short name), or in each place of the network (an organisation that signed in two
    places is listed twice)."""
    return directory({"withdrawn": True, **({"place": _place(place)} if place else {})})


@api.get(
    "/organisations/{slug}",
    response={200: OrganisationOut, 400: ErrorOut, 404: ErrorOut},
    tags=["organisations"],
)
@decorate_view(cached_public_page)
def get_organisation(request, slug: str):
    return get_object_or_404(
        _public_pledges().filter(organisation__slug=slug).order_by("-published_at")[:1]
    )


@api.get(
    "/pledges",
    response={200: list[PledgeOut], 400: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    tags=["pledges"],
)
@decorate_view(cached_public_page)
@paginate(Pages)
def list_pledges(request, place: PlaceName = None):
    return _public_pledges(place).order_by("-published_at", "pk")


@api.get(
    "/commitments",
    response={200: list[CommitmentOut], 400: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    tags=["pledges"],
)
@decorate_view(cached_public_page)
@paginate(Pages)
def list_commitments(request, place: PlaceName = None):
    return (
        Commitment.objects.filter(pledge__in=_public_pledges(place))
        .select_related("pledge__organisation", "priority")
        .order_by("pk")
    )


@api.get(
    "/updates",
    response={200: list[UpdateOut], 400: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    tags=["updates"],
)
@decorate_view(cached_public_page)
@paginate(Pages)
def list_updates(request, place: PlaceName = None):
    updates = ProgressUpdate.objects.published()
    return (
        (updates.in_place(_place(place)) if place else updates)
        .select_related("pledge__organisation")
        .prefetch_related("priorities")
        .order_by("-published_at", "pk")
    )


@api.get(
    "/stories",
    response={200: list[StoryOut], 400: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    tags=["stories"],
)
@decorate_view(cached_public_page)
@paginate(Pages)
def list_stories(
    request,
    place: PlaceName = None,
    organisation: Slug = None,
    priority: Slug = None,
):
    """Residents' published stories of kindness seen, newest first; `place`, `organisation`
    and `priority` (short names and slugs) narrow them."""
    stories = Story.objects.public().select_related("organisation", "priority", "area")
    stories = (stories.in_place(_place(place)) if place else stories).order_by(
        "-published_at", "pk"
    )
    if organisation:
        stories = stories.filter(organisation__slug=organisation)
    if priority:
        stories = stories.about_priority(priority)
    return stories


@api.get(
    "/priorities",
    response={200: list[PriorityOut], 400: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    tags=["priorities"],
)
@decorate_view(cached_public_page)
def list_priorities(request, place: PlaceName = None):
    """The priorities of a place's current agreement (the first place's when not given)."""
    agreement = Agreement.objects.get_current(_place(place) if place else None)
    if agreement is None:
        return []
    return stats.priorities_with_counts(agreement)


@api.get(
    "/statistics",
    response={200: StatisticsOut, 400: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    tags=["statistics"],
)
@decorate_view(cached_public_page)
def statistics(request, place: PlaceName = None):
    """One place's figures (the first place's when not given)."""
    where = get_object_or_404(Place, slug=place) if place else Place.objects.default()
    agreement = Agreement.objects.get_current(where)
    priorities = stats.priorities_with_counts(agreement) if agreement else []
    return {
        "organisations_signed": stats.organisations_signed(where.pk),
        "updates_last_12_months": stats.updates_in_last_year(where.pk),
        "commitments_per_priority": [
            {"label": p.title, "count": p.commitment_count} for p in priorities
        ],
        "organisations_by_type": [
            {"label": str(label), "count": count}
            for label, count in stats.organisations_by_type(where.pk)
        ],
    }
