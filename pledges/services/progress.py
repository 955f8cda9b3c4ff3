"""Commitments changing and progress updates: posted, edited, hidden and restored."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.versions import public_data_changed
from organisations import permissions
from places.emails import send_place_email

from ..models import (
    Commitment,
    Pledge,
    PledgeEvent,
    ProgressUpdate,
)
from ..tasks import queue_image_sizes
from ._common import (
    PledgeStateError,
    StaleEditError,
    _check_area,
    _check_fields,
    _hold,
    _locked_update,
    _public_change,
    _published_for_member,
    _record,
    _require,
    _settle,
    hold_reasons,
)


@transaction.atomic
def commitment_update(
    *,
    commitment: Commitment,
    by,
    body: str,
    progress: str,
    loaded_at: datetime | None = None,
) -> Commitment:
    """Change a published commitment. django-simple-history keeps every earlier wording.

    `loaded_at` is when the person's form was loaded: a colleague's save since then is
    refused rather than overwritten, checked under the lock so that two saves take turns.
    """
    pledge = _published_for_member(commitment.pledge, by)
    commitment = Commitment.objects.select_for_update().get(pk=commitment.pk, pledge=pledge)
    if loaded_at is not None and abs((commitment.updated_at - loaded_at).total_seconds()) > 0.001:
        raise StaleEditError(
            _(
                "A colleague changed this commitment while you were editing it. "
                "Your text is below; check their changes on the dashboard, then save again."
            )
        )
    if commitment.body == body and commitment.progress == progress:
        return commitment
    commitment.body = body
    commitment.progress = progress
    commitment._history_user = by
    _check_fields(commitment)
    commitment.save()
    _record(pledge, PledgeEvent.Action.COMMITMENT_CHANGED, by, commitment.priority.title)
    _public_change(pledge.organisation_id, pledge.place_id)
    return commitment


@transaction.atomic
def pledge_change_area(*, pledge: Pledge, by, area) -> Pledge:
    """The area a published pledge serves changes (a school moves, a group grows), in public
    at once. Not recorded: as on the organisation's profile, only the area now is shown."""
    pledge = _published_for_member(pledge, by)
    _check_area(pledge, area)
    if pledge.area_id != area.pk:
        pledge.area = area
        pledge.save(update_fields=["area", "updated_at"])
        _public_change(pledge.organisation_id, pledge.place_id)
    return pledge


def _save_update(update, *, title, body, priorities, image, image_alt, remove_image=False) -> None:
    update.title, update.body, update.image_alt = title, body, image_alt
    if remove_image:  # the file stays on record with the update's history; the page drops it
        update.image, update.image_sizes, update.image_alt = "", {}, ""
    if image is not None:
        update.image.save(image.name, image, save=False)
        update.image_sizes = {}
    _check_fields(update)
    update.save()
    update.priorities.set(priorities)
    if image is not None:
        queue_image_sizes(update)


@transaction.atomic
def progress_update_publish(
    *, pledge: Pledge, by, title: str, body: str, priorities, image=None, image_alt: str = ""
) -> ProgressUpdate:
    """Post a progress update. It is public at once; moderators can hide it."""
    pledge = _published_for_member(pledge, by)
    now = timezone.now()
    update = ProgressUpdate(
        pledge=pledge, author=by, status=ProgressUpdate.Status.PUBLISHED, published_at=now
    )
    _save_update(
        update, title=title, body=body, priorities=priorities, image=image, image_alt=image_alt
    )
    pledge.last_reported_at = now
    pledge.save(update_fields=["last_reported_at", "updated_at"])
    _record(pledge, PledgeEvent.Action.UPDATE_POSTED, by, title)
    _public_change(pledge.organisation_id, pledge.place_id, addition=True)
    return update


