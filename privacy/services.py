"""Writes that a person's privacy needs: the retention rules applied."""

from django.db import transaction

from accounts.moderators import network_moderators
from core.emails import send_templated_email
from pledges.services import pledge_erase_signatory
from stories.services import stories_forget

from .retention import due


@transaction.atomic
def retention_apply(*, by=None, now=None, dry_run=False) -> dict[str, int]:
    """Delete and anonymise what each retention rule selects; return how many rows each
    touched (or would touch, on a dry run). Safe nightly, and twice. `by` is None: the rule
    acts, not a person.

    Not locked: each rule selects rows past a date that no request moves back. Not recorded
    as its own event: an erased signatory records its event; deleted accounts leave none."""
    rules = due(now)
    counts = {name: queryset.count() for name, queryset in rules.items()}
    if dry_run:
        return counts
    for pledge in rules["withdrawn_signatories"]:
        pledge_erase_signatory(pledge=pledge, by=by)
    # An account's events stay, without the actor; its memberships and addresses go with it.
    rules["unverified_accounts"].delete()
    rules["inactive_accounts"].delete()
    rules["expired_sessions"].delete()
    stories_forget(
        unconfirmed=rules["unconfirmed_stories"], addresses=rules["story_addresses"], by=by
    )
    kept = list(rules["inactive_last_admins_kept"].prefetch_related("memberships__organisation"))
    if kept:  # an organisation's admins are changed network-wide: its moderators are told
        send_templated_email(
            "privacy/email/sole_admins_kept",
            list(network_moderators().values_list("email", flat=True)),
            {"people": kept},
        )
    return counts
