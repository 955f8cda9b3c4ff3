"""The read-only JSON API at /api/v1/, with its OpenAPI schema and documentation."""

from typing import Annotated

from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Field, NinjaAPI, Query, Schema
from ninja.decorators import decorate_view
from ninja.pagination import PageNumberPagination, paginate

from core.paging import public_count
from core.public import cached_public_page
from places.addresses import place_slug
from places.models import Place
from pledges import stats
from pledges.models import Agreement, Commitment, Pledge, ProgressUpdate
from registry.signatories import signatories
from stories.models import Story

from .schemas import (
    CommitmentOut,
    ErrorOut,
    OrganisationDetailOut,
    OrganisationOut,
    PlaceOut,
    PledgeOut,
    PriorityOut,
    StatisticsOut,
    StoryOut,
    UpdateOut,
)

api = NinjaAPI(
    title="Kindness Commitments API",
    version="1.0.0",
    description=(
        "Read-only public data of the Kindness Commitments registry: the community agreements "
        "of every place on it, "
        "under the Open Government Licence v3.0. Only published content is included."
    ),
    urls_namespace="api",
    # Our own page documents the API (opendata/apidocs.py): Swagger UI needs JavaScript.
    docs_url=None,
)


class Pages(PageNumberPagination):
    """Page numbers, bounded so that no request can ask the database for an absurd offset."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=100_000)
        page_size: int | None = Field(None, ge=1, le=100)

    def __init__(self, **kwargs):
        super().__init__(page_size=50, max_page_size=100, **kwargs)

    def _items_count(self, queryset):
        return public_count(queryset)


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
    "/places",
    response={200: list[PlaceOut], 400: ErrorOut, 422: ErrorOut},
    tags=["places"],
)
@decorate_view(cached_public_page)
@paginate(Pages)
def list_places(request):
    """Every place on the registry, by name, with its local authority code (ONS GSS code)."""
    return Place.objects.order_by("name", "pk")


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
    return signatories({"withdrawn": True, **({"place": _place(place)} if place else {})})


@api.get(
    "/organisations/{slug}",
    response={200: OrganisationDetailOut, 400: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    tags=["organisations"],
)
@decorate_view(cached_public_page)
def get_organisation(request, slug: str, place: PlaceName = None):
    """The organisation's public pledge in `place` (its short name), or without it in the
    place where it first signed; `pledges` holds its public pledge in each place."""
    every_place = list(
        _public_pledges().filter(organisation__slug=slug).order_by("published_at", "pk")
    )
    chosen = [p for p in every_place if not place or place_slug(p.place_id) == place]
    if not chosen:
        raise Http404("No public pledge there.")
    chosen[0].every_place = every_place
    return chosen[0]


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
    """The priorities of a place's current agreement (the first place's when not given, as
    before places: the API's one default, chosen here)."""
    agreement = Agreement.objects.get_current(_place(place) if place else Place.objects.default())
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
