"""Every write to pledges, commitments and progress updates.

Each service checks the current state under a row lock, records who acted in a
PledgeEvent, and sends email only after the transaction commits.
"""

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.emails import send_templated_email
from core.public import public_data_changed
from organisations import permissions
from organisations.services import admin_emails

from .models import Agreement, Commitment, Pledge, PledgeEvent, ProgressUpdate

EDITABLE = {Pledge.Status.DRAFT, Pledge.Status.RETURNED}


class PledgeStateError(Exception):
    """An action that the pledge's current state or the person's role does not allow."""


def _locked(pledge: Pledge) -> Pledge:
    return (
        Pledge.objects.select_for_update()
        .select_related("organisation", "agreement")
        .get(pk=pledge.pk)
    )


def _record(pledge, action, by, reason=""):
    return PledgeEvent.objects.create(pledge=pledge, action=action, actor=by, reason=reason)


def moderator_emails() -> list[str]:
    users = get_user_model().objects.filter(is_active=True, is_staff=True)
    return list(users.values_list("email", flat=True))


@transaction.atomic
def agreement_make_current(*, agreement: Agreement, by) -> Agreement:
    """Make this published version the one organisations are asked to sign.

    The flag moves in one transaction: the database checks "exactly one current" at commit.
    Organisations that signed an older version keep that pledge and are invited to sign again.
    """
    if not (by.is_staff or by.is_superuser):
        raise PledgeStateError(_("Only moderators can do this."))
    # Lock every version, so that two moderators swapping at once take turns.
    locked = {version.pk: version for version in Agreement.objects.select_for_update()}
    agreement = locked[agreement.pk]
    if agreement.published_at is None:
        raise PledgeStateError(_("Set a published time before making this version current."))
    Agreement.objects.filter(is_current=True).exclude(pk=agreement.pk).update(is_current=False)
    agreement.is_current = True
    agreement.save(update_fields=["is_current"])
    public_data_changed()
    return agreement


def pledge_start(*, organisation, by) -> Pledge:
    """Return the live pledge for the current agreement, creating a draft if there is none.

    A double click or two colleagues at once meet the database constraint, and both get
    the one pledge.
    """
    if not permissions.can_edit_draft(by, organisation):
        raise PledgeStateError(_("Only members of the organisation can start a pledge."))
    existing = Pledge.objects.current_for(organisation)
    if existing:
        return existing
    agreement = Agreement.objects.current()
    if agreement is None:
        raise PledgeStateError(_("There is no current agreement to sign."))
    try:
        with transaction.atomic():
            return Pledge.objects.create(organisation=organisation, agreement=agreement)
    except IntegrityError:
        return Pledge.objects.current_for(organisation)


def _editable(pledge: Pledge, by) -> Pledge:
    pledge = _locked(pledge)
    if not permissions.can_edit_draft(by, pledge.organisation):
        raise PledgeStateError(_("Only members of the organisation can change this pledge."))
    if pledge.status not in EDITABLE:
        raise PledgeStateError(
            _("This pledge has been %(status)s and can no longer be changed here.")
            % {"status": pledge.get_status_display().lower()}
        )
    return pledge


@transaction.atomic
def pledge_save_priorities(*, pledge: Pledge, by, commitments: dict) -> Pledge:
    """Save the chosen priorities. `commitments` maps a Priority to what the organisation will do."""
    pledge = _editable(pledge, by)
    if not commitments:
        raise PledgeStateError(_("Choose at least one priority."))
    for priority in commitments:
        if priority.agreement_id != pledge.agreement_id:
            raise PledgeStateError(_("That priority belongs to another version of the agreement."))
    pledge.commitments.exclude(priority__in=list(commitments)).delete()
    for priority, body in commitments.items():
        commitment, _created = Commitment.objects.get_or_create(
            pledge=pledge, priority=priority, defaults={"body": body}
        )
        if commitment.body != body:
            commitment.body = body
            commitment.full_clean()
            commitment.save()
    pledge.save(update_fields=["updated_at"])
    return pledge


@transaction.atomic
def pledge_save_statement(*, pledge: Pledge, by, statement: str) -> Pledge:
    pledge = _editable(pledge, by)
    pledge.statement = statement
    pledge.full_clean()
    pledge.save()
    return pledge


@transaction.atomic
def pledge_save_signatory(
    *, pledge: Pledge, by, name: str, role: str, is_authorised: bool, is_public: bool
) -> Pledge:
    pledge = _editable(pledge, by)
    pledge.signatory_name = name
    pledge.signatory_role = role
    pledge.is_authorised = is_authorised
    pledge.is_signatory_public = is_public
    pledge.full_clean()
    pledge.save()
    return pledge


