"""A pledge from draft to published, and each moderator decision and step after that."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.versions import public_data_changed
from organisations import permissions
from organisations.services import organisation_check_email_domain
from places.emails import send_place_email

from ..models import (
    Agreement,
    Commitment,
    Pledge,
    PledgeEvent,
)
from ..transitions import MODERATOR_TRANSITIONS
from ._common import (
    AlreadySubmittedError,
    PledgeStateError,
    _check_area,
    _check_fields,
    _locked,
    _public_change,
    _published_for_member,
    _record,
    _require,
)


def pledge_start(*, organisation, by, place) -> Pledge:
    """Return the live pledge for the place's current agreement, creating a draft if there is
    none.

    Not locked: a double click or two colleagues at once meet the database constraint, and
    both get the one pledge. Not recorded: a draft is private; submitting is the first event.
    """
    _require(
        permissions.allows(by, permissions.PREPARE_PLEDGE, organisation),
        _("Only members of the organisation can start a pledge."),
    )
    existing = Pledge.objects.get_current_for(organisation, place)
    if existing:
        return existing
    agreement = Agreement.objects.get_current(place)
    if agreement is None:
        raise PledgeStateError(_("There is no current agreement to sign."))
    try:
        with transaction.atomic():
            pledge = Pledge.objects.create(organisation=organisation, agreement=agreement)
            _prefill_from_earlier(pledge)
            return pledge
    except IntegrityError:
        return Pledge.objects.get_current_for(organisation, place)


def _prefill_from_earlier(pledge: Pledge) -> None:
    """A new version's draft starts from the organisation's published pledge: its statement,
    its area, and its commitments wherever the priority carries over (the same slug)."""
    earlier = (
        Pledge.objects.published()
        .filter(organisation=pledge.organisation, place_id=pledge.place_id)
        .first()
    )
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
    pledge.area = earlier.area
    pledge.save(update_fields=["statement", "area", "updated_at"])


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
            _check_fields(commitment)
            commitment.save()
    pledge.save(update_fields=["updated_at"])
    return pledge


@transaction.atomic
def pledge_save_statement(*, pledge: Pledge, by, statement: str, area) -> Pledge:
    """Why the organisation signs, and the area of the pledge's place it mainly serves.

    Not recorded: a draft changes freely until it is submitted, which is recorded."""
    pledge = _editable(pledge, by)
    _check_area(pledge, area)
    pledge.statement = statement
    pledge.area = area
    _check_fields(pledge)
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
    _check_fields(pledge)
    pledge.save()
    return pledge


@transaction.atomic
def pledge_submit(*, pledge: Pledge, by) -> Pledge:
    pledge = _locked(pledge)
    if pledge.status == Pledge.Status.SUBMITTED:
        raise AlreadySubmittedError(
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
    _check_fields(pledge)
    pledge.save()
    _record(pledge, PledgeEvent.Action.SUBMITTED, by)
    organisation_check_email_domain(organisation=pledge.organisation, by=by)  # evidence for review
    context = {"pledge": pledge, "organisation": pledge.organisation}
    place = pledge.place
    send_place_email(
        "pledges/email/submitted", pledge.organisation.admin_emails(), context, place=place
    )
    moderators = list(permissions.moderators_of(pledge.place_id).values_list("email", flat=True))
    send_place_email("pledges/email/submitted_moderators", moderators, context, place=place)
    return pledge


def _moderate(pledge, by, name: str, reason: str = "") -> Pledge:
    """Take the moderator decision `name`, if the transitions table allows it from here."""
    step = MODERATOR_TRANSITIONS[name]
    _require(permissions.moderates(by, pledge.place_id), _("Only moderators can do this."))
    if step.needs_reason and not reason.strip():
        raise PledgeStateError(_("Give a reason. The organisation will see it."))
    pledge = _locked(pledge)
    if pledge.status not in step.allowed_from:
        raise PledgeStateError(
            _("A %(status)s pledge cannot be %(action)s.")
            % {"status": pledge.get_status_display().lower(), "action": step.action.label.lower()}
        )
    now = timezone.now()
    if step.to == Pledge.Status.PUBLISHED:
        reinstating = step.action == PledgeEvent.Action.REINSTATED
        _make_way_for(pledge, by, now=now, reinstating=reinstating)
    pledge.status = step.to
    pledge.status_reason = reason
    if step.stamp:
        setattr(pledge, step.stamp, now)
    _check_fields(pledge)
    pledge.save()
    _record(pledge, step.action, by, reason)
    _public_change(
        pledge.organisation_id,
        pledge.place_id,
        addition=step.to == Pledge.Status.PUBLISHED,
        commitments=True,
    )
    send_place_email(
        "pledges/email/moderation_outcome",
        pledge.organisation.admin_emails(),
        {"pledge": pledge, "organisation": pledge.organisation, "action": step.action},
        place=pledge.place,
    )
    return pledge


def _make_way_for(pledge: Pledge, by, *, now, reinstating: bool) -> None:
    """An organisation has one public pledge: publishing a newer one supersedes the one the
    public sees now, dated, in the same transaction. A suspended pledge that a newer one has
    replaced cannot come back over it."""
    earlier = list(
        Pledge.objects.public()
        .select_for_update()
        .filter(organisation_id=pledge.organisation_id, place_id=pledge.place_id)
        .exclude(pk=pledge.pk)
    )
    if reinstating and earlier:
        raise PledgeStateError(
            _("This organisation has published a newer pledge since; it cannot be reinstated.")
        )
    for older in earlier:
        older.status = Pledge.Status.SUPERSEDED
        older.superseded_at = now
        older.save(update_fields=["status", "superseded_at", "updated_at"])
        note = _("Replaced by the pledge to version %(version)s.") % {
            "version": pledge.agreement.version
        }
        _record(older, PledgeEvent.Action.SUPERSEDED, by, note)


@transaction.atomic
def pledge_publish(*, pledge: Pledge, by) -> Pledge:
    """Approve a submitted pledge: it becomes the organisation's public pledge."""
    return _moderate(pledge, by, "approve")


