"""The organisation dashboard: keeping commitments and progress up to date."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from core.forms import bound_data
from core.siteurl import site_url
from organisations import permissions
from organisations.embed import badge_embed_code
from organisations.permissions import member_required
from places.addresses import place_reverse
from places.middleware import PICKER_LIMIT
from places.models import Place

from .. import reporting
from ..forms import AreaForm, CommitmentForm, ProgressUpdateForm, ReasonForm
from ..models import Agreement, Commitment, Pledge, ProgressUpdate
from ..models.pledges import PUBLIC_STATUSES
from ..selectors import dashboard_for, dashboard_updates, published_pledge
from ..services import (
    PledgeStateError,
    StaleEditError,
    commitment_update,
    pledge_change_area,
    pledge_confirm_accurate,
    pledge_withdraw,
    progress_update_edit,
    progress_update_publish,
    progress_update_remove,
)


def _published_pledge(request, organisation):
    pledge = published_pledge(organisation, request.place)
    if pledge is None:
        raise Http404("No published pledge.")
    return pledge


@member_required(permissions.VIEW_DASHBOARD)
def dashboard(request, organisation):
    view = dashboard_for(organisation, request.place)
    pledge, signing = view.pledge, view.signing
    commitments = updates = []
    if pledge is not None:
        commitments = pledge.commitments.select_related("priority")
        updates = dashboard_updates(pledge)
    current = Agreement.objects.get_current(request.place)
    return render(
        request,
        "pledges/dashboard.html",
        {
            "organisation": organisation,
            "can_edit_profile": permissions.has_role(request.membership, permissions.EDIT_PROFILE),
            "can_withdraw": permissions.has_role(request.membership, permissions.WITHDRAW_PLEDGE),
            "pledge": pledge,
            "reporting_for_partner": reporting.FOR_PARTNERS[pledge.reporting_status]
            if pledge is not None
            else "",
            # Its page in this place, once it has one: nothing to link to before.
            "public_url": pledge.get_absolute_url()
            if pledge is not None and pledge.status in PUBLIC_STATUSES
            else None,
            "commitments": commitments,
            "updates": updates,
            "last_return": view.last_return,
            "embed_code": badge_embed_code(organisation, site_url(request), request.place)
            if pledge is not None and pledge.status == Pledge.Status.PUBLISHED
            else None,
            "signing": signing,
            # The same organisation's dashboard in each other place of the network (those it
            # is a partner in, when there are too many to list).
            "other_places": [
                (other, place_reverse(other.pk, "pledges:dashboard", args=[organisation.pk]))
                for other in _other_places(request, organisation)
                if other != request.place
            ],
            "newer_agreement": current
            if pledge is not None and current and pledge.agreement_id != current.pk and not signing
            else None,
        },
    )


def _other_places(request, organisation):
    if len(request.places) <= PICKER_LIMIT:
        return request.places
    return Place.objects.filter(pledges__organisation=organisation).distinct().order_by("name")


@member_required(permissions.REPORT_PROGRESS)
def commitment_edit(request, organisation, commitment_id):
    pledge = _published_pledge(request, organisation)
    commitment = get_object_or_404(
        Commitment.objects.select_related("priority"), pk=commitment_id, pledge=pledge
    )
    form = CommitmentForm(bound_data(request)[0], instance=commitment)
    if request.method == "POST" and form.is_valid():
        try:
            commitment_update(
                commitment=commitment,
                by=request.user,
                body=form.cleaned_data["body"],
                progress=form.cleaned_data["progress"],
                loaded_at=form.cleaned_data["loaded_at"],
            )
        except StaleEditError as error:
            form.add_error(None, str(error))
            form.data = form.data.copy()  # saving again after checking is then possible
            form.data["loaded_at"] = Commitment.objects.get(pk=commitment.pk).updated_at.isoformat()
        except (PledgeStateError, ValidationError) as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("Your commitment is saved. Earlier wording stays on record.")
            )
            return redirect("pledges:dashboard", org_id=organisation.pk)
    commitment.refresh_from_db()
    return render(
        request,
        "pledges/commitment_edit.html",
        {
            "organisation": organisation,
            "commitment": commitment,
            "form": form,
            "history": commitment.history.all()[:10],
        },
    )


@member_required(permissions.REPORT_PROGRESS)
def area_edit(request, organisation):
    pledge = _published_pledge(request, organisation)
    form = AreaForm(bound_data(request)[0], instance=pledge)
    if request.method == "POST" and form.is_valid():
        try:
            pledge_change_area(pledge=pledge, by=request.user, area=form.cleaned_data["area"])
        except PledgeStateError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The area you serve is saved."))
            return redirect("pledges:dashboard", org_id=organisation.pk)
    return render(request, "pledges/area_edit.html", {"organisation": organisation, "form": form})


def _update_form_view(request, organisation, *, update=None):
    pledge = _published_pledge(request, organisation)
    form = ProgressUpdateForm(
        *bound_data(request),
        instance=update,
        agreement=pledge.agreement,
        committed=set(pledge.commitments.values_list("priority_id", flat=True)),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {
            "by": request.user,
            "title": data["title"],
            "body": data["body"],
            "priorities": data["priorities"],
            "image": data.get("image"),
            "image_alt": data["image_alt"],
            **({"remove_image": True} if data.get("remove_image") else {}),
        }
        try:
            if update is None:
                progress_update_publish(pledge=pledge, **fields)
                messages.success(request, _("Your update is published. Thank you for sharing it."))
            else:
                progress_update_edit(update=update, **fields)
                messages.success(request, _("Your update is saved."))
        except (PledgeStateError, ValidationError) as error:
            form.add_error(None, str(error))
        else:
            return redirect("pledges:dashboard", org_id=organisation.pk)
    return render(
        request,
        "pledges/update_form.html",
        {"organisation": organisation, "form": form, "update": update},
    )


@member_required(permissions.REPORT_PROGRESS)
def update_new(request, organisation):
    return _update_form_view(request, organisation)


@member_required(permissions.REPORT_PROGRESS)
def update_change(request, organisation, update_id):
    update = get_object_or_404(
        ProgressUpdate.objects.exclude(status=ProgressUpdate.Status.HIDDEN),
        pk=update_id,
        pledge__organisation=organisation,
    )
    return _update_form_view(request, organisation, update=update)


@member_required(permissions.REPORT_PROGRESS)
def update_remove(request, organisation, update_id):
    update = get_object_or_404(
        ProgressUpdate.objects.exclude(status=ProgressUpdate.Status.HIDDEN),
        pk=update_id,
        pledge__organisation=organisation,
    )
    form = ReasonForm(bound_data(request)[0])
    if request.method == "POST" and form.is_valid():
        try:
            progress_update_remove(
                update=update, by=request.user, reason=form.cleaned_data["reason"]
            )
        except PledgeStateError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("The update is removed from public view. It stays on record.")
            )
            return redirect("pledges:dashboard", org_id=organisation.pk)
    return render(
        request,
        "pledges/update_remove.html",
        {"organisation": organisation, "update": update, "form": form},
    )


@member_required(permissions.WITHDRAW_PLEDGE)
def withdraw(request, organisation):
    pledge = _published_pledge(request, organisation)
    form = ReasonForm(bound_data(request)[0])
    if request.method == "POST" and form.is_valid():
        try:
            pledge_withdraw(pledge=pledge, by=request.user, reason=form.cleaned_data["reason"])
        except PledgeStateError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your organisation has withdrawn from the agreement."))
            return redirect("pledges:dashboard", org_id=organisation.pk)
    return render(
        request,
        "pledges/withdraw.html",
        {"organisation": organisation, "pledge": pledge, "form": form},
    )


@member_required(permissions.REPORT_PROGRESS)
def confirm_accurate(request, organisation):
    """GET shows the commitments with one button (the reminder emails link here); POST confirms."""
    pledge = _published_pledge(request, organisation)
    if request.method != "POST":
        commitments = pledge.commitments.select_related("priority").order_by("priority__number")
        return render(
            request,
            "pledges/confirm_accurate.html",
            {"organisation": organisation, "pledge": pledge, "commitments": commitments},
        )
    try:
        pledge_confirm_accurate(pledge=pledge, by=request.user)
    except PledgeStateError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Thank you. Your commitments are confirmed as accurate."))
    return redirect("pledges:dashboard", org_id=organisation.pk)
