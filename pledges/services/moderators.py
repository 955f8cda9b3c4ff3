"""What moderators do that belongs to no single pledge."""

from datetime import datetime

from django.utils.translation import gettext as _

from organisations import permissions

from ..models import (
    ModeratorVisit,
)
from ._common import (
    PledgeStateError,
)


def moderator_visit_record(*, by, now: datetime) -> datetime | None:
    """Remember that this moderator opened the queue now; return when they last did.

    Not locked: two tabs opening at once both store a time of now, which is right.
    Not recorded: a visit changes no pledge."""
    if not permissions.is_moderator(by):
        raise PledgeStateError(_("Only moderators can do this."))
    previous = ModeratorVisit.objects.filter(user=by).values_list("seen_at", flat=True).first()
    ModeratorVisit.objects.update_or_create(user=by, defaults={"seen_at": now})
    return previous
