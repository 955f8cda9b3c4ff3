"""What every pledges service shares: its refusals, row locks and the event record."""

from django.utils.translation import gettext as _

from core.public import public_data_changed
from organisations import permissions

from ..models import (
    Pledge,
    PledgeEvent,
    ProgressUpdate,
)
from ..search import refresh_search


class PledgeStateError(Exception):
    """An action that the pledge's current state or the person's role does not allow."""


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


def _public_change(organisation_id) -> None:
    """What the public sees of this organisation changed: its search text, then every page."""
    refresh_search([organisation_id])
    public_data_changed()


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


def _hide(update: ProgressUpdate, *, by, reason: str, event_reason: str) -> None:
    """Take a (locked) update out of public view with its reason, and record who and why.
    A hidden update may be hidden again: a moderator then gives their own reason."""
    update.status = ProgressUpdate.Status.HIDDEN
    update.hidden_reason = reason
    update.save(update_fields=["status", "hidden_reason", "updated_at"])
    _record(update.pledge, PledgeEvent.Action.UPDATE_HIDDEN, by, event_reason)
    _public_change(update.pledge.organisation_id)
