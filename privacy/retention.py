"""Deleting and anonymising what the privacy notice says we do not keep. Safe to run nightly,
and twice: each rule selects only what is older than its period (settings.RETENTION_*)."""

from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from accounts.moderators import moderators
from core.emails import send_templated_email
from organisations.models import Membership
from pledges.models import Pledge
from pledges.services import pledge_erase_signatory


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
    # The rule account_close follows: an organisation's last admin stays until someone else
    # is made an admin, and the moderators are told.
    sole = Membership.objects.filter(user=OuterRef("pk"), role=Membership.Role.ADMIN).exclude(
        organisation__in=Membership.objects.filter(role=Membership.Role.ADMIN)
        .exclude(user=OuterRef(OuterRef("pk")))
        .values("organisation")
    )
    return {
        "unverified_accounts": unverified.exclude(Exists(sole)),
        "inactive_accounts": inactive.exclude(Exists(sole)),
        "inactive_sole_admins_kept": inactive.filter(Exists(sole)),
        "withdrawn_signatories": signatories,
        "expired_sessions": Session.objects.filter(expire_date__lt=now),
    }


@transaction.atomic
def apply_retention(*, now=None, dry_run=False) -> dict[str, int]:
    """Apply every rule; return how many rows each touched (or would touch, on a dry run)."""
    rules = due(now)
    counts = {name: queryset.count() for name, queryset in rules.items()}
    if dry_run:
        return counts
    for pledge in rules["withdrawn_signatories"]:
        pledge_erase_signatory(pledge=pledge)
    # An account's events stay, without the actor; its memberships and addresses go with it.
    rules["unverified_accounts"].delete()
    rules["inactive_accounts"].delete()
    rules["expired_sessions"].delete()
    kept = list(rules["inactive_sole_admins_kept"].prefetch_related("memberships__organisation"))
    if kept:
        send_templated_email(
            "privacy/email/sole_admins_kept",
            list(moderators().values_list("email", flat=True)),
            {"people": kept},
        )
    return counts