def pledge_missing_steps(pledge: Pledge) -> list[str]:
    """The steps still to complete before the pledge can be submitted."""
    missing = []
    if not pledge.commitments.exists():
        missing.append("priorities")
    if not pledge.statement.strip():
        missing.append("statement")
    if not (
        pledge.signatory_name.strip() and pledge.signatory_role.strip() and pledge.is_authorised
    ):
        missing.append("signatory")
    return missing


@transaction.atomic
def pledge_submit(*, pledge: Pledge, by) -> Pledge:
    pledge = _locked(pledge)
    if pledge.status == Pledge.Status.SUBMITTED:
        raise PledgeStateError(
            _("This pledge has already been submitted. You do not need to do anything else.")
        )
    if pledge.status not in EDITABLE:
        raise PledgeStateError(_("This pledge cannot be submitted now."))
    if not permissions.can_submit_pledge(by, pledge.organisation):
        raise PledgeStateError(_("Only an admin of the organisation can submit the pledge."))
    if pledge_missing_steps(pledge):
        raise PledgeStateError(_("Complete every step before you submit."))
    pledge.status = Pledge.Status.SUBMITTED
    pledge.submitted_at = timezone.now()
    pledge.signed_by = by
    pledge.status_reason = ""
    pledge.full_clean()
    pledge.save()
    _record(pledge, PledgeEvent.Action.SUBMITTED, by)
    context = {"pledge": pledge, "organisation": pledge.organisation}
    send_templated_email("pledges/email/submitted", admin_emails(pledge.organisation), context)
    send_templated_email("pledges/email/submitted_moderators", moderator_emails(), context)
    return pledge


def _moderate(pledge, by, *, allowed_from, to, action, reason="", require_reason=False, stamp=True):
    if not (by.is_staff or by.is_superuser):
        raise PledgeStateError(_("Only moderators can do this."))
    if require_reason and not reason.strip():
        raise PledgeStateError(_("Give a reason. The organisation will see it."))
    pledge = _locked(pledge)
    if pledge.status not in allowed_from:
        raise PledgeStateError(
            _("A %(status)s pledge cannot be %(action)s.")
            % {"status": pledge.get_status_display().lower(), "action": action.label.lower()}
        )
    now = timezone.now()
    pledge.status = to
    pledge.status_reason = reason
    if stamp:
        setattr(pledge, f"{to.value}_at", now)
    pledge.full_clean()
    pledge.save()
    _record(pledge, action, by, reason)
    public_data_changed([pledge.organisation_id])
    send_templated_email(
        "pledges/email/moderation_outcome",
        admin_emails(pledge.organisation),
        {"pledge": pledge, "organisation": pledge.organisation, "action": action},
    )
    return pledge


@transaction.atomic
def pledge_publish(*, pledge: Pledge, by) -> Pledge:
    return _moderate(
        pledge,
        by,
        allowed_from={Pledge.Status.SUBMITTED},
        to=Pledge.Status.PUBLISHED,
        action=PledgeEvent.Action.PUBLISHED,
    )


@transaction.atomic
def pledge_return(*, pledge: Pledge, by, reason: str) -> Pledge:
    return _moderate(
        pledge,
        by,
        allowed_from={Pledge.Status.SUBMITTED},
        to=Pledge.Status.RETURNED,
        action=PledgeEvent.Action.RETURNED,
        reason=reason,
        require_reason=True,
    )


@transaction.atomic
def pledge_reinstate(*, pledge: Pledge, by) -> Pledge:
    """Lift a suspension. The pledge keeps its original publication date."""
    return _moderate(
        pledge,
        by,
        allowed_from={Pledge.Status.SUSPENDED},
        to=Pledge.Status.PUBLISHED,
        action=PledgeEvent.Action.REINSTATED,
        stamp=False,
    )


@transaction.atomic
def pledge_suspend(*, pledge: Pledge, by, reason: str) -> Pledge:
    return _moderate(
        pledge,
        by,
        allowed_from={Pledge.Status.PUBLISHED},
        to=Pledge.Status.SUSPENDED,
        action=PledgeEvent.Action.SUSPENDED,
        reason=reason,
        require_reason=True,
    )


@transaction.atomic
def pledge_withdraw(*, pledge: Pledge, by, reason: str) -> Pledge:
    pledge = _locked(pledge)
    if not permissions.can_withdraw_pledge(by, pledge.organisation):
        raise PledgeStateError(_("Only an admin of the organisation can withdraw the pledge."))
    if pledge.status != Pledge.Status.PUBLISHED:
        raise PledgeStateError(_("Only a published pledge can be withdrawn."))
    if not reason.strip():
        raise PledgeStateError(_("Say why you are withdrawing."))
    pledge.status = Pledge.Status.WITHDRAWN
    pledge.withdrawn_at = timezone.now()
    pledge.status_reason = reason
    pledge.full_clean()
    pledge.save()
    _record(pledge, PledgeEvent.Action.WITHDRAWN, by, reason)
    public_data_changed([pledge.organisation_id])
    return pledge


