"""Named reads that pages assemble from several models. They never write."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef

from organisations.models import Organisation

from .models import Pledge, PledgeEvent, ProgressUpdate


@dataclass
class Dashboard:
    pledge: Pledge | None  # the pledge the dashboard works on
    signing: Pledge | None  # a newer version's pledge in progress beside a published one
    last_return: PledgeEvent | None


def dashboard_for(organisation, place) -> Dashboard:
    """The published pledge stays in use (updates, "still accurate") while the organisation
    signs a newer version; that pledge is shown beside it as `signing`. Without a published
    pledge, the dashboard works on the current version's, else the newest."""
    current_version = Pledge.objects.get_current_for(organisation, place)
    published = published_pledge(organisation, place)
    pledge = published or current_version or Pledge.objects.in_place(place).latest_for(organisation)
    signing = (
        current_version
        if current_version is not None and published is not None and current_version != published
        else None
    )
    returned = signing or pledge
    last_return = None
    if returned is not None and returned.status == Pledge.Status.RETURNED:
        last_return = returned.events.filter(action=PledgeEvent.Action.RETURNED).first()
    return Dashboard(pledge, signing, last_return)


def published_pledge(organisation, place) -> Pledge | None:
    """The organisation's published pledge in the place (at most one: a database
    constraint)."""
    return Pledge.objects.published().in_place(place).filter(organisation=organisation).first()


def dashboard_updates(pledge: Pledge):
    """The updates its members can still edit: all but those out of public view."""
    return pledge.updates.exclude(status=ProgressUpdate.Status.HIDDEN).prefetch_related(
        "priorities"
    )[:10]


def is_draft_version(agreement) -> bool:
    """A version may be edited until it is current or anyone has signed it: then it is a
    public record. (None: a version not made yet.)"""
    return (
        agreement is None
        or agreement.pk is None
        or (not agreement.is_current and not agreement.pledges.exists())
    )


def signed_organisations(place):
    """Organisations whose public pledge in the place is published: those a resident there
    can tell a story about, and find by name on the form."""
    published = Pledge.objects.in_place(place).filter(
        organisation=OuterRef("pk"), status=Pledge.Status.PUBLISHED
    )
    return Organisation.objects.filter(Exists(published))
