"""The signing flow: a task list of question pages, a check-answers page and a confirmation.

Each step saves to the server-side draft (the Pledge row), so a person can leave and
continue later on another device.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.forms import bound_data
from organisations import permissions
from organisations.permissions import member_required

from ..forms import PrioritiesForm, SignatoryForm, StatementForm
from ..models import Pledge
from ..services import (
    AlreadySubmittedError,
    PledgeStateError,
    pledge_save_priorities,
    pledge_save_signatory,
    pledge_save_statement,
    pledge_start,
    pledge_submit,
)

STEPS = [
    ("agreement", gettext_lazy("Read the agreement")),
    ("priorities", gettext_lazy("Choose priorities and say what you will do")),
    ("statement", gettext_lazy("Say why you are signing and where you serve")),
    ("signatory", gettext_lazy("Signatory declaration")),
]


# Why the signing pages send someone back to the dashboard, by the pledge's status.
NOT_EDITABLE = {
    Pledge.Status.SUBMITTED: gettext_lazy(
        "Your pledge is with a moderator. You can change it if they return it to you."
    ),
    Pledge.Status.PUBLISHED: gettext_lazy(
        "Your pledge is published. Update your commitments and post progress from here."
    ),
    None: gettext_lazy("This pledge can no longer be changed."),
}


def _draft_or_redirect(request, organisation, pledge=None):
    """The editable pledge, or a redirect to the dashboard when there is nothing to edit."""
    pledge = pledge or Pledge.objects.get_current_for(organisation, request.place)
    if pledge is None or not pledge.is_editable:
        messages.info(request, _("There is no draft pledge to change."))
        return None, redirect("pledges:dashboard", org_id=organisation.pk)
    return pledge, None


@member_required(permissions.PREPARE_PLEDGE)
def task_list(request, organisation):
    if request.method == "POST":
        try:
            pledge_start(organisation=organisation, by=request.user, place=request.place)
        except PledgeStateError as error:
            messages.error(request, str(error))
            return redirect("pledges:dashboard", org_id=organisation.pk)
        return redirect("pledges:sign", org_id=organisation.pk)
    pledge = Pledge.objects.get_current_for(organisation, request.place)
    if pledge is None:
        return render(request, "pledges/signing/start.html", {"organisation": organisation})
    if not pledge.is_editable:
        messages.info(request, NOT_EDITABLE.get(pledge.status, NOT_EDITABLE[None]))
        return redirect("pledges:dashboard", org_id=organisation.pk)
    missing = pledge.missing_steps()
    visited_agreement = request.session.get(f"read-agreement-{pledge.pk}", False) or not missing
    steps = []
    for key, label in STEPS:
        done = visited_agreement if key == "agreement" else key not in missing
        steps.append({"key": key, "label": label, "done": done})
    return render(
        request,
        "pledges/signing/task_list.html",
        {
            "organisation": organisation,
            "pledge": pledge,
            "steps": steps,
            "is_complete": not missing,
            "completed": sum(1 for step in steps if step["done"]),
        },
    )


@member_required(permissions.PREPARE_PLEDGE)
def agreement(request, organisation):
    pledge, response = _draft_or_redirect(request, organisation)
    if response:
        return response
    if request.method == "POST":
        request.session[f"read-agreement-{pledge.pk}"] = True
        return redirect("pledges:sign-priorities", org_id=organisation.pk)
    return render(
        request,
        "pledges/signing/agreement.html",
        {
            "organisation": organisation,
            "pledge": pledge,
            "agreement": pledge.agreement,
            "priorities": pledge.agreement.priorities.all(),
        },
    )


def _step(request, organisation, *, form_class, template, save, next_step, form_kwargs=None):
    """Shared shape of a question page: validate, save the draft, move on."""
    pledge, response = _draft_or_redirect(request, organisation)
    if response:
        return response
    kwargs = (form_kwargs or (lambda p: {}))(pledge)
    form = form_class(bound_data(request)[0], **kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            save(pledge, form.cleaned_data)
        except (PledgeStateError, ValidationError) as error:
            form.add_error(
                None, error.messages if isinstance(error, ValidationError) else str(error)
            )
        else:
            if request.POST.get("action") == "save-and-exit":
                messages.success(
                    request, _("Your answers are saved. You can come back at any time.")
                )
                return redirect("pledges:dashboard", org_id=organisation.pk)
            return redirect(next_step, org_id=organisation.pk)
    return render(request, template, {"organisation": organisation, "pledge": pledge, "form": form})


@member_required(permissions.PREPARE_PLEDGE)
def priorities(request, organisation):
    return _step(
        request,
        organisation,
        form_class=PrioritiesForm,
        form_kwargs=lambda pledge: {
            "priorities": pledge.agreement.priorities.all(),
            "pledge": pledge,
        },
        template="pledges/signing/priorities.html",
        save=lambda pledge, data: pledge_save_priorities(
            pledge=pledge, by=request.user, commitments=data["commitments"]
        ),
        next_step="pledges:sign-statement",
    )


@member_required(permissions.PREPARE_PLEDGE)
def statement(request, organisation):
    return _step(
        request,
        organisation,
        form_class=StatementForm,
        form_kwargs=lambda pledge: {"instance": pledge},
        template="pledges/signing/statement.html",
        save=lambda pledge, data: pledge_save_statement(
            pledge=pledge, by=request.user, statement=data["statement"], area=data["area"]
        ),
        next_step="pledges:sign-signatory",
    )


@member_required(permissions.PREPARE_PLEDGE)
def signatory(request, organisation):
    return _step(
        request,
        organisation,
        form_class=SignatoryForm,
        form_kwargs=lambda pledge: {"instance": pledge, "organisation": organisation},
        template="pledges/signing/signatory.html",
        save=lambda pledge, data: pledge_save_signatory(
            pledge=pledge,
            by=request.user,
            name=data["signatory_name"],
            role=data["signatory_role"],
            is_authorised=data["is_authorised"],
            is_public=data["is_signatory_public"],
        ),
        next_step="pledges:sign-check",
    )


def _already_submitted(request, organisation):
    """A double click, or a colleague at the same moment: the pledge is submitted either way."""
    messages.info(
        request, _("This pledge has already been submitted. You do not need to do anything else.")
    )
    return redirect("pledges:sign-submitted", org_id=organisation.pk)


@member_required(permissions.PREPARE_PLEDGE)
def check_answers(request, organisation):
    """Check your answers. Only organisation admins can submit; editors prepare."""
    pledge = Pledge.objects.get_current_for(organisation, request.place)
    if pledge is not None and pledge.status == Pledge.Status.SUBMITTED and request.method == "POST":
        return _already_submitted(request, organisation)
    pledge, response = _draft_or_redirect(request, organisation, pledge)
    if response:
        return response
    error = None
    if request.method == "POST":
        try:
            pledge_submit(pledge=pledge, by=request.user)
        except AlreadySubmittedError:  # another request won the race since the check above
            return _already_submitted(request, organisation)
        except PledgeStateError as exc:
            error = str(exc)
        else:
            return redirect("pledges:sign-submitted", org_id=organisation.pk)
    return render(
        request,
        "pledges/signing/check.html",
        {
            "organisation": organisation,
            "pledge": pledge,
            "commitments": pledge.commitments.select_related("priority"),
            "missing": pledge.missing_steps(),
            "can_submit": permissions.has_role(request.membership, permissions.SUBMIT_PLEDGE),
            "error": error,
        },
        status=400 if error else 200,
    )


@member_required(permissions.PREPARE_PLEDGE)
def submitted(request, organisation):
    pledge = Pledge.objects.get_current_for(organisation, request.place)
    if pledge is None or pledge.status != Pledge.Status.SUBMITTED:
        return redirect("pledges:dashboard", org_id=organisation.pk)
    return render(
        request, "pledges/signing/submitted.html", {"organisation": organisation, "pledge": pledge}
    )
