"""Which decisions a moderator may take on a pledge, from which status: one table.

The services (`pledges.services.lifecycle`) refuse anything the table does not allow, and the
admin's buttons (`moderation.actions`) offer only what it allows, so the two cannot drift.
"""

from dataclasses import dataclass

from .models import Pledge, PledgeEvent

Status = Pledge.Status


@dataclass(frozen=True)
class Transition:
    action: PledgeEvent.Action
    allowed_from: frozenset
    to: Pledge.Status
    stamp: str | None  # the timestamp field this decision sets, by name
    needs_reason: bool


MODERATOR_TRANSITIONS = {
    "approve": Transition(
        PledgeEvent.Action.PUBLISHED, frozenset({Status.SUBMITTED}), Status.PUBLISHED,
        "published_at", needs_reason=False,
    ),
    "return": Transition(
        PledgeEvent.Action.RETURNED, frozenset({Status.SUBMITTED}), Status.RETURNED,
        "returned_at", needs_reason=True,
    ),
    "suspend": Transition(
        PledgeEvent.Action.SUSPENDED, frozenset({Status.PUBLISHED}), Status.SUSPENDED,
        "suspended_at", needs_reason=True,
    ),
    # A reinstated pledge keeps its original publication date.
    "reinstate": Transition(
        PledgeEvent.Action.REINSTATED, frozenset({Status.SUSPENDED}), Status.PUBLISHED,
        None, needs_reason=True,
    ),
}  # fmt: skip


def allowed_for(status: str) -> list[str]:
    """The names of the decisions a moderator may take on a pledge in this status."""
    return [name for name, step in MODERATOR_TRANSITIONS.items() if status in step.allowed_from]
