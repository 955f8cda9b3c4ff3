"""What every pledges service shares: its refusals, row locks and the event record."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.hidden_files import make_private, make_public
from core.versions import public_data_changed
from organisations import permissions

from ..models import (
    Concern,
    Pledge,
    PledgeEvent,
    ProgressUpdate,
)
from ..search import refresh_search


class PledgeStateError(Exception):
    """An action that the pledge's current state or the person's role does not allow."""


class AlreadySubmittedError(PledgeStateError):
    """A second submission of one pledge (a double click, or colleagues at once): the pledge
    is submitted, which is what the person wanted."""


class StaleEditError(PledgeStateError):
    """Someone else saved the same thing after this person loaded it."""


class AgreementError(Exception):
    """A change to the agreement versions that the rules do not allow."""


def _locked(pledge: Pledge) -> Pledge:
    return (
        Pledge.objects.select_for_update()
        .select_related("organisation", "agreement")
        .get(pk=pledge.pk)
    )


def _locked_update(update: ProgressUpdate) -> ProgressUpdate:
    return (
        ProgressUpdate.objects.select_for_update()
        .select_related("pledge__organisation")
        .get(pk=update.pk)
    )


def _check_fields(instance) -> None:
    """Check the values a person gave (lengths, choices, formats) before saving.

    Not the foreign keys or constraints: the database enforces those on save, and Django
    checks each with queries of its own (three statements for a CheckConstraint). The forms
    give people the messages for the constraints they can break."""
    relations = [field.name for field in instance._meta.concrete_fields if field.is_relation]
    instance.full_clean(exclude=relations, validate_unique=False, validate_constraints=False)


def _record(pledge, action, by, reason=""):
    return PledgeEvent.objects.create(pledge=pledge, action=action, actor=by, reason=reason)


def _public_change(organisation_id, place_id=None, *, addition=False, commitments=False) -> None:
    """What the public sees of this organisation changed (in one place, when given): its
    search text, then the pages that show it (`public_data_changed`: an addition, or by
    default a safeguarding change; with `commitments` when a pledge was published or taken
    out of view)."""
    refresh_search([organisation_id])
    public_data_changed(place_id, addition=addition, commitments=commitments)


def _require(allowed: bool, message) -> None:
    if not allowed:
        raise PledgeStateError(message)


def _published_for_member(pledge: Pledge, by) -> Pledge:
    pledge = _locked(pledge)
    _require(
        permissions.allows(by, permissions.REPORT_PROGRESS, pledge.organisation),
        _("Only members of the organisation can do this."),
    )
    if pledge.status != Pledge.Status.PUBLISHED:
        raise PledgeStateError(_("This can only be done once the pledge is published."))
    return pledge


def _check_area(pledge: Pledge, area) -> None:
    """The area a pledge serves is one of its place's (a composite key says so too)."""
    if area.place_id != pledge.place_id:
        raise PledgeStateError(_("Choose one of this place's areas."))


def hold_reasons(update: ProgressUpdate) -> list[str]:
    """Every reason this update is out of public view now; it is public when there is none."""
    reasons = []
    if update.removed_at:
        reasons.append(_("the organisation removed it"))
    if update.moderator_hidden_at:
        reasons.append(_("a moderator hid it"))
    if update.concerns.filter(status=Concern.Status.OPEN, hidden_automatically=True).exists():
        reasons.append(_("a concern that it identifies a child or family is still open"))
    return reasons


def _hold(update: ProgressUpdate, field: str, *, by, reason: str) -> None:
    """Take a (locked) update out of view for one reason, `field` (`removed_at` or
    `moderator_hidden_at`), set by name with now, and record who and why."""
    setattr(update, field, timezone.now())
    update.hidden_reason = reason
    _settle(
        update,
        by=by,
        action=PledgeEvent.Action.UPDATE_HIDDEN,
        event_reason=f"{update.title}: {reason}",
    )


def _settle(update: ProgressUpdate, *, by, action, event_reason: str) -> bool:
    """Show a (locked) update exactly when no reason to hide it is left; record a change of
    view, with who and why. Returns whether it is public.

    Its photo follows: hidden at once (moved where no web server serves it, so its address
    answers 404 before this request ends), shown again once the change commits."""
    was_public = update.status == ProgressUpdate.Status.PUBLISHED
    public = not hold_reasons(update)
    if was_public and not public:
        make_private(update.stored_files())
    elif public and not was_public:
        files = update.stored_files()
        # After the commit, and robust: a storage hiccup leaves a broken picture, never a 500
        # for a change already made (logged by Django).
        transaction.on_commit(lambda: make_public(files), robust=True)
    status = ProgressUpdate.Status.PUBLISHED if public else ProgressUpdate.Status.HIDDEN
    if public:
        update.hidden_reason = ""
    update.status = status
    update.save(
        update_fields=[
            "status", "hidden_reason", "removed_at", "moderator_hidden_at", "updated_at",
        ]
    )  # fmt: skip
    if action is not None:
        _record(update.pledge, action, by, event_reason)
    # Shown, or still shown: nothing was taken out of view.
    _public_change(update.pledge.organisation_id, update.pledge.place_id, addition=public)
    return public
