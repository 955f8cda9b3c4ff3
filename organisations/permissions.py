"""Every rule about who may do what, in one place.

Services enforce these rules; views (`member_required`) and templates ask the same ones, so
that a page never offers what its service would refuse. A person who is not a member gets 404,
so that private pages do not reveal themselves.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404

# Who is a moderator is written once, in accounts; the rules here and their callers use it.
from accounts.moderators import (  # noqa: F401
    is_moderator,
    is_network_moderator,
    moderators,
    network_moderators,
)
from places.moderators import moderated_place_ids, moderates, moderators_of, within  # noqa: F401

from .models import Membership, Organisation

# The roles a rule can need. Editors prepare; admins sign, submit and manage.
MEMBER = "member"
ADMIN = "admin"

# What each action on an organisation's data needs.
PREPARE_PLEDGE = MEMBER  # start a pledge and fill in its steps
REPORT_PROGRESS = MEMBER  # change commitments, post, edit and remove updates, confirm
VIEW_DASHBOARD = MEMBER  # the dashboard and the list of members
SUBMIT_PLEDGE = ADMIN
WITHDRAW_PLEDGE = ADMIN
EDIT_PROFILE = ADMIN
MANAGE_MEMBERS = ADMIN  # invite, change roles, remove, decide join requests
THANK_RESIDENT = ADMIN  # the one public reply to a resident's story about the organisation


def membership_for(user, organisation) -> Membership | None:
    """The person's membership of an organisation (or of the organisation with this id), with
    the organisation loaded in the same query."""
    if not user.is_authenticated:
        return None
    return (
        Membership.objects.select_related("organisation")
        .filter(user=user, organisation=organisation)
        .first()
    )


def has_role(membership: Membership | None, role: str) -> bool:
    """Whether this membership (None for a non-member) meets what a rule needs."""
    assert role in {MEMBER, ADMIN}
    return membership is not None and (role == MEMBER or membership.is_admin)


def allows(user, role: str, organisation) -> bool:
    return has_role(membership_for(user, organisation), role)


def is_member(user, organisation) -> bool:
    return allows(user, MEMBER, organisation)


def places_of(organisation) -> set[int]:
    """The places an organisation has a pledge in (a draft included): where it is a partner."""
    return set(organisation.pledges.values_list("place_id", flat=True))


def may_act_on_organisation(user, organisation) -> bool:
    """The one rule for a moderator's acts that change an organisation wherever it signed:
    correcting its profile, verifying it, inviting an admin. A moderator of the network may;
    a place's moderator only when every place the organisation is a partner in is theirs, so
    that nobody reaches another place's partner through an organisation both places share."""
    if not is_moderator(user):
        return False
    places = moderated_place_ids(user)
    if places is None:  # a moderator of the whole network
        return True
    theirs = places_of(organisation)
    return bool(theirs) and theirs <= places


def seen_by(user, queryset, lookup: str = "pk"):
    """What a moderator may see of organisations (or of rows about one: `lookup` is the path
    to its organisation): those that are partners in their places; all, for the network's."""
    places = moderated_place_ids(user)
    if places is None:
        return queryset
    partners = Organisation.objects.filter(pledges__place__in=places).values("pk")
    return queryset.filter(**{f"{lookup}__in": partners})


def can_invite(user, organisation) -> bool:
    """Its admins, and moderators giving an organisation nobody acts for its first admin."""
    return may_act_on_organisation(user, organisation) or allows(user, MANAGE_MEMBERS, organisation)


def can_register(user) -> bool:
    """Anyone signed in may register an organisation and become its first admin."""
    return bool(user.is_authenticated and user.is_active)


def can_edit_profile(user, organisation) -> bool:
    """Its admins, and moderators correcting a public profile."""
    return may_act_on_organisation(user, organisation) or allows(user, EDIT_PROFILE, organisation)


def can_hide_signatory(user, organisation, signed_by_id) -> bool:
    """The person who signed, its admins, and moderators may stop showing the name."""
    return (
        (user.is_authenticated and user.pk == signed_by_id)
        or is_moderator(user)
        or allows(user, SUBMIT_PLEDGE, organisation)
    )


def is_invitee(user, invitation) -> bool:
    """An invitation is for the address it was sent to, and no other account."""
    return user.is_authenticated and user.email.lower() == invitation.email.lower()


def member_required(role):
    """Load the organisation from `org_id` and check the role: anonymous to login,
    non-members 404, members without the role 403. Records the role on the view so that
    the permission-matrix test can find any partner view without one.
    """
    assert role in {MEMBER, ADMIN}

    def decorator(view):
        @wraps(view)
        def wrapped(request, org_id, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            # One query for both: a missing organisation and a non-member are the same 404.
            membership = membership_for(request.user, org_id)
            if membership is None:
                raise Http404("Not a member of this organisation.")
            organisation = membership.organisation
            if not has_role(membership, role):
                raise PermissionDenied("This needs an organisation admin.")
            request.organisation = organisation
            request.membership = membership
            return view(request, organisation, *args, **kwargs)

        wrapped.permission_rule = role
        return wrapped

    return decorator