@transaction.atomic
def pledge_return(*, pledge: Pledge, by, reason: str) -> Pledge:
    return _moderate(pledge, by, "return", reason)


@transaction.atomic
def pledge_reinstate(*, pledge: Pledge, by, reason: str) -> Pledge:
    """Lift a suspension, saying why. The pledge keeps its original publication date."""
    return _moderate(pledge, by, "reinstate", reason)


@transaction.atomic
def pledge_suspend(*, pledge: Pledge, by, reason: str) -> Pledge:
    return _moderate(pledge, by, "suspend", reason)


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
    _check_fields(pledge)
    pledge.save()
    _record(pledge, PledgeEvent.Action.WITHDRAWN, by, reason)
    _public_change(pledge.organisation_id, pledge.place_id, commitments=True)
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
    _public_change(pledge.organisation_id, pledge.place_id)
    return pledge


@transaction.atomic
def pledge_erase_signatory(*, pledge: Pledge, by=None) -> Pledge:
    """Retention erases a withdrawn pledge's signatory once its period is over: the name, the
    job title and the consent go, recorded with the event `pledge_hide_signatory` records.
    `by` is None: the retention rule acts, not a person."""
    pledge = _locked(pledge)
    if pledge.status != Pledge.Status.WITHDRAWN:
        raise PledgeStateError(_("Only a withdrawn pledge's signatory is erased."))
    if not (pledge.signatory_name or pledge.signatory_role or pledge.is_signatory_public):
        return pledge  # a second run changes nothing
    pledge.signatory_name = pledge.signatory_role = ""
    pledge.is_signatory_public = False
    pledge.save(
        update_fields=["signatory_name", "signatory_role", "is_signatory_public", "updated_at"]
    )
    _record(pledge, PledgeEvent.Action.SIGNATORY_HIDDEN, by, _("Retention period ended."))
    _public_change(pledge.organisation_id, pledge.place_id)
    return pledge


@transaction.atomic
def pledge_confirm_accurate(*, pledge: Pledge, by) -> Pledge:
    """'Our commitments are still accurate': counts as a progress report."""
    pledge = _published_for_member(pledge, by)
    pledge.last_reported_at = timezone.now()
    pledge.save(update_fields=["last_reported_at", "updated_at"])
    _record(pledge, PledgeEvent.Action.CONFIRMED, by)
    public_data_changed(pledge.place_id, addition=True)
    return pledge
