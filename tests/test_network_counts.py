"""The network's five priorities are kept until its commitments change somewhere
(`core.versions.COMMITMENTS`), not recounted for every update: each change to which pledges are
published, or to the current wording, must recount them, and an update must not."""

from datetime import UTC, datetime

import pytest
import time_machine

from moderation.paper_import import check
from moderation.services import paper_signatories_import
from organisations.models import Membership
from places.models import Place
from pledges import services, stats
from pledges.models import Agreement, Pledge
from tests.factories import (
    AgreementFactory,
    CommitmentFactory,
    MembershipFactory,
    ModeratorFactory,
    PledgeFactory,
    opened_place,
)

pytestmark = pytest.mark.django_db

FIRST = "make-time-for-relationships"


@pytest.fixture
def done(django_capture_on_commit_callbacks):
    """A service run as a request runs it: what waits for the commit (an addition's new
    versions) runs too."""

    def run(service, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return service(**kwargs)

    return run


@pytest.fixture
def ayrshire():
    return opened_place("North Ayrshire", "north-ayrshire")


def submitted(place, priority_number=1, **kwargs):
    """A pledge waiting for a moderator, committed to one priority."""
    agreement = Agreement.objects.get(place=place, is_current=True)
    pledge = PledgeFactory(agreement=agreement, status=Pledge.Status.SUBMITTED, **kwargs)
    CommitmentFactory(pledge=pledge, priority=agreement.priorities.get(number=priority_number))
    return pledge


def committed(slug=FIRST) -> int:
    return {row["slug"]: row["count"] for row in stats.network_priorities()}.get(slug, 0)


def test_each_change_to_which_pledges_are_published_recounts_the_network(ayrshire, done):
    moderator = ModeratorFactory(places=[Place.objects.default(), ayrshire])
    pledge = submitted(ayrshire)
    assert committed() == 0  # counted, and kept
    done(services.pledge_publish, pledge=pledge, by=moderator)
    assert committed() == 1
    done(services.pledge_suspend, pledge=pledge, by=moderator, reason="A concern is checked.")
    assert committed() == 0
    done(services.pledge_reinstate, pledge=pledge, by=moderator, reason="Checked.")
    assert committed() == 1
    admin = MembershipFactory(organisation=pledge.organisation, role=Membership.Role.ADMIN).user
    done(services.pledge_withdraw, pledge=pledge, by=admin, reason="We are closing.")
    assert committed() == 0


def test_a_newer_version_published_recounts_what_it_commits_to(ayrshire, done):
    moderator = ModeratorFactory(places=[ayrshire])
    first = submitted(ayrshire, 1)
    done(services.pledge_publish, pledge=first, by=moderator)
    assert committed() == 1
    Agreement.objects.filter(place=ayrshire).update(is_current=False)
    AgreementFactory(place=ayrshire, version=2, is_current=True, priorities=True)
    newer = submitted(ayrshire, 2, organisation=first.organisation)
    done(services.pledge_publish, pledge=newer, by=moderator)  # the first is superseded
    assert committed() == 0
    assert committed(newer.commitments.get().priority.slug) == 1


def test_a_paper_import_recounts_the_network(ayrshire, done):
    moderator = ModeratorFactory(places=[ayrshire])
    assert committed() == 0
    plan = check(
        "name,type,website,contact_email,date_signed,priorities,commitment_1\n"
        "Irvine Library,council,,library@irvine.example,2024-03-01,1,We listen.\n",
        ayrshire,
    )
    assert not plan.errors
    done(paper_signatories_import, plan=plan, by=moderator, place=ayrshire)
    assert committed() == 1


def test_an_update_posted_does_not_recount_the_network(ayrshire, done, django_assert_num_queries):
    moderator = ModeratorFactory(places=[ayrshire])
    pledge = submitted(ayrshire)
    done(services.pledge_publish, pledge=pledge, by=moderator)
    assert committed() == 1
    post_update(pledge, done)
    with django_assert_num_queries(1):  # the versions, and nothing counted
        assert committed() == 1


def test_a_new_version_made_current_rewords_the_networks_priorities(done):
    """The network names each priority as the registry's first place words it now."""
    from pledges.models import Priority
    from tests.factories import default_place

    old = Agreement.objects.get_current(default_place())
    assert stats.network_priorities()[0]["title"] == old.priorities.get(number=1).title
    newer = AgreementFactory(version=old.version + 1)
    for priority in old.priorities.all():
        Priority.objects.create(
            agreement=newer,
            number=priority.number,
            title=f"{priority.title} (reworded)",
            slug=priority.slug,
            description=priority.description,
        )
    done(services.agreement_make_current, agreement=newer, by=ModeratorFactory(), reason="Agreed.")
    assert stats.network_priorities()[0]["title"].endswith("(reworded)")


def post_update(pledge, done):
    admin = MembershipFactory(organisation=pledge.organisation, role=Membership.Role.ADMIN).user
    return done(
        services.progress_update_publish,
        pledge=pledge,
        by=admin,
        title="A listening morning",
        body="We listened.",
        priorities=[pledge.commitments.get().priority],
    )


@time_machine.travel(datetime(2026, 11, 16, 12, 0, tzinfo=UTC), tick=False)  # mid-quarter
def test_the_writer_counts_its_places_figures_for_every_reader(
    ayrshire, done, django_assert_num_queries
):
    """After an update in a place, the network page's figures for it were counted in the
    writer's request and shared: a reader in another process (its own cache empty) reads
    them, counting nothing."""
    from django.core.cache import caches
    from django.utils import timezone

    pledge = submitted(ayrshire)
    done(services.pledge_publish, pledge=pledge, by=ModeratorFactory(places=[ayrshire]))
    start = stats.quarter_start(timezone.now())
    assert stats.network_figures(start, [ayrshire.pk])[ayrshire.pk]["updates"] == 0
    post_update(pledge, done)
    caches["pages"].clear()  # another process
    with django_assert_num_queries(2):  # the versions, and the shared cache
        figures = stats.network_figures(start, [ayrshire.pk])[ayrshire.pk]
    assert figures == {"signed": 1, "updates": 1, "on_time": 1, "published": 1}


def test_a_receiver_that_fails_after_a_change_leaves_the_change_made(ayrshire, done):
    from core.versions import place_changed

    pledge = submitted(ayrshire)
    done(services.pledge_publish, pledge=pledge, by=ModeratorFactory(places=[ayrshire]))

    def broken(sender, place_id, **kwargs):
        raise RuntimeError("a receiver failed")

    place_changed.connect(broken, dispatch_uid="tests.broken")
    try:
        update = post_update(pledge, done)
    finally:
        place_changed.disconnect(dispatch_uid="tests.broken")
    assert type(update).objects.published().filter(pk=update.pk).exists()


def test_a_places_signatures_are_kept_across_an_update_and_recounted_on_a_signature(
    ayrshire, done, django_assert_num_queries
):
    moderator = ModeratorFactory(places=[ayrshire])
    pledge = submitted(ayrshire)
    done(services.pledge_publish, pledge=pledge, by=moderator)
    figures = (stats.organisations_signed, stats.signed_by_month, stats.organisations_by_type)
    before = [figure(ayrshire.pk) for figure in figures]
    assert before[0] == 1
    post_update(pledge, done)
    with django_assert_num_queries(3):  # the versions of each, and nothing counted
        assert [figure(ayrshire.pk) for figure in figures] == before
    done(services.pledge_publish, pledge=submitted(ayrshire), by=moderator)
    assert stats.organisations_signed(ayrshire.pk) == 2
    assert stats.signed_by_month(ayrshire.pk)[-1][2] == 2
