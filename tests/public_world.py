"""Builders for public-site tests: visible content, and content that must never show."""

from django.utils import timezone

from pledges.models import Pledge, ProgressUpdate
from pledges.search import refresh_search
from stories.models import Story
from tests.factories import (
    CommitmentFactory,
    PledgeFactory,
    ProgressUpdateFactory,
    StoryFactory,
)

SECRET = "ZZSECRET"


def published_organisation(
    name=None, *, updates=2, stories=2, commitment="We will protect time for talking."
):
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
    for index in range(stories):  # residents' stories, with an address that must never show
        StoryFactory(
            organisation=pledge.organisation,
            priority=priorities[0],
            area=pledge.area,
            email=f"{SECRET}.{pledge.organisation.pk}.{index}@example.net",
            reply="Thank you for telling us." if index == 0 else "",
            reply_at=timezone.now() if index == 0 else None,
        )
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
    for status in (Story.Status.UNCONFIRMED, Story.Status.WAITING, Story.Status.DECLINED):
        hidden[f"story_{status}"] = StoryFactory(
            organisation=visible.organisation,
            status=status,
            body=f"{SECRET} {status} story",
            confirmed_at=None if status == Story.Status.UNCONFIRMED else timezone.now(),
            declined_at=timezone.now() if status == Story.Status.DECLINED else None,
            decline_reason=SECRET if status == Story.Status.DECLINED else "",
        )
    hidden["story_hidden"] = StoryFactory(
        organisation=visible.organisation,
        body=f"{SECRET} story a moderator hid",
        moderator_hidden_at=timezone.now(),
        hidden_reason=SECRET,
    )
    hidden["story_held"] = StoryFactory(
        body=f"{SECRET} story held by a concern", concern_hidden_at=timezone.now()
    )
    StoryFactory(
        organisation=visible.organisation,
        reply=f"{SECRET} reply a moderator hid",
        reply_at=timezone.now(),
        reply_hidden_at=timezone.now(),
    )
    refresh_search()
    return visible, hidden
