"""People and pledges for `make reliability`, added to a seeded database: run as
`python -m bench.fixtures` with that database's environment; prints what it made as JSON.

Each writer is the admin of its own published organisation, so that the last acknowledged
write of each can be checked afterwards; one more organisation has a draft ready to submit,
and one published commitment is edited by many at once.

A benchmark's database is kept between runs, so what the writers posted in earlier runs is
deleted first: each run starts from the registry as seeded. (Before, the mixed load's writer
had posted thousands of updates on one organisation, and each new one recomputed the search
text of them all, for seconds, while the readers measured waited.)
"""

import json
import os
from datetime import timedelta

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from allauth.account.models import EmailAddress  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from core.versions import public_data_changed  # noqa: E402
from organisations.models import Membership, Organisation  # noqa: E402
from places.models import Place  # noqa: E402
from pledges import services  # noqa: E402
from pledges.models import Agreement, Pledge, ProgressUpdate  # noqa: E402
from pledges.reporting import reporting_cycle  # noqa: E402
from pledges.search import refresh_search  # noqa: E402

PASSWORD = "reliability-only-password-2026"
WRITERS = 4
REMINDED = 10


def partner(email: str, organisation: Organisation):
    user, created = get_user_model().objects.get_or_create(email=email, defaults={"name": email})
    if created:
        user.set_password(PASSWORD)
        user.save()
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    Membership.objects.get_or_create(
        user=user, organisation=organisation, defaults={"role": Membership.Role.ADMIN}
    )
    return user


def forget_earlier_writes(emails: list[str]) -> None:
    """Delete the updates these partners posted in earlier runs, and the search text and
    cached pages that showed them."""
    earlier = ProgressUpdate.objects.filter(author__email__in=emails, concerns=None)
    organisation_ids = set(earlier.values_list("pledge__organisation_id", flat=True))
    if organisation_ids:
        earlier.delete()
        refresh_search(organisation_ids)
        public_data_changed()


@transaction.atomic
def main() -> dict:
    forget_earlier_writes([f"writer{index}@reliability.example" for index in range(WRITERS)])
    agreement = Agreement.objects.get_current(Place.objects.default())
    published = (
        Pledge.objects.filter(status=Pledge.Status.PUBLISHED, agreement=agreement)
        .exclude(organisation__slug="oakwood-primary-school")
        .select_related("organisation")
        .order_by("pk")[: WRITERS + 1]
    )
    writers = []
    for index, pledge in enumerate(published[:WRITERS]):
        organisation = pledge.organisation
        partner(f"writer{index}@reliability.example", organisation)
        commitment = pledge.commitments.order_by("pk").first()
        writers.append(
            {
                "email": f"writer{index}@reliability.example",
                "org_id": organisation.pk,
                "commitment_id": commitment.pk,
                "priority_id": commitment.priority_id,
            }
        )
    shared = published[WRITERS]
    partner("shared@reliability.example", shared.organisation)

    draft_organisation, _ = Organisation.objects.get_or_create(
        slug="reliability-draft", defaults={"name": "Reliability Draft Trust"}
    )
    admin = partner("drafter@reliability.example", draft_organisation)
    draft = Pledge.objects.filter(organisation=draft_organisation).first()
    if draft is None:
        draft = services.pledge_start(
            organisation=draft_organisation, by=admin, place=Place.objects.default()
        )
        first = agreement.priorities.order_by("number").first()
        services.pledge_save_priorities(
            pledge=draft, by=admin, commitments={first: "We will make time to listen."}
        )
        services.pledge_save_signatory(
            pledge=draft,
            by=admin,
            name="Sam Reed",
            role="Chair",
            is_authorised=True,
            is_public=True,
        )
    whole = draft.place.areas.first()  # the whole place
    services.pledge_save_statement(
        pledge=draft, by=admin, statement="We sign because it matters.", area=whole
    )

    # Pledges owed a reminder, each with an admin to receive it, for two runs at once.
    owed = list(
        Pledge.objects.filter(status=Pledge.Status.PUBLISHED, agreement=agreement)
        .exclude(pk__in=[pledge.pk for pledge in published])
        .select_related("organisation")
        .order_by("-pk")[:REMINDED]
    )
    long_ago = timezone.now() - reporting_cycle() - timedelta(days=1)
    Pledge.objects.filter(pk__in=[pledge.pk for pledge in owed]).update(
        published_at=long_ago, last_reported_at=long_ago
    )
    ProgressUpdate.objects.filter(pledge__in=owed).update(published_at=long_ago)
    for index, pledge in enumerate(owed):
        partner(f"reminded{index}@reliability.example", pledge.organisation)
    return {
        "password": PASSWORD,
        "writers": writers,
        "shared": {
            "email": "shared@reliability.example",
            "org_id": shared.organisation_id,
            "commitment_id": shared.commitments.order_by("pk").first().pk,
        },
        "draft": {
            "email": "drafter@reliability.example",
            "org_id": draft_organisation.pk,
            "area_id": whole.pk,
        },
        "reminders_owed": len(owed),
    }


if __name__ == "__main__":
    print("FIXTURES " + json.dumps(main()))