def _published_for_member(pledge: Pledge, by) -> Pledge:
    pledge = _locked(pledge)
    if not permissions.is_member(by, pledge.organisation):
        raise PledgeStateError(_("Only members of the organisation can do this."))
    if pledge.status != Pledge.Status.PUBLISHED:
        raise PledgeStateError(_("This can only be done once the pledge is published."))
    return pledge


@transaction.atomic
def pledge_confirm_accurate(*, pledge: Pledge, by) -> Pledge:
    """'Our commitments are still accurate': counts as a progress report."""
    pledge = _published_for_member(pledge, by)
    pledge.last_reported_at = timezone.now()
    pledge.save(update_fields=["last_reported_at", "updated_at"])
    _record(pledge, PledgeEvent.Action.CONFIRMED, by)
    public_data_changed()
    return pledge


@transaction.atomic
def commitment_update(*, commitment: Commitment, by, body: str, progress: str) -> Commitment:
    """Change a published commitment. django-simple-history keeps every earlier wording."""
    pledge = _published_for_member(commitment.pledge, by)
    commitment = Commitment.objects.select_for_update().get(pk=commitment.pk, pledge=pledge)
    if commitment.body == body and commitment.progress == progress:
        return commitment
    commitment.body = body
    commitment.progress = progress
    commitment._history_user = by
    commitment.full_clean()
    commitment.save()
    _record(pledge, PledgeEvent.Action.COMMITMENT_CHANGED, by, commitment.priority.title)
    public_data_changed([pledge.organisation_id])
    return commitment


@transaction.atomic
def update_publish(
    *, pledge: Pledge, by, title: str, body: str, priorities, image=None, image_alt: str = ""
) -> ProgressUpdate:
    """Post a progress update. It is public at once; moderators can hide it."""
    pledge = _published_for_member(pledge, by)
    now = timezone.now()
    update = ProgressUpdate(
        pledge=pledge,
        title=title,
        body=body,
        image_alt=image_alt,
        author=by,
        status=ProgressUpdate.Status.PUBLISHED,
        published_at=now,
    )
    if image is not None:
        update.image.save(image.name, image, save=False)
    update.full_clean()
    update.save()
    update.priorities.set(priorities)
    pledge.last_reported_at = now
    pledge.save(update_fields=["last_reported_at", "updated_at"])
    public_data_changed([pledge.organisation_id])
    return update


@transaction.atomic
def update_edit(
    *,
    update: ProgressUpdate,
    by,
    title: str,
    body: str,
    priorities,
    image=None,
    image_alt: str = "",
) -> ProgressUpdate:
    update = ProgressUpdate.objects.select_for_update().get(pk=update.pk)
    if not permissions.can_post_update(by, update.pledge.organisation):
        raise PledgeStateError(_("Only members of the organisation can edit this update."))
    if update.status == ProgressUpdate.Status.HIDDEN:
        raise PledgeStateError(_("This update has been removed and cannot be edited."))
    update.title, update.body, update.image_alt = title, body, image_alt
    if image is not None:
        update.image.save(image.name, image, save=False)
    update.full_clean()
    update.save()
    update.priorities.set(priorities)
    public_data_changed([update.pledge.organisation_id])
    return update


@transaction.atomic
def update_hide(*, update: ProgressUpdate, by, reason: str) -> ProgressUpdate:
    """Remove an update from public view. It stays on record, with who hid it and why."""
    update = (
        ProgressUpdate.objects.select_for_update()
        .select_related("pledge__organisation")
        .get(pk=update.pk)
    )
    is_moderator = by.is_staff or by.is_superuser
    if not (is_moderator or permissions.can_post_update(by, update.pledge.organisation)):
        raise PledgeStateError(_("Only members of the organisation can remove this update."))
    if not reason.strip():
        raise PledgeStateError(_("Give a reason for removing the update."))
    if update.status == ProgressUpdate.Status.HIDDEN:
        raise PledgeStateError(_("This update has already been removed."))
    update.status = ProgressUpdate.Status.HIDDEN
    update.hidden_reason = f"{reason} ({by})"
    update.save(update_fields=["status", "hidden_reason", "updated_at"])
    public_data_changed([update.pledge.organisation_id])
    return update
