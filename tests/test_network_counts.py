"""The network's five priorities are kept until its commitments change somewhere
(`core.public.COMMITMENTS`), not recounted for every update: each change to which pledges are
published, or to the current wording, must recount them, and an update must not."""

import pytest

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
    admin = MembershipFactory(organisation=pledge.organisation, role=Membership.Role.ADMIN).user
    done(
        services.progress_update_publish,
        pledge=pledge,
        by=admin,
        title="A listening morning",
        body="We listened.",
        priorities=[pledge.commitments.get().priority],
    )
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
