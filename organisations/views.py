"""Views for partner staff managing their organisations and colleagues."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.forms import bound_data
from places.addresses import place_reverse

from . import permissions
from .forms import InvitationForm, JoinRequestForm, OrganisationForm, RoleForm
from .models import Invitation, JoinRequest, Membership, Organisation
from .permissions import member_required
from .services import (
    OrganisationError,
    invitation_accept,
    invitation_create,
    join_request_create,
    join_request_decide,
    membership_change_role,
    membership_remove,
    organisation_register,
    organisation_update,
)


@login_required
def home(request):
    """The signed-in person's organisations, or a start page when they have none."""
    memberships = Membership.objects.filter(user=request.user).select_related("organisation")
    if len(memberships) == 1:
        return redirect(_dashboard(request, memberships[0].organisation))
    pending = JoinRequest.objects.filter(
        user=request.user, status=JoinRequest.Status.PENDING
    ).select_related("organisation")
    return render(
        request,
        "organisations/partner/home.html",
        {"memberships": memberships, "pending": pending},
    )


def _dashboard(request, organisation) -> str:
    """Its dashboard in the place of the address, or, from an address without a place, in
    the place where it last started a pledge (where its work is)."""
    place_id = None
    if not getattr(request, "place_in_address", False):
        newest = organisation.pledges.order_by("-created_at").values_list("place_id", flat=True)
        place_id = newest.first()
    if place_id is None:
        return reverse("pledges:dashboard", args=[organisation.pk])
    return place_reverse(place_id, "pledges:dashboard", args=[organisation.pk])


@login_required
def register(request):
    """Register an organisation. Similar names are suggested first, to avoid duplicates."""
    form = OrganisationForm(*bound_data(request))
    suggestions = []
    if request.method == "POST" and form.is_valid():
        suggestions = list(Organisation.objects.similar_to(form.cleaned_data["name"]))
        if suggestions and not request.POST.get("confirm_new"):
            return render(
                request,
                "organisations/partner/register.html",
                {"form": form, "suggestions": suggestions, "needs_confirmation": True},
            )
        try:
            organisation = organisation_register(
                by=request.user, data=form.cleaned_data, logo=form.cleaned_data.get("logo")
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("%(name)s is registered. You are its admin.") % {"name": organisation}
            )
            return redirect("pledges:dashboard", org_id=organisation.pk)
    return render(request, "organisations/partner/register.html", {"form": form})


@login_required
def join(request, slug):
    """Ask to join an existing organisation; its admins approve or decline."""
    organisation = get_object_or_404(Organisation, slug=slug)
    form = JoinRequestForm(bound_data(request)[0])
    if request.method == "POST" and form.is_valid():
        try:
            join_request_create(
                organisation=organisation, by=request.user, message=form.cleaned_data["message"]
            )
        except OrganisationError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("We have asked the admins of %(name)s. We will email you when they decide.")
                % {"name": organisation},
            )
        return redirect("organisations:home")
    return render(
        request, "organisations/partner/join.html", {"organisation": organisation, "form": form}
    )


@member_required(permissions.EDIT_PROFILE)
def edit(request, organisation):
    form = OrganisationForm(*bound_data(request), instance=organisation)
    if request.method == "POST" and form.is_valid():
        organisation_update(
            organisation=organisation,
            by=request.user,
            data=form.cleaned_data,
            logo=form.cleaned_data.get("logo"),
        )
        messages.success(request, _("Your organisation's profile is saved."))
        return redirect("pledges:dashboard", org_id=organisation.pk)
    # A failed form must not leave the in-memory organisation half-changed for the header.
    organisation.refresh_from_db()
    return render(
        request, "organisations/partner/edit.html", {"organisation": organisation, "form": form}
    )


@member_required(permissions.VIEW_DASHBOARD)
def members(request, organisation):
    memberships = organisation.memberships.select_related("user").order_by("user__email")
    context = {
        "organisation": organisation,
        "memberships": memberships,
        "can_manage": permissions.has_role(request.membership, permissions.MANAGE_MEMBERS),
        "join_requests": organisation.join_requests.filter(
            status=JoinRequest.Status.PENDING
        ).select_related("user"),
        "invitations": organisation.invitations.filter(accepted_at__isnull=True),
    }
    return render(request, "organisations/partner/members.html", context)


@member_required(permissions.MANAGE_MEMBERS)
def invite(request, organisation):
    form = InvitationForm(bound_data(request)[0])
    if request.method == "POST" and form.is_valid():
        try:
            invitation_create(
                organisation=organisation,
                by=request.user,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
            )
        except OrganisationError as error:
            form.add_error("email", str(error))
        else:
            messages.success(
                request,
                _("We have emailed an invitation to %(email)s.")
                % {"email": form.cleaned_data["email"]},
            )
            return redirect("organisations:members", org_id=organisation.pk)
    return render(
        request, "organisations/partner/invite.html", {"organisation": organisation, "form": form}
    )


@member_required(permissions.MANAGE_MEMBERS)
def member_change(request, organisation, membership_id):
    membership = get_object_or_404(
        Membership.objects.select_related("user"), pk=membership_id, organisation=organisation
    )
    form = RoleForm(bound_data(request)[0], initial={"role": membership.role})
    if request.method == "POST":
        try:
            if "remove" in request.POST:
                membership_remove(membership=membership, by=request.user)
                messages.success(
                    request, _("%(name)s is no longer a member.") % {"name": membership.user}
                )
                return redirect("organisations:members", org_id=organisation.pk)
            if form.is_valid():
                membership_change_role(
                    membership=membership, by=request.user, role=form.cleaned_data["role"]
                )
                messages.success(
                    request, _("%(name)s's role is saved.") % {"name": membership.user}
                )
                return redirect("organisations:members", org_id=organisation.pk)
        except OrganisationError as error:
            form.add_error(None, str(error))
    return render(
        request,
        "organisations/partner/member_change.html",
        {"organisation": organisation, "membership": membership, "form": form},
    )


@member_required(permissions.MANAGE_MEMBERS)
@require_POST
def join_request_decision(request, organisation, request_id):
    join_request = get_object_or_404(JoinRequest, pk=request_id, organisation=organisation)
    approve = request.POST.get("decision") == "approve"
    try:
        join_request_decide(join_request=join_request, by=request.user, approve=approve)
    except OrganisationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Request approved.") if approve else _("Request declined."))
    return redirect("organisations:members", org_id=organisation.pk)


@login_required
def invitation(request, token):
    """Accept an invitation. It works once, for the invited address, within 14 days."""
    invitation = get_object_or_404(Invitation.objects.select_related("organisation"), token=token)
    if request.method == "POST":
        try:
            invitation_accept(invitation=invitation, by=request.user)
        except OrganisationError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, _("You are now a member of %(name)s.") % {"name": invitation.organisation}
            )
            return redirect("pledges:dashboard", org_id=invitation.organisation_id)
    return render(request, "organisations/partner/invitation.html", {"invitation": invitation})
