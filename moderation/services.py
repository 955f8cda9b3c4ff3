"""Every write the moderators' own tools make: the queue's visits and the paper import.

Decisions on pledges, updates and concerns are the pledges services, which the admin's
actions and buttons call.
"""

from datetime import datetime, time

from django.contrib.admin.models import CHANGE, LogEntry
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.bulk import analyze
from core.versions import public_data_changed
from organisations import permissions
from organisations.models import Invitation, Membership, Organisation
from organisations.services import invitation_create
from pledges.models import Agreement, Commitment, ModeratorVisit, Pledge, PledgeEvent
from pledges.search import refresh_search
from pledges.services import PledgeStateError

from .paper_import import Plan, Row


def moderator_visit_record(*, by, now: datetime) -> datetime | None:
    """Remember that this moderator opened the queue now; return when they last did.

    Not locked: two tabs opening at once both store a time of now, which is right.
    Not recorded: a visit changes no pledge."""
    if not permissions.is_moderator(by):
        raise PledgeStateError(_("Only moderators can do this."))
    previous = ModeratorVisit.objects.filter(user=by).values_list("seen_at", flat=True).first()
    ModeratorVisit.objects.update_or_create(user=by, defaults={"seen_at": now})
    return previous


def paper_signatories_import(*, plan: Plan, by, place, progress=None) -> int:
    """Write every row of a checked plan (`paper_import.check`) as signatures of the place's
    current agreement, all or nothing; return how many were imported. Only a moderator of the
    place imports, and a plan with errors imports nothing. An organisation already on the
    registry from another place signs here as itself: no second organisation, and no claim
    email (its claim, if nobody has made it yet, was sent from the first place).

    Not locked: new rows; two imports of the same file at once meet the unique slug, and the
    second rolls back whole. Not recorded apart: each pledge records its PUBLISHED event,
    dated on paper, naming the moderator who imported it."""
    if place is None:
        raise ValueError("A paper import is into one place: name it.")
    agreement = Agreement.objects.get_current(place)
    if not permissions.moderates(by, agreement.place_id):
        raise PermissionError("Only moderators of the place can import its paper signatories.")
    if plan.errors:
        raise ValueError("A file with errors imports nothing.")
    priorities = {p.number: p for p in agreement.priorities.all()}
    areas = {area.slug: area for area in agreement.place.areas.all()}
    if any(row.area not in areas for row in plan.rows):
        raise ValueError("The file was checked against another place's areas.")
    imported = []
    with transaction.atomic():
        for index, row in enumerate(plan.rows, start=1):
            imported.append(_import_one(row, agreement, priorities, areas[row.area], by))
            if progress:
                progress(index, len(plan.rows))
        if imported:
            refresh_search([organisation.pk for organisation in imported])
            public_data_changed(agreement.place_id, addition=True, commitments=True)
    if imported:
        analyze(Organisation, Pledge, Commitment, Invitation, PledgeEvent)
    return len(imported)


def _import_one(row: Row, agreement, priorities, area, by) -> Organisation:
    if row.organisation_id is not None:  # on the registry already, from another place
        organisation = Organisation.objects.get(pk=row.organisation_id)
    else:
        organisation = Organisation(
            name=row.name,
            slug=Organisation.objects.free_slug(row.name),
            type=row.type,
            website=row.website,
        )
        organisation.full_clean()
        organisation.save()
    signed_at = timezone.make_aware(datetime.combine(row.date_signed, time(12)))
    pledge = Pledge.objects.create(
        organisation=organisation,
        agreement=agreement,
        area=area,
        status=Pledge.Status.PUBLISHED,
        signed_on_paper=True,
        is_authorised=True,
        submitted_at=signed_at,
        published_at=signed_at,
        # The reporting cycle starts at the import, not on the paper date: an update is due
        # one cycle after the organisation appeared here, not years before.
        last_reported_at=timezone.now(),
    )
    for number, text in sorted(row.commitments.items()):
        Commitment.objects.create(pledge=pledge, priority=priorities[number], body=text)
    PledgeEvent.objects.create(
        pledge=pledge,
        action=PledgeEvent.Action.PUBLISHED,
        actor=by,
        reason=f"Signed on paper on {row.date_signed.day} {row.date_signed:%B %Y}; imported from "
        "the paper records.",
        created_at=signed_at,
    )
    if row.organisation_id is None:  # nobody acts for it yet: the invitation is its claim
        invitation_create(
            organisation=organisation,
            by=by,
            email=row.contact_email,
            role=Membership.Role.ADMIN,
            place=agreement.place,
        )
    return organisation


