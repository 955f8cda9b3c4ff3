"""Every write to agreements, pledges, commitments and progress updates.

Each service checks its actor against `organisations.permissions`, checks the current state
under a row lock, records who acted in a `PledgeEvent`, and sends email only after the
transaction commits. A service that does not lock or record says why in its docstring.
"""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.emails import send_templated_email
from core.public import public_data_changed
from organisations import permissions
from organisations.services import organisation_check_email_domain

from .models import (
    Agreement,
    Commitment,
    Concern,
    ModeratorVisit,
    Pledge,
    PledgeEvent,
    ProgressUpdate,
)
from .search import refresh_search
from .tasks import queue_image_sizes


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


def _record(pledge, action, by, reason=""):
    return PledgeEvent.objects.create(pledge=pledge, action=action, actor=by, reason=reason)


def _public_change(organisation_id) -> None:
    """What the public sees of this organisation changed: its search text, then every page."""
    refresh_search([organisation_id])
    public_data_changed()


def _require(allowed: bool, message) -> None:
    if not allowed:
        raise PledgeStateError(message)


@transaction.atomic
def agreement_make_current(*, agreement: Agreement, by, reason: str) -> Agreement:
    """Make this published version the one organisations are asked to sign, saying why.

    The flag moves in one transaction: the database checks "exactly one current" at commit.
    Each organisation whose newest published pledge is of an older version keeps it, public and
    labelled with its version, and is invited by email to sign the new one; that pledge
    records the invitation (who made the version current, and why). Organisations already
    signing the new version are not invited.
    """
    if not permissions.is_moderator(by):
        raise AgreementError(_("Only moderators can do this."))
    if not reason.strip():
        raise AgreementError(_("Say why this version is becoming current."))
    # Lock every version, so that two moderators swapping at once take turns.
    locked = {version.pk: version for version in Agreement.objects.select_for_update()}
    agreement = locked[agreement.pk]
    if agreement.published_at is None:
        raise AgreementError(_("Set a published time before making this version current."))
    if agreement.is_current:
        raise AgreementError(_("This version is already the current agreement."))
    Agreement.objects.filter(is_current=True).exclude(pk=agreement.pk).update(is_current=False)
    agreement.is_current = True
    agreement.save(update_fields=["is_current"])
    signing = Pledge.objects.live().filter(agreement=agreement).values("organisation")
    older = (
        Pledge.objects.published()
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
        send_templated_email(
            "pledges/email/new_version",
            pledge.organisation.admin_emails(),
            {"pledge": pledge, "organisation": pledge.organisation, "agreement": agreement},
        )
    public_data_changed()
    return agreement


def pledge_start(*, organisation, by) -> Pledge:
    """Return the live pledge for the current agreement, creating a draft if there is none.

    Not locked: a double click or two colleagues at once meet the database constraint, and
    both get the one pledge. Not recorded: a draft is private; submitting is the first event.
    """
    _require(
        permissions.allows(by, permissions.PREPARE_PLEDGE, organisation),
        _("Only members of the organisation can start a pledge."),
    )
    existing = Pledge.objects.get_current_for(organisation)
    if existing:
        return existing
    agreement = Agreement.objects.get_current()
    if agreement is None:
        raise PledgeStateError(_("There is no current agreement to sign."))
    try:
        with transaction.atomic():
            pledge = Pledge.objects.create(organisation=organisation, agreement=agreement)
            _prefill_from_earlier(pledge)
            return pledge
    except IntegrityError:
        return Pledge.objects.get_current_for(organisation)


def _prefill_from_earlier(pledge: Pledge) -> None:
    """A new version's draft starts from the organisation's published pledge: its statement,
    and its commitments wherever the priority carries over (the same slug)."""
    earlier = Pledge.objects.published().latest_for(pledge.organisation)
    if earlier is None:
        return
    priorities = {priority.slug: priority for priority in pledge.agreement.priorities.all()}
    for commitment in earlier.commitments.select_related("priority"):
        priority = priorities.get(commitment.priority.slug)
        if priority is not None:
            Commitment.objects.create(
                pledge=pledge, priority=priority, body=commitment.body, progress=commitment.progress
            )
    pledge.statement = earlier.statement
    pledge.save(update_fields=["statement", "updated_at"])


def _editable(pledge: Pledge, by) -> Pledge:
    pledge = _locked(pledge)
    _require(
        permissions.allows(by, permissions.PREPARE_PLEDGE, pledge.organisation),
        _("Only members of the organisation can change this pledge."),
    )
    if not pledge.is_editable:
        raise PledgeStateError(
            _("This pledge has been %(status)s and can no longer be changed here.")
            % {"status": pledge.get_status_display().lower()}
        )
    return pledge


@transaction.atomic
def pledge_save_priorities(*, pledge: Pledge, by, commitments: dict) -> Pledge:
    """Save the chosen priorities. `commitments` maps a Priority to what the organisation will do.

    Not recorded: a draft changes freely until it is submitted, which is recorded.
    """
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
    """Not recorded: a draft changes freely until it is submitted, which is recorded."""
    pledge = _editable(pledge, by)
    pledge.statement = statement
    pledge.full_clean()
    pledge.save()
    return pledge


@transaction.atomic
def pledge_save_signatory(
    *, pledge: Pledge, by, name: str, role: str, is_authorised: bool, is_public: bool
) -> Pledge:
    """Not recorded: a draft changes freely until it is submitted, which is recorded."""
    pledge = _editable(pledge, by)
    pledge.signatory_name = name
    pledge.signatory_role = role
    pledge.is_authorised = is_authorised
    pledge.is_signatory_public = is_public
    pledge.full_clean()
    pledge.save()
    return pledge


@transaction.atomic
def pledge_submit(*, pledge: Pledge, by) -> Pledge:
    pledge = _locked(pledge)
    if pledge.status == Pledge.Status.SUBMITTED:
        raise PledgeStateError(
            _("This pledge has already been submitted. You do not need to do anything else.")
        )
    if not pledge.is_editable:
        raise PledgeStateError(_("This pledge cannot be submitted now."))
    _require(
        permissions.allows(by, permissions.SUBMIT_PLEDGE, pledge.organisation),
        _("Only an admin of the organisation can submit the pledge."),
    )
    if pledge.missing_steps():
        raise PledgeStateError(_("Complete every step before you submit."))
    pledge.status = Pledge.Status.SUBMITTED
    pledge.submitted_at = timezone.now()
    pledge.signed_by = by
    pledge.status_reason = ""
    pledge.full_clean()
    pledge.save()
    _record(pledge, PledgeEvent.Action.SUBMITTED, by)
    organisation_check_email_domain(organisation=pledge.organisation, by=by)  # evidence for review
    context = {"pledge": pledge, "organisation": pledge.organisation}
    send_templated_email("pledges/email/submitted", pledge.organisation.admin_emails(), context)
    moderators = list(permissions.moderators().values_list("email", flat=True))
    send_templated_email("pledges/email/submitted_moderators", moderators, context)
    return pledge


def _moderate(pledge, by, *, allowed_from, to, action, reason="", require_reason=False, stamp=True):
    _require(permissions.is_moderator(by), _("Only moderators can do this."))
    if require_reason and not reason.strip():
        raise PledgeStateError(_("Give a reason. The organisation will see it."))
    pledge = _locked(pledge)
    if pledge.status not in allowed_from:
        raise PledgeStateError(
            _("A %(status)s pledge cannot be %(action)s.")
            % {"status": pledge.get_status_display().lower(), "action": action.label.lower()}
        )
    pledge.status = to
    pledge.status_reason = reason
    if stamp:
        setattr(pledge, f"{to.value}_at", timezone.now())
    pledge.full_clean()
    pledge.save()
    _record(pledge, action, by, reason)
    _public_change(pledge.organisation_id)
    send_templated_email(
        "pledges/email/moderation_outcome",
        pledge.organisation.admin_emails(),
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
def pledge_reinstate(*, pledge: Pledge, by, reason: str) -> Pledge:
    """Lift a suspension, saying why. The pledge keeps its original publication date."""
    return _moderate(
        pledge,
        by,
        allowed_from={Pledge.Status.SUSPENDED},
        to=Pledge.Status.PUBLISHED,
        action=PledgeEvent.Action.REINSTATED,
        reason=reason,
        require_reason=True,
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
    _require(
        permissions.allows(by, permissions.WITHDRAW_PLEDGE, pledge.organisation),
        _("Only an admin of the organisation can withdraw the pledge."),
    )
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
    _public_change(pledge.organisation_id)
    return pledge


@transaction.atomic
def pledge_hide_signatory(*, pledge: Pledge, by) -> Pledge:
    """Consent to show the signatory's name is withdrawn: from now on the public pages say only
    that the organisation signed. The name stays on record for moderators."""
    pledge = _locked(pledge)
    _require(
        permissions.can_hide_signatory(by, pledge.organisation, pledge.signed_by_id),
        _("Only the person who signed, an admin of the organisation or a moderator can do this."),
    )
    if not pledge.is_signatory_public:
        return pledge  # a second click changes nothing
    pledge.is_signatory_public = False
    pledge.save(update_fields=["is_signatory_public", "updated_at"])
    _record(pledge, PledgeEvent.Action.SIGNATORY_HIDDEN, by)
    _public_change(pledge.organisation_id)
    return pledge


def _published_for_member(pledge: Pledge, by) -> Pledge:
    pledge = _locked(pledge)
    _require(
        permissions.allows(by, permissions.REPORT_PROGRESS, pledge.organisation),
        _("Only members of the organisation can do this."),
    )
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
    commitment.full_clean()
    commitment.save()
    _record(pledge, PledgeEvent.Action.COMMITMENT_CHANGED, by, commitment.priority.title)
    _public_change(pledge.organisation_id)
    return commitment


def _save_update(update, *, title, body, priorities, image, image_alt) -> None:
    update.title, update.body, update.image_alt = title, body, image_alt
    if image is not None:
        update.image.save(image.name, image, save=False)
        update.image_sizes = {}
    update.full_clean()
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
    _public_change(pledge.organisation_id)
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
) -> ProgressUpdate:
    update = _locked_update(update)
    _require(
        permissions.allows(by, permissions.REPORT_PROGRESS, update.pledge.organisation),
        _("Only members of the organisation can edit this update."),
    )
    if update.status == ProgressUpdate.Status.HIDDEN:
        raise PledgeStateError(_("This update has been removed and cannot be edited."))
    _save_update(
        update, title=title, body=body, priorities=priorities, image=image, image_alt=image_alt
    )
    _record(update.pledge, PledgeEvent.Action.UPDATE_EDITED, by, title)
    _public_change(update.pledge.organisation_id)
    return update


@transaction.atomic
def progress_update_hide(*, update: ProgressUpdate, by, reason: str) -> ProgressUpdate:
    """Remove an update from public view. It stays on record; the event says who and why."""
    update = _locked_update(update)
    _require(
        permissions.can_remove_update(by, update.pledge.organisation),
        _("Only members of the organisation can remove this update."),
    )
    if not reason.strip():
        raise PledgeStateError(_("Give a reason for removing the update."))
    if update.status == ProgressUpdate.Status.HIDDEN:
        raise PledgeStateError(_("This update has already been removed."))
    update.status = ProgressUpdate.Status.HIDDEN
    update.hidden_reason = reason
    update.save(update_fields=["status", "hidden_reason", "updated_at"])
    _record(update.pledge, PledgeEvent.Action.UPDATE_HIDDEN, by, f"{update.title}: {reason}")
    _public_change(update.pledge.organisation_id)
    return update


@transaction.atomic
def progress_update_restore(*, update: ProgressUpdate, by, reason: str) -> ProgressUpdate:
    """Put a removed update back in public view: a moderator's decision, with a reason."""
    update = _locked_update(update)
    _require(permissions.is_moderator(by), _("Only moderators can restore an update."))
    if not reason.strip():
        raise PledgeStateError(_("Give a reason for restoring the update."))
    if update.status != ProgressUpdate.Status.HIDDEN:
        raise PledgeStateError(_("Only a removed update can be restored."))
    update.status = ProgressUpdate.Status.PUBLISHED
    update.hidden_reason = ""
    update.save(update_fields=["status", "hidden_reason", "updated_at"])
    _record(update.pledge, PledgeEvent.Action.UPDATE_RESTORED, by, f"{update.title}: {reason}")
    _public_change(update.pledge.organisation_id)
    return update


def moderator_visit_record(*, by, now: datetime) -> datetime | None:
    """Remember that this moderator opened the queue now; return when they last did.

    Not locked: two tabs opening at once both store a time of now, which is right.
    Not recorded: a visit changes no pledge."""
    if not permissions.is_moderator(by):
        raise PledgeStateError(_("Only moderators can do this."))
    previous = ModeratorVisit.objects.filter(user=by).values_list("seen_at", flat=True).first()
    ModeratorVisit.objects.update_or_create(user=by, defaults={"seen_at": now})
    return previous


AUTO_HIDDEN_REASON = _(
    "Hidden automatically while a moderator checks a concern that it shares personal "
    "information about a child or family."
)


@transaction.atomic
def concern_report(*, organisation, update=None, reason: str, details: str, by) -> Concern:
    """Anyone may report a concern, signed in or not (`by` is then anonymous and not kept).

    A concern that an update shares personal information about a child or family hides that
    update at once, pending review: the one automatic action, recorded as an event with no
    actor. Moderators are emailed either way."""
    if update is not None:
        update = _locked_update(update)
        if update.pledge.organisation_id != organisation.pk:
            raise PledgeStateError(_("That update belongs to another organisation."))
    concern = Concern(organisation=organisation, update=update, reason=reason, details=details)
    concern.full_clean()
    if (
        update is not None
        and reason == Concern.Reason.CHILD_INFORMATION
        and update.status == ProgressUpdate.Status.PUBLISHED
    ):
        update.status = ProgressUpdate.Status.HIDDEN
        update.hidden_reason = str(AUTO_HIDDEN_REASON)
        update.save(update_fields=["status", "hidden_reason", "updated_at"])
        _record(update.pledge, PledgeEvent.Action.UPDATE_HIDDEN, None, str(AUTO_HIDDEN_REASON))
        _public_change(organisation.pk)
        concern.hidden_automatically = True
    concern.save()
    send_templated_email(
        "pledges/email/concern_reported",
        list(permissions.moderators().values_list("email", flat=True)),
        {"concern": concern},
    )
    return concern


def _locked_open_concern(concern: Concern, by) -> Concern:
    _require(permissions.is_moderator(by), _("Only moderators can do this."))
    concern = (
        Concern.objects.select_for_update(of=("self",))
        .select_related("organisation", "update__pledge")
        .get(pk=concern.pk)
    )
    if concern.status != Concern.Status.OPEN:
        raise PledgeStateError(_("This concern has already been decided."))
    return concern


def _decide(concern: Concern, by, status: str, note: str) -> Concern:
    concern.status = status
    concern.decided_by = by
    concern.decision_note = note
    concern.decided_at = timezone.now()
    concern.save()
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
        pledge = Pledge.objects.public().latest_for(concern.organisation)
        if pledge is not None and pledge.status == Pledge.Status.PUBLISHED:
            pledge_suspend(pledge=pledge, by=by, reason=reason)  # emails the organisation
    else:
        if update.status == ProgressUpdate.Status.HIDDEN:  # hidden automatically: say why now
            update.hidden_reason = reason
            update.save(update_fields=["hidden_reason", "updated_at"])
            _record(
                update.pledge, PledgeEvent.Action.UPDATE_HIDDEN, by, f"{update.title}: {reason}"
            )
        else:
            progress_update_hide(update=update, by=by, reason=reason)
        send_templated_email(
            "pledges/email/update_hidden",
            concern.organisation.admin_emails(),
            {"update": update, "organisation": concern.organisation, "reason": reason},
        )
    return _decide(concern, by, Concern.Status.UPHELD, reason)


@transaction.atomic
def concern_dismiss(*, concern: Concern, by, note: str) -> Concern:
    """Close a concern with nothing to act on; an update hidden automatically comes back.

    Not recorded as its own event: the concern keeps who, when and the note, and a restore
    records its own."""
    concern = _locked_open_concern(concern, by)
    if not note.strip():
        raise PledgeStateError(_("Write a note saying why nothing needs to change."))
    update = concern.update
    if concern.hidden_automatically and update.status == ProgressUpdate.Status.HIDDEN:
        progress_update_restore(update=update, by=by, reason=note)
    return _decide(concern, by, Concern.Status.DISMISSED, note)
