"""Every rule about who may do what to an organisation's data, in one place.

Views use `member_required`; services and templates ask the `can_*` functions.
A person who is not a member gets 404, so that private pages do not reveal themselves.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from .models import Membership, Organisation

MEMBER = "member"
ADMIN = "admin"


def membership_for(user, organisation) -> Membership | None:
    if not user.is_authenticated:
        return None
    return Membership.objects.filter(user=user, organisation=organisation).first()


def is_member(user, organisation) -> bool:
    return membership_for(user, organisation) is not None


def is_admin(user, organisation) -> bool:
    membership = membership_for(user, organisation)
    return membership is not None and membership.is_admin


# What each role may do. Editors prepare; admins sign, submit and manage.
can_view_dashboard = is_member
can_edit_draft = is_member
can_edit_commitments = is_member
can_post_update = is_member
can_confirm_accurate = is_member
can_submit_pledge = is_admin
can_withdraw_pledge = is_admin
can_edit_profile = is_admin
can_manage_members = is_admin


def member_required(role):
    """Load the organisation from `org_id` and check the role: anonymous to login,
    non-members 404, members without the role 403. Records the role on the view so that
    the permission-matrix test can find any staff view without one.
    """
    assert role in {MEMBER, ADMIN}

    def decorator(view):
        @wraps(view)
        def wrapped(request, org_id, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            organisation = get_object_or_404(Organisation, pk=org_id)
            membership = membership_for(request.user, organisation)
            if membership is None:
                raise Http404("Not a member of this organisation.")
            if role == ADMIN and not membership.is_admin:
                raise PermissionDenied("This needs an organisation admin.")
            request.organisation = organisation
            request.membership = membership
            return view(request, organisation, *args, **kwargs)

        wrapped.permission_rule = role
        return wrapped

    return decorator
