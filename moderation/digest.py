"""The moderators' daily digest of new progress updates, so that nobody has to poll.

`send_moderator_digest` is safe to run twice, and twice at once: each day has one
`ModeratorDigest` row (a unique date), and only the run that creates it sends. Each digest
covers the time since the previous one, so nothing is missed when a day is skipped.
"""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from core.emails import send_templated_email
from organisations import permissions
from pledges.models import ModeratorDigest, ProgressUpdate


@transaction.atomic
def send_moderator_digest(*, now: datetime | None = None) -> ModeratorDigest | None:
    """Send today's digest if it has not gone yet; return it, or None if it had."""
    now = now or timezone.now()
    previous = ModeratorDigest.objects.order_by("-covered_until").first()
    since = previous.covered_until if previous else now - timedelta(days=1)
    digest, created = ModeratorDigest.objects.get_or_create(
        day=timezone.localdate(now), defaults={"covered_from": since, "covered_until": now}
    )
    if not created:
        return None
    updates = list(
        ProgressUpdate.objects.filter(
            status=ProgressUpdate.Status.PUBLISHED, published_at__gt=since, published_at__lte=now
        )
        .select_related("pledge__organisation", "pledge__place")
        .order_by("pledge__place__name", "published_at")
    )
    digest.updates = len(updates)
    digest.save(update_fields=["updates"])
    # Each moderator hears of the places they moderate only, in one email, by place; each
    # update's link leads into its own place.
    for moderator in permissions.moderators():
        places = permissions.moderated_place_ids(moderator)
        theirs = [u for u in updates if places is None or u.pledge.place_id in places]
        if theirs:
            send_templated_email(
                "moderation/email/moderator_digest",
                [moderator.email],
                {"updates": theirs, "places": _by_place(theirs), "digest": digest},
            )
    return digest


def _by_place(updates) -> list[tuple]:
    """[(place, [update, …]), …] in the order of the updates (by place's name)."""
    grouped: dict = {}
    for update in updates:
        grouped.setdefault(update.pledge.place, []).append(update)
    return list(grouped.items())
