"""Every write to organisations, members, invitations and join requests.

Each service checks its actor against `permissions`, and changes existing rows under a row
lock. None records a PledgeEvent (that trail belongs to pledges): each docstring says where
the record of who acted lives instead.
"""

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.emails import send_templated_email
from core.versions import public_data_changed
from places.emails import send_place_email
from places.models import Place

from . import permissions
from .models import PROFILE_FIELDS, Invitation, JoinRequest, Membership, Organisation
from .selectors import first_public_place_id
from .signals import profile_changed
from .verification import matching_addresses


class OrganisationError(Exception):
    """An action on an organisation or its members that a rule refuses, with a message."""


def _require(allowed: bool, message) -> None:
    if not allowed:
        raise OrganisationError(message)


def _set_profile(organisation: Organisation, data: dict, logo) -> None:
    for field in PROFILE_FIELDS:
        if field in data:
            setattr(organisation, field, data[field])
    if logo is not None:
        organisation.logo.save(logo.name, logo, save=False)
    organisation.full_clean()
    organisation.save()


@transaction.atomic
def organisation_register(*, by, data: dict, logo=None) -> Organisation:
    """Create an organisation and make the person who registered it its admin.

    Not locked: a new row, and the unique slug decides a race. Not recorded as an event: the
    admin membership and the creation time are the record.
    """
    _require(permissions.can_register(by), _("Sign in to register an organisation."))
    organisation = Organisation(slug=Organisation.objects.free_slug(data.get("name", "")))
    _set_profile(organisation, {field: data.get(field, "") for field in PROFILE_FIELDS}, logo)
    Membership.objects.create(user=by, organisation=organisation, role=Membership.Role.ADMIN)
    return organisation


@transaction.atomic
def organisation_update(*, organisation: Organisation, by, data: dict, logo=None) -> Organisation:
    """Change the public profile: its admins, or a moderator correcting it.

    Not recorded as an event: the profile is not part of a pledge's history, and the admin's
    own log records a moderator's correction.
    """
    _require(
        permissions.can_edit_profile(by, organisation),
        _("Only an admin of the organisation can change its profile."),
    )
    locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
    _set_profile(locked, data, logo)
    profile_changed.send(sender=Organisation, organisation=locked)
    public_data_changed()
    if "website" in data:
        organisation_check_email_domain(organisation=locked, by=by)
        locked.refresh_from_db()
    return locked


@transaction.atomic
def join_request_create(*, organisation: Organisation, by, message: str = "") -> JoinRequest:
    """Ask to join. Not locked: the unique constraint on open requests decides a double submit.

    Not recorded as an event: the request row says who asked and when, and later who decided.
    """
    _require(permissions.can_register(by), _("Sign in to ask to join."))
    if permissions.is_member(by, organisation):
        raise OrganisationError(_("You are already a member of %(name)s.") % {"name": organisation})
    try:
        with transaction.atomic():
            request = JoinRequest.objects.create(
                organisation=organisation, user=by, message=message
            )
    except IntegrityError as error:
        raise OrganisationError(
            _("You have already asked to join %(name)s. Its admins will decide soon.")
            % {"name": organisation}
        ) from error
    send_templated_email(
        "organisations/email/join_request",
        organisation.admin_emails(),
        {"join_request": request, "organisation": organisation},
    )
    return request


@transaction.atomic
def join_request_decide(*, join_request: JoinRequest, by, approve: bool) -> JoinRequest:
    """Approve or decline. Not recorded as an event: the request row says who decided, when."""
    join_request = (
        JoinRequest.objects.select_for_update()
        .select_related("organisation", "user")
        .get(pk=join_request.pk)
    )
    _require(
        permissions.allows(by, permissions.MANAGE_MEMBERS, join_request.organisation),
        _("Only an admin of the organisation can decide who joins."),
    )
    if join_request.status != JoinRequest.Status.PENDING:
        raise OrganisationError(_("This request has already been decided."))
    join_request.status = JoinRequest.Status.APPROVED if approve else JoinRequest.Status.DECLINED
    join_request.decided_by = by
    join_request.decided_at = timezone.now()
    join_request.save()
    if approve:
        Membership.objects.get_or_create(
            user=join_request.user,
            organisation=join_request.organisation,
            defaults={"role": Membership.Role.EDITOR},
        )
        organisation_check_email_domain(organisation=join_request.organisation, by=by)
    send_templated_email(
        "organisations/email/join_request_outcome",
        [join_request.user.email],
        {"join_request": join_request, "organisation": join_request.organisation},
    )
    return join_request


# How long the link to claim an organisation nobody acts for yet stays usable.
CLAIM_DAYS = 60


@transaction.atomic
def invitation_create(
    *, organisation: Organisation, by, email: str, role: str, place=None
) -> Invitation:
    """Invite someone by email: an admin of the organisation, or a moderator.

    An organisation nobody acts for yet (imported from the paper records, or left without an
    admin) is claimed: the invitation is for an admin, lasts CLAIM_DAYS and says "claim the
    page"; a moderator sends a new one when the last has expired. Not locked: a new row.
    Not recorded as an event: the invitation says who invited whom, and when.
    """
    _require(
        permissions.can_invite(by, organisation),
        _("Only an admin of the organisation can invite people."),
    )
    email = email.strip().lower()
    if organisation.memberships.filter(user__email__iexact=email).exists():
        raise OrganisationError(_("%(email)s is already a member.") % {"email": email})
    is_claim = not Organisation.objects.claimed().filter(pk=organisation.pk).exists()
    invitation = Invitation(organisation=organisation, email=email, role=role, invited_by=by)
    if is_claim:
        invitation.role = Membership.Role.ADMIN
        invitation.expires_at = timezone.now() + timezone.timedelta(days=CLAIM_DAYS)
    invitation.full_clean()
    invitation.save()
    template = "organisations/email/claim" if is_claim else "organisations/email/invitation"
    context = {"invitation": invitation, "organisation": organisation, "invited_by": by}
    # A claim shows the organisation's page in a place: the one it was imported into, or
    # where it first signed. An invitation to join is the organisation's, in no place.
    if not is_claim:
        place = None
    elif place is None:
        place = Place.objects.filter(pk=first_public_place_id(organisation)).first()
    if place is not None:
        send_place_email(template, [email], context, place=place)
    else:
        send_templated_email(template, [email], context)
    return invitation


