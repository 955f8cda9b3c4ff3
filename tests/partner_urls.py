"""Every partner URL about one organisation, read from the resolver, and a world to visit them in."""

from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from organisations.models import Membership
from pledges.models import Agreement
from pledges.services import agreement_make_current
from tests.factories import (
    AgreementFactory,
    CommitmentFactory,
    JoinRequestFactory,
    MembershipFactory,
    ModeratorFactory,
    PledgeFactory,
    ProgressUpdateFactory,
    StoryFactory,
    default_place,
)


def named_patterns(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            child = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from named_patterns(entry, child)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", entry


def organisation_patterns():
    return sorted(
        (name, pattern)
        for name, pattern in named_patterns()
        if "org_id" in pattern.pattern.regex.groupindex
    )


ORG_URLS = organisation_patterns()


def make_partner_world():
    """One organisation with an admin, an editor, a published pledge of version 1 with an
    update, a draft of the current version 2, and a join request; and an outsider, the admin
    of another organisation. So every partner page has something to show."""
    admin = MembershipFactory(role=Membership.Role.ADMIN)
    organisation = admin.organisation
    editor = MembershipFactory(organisation=organisation, role=Membership.Role.EDITOR)
    outsider = MembershipFactory(role=Membership.Role.ADMIN)
    pledge = PledgeFactory(organisation=organisation, published=True)
    current = Agreement.objects.get_current(default_place())
    # Version 2, written and made current as a moderator does: with its five priorities
    # (a version without them is one no user can reach, and every page would show none).
    with transaction.atomic():
        newer = AgreementFactory(
            version=current.version + 1, priorities=True, published_at=timezone.now()
        )
    agreement_make_current(
        agreement=newer, by=ModeratorFactory(), reason="The partners agreed a new wording."
    )
    PledgeFactory(organisation=organisation, agreement=newer)
    ids = {
        "org_id": organisation.pk,
        "commitment_id": CommitmentFactory(pledge=pledge).pk,
        "update_id": ProgressUpdateFactory(pledge=pledge).pk,
        "membership_id": editor.pk,
        "request_id": JoinRequestFactory(organisation=organisation).pk,
        "story_id": StoryFactory(organisation=organisation).pk,
    }
    return {"admin": admin.user, "editor": editor.user, "outsider": outsider.user, "ids": ids}


def url_for(name, pattern, ids):
    return reverse(name, kwargs={key: ids[key] for key in pattern.pattern.regex.groupindex})
