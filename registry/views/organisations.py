"""Public pages about organisations: the directory, each one's record, badge and certificate."""

import hashlib
from collections import defaultdict

from django.db import DatabaseError, transaction
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from core.public import PublicPaginator, cached_public_page
from core.siteurl import site_url
from organisations.embed import badge_embed_code
from organisations.models import Organisation
from organisations.permissions import is_member
from pledges.models import Agreement, Commitment, Pledge, PledgeEvent, ProgressUpdate

from ..directory import directory as directory_query
from ..directory import plan_for_search
from ..forms import DirectoryForm

PAGE_SIZE = 20


@cached_public_page
def directory(request):
    """Every organisation with a published pledge, searchable and filterable."""
    agreement = Agreement.objects.get_current()
    priorities = list(agreement.priorities.all()) if agreement else []
    form = DirectoryForm(request.GET or None, priorities=priorities)
    form.is_valid()  # invalid fields are reported on the page and left out of the filters
    filters = getattr(form, "cleaned_data", {})
    page = _directory_page(form, filters, request.GET.get("page"))
    return render(
        request,
        "registry/directory.html",
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


def _directory_page(form, filters, number):
    """One page of results. A search PostgreSQL refuses is reported on the form, never a 500."""
    if not filters.get("q"):
        return PublicPaginator(directory_query(filters), PAGE_SIZE).get_page(number)
    try:
        with transaction.atomic():
            plan_for_search()
            page = PublicPaginator(directory_query(filters), PAGE_SIZE).get_page(number)
            page.object_list = list(page.object_list)
            return page
    except DatabaseError:
        form.add_error("q", _("We could not understand that search. Try fewer or simpler words."))
        return PublicPaginator([], PAGE_SIZE).get_page(1)


@cached_public_page
def detail(request, slug):
    """An organisation's public record: only published pledges and updates appear."""
    organisation = get_object_or_404(Organisation, slug=slug)
    pledge = Pledge.objects.prefetch_related(
        Prefetch("commitments", queryset=Commitment.objects.select_related("priority"))
    ).public_for(organisation)
    if pledge is None:
        # Unpublished organisations stay private: the page does not reveal that they exist.
        raise Http404("No public pledge.")
    committed = {commitment.priority_id: commitment for commitment in pledge.commitments.all()}
    histories = defaultdict(list)
    for record in Commitment.history.filter(id__in=[c.pk for c in committed.values()]).order_by(
        "-history_date"
    ):
        histories[record.id].append(record)
    grid = [
        {
            "priority": priority,
            "commitment": committed.get(priority.pk),
            "change": last_change(committed.get(priority.pk), histories, since=pledge.published_at),
        }
        for priority in pledge.agreement.priorities.all()
    ]
    is_published = pledge.status == Pledge.Status.PUBLISHED
    updates = list(
        ProgressUpdate.objects.published()
        .filter(pledge__organisation=organisation)
        .prefetch_related("priorities")[:20]
        if is_published
        else []
    )
    events = pledge.events.filter(
        action__in=[
            PledgeEvent.Action.PUBLISHED,
            PledgeEvent.Action.WITHDRAWN,
            PledgeEvent.Action.COMMITMENT_CHANGED,
        ]
    )[:50]
    return render(
        request,
        "registry/detail.html",
        {
            "organisation": organisation,
            "pledge": pledge,
            "grid": grid,
            "updates": updates,
            "history": public_history(pledge, events, updates, earlier_pledges(organisation)),
            # Only the organisation's own members are offered the code for their website.
            "embed_code": badge_embed_code(organisation, site_url(request))
            if is_member(request.user, organisation)
            else None,
        },
    )


def last_change(commitment, histories, *, since):
    """Every wording the commitment has had since publication, dated; None if never changed.

    Returns the date of the latest change and the earlier wordings, newest first, each with
    the dates it stood. Drafts before publication are not public history, so the wording at
    publication is the first; saves that changed only the progress are not changes of wording.
    """
    if commitment is None:
        return None
    wordings = []  # (body, from), oldest first
    for record in reversed(histories[commitment.pk]):  # the records come newest first
        if record.history_date <= since:
            wordings = [(record.body, since)]
        elif not wordings or record.body != wordings[-1][0]:
            wordings.append((record.body, record.history_date))
    if len(wordings) < 2:
        return None
    earlier = [
        {"body": body, "from": start, "until": wordings[index + 1][1]}
        for index, (body, start) in enumerate(wordings[:-1])
    ]
    return {"date": wordings[-1][1], "earlier": earlier[::-1]}


def earlier_pledges(organisation):
    """The pledges a newer one superseded, with their versions: part of the public history."""
    return Pledge.objects.filter(
        organisation=organisation, status=Pledge.Status.SUPERSEDED
    ).select_related("agreement")


def public_history(pledge, events, updates, earlier=()):
    """A dated list of what happened, newest first, from events, published updates and the
    earlier versions' pledges."""
    items = [{"date": pledge.published_at, "text": _signed(pledge)}]
    for older in earlier:
        items.append({"date": older.published_at, "text": _signed(older)})
        items.append(
            {
                "date": older.superseded_at,
                "text": _("Version %(version)s of its pledge was replaced by a newer one")
                % {"version": older.agreement.version},
            }
        )
    for event in events:
        if event.action == PledgeEvent.Action.COMMITMENT_CHANGED:
            text = _("Changed its commitment to “%(priority)s”") % {"priority": event.reason}
            items.append({"date": event.created_at, "text": text})
        elif event.action == PledgeEvent.Action.WITHDRAWN:
            items.append(
                {"date": event.created_at, "text": _("Withdrew from the Community Agreement")}
            )
    for update in updates:
        items.append(
            {
                "date": update.published_at,
                "text": _("Posted an update: %(title)s") % {"title": update.title},
                "url": update.get_absolute_url(),
            }
        )
    return sorted(items, key=lambda item: item["date"], reverse=True)


def _signed(pledge):
    return _("Signed version %(version)s of the Community Agreement") % {
        "version": pledge.agreement.version
    }


def _public_pledge(slug):
    organisation = get_object_or_404(Organisation, slug=slug)
    return organisation, Pledge.objects.public_for(organisation)


@cached_public_page
def badge(request, slug):
    """An SVG badge that proves membership, with an ETag of what it shows (a client that has
    it gets 304 Not Modified from ConditionalGetMiddleware)."""
    organisation, pledge = _public_pledge(slug)
    if pledge is None:
        raise Http404("No published pledge.")
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
    organisation, pledge = _public_pledge(slug)
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
