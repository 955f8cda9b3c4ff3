"""Admin actions for moderators: approve, return, suspend and reinstate pledges; hide updates;
make an agreement version current.

Every action calls the service for each selected row, so that each change is checked,
recorded and emailed as usual. Those that need a reason ask for it on a page first.
"""

from dataclasses import dataclass

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from core.admin import NoteForm, service_action
from core.admin import reason_action as _reason_action
from pledges import services
from pledges.models import Pledge
from pledges.transitions import MODERATOR_TRANSITIONS, allowed_for


def pledge_action(service, *, name, description, done):
    """An admin action that calls `service(pledge=row, by=moderator)` for each selected pledge."""
    return service_action(
        service,
        target="pledge",
        name=name,
        description=description,
        done=done,
        refused=services.PledgeStateError,
    )


approve_pledges = pledge_action(
    services.pledge_publish,
    name="approve_pledges",
    description=_("Approve and publish the selected submitted pledges"),
    done=ngettext_lazy(
        "Published %(count)d pledge. The organisation has been emailed.",
        "Published %(count)d pledges. The organisations have been emailed.",
        "count",
    ),
)


def reason_action(service, **options):
    return _reason_action(service, refused=services.PledgeStateError, **options)


return_pledges = reason_action(
    services.pledge_return,
    target="pledge",
    name="return_pledges",
    description=_("Return the selected submitted pledges for changes"),
    done=ngettext_lazy(
        "Returned %(count)d pledge. The organisation has been emailed.",
        "Returned %(count)d pledges. The organisations have been emailed.",
        "count",
    ),
)
suspend_pledges = reason_action(
    services.pledge_suspend,
    target="pledge",
    name="suspend_pledges",
    description=_("Suspend the selected published pledges"),
    done=ngettext_lazy(
        "Suspended %(count)d pledge. It is no longer public.",
        "Suspended %(count)d pledges. They are no longer public.",
        "count",
    ),
)
reinstate_pledges = reason_action(
    services.pledge_reinstate,
    target="pledge",
    name="reinstate_pledges",
    description=_("Reinstate the selected suspended pledges"),
    done=ngettext_lazy(
        "Reinstated %(count)d pledge. It is public again.",
        "Reinstated %(count)d pledges. They are public again.",
        "count",
    ),
)
_make_current = _reason_action(
    services.agreement_make_current,
    target="agreement",
    name="make_current",
    description=_("Make the selected version the current agreement"),
    done=ngettext_lazy(
        "Version made current. Organisations that signed an earlier one have been invited.",
        "Versions made current.",
        "count",
    ),
    refused=services.AgreementError,
    permission="change",
)


@admin.action(
    description=_("Make the selected version the current agreement"), permissions=["change"]
)
def make_current(modeladmin, request, queryset):
    """Asks why, then moves the flag; one version at a time."""
    if queryset.count() != 1:
        modeladmin.message_user(request, _("Select exactly one version."), messages.ERROR)
        return None
    return _make_current(modeladmin, request, queryset)


hide_updates = reason_action(
    services.progress_update_hide,
    target="update",
    name="hide_updates",
    description=_("Hide the selected progress updates"),
    done=ngettext_lazy(
        "Hid %(count)d update. It stays on record.",
        "Hid %(count)d updates. They stay on record.",
        "count",
    ),
)


restore_updates = reason_action(
    services.progress_update_restore,
    target="update",
    name="restore_updates",
    description=_("Restore the selected removed updates to public view"),
    done=ngettext_lazy(
        "Restored %(count)d update. It is public again.",
        "Restored %(count)d updates. They are public again.",
        "count",
    ),
)
uphold_concerns = reason_action(
    services.concern_uphold,
    target="concern",
    name="uphold_concerns",
    description=_("Hide the content of the selected concerns, telling the organisation why"),
    done=ngettext_lazy(
        "Hid the content of %(count)d concern. The organisation has been told why.",
        "Hid the content of %(count)d concerns. The organisations have been told why.",
        "count",
    ),
)
dismiss_concerns = reason_action(
    services.concern_dismiss,
    target="concern",
    name="dismiss_concerns",
    description=_("Dismiss the selected concerns with a note (restores what was hidden at once)"),
    done=ngettext_lazy(
        "Dismissed %(count)d concern.",
        "Dismissed %(count)d concerns.",
        "count",
    ),
    form_class=NoteForm,
    argument="note",
)


@dataclass(frozen=True)
class Decision:
    """A button on a pledge's admin page. Which ones show, and whether each asks a reason,
    come from the transitions table (`pledges.transitions`), which the services enforce."""

    name: str
    label: str
    service: object
    done: str

    @property
    def step(self):
        return MODERATOR_TRANSITIONS[self.name]

    @property
    def asks_reason(self) -> bool:
        return self.step.needs_reason

    @property
    def decides_a_submission(self) -> bool:
        return Pledge.Status.SUBMITTED in self.step.allowed_from


DECISIONS = {
    decision.name: decision
    for decision in [
        Decision(
            "approve",
            _("Approve and publish"),
            services.pledge_publish,
            _("Published. The organisation has been emailed."),
        ),
        Decision(
            "return",
            _("Return for changes"),
            services.pledge_return,
            _("Returned. The organisation has been emailed."),
        ),
        Decision(
            "suspend",
            _("Suspend"),
            services.pledge_suspend,
            _("Suspended. It is no longer public."),
        ),
        Decision(
            "reinstate",
            _("Reinstate"),
            services.pledge_reinstate,
            _("Reinstated. It is public again."),
        ),
    ]
}
assert DECISIONS.keys() == MODERATOR_TRANSITIONS.keys(), "a button for every decision"


def decisions_for(pledge) -> list[Decision]:
    return [DECISIONS[name] for name in allowed_for(pledge.status)]