@transaction.atomic
def progress_update_edit(
    *,
    update: ProgressUpdate,
    by,
    title: str,
    body: str,
    priorities,
    image=None,
    image_alt: str = "",
    remove_image: bool = False,
) -> ProgressUpdate:
    """Change an update's words, priorities or image; `remove_image` takes its image away."""
    update = _locked_update(update)
    _require(
        permissions.allows(by, permissions.REPORT_PROGRESS, update.pledge.organisation),
        _("Only members of the organisation can edit this update."),
    )
    if update.status == ProgressUpdate.Status.HIDDEN:
        raise PledgeStateError(_("This update has been removed and cannot be edited."))
    _save_update(
        update,
        title=title,
        body=body,
        priorities=priorities,
        image=image,
        image_alt=image_alt,
        remove_image=remove_image,
    )
    _record(update.pledge, PledgeEvent.Action.UPDATE_EDITED, by, title)
    _public_change(update.pledge.organisation_id, update.pledge.place_id)
    return update


@transaction.atomic
def progress_update_remove(*, update: ProgressUpdate, by, reason: str) -> ProgressUpdate:
    """The organisation takes its own update out of public view. It stays on record; the
    event says who and why. Only a moderator could put it back, and then only on the
    organisation's word: a moderator's restore does not lift the organisation's removal."""
    update = _locked_update(update)
    _require(
        permissions.allows(by, permissions.REPORT_PROGRESS, update.pledge.organisation),
        _("Only members of the organisation can remove this update."),
    )
    if not reason.strip():
        raise PledgeStateError(_("Give a reason for removing the update."))
    if update.removed_at:
        raise PledgeStateError(_("This update has already been removed."))
    _hold(update, "removed_at", by=by, reason=reason)
    return update


@transaction.atomic
def progress_update_hide(*, update: ProgressUpdate, by, reason: str) -> ProgressUpdate:
    """A moderator takes an update out of public view, with a reason the organisation sees."""
    update = _locked_update(update)
    _require(
        permissions.moderates(by, update.pledge.place_id), _("Only moderators can hide an update.")
    )
    if not reason.strip():
        raise PledgeStateError(_("Give a reason for hiding the update."))
    if update.moderator_hidden_at:
        raise PledgeStateError(_("A moderator has already hidden this update."))
    _hold(update, "moderator_hidden_at", by=by, reason=reason)
    _tell_update_hidden(update, reason)
    return update


def _tell_update_hidden(update: ProgressUpdate, reason: str) -> None:
    """The organisation's admins learn why a moderator hid one of its updates, in its place."""
    organisation = update.pledge.organisation
    send_place_email(
        "pledges/email/update_hidden",
        organisation.admin_emails(),
        {"update": update, "organisation": organisation, "reason": reason},
        place=update.pledge.place,
    )


@transaction.atomic
def progress_update_restore(*, update: ProgressUpdate, by, reason: str) -> ProgressUpdate:
    """Lift a moderator's hide, with a reason. The update comes back only when no other
    reason to hide it is left; otherwise the restore is refused and says which remains."""
    update = _locked_update(update)
    _require(
        permissions.moderates(by, update.pledge.place_id),
        _("Only moderators can restore an update."),
    )
    if not reason.strip():
        raise PledgeStateError(_("Give a reason for restoring the update."))
    if update.status != ProgressUpdate.Status.HIDDEN:
        raise PledgeStateError(_("Only a removed update can be restored."))
    update.moderator_hidden_at = None
    others = hold_reasons(update)
    if others:
        raise PledgeStateError(
            _("This update stays hidden: %(reasons)s.") % {"reasons": "; ".join(others)}
        )
    _settle(
        update,
        by=by,
        action=PledgeEvent.Action.UPDATE_RESTORED,
        event_reason=f"{update.title}: {reason}",
    )
    return update


@transaction.atomic
def progress_update_store_sizes(*, update_id: int, image_name: str, sizes: dict, by=None) -> bool:
    """The worker made an image's narrower copies: store them if the image is still the same
    one, and move the public-data version on so that cached cards use them. `by` is None: the
    worker acts. Returns whether they were stored.

    Not locked: one conditional UPDATE, which a newer image saved meanwhile makes match
    nothing. Not recorded: a derived copy of what a member posted, not a step of its own."""
    stored = ProgressUpdate.objects.filter(pk=update_id, image=image_name).update(image_sizes=sizes)
    if stored:
        # The update's own place (and the network's pages), not every place's.
        place_id = (
            ProgressUpdate.objects.filter(pk=update_id).values_list("pledge__place_id", flat=True)
        ).get()
        public_data_changed(place_id, addition=True)
    return bool(stored)
