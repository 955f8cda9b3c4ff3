"""Public pages about organisations: the signatories, each one's record, badge and certificate."""

import hashlib

from django.db import DatabaseError, transaction
from django.db.models import Prefetch
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from core.paging import PublicPaginator
from core.public import cached_public_page
from core.siteurl import site_url
from organisations.embed import badge_embed_code
from organisations.models import Organisation
from organisations.permissions import is_member
from organisations.selectors import first_public_place_id
from places.addresses import place_path
from pledges.models import Agreement, Commitment, Pledge

from ..forms import SignatoriesForm
from ..selectors import public_record
from ..signatories import plan_for_search, pledges_in_order, signatory_ids

PAGE_SIZE = 20


@cached_public_page
def signatories(request):
    """Every organisation with a published pledge, searchable and filterable."""
    agreement = Agreement.objects.get_current(request.place)
    priorities = list(agreement.priorities.all()) if agreement else []
    form = SignatoriesForm(
        request.GET or None, priorities=priorities, areas=request.place.areas.all()
    )
    form.is_valid()  # invalid fields are reported on the page and left out of the filters
    filters = getattr(form, "cleaned_data", {})
    page = signatories_page(form, {**filters, "place": request.place}, request.GET.get("page"))
    return render(
        request,
        "registry/signatories.html",
        {
            "form": form,
            "page": page,
            "priorities": priorities,
            "is_filtered": bool(request.GET),
            # For the page title: each state of the page has its own.
            "narrowed": any(
                filters.get(name) for name in ("type", "priority", "area", "status", "withdrawn")
            ),
        },
    )


def signatories_page(form, filters, number):
    """One page of results. A search PostgreSQL refuses is reported on the form, never a 500."""
    if not filters.get("q"):
        return _page(filters, number)
    try:
        with transaction.atomic():
            plan_for_search()
            return _page(filters, number)
    except DatabaseError:
        form.add_error("q", _("We could not understand that search. Try fewer or simpler words."))
        return PublicPaginator([], PAGE_SIZE).get_page(1)


def _page(filters, number):
    """The page is found on narrow rows, the pledges' ids in order, and only its pledges are
    read whole (docs/performance.md)."""
    page = PublicPaginator(signatory_ids(filters), PAGE_SIZE).get_page(number)
    page.object_list = pledges_in_order(page.object_list)
    return page


@cached_public_page
def detail(request, slug):
    """An organisation's public record: only published pledges and updates appear."""
    organisation = get_object_or_404(Organisation, slug=slug)
    pledge = Pledge.objects.prefetch_related(
        Prefetch("commitments", queryset=Commitment.objects.select_related("priority"))
    ).public_for(organisation, request.place)
    if pledge is None:
        # Unpublished organisations stay private: the page does not reveal that they exist.
        return _in_its_place(request, organisation)
    record = public_record(organisation, pledge)
    return render(
        request,
        "registry/detail.html",
        {
            "organisation": organisation,
            "pledge": pledge,
            **record,
            # Only the organisation's own members are offered the code for their website.
            "embed_code": badge_embed_code(organisation, site_url(request), request.place)
            if is_member(request.user, organisation)
            else None,
        },
    )


def _in_its_place(request, organisation):
    """An address from before places (no place in it) of an organisation that is public in
    another place only: moved there for good, so that links and badges on partners' websites
    keep working. Anything else is 404, revealing nothing."""
    place_id = None if request.place_in_address else first_public_place_id(organisation)
    if place_id is None:
        raise Http404("No public pledge.")
    return HttpResponsePermanentRedirect(place_path(place_id, request.path_info))


def _public_pledge(request, slug):
    organisation = get_object_or_404(Organisation, slug=slug)
    return organisation, Pledge.objects.public_for(organisation, request.place)


@cached_public_page
def badge(request, slug):
    """An SVG badge that proves membership, with an ETag of what it shows (a client that has
    it gets 304 Not Modified from ConditionalGetMiddleware)."""
    organisation, pledge = _public_pledge(request, slug)
    if pledge is None:
        return _in_its_place(request, organisation)
    context = {"organisation": organisation, "pledge": pledge}
    tag = hashlib.sha256(
        f"{organisation.name}|{pledge.status}|{pledge.published_at.year}|"
        f"{pledge.reporting_status_label}".encode()
    ).hexdigest()[:32]
    response = render(request, "registry/badge.svg", context, content_type="image/svg+xml")
    response["ETag"] = f'"{tag}"'
    patch_cache_control(response, public=True, max_age=3600)
    return response


@cached_public_page
def certificate(request, slug):
    organisation, pledge = _public_pledge(request, slug)
    if pledge is None or pledge.status != Pledge.Status.PUBLISHED:
        raise Http404("No published pledge.")
    return render(
        request,
        "registry/certificate.html",
        {
            "organisation": organisation,
            "pledge": pledge,
            "commitments": pledge.commitments.select_related("priority"),
        },
    )