@transaction.atomic
def invitation_accept(*, invitation: Invitation, by) -> Membership:
    """Accept once, as the invited address. Not recorded as an event: the invitation says when."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_usable:
        raise OrganisationError(_("This invitation has expired or has already been used."))
    _require(
        permissions.is_invitee(by, invitation),
        _("This invitation was sent to a different email address. Sign in as %(email)s.")
        % {"email": invitation.email},
    )
    membership, _created = Membership.objects.get_or_create(
        user=by, organisation=invitation.organisation, defaults={"role": invitation.role}
    )
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    organisation_check_email_domain(organisation=invitation.organisation, by=by)
    return membership


def _lock_admins(organisation: Organisation) -> int:
    """Lock the organisation's memberships, so two admins cannot demote each other at once."""
    memberships = list(Membership.objects.select_for_update().filter(organisation=organisation))
    return sum(1 for membership in memberships if membership.is_admin)


@transaction.atomic
def membership_change_role(*, membership: Membership, by, role: str) -> Membership:
    """Not recorded as an event: a membership's record is its current row."""
    _require(
        permissions.allows(by, permissions.MANAGE_MEMBERS, membership.organisation),
        _("Only an admin of the organisation can change roles."),
    )
    admins = _lock_admins(membership.organisation)
    membership.refresh_from_db()
    if membership.is_admin and role != Membership.Role.ADMIN and admins <= 1:
        raise OrganisationError(
            _("%(name)s is the only admin. Make someone else an admin first.")
            % {"name": membership.user}
        )
    membership.role = role
    membership.full_clean()
    membership.save()
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, by) -> None:
    """Not recorded as an event: what the person did stays attributed in the pledge's events."""
    _require(
        permissions.allows(by, permissions.MANAGE_MEMBERS, membership.organisation),
        _("Only an admin of the organisation can remove members."),
    )
    admins = _lock_admins(membership.organisation)
    membership.refresh_from_db()
    if membership.is_admin and admins <= 1:
        raise OrganisationError(
            _("%(name)s is the only admin and cannot be removed. Make someone else an admin first.")
            % {"name": membership.user}
        )
    membership.delete()


@transaction.atomic
def account_close(*, user, by) -> None:
    """Delete a person's account at their own request.

    Their memberships, email addresses and sign-in methods go with it. What they wrote stays,
    attributed to its organisation: authors and event actors become empty, not deleted.
    The last admin of an organisation must hand over first. Not recorded as an event:
    there is no one left to attribute it to.
    """
    _require(by.is_authenticated and by.pk == user.pk, _("Only you can close your account."))
    organisations = [m.organisation for m in Membership.objects.filter(user=user)]
    for organisation in organisations:  # two admins leaving at once take turns
        _lock_admins(organisation)
    stranded = list(Organisation.objects.solely_administered_by(user))
    if stranded:
        raise OrganisationError(
            _("Make someone else an admin of %(names)s before you close your account.")
            % {"names": ", ".join(organisation.name for organisation in stranded)}
        )
    get_user_model().objects.filter(pk=user.pk).delete()


@transaction.atomic
def organisation_verify(*, organisation: Organisation, by, note: str) -> Organisation:
    """A moderator checked the organisation's charity number, company number or school URN.

    Not recorded as an event (that trail belongs to pledges): the row keeps who, when and the
    note, which moderators see."""
    _require(
        permissions.may_act_on_organisation(by, organisation),
        _("Only moderators of every place it signed in can verify an organisation."),
    )
    if not note.strip():
        raise OrganisationError(_("Write a note saying what you checked."))
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    organisation.verified_at = timezone.now()
    organisation.verification = Organisation.Verification.MODERATOR
    organisation.verification_note = note
    organisation.verified_by = by
    organisation.save(
        update_fields=["verified_at", "verification", "verification_note", "verified_by"]
    )
    public_data_changed(addition=True)
    return organisation


@transaction.atomic
def organisation_check_email_domain(*, organisation: Organisation, by) -> bool:
    """Verify automatically when a member's confirmed email is on the website's domain, and
    lift an automatic verification the evidence no longer supports. A moderator's stands.

    Any actor may ask: it applies a rule and grants nothing. Not recorded as an event: the
    row keeps the method and the time."""
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if organisation.verification == Organisation.Verification.MODERATOR:
        return True
    addresses = matching_addresses(organisation)
    if addresses and not organisation.is_verified:
        organisation.verified_at = timezone.now()
        organisation.verification = Organisation.Verification.EMAIL_DOMAIN
        organisation.verification_note = ", ".join(addresses)
    elif not addresses and organisation.is_verified:
        organisation.verified_at = None
        organisation.verification = ""
        organisation.verification_note = ""
    else:
        return organisation.is_verified
    organisation.save(update_fields=["verified_at", "verification", "verification_note"])
    public_data_changed(addition=organisation.is_verified)  # a mark taken away retires at once
    return organisation.is_verified
