"""Builders for public-site tests: visible content, and content that must never show."""

from django.utils import timezone

from pledges.models import Pledge, ProgressUpdate
from pledges.search import refresh_search
from tests.factories import CommitmentFactory, PledgeFactory, ProgressUpdateFactory

SECRET = "ZZSECRET"


def published_organisation(name=None, *, updates=2, commitment="We will protect time for talking."):
    pledge = PledgeFactory(published=True, **({"organisation__name": name} if name else {}))
    priorities = list(pledge.agreement.priorities.all())
    CommitmentFactory(pledge=pledge, priority=priorities[0], body=commitment)
    CommitmentFactory(pledge=pledge, priority=priorities[3], body="We will share our stories.")
    for index in range(updates):
        update = ProgressUpdateFactory(
            pledge=pledge,
            title=f"Story {index} from {pledge.organisation.name}",
            body="We held a coffee morning.",
        )
        update.priorities.set(priorities[:2])
    return pledge


def make_public_world(count):
    pledges = [published_organisation() for _ in range(count)]
    refresh_search()
    return pledges


def make_hidden_world():
    """One of everything the public must never see, each carrying SECRET in its text."""
    hidden = {}
    for status in (
        Pledge.Status.DRAFT,
        Pledge.Status.SUBMITTED,
        Pledge.Status.RETURNED,
        Pledge.Status.SUSPENDED,
    ):
        extra = {"published_at": timezone.now()} if status == Pledge.Status.SUSPENDED else {}
        pledge = PledgeFactory(
            status=status,
            organisation__name=f"{SECRET} {status} organisation",
            statement=f"{SECRET} statement",
            **extra,
        )
        CommitmentFactory(pledge=pledge, body=f"{SECRET} commitment")
        hidden[status] = pledge
    visible = published_organisation("Visible Charity")
    for status in (ProgressUpdate.Status.HIDDEN, ProgressUpdate.Status.DRAFT):
        extra = {"published_at": None} if status == ProgressUpdate.Status.DRAFT else {}
        hidden[f"update_{status}"] = ProgressUpdateFactory(
            pledge=visible, status=status, title=f"{SECRET} {status} update", body=SECRET, **extra
        )
    hidden["suspended_update"] = ProgressUpdateFactory(
        pledge=hidden[Pledge.Status.SUSPENDED], title=f"{SECRET} update of a suspended pledge"
    )
    refresh_search()
    return visible, hidden