class PlaceError(Exception):
    """A new place the rules do not allow; the message says why."""


@transaction.atomic
def place_create(*, place, areas: list[tuple[str, str]], copy_from: Agreement, by):
    """A moderator opens the registry to a new place: its name, short name and contacts
    (`place`, unsaved), its areas as (short name, name), and its agreement, copied from
    another place's current version with its five priorities, as the new place's version 1,
    current at once, so that the place is live without a deploy. Its moderators change the
    wording by preparing version 2, as in any place.

    Not locked: a new row; the unique name and short name decide a race. Not recorded: no
    pledge yet, and the admin's log says who."""
    if not permissions.is_network_moderator(by):
        raise PlaceError(_("Only a moderator of the whole network can open a new place."))
    if not areas:
        raise PlaceError(_("Give the place at least one area."))
    place.full_clean()
    place.save()
    for position, (slug, name) in enumerate(areas):
        area = place.areas.model(place=place, slug=slug, name=name, position=position)
        area.full_clean()
        area.save()
    copy = Agreement(
        place=place,
        version=1,
        title=copy_from.title,
        summary=copy_from.summary,
        body=copy_from.body,
        published_at=timezone.now(),
        is_current=True,
    )
    copy.save()
    for priority in copy_from.priorities.all():
        priority.pk, priority.agreement = None, copy
        priority.save()
    public_data_changed(addition=True)  # the network page and every place's picker list it
    return place


@transaction.atomic
def place_set_host(*, place, host: str, by):
    """A superuser gives a place its own host name (or takes it away): the deployment must
    answer on it first (docs/deploy.md).

    Not locked: one field of one row, and the last save wins. Not recorded: the admin's log
    says who."""
    if not (by.is_authenticated and by.is_superuser):
        raise PlaceError(_("Only a superuser can change a place's host name."))
    place.host = host.strip().lower()
    place.full_clean()
    place.save(update_fields=["host"])
    public_data_changed()
    return place


@transaction.atomic
def place_moderators_set(*, place, moderators, by):
    """A moderator of the whole network names a place's moderators (who then moderate it
    only), when it opens and at any time after: someone taken off their last place moderates
    nothing. Not recorded as a pledge's event: the place's history in the admin (a LogEntry
    written here) says who was added and who removed, by whom and when.

    Locked: the place's row, so that two network moderators editing at once take turns."""
    if not permissions.is_network_moderator(by):
        raise PlaceError(_("Only a moderator of the whole network can name a place's moderators."))
    place = type(place).objects.select_for_update().get(pk=place.pk)
    before = set(place.moderators.all())
    after = set(moderators)
    if not all(permissions.is_moderator(user) for user in after):
        raise PlaceError(_("Only moderators can moderate a place: add them to Moderators first."))
    place.moderators.set(after)
    added, removed = after - before, before - after
    if added or removed:
        LogEntry.objects.log_actions(
            user_id=by.pk,
            queryset=[place],
            action_flag=CHANGE,
            change_message=_moderators_change(added, removed),
            single_object=True,
        )
    return place


def _moderators_change(added, removed) -> str:
    def names(users):
        return ", ".join(sorted(user.email for user in users))

    parts = [
        _("Moderators added: %(names)s.") % {"names": names(added)} if added else "",
        _("Moderators removed: %(names)s.") % {"names": names(removed)} if removed else "",
    ]
    return " ".join(part for part in parts if part)


@transaction.atomic
def place_areas_save(*, place, areas, by):
    """A moderator of the place renames, reorders or adds its areas (`areas`: Area rows, new
    or changed). None is deleted here: stories point at them.

    Not locked: each area is one row, and the last save wins. Not recorded: the admin's log
    says who."""
    if not permissions.moderates(by, place.pk):
        raise PlaceError(_("Only moderators of this place can change its areas."))
    for area in areas:
        area.place = place
        area.slug = area.slug or slugify(area.name)[:30]  # a new area's, from its name
        area.full_clean()
        area.save()
    public_data_changed(place.pk)
    return place
