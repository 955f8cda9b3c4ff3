"""Concerns the public reports about published content, and moderators' decisions on them."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from organisations import permissions
from places.emails import send_place_email

from ..models import (
    Concern,
    Pledge,
    PledgeEvent,
    ProgressUpdate,
)
from ._common import (
    PledgeStateError,
    _hold,
    _locked_update,
    _require,
    _settle,
    hold_reasons,
)
from .lifecycle import pledge_suspend
from .progress import _tell_update_hidden

AUTO_HIDDEN_REASON = _(
    "Hidden automatically while a moderator checks a concern that it shares personal "
    "information about a child or family."
)


@transaction.atomic
def concern_report(*, organisation, place, update=None, reason: str, details: str, by) -> Concern:
    """Anyone may report a concern, signed in or not (`by` is then anonymous and not kept),
    about an organisation's page in a place, or one of its updates there.

    A concern that an update shares personal information about a child or family hides that
    update at once, pending review: the one automatic action, recorded as an event with no
    actor. The place's moderators are emailed either way."""
    if update is not None:
        update = _locked_update(update)
        if update.pledge.organisation_id != organisation.pk:
            raise PledgeStateError(_("That update belongs to another organisation."))
        if update.pledge.place_id != place.pk:
            raise PledgeStateError(_("That update belongs to another place."))
    concern = Concern(
        organisation=organisation, place=place, update=update, reason=reason, details=details
    )
    concern.full_clean()
    concern.hidden_automatically = (
        update is not None
        and reason == Concern.HIDES_AT_ONCE
        and update.status == ProgressUpdate.Status.PUBLISHED
    )
    concern.save()
    if concern.hidden_automatically:  # the open concern itself holds the update back
        update.hidden_reason = str(AUTO_HIDDEN_REASON)
        _settle(
            update,
            by=None,
            action=PledgeEvent.Action.UPDATE_HIDDEN,
            event_reason=str(AUTO_HIDDEN_REASON),
        )
    send_place_email(
        "pledges/email/concern_reported",
        list(permissions.moderators_of(place.pk).values_list("email", flat=True)),
        {"concern": concern},
        place=place,
    )
    return concern


def concern_decide(*, concern, by, status: str, note: str):
    """Record a moderator's decision on any concern (`ConcernRecord`: about a page, an update
    or a resident's story).

    Not locked and not a check of the actor: the caller has locked the open concern as a
    moderator. Not recorded as an event: the concern keeps who, when and the note."""
    concern.status = status
    concern.decided_by = by
    concern.decision_note = note
    concern.decided_at = timezone.now()
    concern.save()
    return concern


def _locked_open_concern(concern: Concern, by) -> Concern:
    _require(permissions.is_moderator(by), _("Only moderators can do this."))
    concern = (
        Concern.objects.select_for_update(of=("self",))
        .select_related("organisation", "update__pledge", "place")
        .get(pk=concern.pk)
    )
    _require(
        permissions.moderates(by, concern.place_id),
        _("Only moderators of this place can do this."),
    )
    if concern.status != Concern.Status.OPEN:
        raise PledgeStateError(_("This concern has already been decided."))
    return concern


@transaction.atomic
def concern_uphold(*, concern: Concern, by, reason: str) -> Concern:
    """Hide what the concern is about, telling the organisation why: the update, or for a
    concern about the page, the pledge (suspended). Recorded through those services' events."""
    concern = _locked_open_concern(concern, by)
    if not reason.strip():
        raise PledgeStateError(_("Give a reason. The organisation will see it."))
    update = concern.update
    if update is None:
        pledge = Pledge.objects.public_for(concern.organisation, concern.place)
        if pledge is not None and pledge.status == Pledge.Status.PUBLISHED:
            pledge_suspend(pledge=pledge, by=by, reason=reason)  # emails the organisation
    else:
        update = _locked_update(update)
        if not update.moderator_hidden_at:  # already hidden by a moderator: the email says why
            _hold(update, "moderator_hidden_at", by=by, reason=reason)
        _tell_update_hidden(update, reason)
    return concern_decide(concern=concern, by=by, status=Concern.Status.UPHELD, note=reason)


@transaction.atomic
def concern_dismiss(*, concern: Concern, by, note: str) -> Concern:
    """Close a concern with nothing to act on. An update it hid automatically comes back,
    unless another reason to hide it remains (the organisation removed it; a moderator hid it).

    Not recorded as its own event: the concern keeps who, when and the note, and a restore
    records its own."""
    concern = _locked_open_concern(concern, by)
    if not note.strip():
        raise PledgeStateError(_("Write a note saying why nothing needs to change."))
    concern_decide(concern=concern, by=by, status=Concern.Status.DISMISSED, note=note)
    if concern.hidden_automatically:  # its hold is lifted; other reasons to hide still stand
        update = _locked_update(concern.update)
        if update.status == ProgressUpdate.Status.HIDDEN and not hold_reasons(update):
            _settle(
                update,
                by=by,
                action=PledgeEvent.Action.UPDATE_RESTORED,
                event_reason=f"{update.title}: {note}",
            )
    return concern
