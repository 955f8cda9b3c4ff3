"""What the privacy notice says we do not keep, as querysets: a named read for
`privacy.services.retention_apply`. Each rule selects only what is older than its period
(settings.RETENTION_*)."""

from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from accounts.moderators import moderators
from organisations.models import Membership
from pledges.models import Pledge
from stories.models import Story


def _days(name):
    return timedelta(days=getattr(settings, name))


def due(now=None) -> dict:
    """What each rule would remove now, as querysets."""
    now = now or timezone.now()
    people = get_user_model().objects.exclude(pk__in=moderators().values("pk"))
    verified = EmailAddress.objects.filter(user=OuterRef("pk"), verified=True)
    unverified = people.exclude(Exists(verified)).filter(
        date_joined__lt=now - _days("RETENTION_UNVERIFIED_ACCOUNT_DAYS")
    )
    inactive_since = now - _days("RETENTION_INACTIVE_ACCOUNT_DAYS")
    inactive = people.filter(Exists(verified)).filter(
        Q(last_login__lt=inactive_since)
        | Q(last_login__isnull=True, date_joined__lt=inactive_since)
    )
    signatories = Pledge.objects.filter(
        status=Pledge.Status.WITHDRAWN,
        withdrawn_at__lt=now - _days("RETENTION_WITHDRAWN_SIGNATORY_DAYS"),
    ).exclude(signatory_name="", signatory_role="", is_signatory_public=False)
    # An organisation always keeps an admin: its most recently active one stays (the only one,
    # as closing an account also keeps), and the moderators are told.
    kept = Membership.objects.latest_admins().filter(user=OuterRef("pk"))
    return {
        "unverified_accounts": unverified.exclude(Exists(kept)),
        "inactive_accounts": inactive.exclude(Exists(kept)),
        "inactive_last_admins_kept": inactive.filter(Exists(kept)),
        "withdrawn_signatories": signatories,
        "expired_sessions": Session.objects.filter(expire_date__lt=now),
        # Residents' stories: never confirmed, deleted whole; decided, the address erased.
        "unconfirmed_stories": Story.objects.filter(
            status=Story.Status.UNCONFIRMED,
            created_at__lt=now - _days("RETENTION_UNCONFIRMED_STORY_DAYS"),
        ),
        "story_addresses": Story.objects.exclude(email="").filter(
            Q(published_at__lt=now - _days("RETENTION_STORY_EMAIL_DAYS"))
            | Q(declined_at__lt=now - _days("RETENTION_STORY_EMAIL_DAYS"))
        ),
    }
