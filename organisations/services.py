"""Every write to organisations, members, invitations and join requests."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.emails import send_templated_email
from core.public import public_data_changed

from .models import PROFILE_FIELDS, Invitation, JoinRequest, Membership, Organisation


class MembershipError(Exception):
    """An action on members that would break a rule, with a message for the person."""


def unique_slug(name: str) -> str:
    base = slugify(name)[:200] or "organisation"
    slug, n = base, 2
    while Organisation.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def organisation_register(*, by, data: dict, logo=None) -> Organisation:
    """Create an organisation and make the person who registered it its admin."""
    organisation = Organisation(**{field: data.get(field, "") for field in PROFILE_FIELDS})
    organisation.slug = unique_slug(organisation.name)
    if logo is not None:
        organisation.logo.save(logo.name, logo, save=False)
    organisation.full_clean()
    organisation.save()
    Membership.objects.create(user=by, organisation=organisation, role=Membership.Role.ADMIN)
    return organisation


@transaction.atomic
def organisation_update(*, organisation: Organisation, by, data: dict, logo=None) -> Organisation:
    for field in PROFILE_FIELDS:
        if field in data:
            setattr(organisation, field, data[field])
    if logo is not None:
        organisation.logo.save(logo.name, logo, save=False)
    organisation.full_clean()
    organisation.save()
    public_data_changed([organisation.pk])
    return organisation


def admin_emails(organisation: Organisation) -> list[str]:
    return list(
        organisation.memberships.filter(role=Membership.Role.ADMIN).values_list(
            "user__email", flat=True
        )
    )


@transaction.atomic
def join_request_create(*, organisation: Organisation, user, message: str = "") -> JoinRequest:
    if organisation.memberships.filter(user=user).exists():
        raise MembershipError(_("You are already a member of %(name)s.") % {"name": organisation})
    try:
        with transaction.atomic():
            request = JoinRequest.objects.create(
                organisation=organisation, user=user, message=message
            )
    except IntegrityError as error:
        raise MembershipError(
            _("You have already asked to join %(name)s. Its admins will decide soon.")
            % {"name": organisation}
        ) from error
    send_templated_email(
        "organisations/email/join_request",
        admin_emails(organisation),
        {"join_request": request, "organisation": organisation},
    )
    return request


@transaction.atomic
def join_request_decide(*, join_request: JoinRequest, by, approve: bool) -> JoinRequest:
    join_request = JoinRequest.objects.select_for_update().get(pk=join_request.pk)
    if join_request.status != JoinRequest.Status.PENDING:
        raise MembershipError(_("This request has already been decided."))
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
    send_templated_email(
        "organisations/email/join_request_outcome",
        [join_request.user.email],
        {"join_request": join_request, "organisation": join_request.organisation},
    )
    return join_request


@transaction.atomic
def invitation_create(*, organisation: Organisation, by, email: str, role: str) -> Invitation:
    email = email.strip().lower()
    if organisation.memberships.filter(user__email__iexact=email).exists():
        raise MembershipError(_("%(email)s is already a member.") % {"email": email})
    invitation = Invitation(organisation=organisation, email=email, role=role, invited_by=by)
    invitation.full_clean()
    invitation.save()
    send_templated_email(
        "organisations/email/invitation",
        [email],
        {"invitation": invitation, "organisation": organisation, "invited_by": by},
    )
    return invitation


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user) -> Membership:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_usable:
        raise MembershipError(_("This invitation has expired or has already been used."))
    if user.email.lower() != invitation.email.lower():
        raise MembershipError(
            _("This invitation was sent to a different email address. Sign in as %(email)s.")
            % {"email": invitation.email}
        )
    membership, created = Membership.objects.get_or_create(
        user=user, organisation=invitation.organisation, defaults={"role": invitation.role}
    )
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    return membership


def _lock_admins(organisation: Organisation) -> int:
    """Lock the organisation's memberships, so two admins cannot demote each other at once."""
    memberships = list(Membership.objects.select_for_update().filter(organisation=organisation))
    return sum(1 for membership in memberships if membership.is_admin)


@transaction.atomic
def membership_change_role(*, membership: Membership, by, role: str) -> Membership:
    admins = _lock_admins(membership.organisation)
    membership.refresh_from_db()
    if membership.is_admin and role != Membership.Role.ADMIN and admins <= 1:
        raise MembershipError(
            _("%(name)s is the only admin. Make someone else an admin first.")
            % {"name": membership.user}
        )
    membership.role = role
    membership.full_clean()
    membership.save()
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, by) -> None:
    admins = _lock_admins(membership.organisation)
    membership.refresh_from_db()
    if membership.is_admin and admins <= 1:
        raise MembershipError(
            _("%(name)s is the only admin and cannot be removed. Make someone else an admin first.")
            % {"name": membership.user}
        )
    membership.delete()
