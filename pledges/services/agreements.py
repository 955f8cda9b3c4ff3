"""Agreement versions."""

from django.db import transaction
from django.utils.translation import gettext as _

from core.versions import public_data_changed
from organisations import permissions
from places.emails import send_place_email

from ..models import (
    PRIORITY_COUNT,
    Agreement,
    Pledge,
    PledgeEvent,
)
from ..selectors import is_draft_version
from ._common import (
    AgreementError,
    _record,
)


@transaction.atomic
def agreement_make_current(*, agreement: Agreement, by, reason: str) -> Agreement:
    """Make this published version the one organisations are asked to sign, saying why.

    The flag moves in one transaction: the database checks "exactly one current" at commit.
    Each organisation whose newest published pledge is of an older version keeps it, public and
    labelled with its version, and is invited by email to sign the new one; that pledge
    records the invitation (who made the version current, and why). Organisations already
    signing the new version are not invited.
    """
    if not permissions.moderates(by, agreement.place_id):
        raise AgreementError(_("Only moderators can do this."))
    if not reason.strip():
        raise AgreementError(_("Say why this version is becoming current."))
    # Lock the place's versions, so that two moderators swapping at once take turns.
    locked = {
        version.pk: version
        for version in Agreement.objects.select_for_update().filter(place=agreement.place_id)
    }
    agreement = locked[agreement.pk]
    if agreement.published_at is None:
        raise AgreementError(_("Set a published time before making this version current."))
    if agreement.is_current:
        raise AgreementError(_("This version is already the current agreement."))
    if agreement.priorities.count() != PRIORITY_COUNT:
        raise AgreementError(
            _("Give this version its %(count)d priorities before making it current.")
            % {"count": PRIORITY_COUNT}
        )
    Agreement.objects.filter(place=agreement.place_id, is_current=True).exclude(
        pk=agreement.pk
    ).update(is_current=False)
    agreement.is_current = True
    agreement.save(update_fields=["is_current"])
    signing = Pledge.objects.live().filter(agreement=agreement).values("organisation")
    older = (
        Pledge.objects.published()
        .filter(place=agreement.place_id)  # only this place's organisations are invited
        .exclude(organisation__in=signing)
        .select_related("organisation", "agreement")
        .order_by("organisation_id", "-agreement__version")
        .distinct("organisation_id")
    )
    note = _("Version %(version)s is now current: %(reason)s") % {
        "version": agreement.version,
        "reason": reason,
    }
    for pledge in older:
        _record(pledge, PledgeEvent.Action.INVITED_TO_RESIGN, by, note)
        send_place_email(
            "pledges/email/new_version",
            pledge.organisation.admin_emails(),
            {"pledge": pledge, "organisation": pledge.organisation, "agreement": agreement},
            place=agreement.place,
        )
    public_data_changed(agreement.place_id, commitments=True)  # the priorities' wording
    return agreement


@transaction.atomic
def agreement_save_draft(*, agreement: Agreement, by, priorities=(), removed=()) -> Agreement:
    """A moderator writes a draft version and its priorities (the admin's form and inline):
    `priorities` to save, `removed` to delete. Refused once the version is current or
    signed. Making it current is `agreement_make_current`, which needs all five.

    Not locked: a draft nobody else can see; the unique version number decides a race.
    Not recorded: no pledge points at a draft version yet, and the admin's log says who."""
    if not permissions.moderates(by, agreement.place_id):
        raise AgreementError(_("Only moderators can do this."))
    if agreement.pk is not None:
        stored = Agreement.objects.get(pk=agreement.pk)
        if not is_draft_version(stored):
            raise AgreementError(
                _("Version %(version)s is current or signed, so it can no longer be changed.")
                % {"version": stored.version}
            )
    if agreement.is_current:
        raise AgreementError(_("Make a version current with the action, which asks why."))
    agreement.full_clean()
    agreement.save()
    for priority in removed:
        priority.delete()
    for priority in priorities:
        priority.agreement = agreement
        priority.full_clean()
        priority.save()
    public_data_changed(agreement.place_id)  # the agreement page lists every version
    return agreement
