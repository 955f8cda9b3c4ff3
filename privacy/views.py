"""A person's own data: whose name is shown in public, and closing the account."""

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.forms import bound_data
from organisations.models import Organisation
from organisations.services import OrganisationError, account_close
from pledges.models import Pledge
from pledges.services import PledgeStateError, pledge_hide_signatory

from .forms import CloseAccountForm


@login_required
def your_data(request):
    shown = (
        Pledge.objects.filter(signed_by=request.user, is_signatory_public=True)
        .exclude(signatory_name="")
        .select_related("organisation", "agreement")
        .order_by("organisation__name")
    )
    return render(
        request,
        "privacy/your_data.html",
        {
            "signed_with_name": shown,
            "sole_admin_of": Organisation.objects.solely_administered_by(request.user),
        },
    )


@login_required
@require_POST
def hide_signatory(request, pledge_id):
    pledge = get_object_or_404(Pledge, pk=pledge_id)
    try:
        pledge_hide_signatory(pledge=pledge, by=request.user)
    except PledgeStateError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("The public pages now show only that %(name)s signed.")
            % {"name": pledge.organisation.name},
        )
    return redirect("privacy:your-data")


@login_required
@reauthentication_required(allow_get=True)  # a closing asks for the password again
def close_account(request):
    stranded = list(Organisation.objects.solely_administered_by(request.user))
    form = CloseAccountForm(bound_data(request)[0])
    if request.method == "POST" and not stranded and form.is_valid():
        try:
            account_close(user=request.user, by=request.user)
        except OrganisationError as error:  # someone else left first
            form.add_error(None, str(error))
        else:
            logout(request)
            messages.success(request, _("Your account is closed. Thank you for taking part."))
            return redirect("registry:home")
    return render(request, "privacy/close_account.html", {"form": form, "sole_admin_of": stranded})
