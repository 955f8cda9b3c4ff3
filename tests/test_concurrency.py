"""Two colleagues submitting at once, on two real database connections."""

import re
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.contrib.auth.hashers import make_password
from django.db import connection

from bench.client import Visitor
from organisations.models import Membership
from pledges import services
from pledges.models import Pledge, PledgeEvent
from pledges.services import PledgeStateError
from tests.factories import (
    PASSWORD,
    CommitmentFactory,
    MembershipFactory,
    PledgeFactory,
    default_place,
)
from tests.servers import collectstatic, gunicorn, production_env

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("seeded_agreement")]


def run_together(*functions):
    barrier = threading.Barrier(len(functions))
    results = [None] * len(functions)

    def worker(index, function):
        try:
            barrier.wait()
            results[index] = function()
        except Exception as error:  # noqa: BLE001 - the outcome is what we assert
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, f)) for i, f in enumerate(functions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results


def complete(membership):
    pledge = services.pledge_start(
        organisation=membership.organisation, by=membership.user, place=default_place()
    )
    priority = pledge.agreement.priorities.first()
    services.pledge_save_priorities(
        pledge=pledge, by=membership.user, commitments={priority: "We will"}
    )
    services.pledge_save_statement(
        pledge=pledge, by=membership.user, statement="Because.", area=pledge.place.areas.first()
    )
    services.pledge_save_signatory(
        pledge=pledge, by=membership.user, name="A", role="B", is_authorised=True, is_public=False
    )
    return pledge


def test_two_simultaneous_starts_make_one_pledge():
    first = MembershipFactory(role=Membership.Role.ADMIN)
    second = MembershipFactory(organisation=first.organisation, role=Membership.Role.ADMIN)
    results = run_together(
        lambda: services.pledge_start(
            organisation=first.organisation, by=first.user, place=default_place()
        ),
        lambda: services.pledge_start(
            organisation=first.organisation, by=second.user, place=default_place()
        ),
    )
    assert all(isinstance(result, Pledge) for result in results), results
    assert results[0].pk == results[1].pk
    assert Pledge.objects.filter(organisation=first.organisation).count() == 1


def test_two_simultaneous_submissions_make_one_submitted_pledge_and_a_friendly_message():
    first = MembershipFactory(role=Membership.Role.ADMIN)
    second = MembershipFactory(organisation=first.organisation, role=Membership.Role.ADMIN)
    pledge = complete(first)
    results = run_together(
        lambda: services.pledge_submit(pledge=pledge, by=first.user),
        lambda: services.pledge_submit(pledge=pledge, by=second.user),
    )
    successes = [r for r in results if isinstance(r, Pledge)]
    refusals = [r for r in results if isinstance(r, PledgeStateError)]
    assert len(successes) == 1 and len(refusals) == 1, results
    assert "already been submitted" in str(refusals[0])
    assert Pledge.objects.filter(organisation=first.organisation).count() == 1
    assert Pledge.objects.get().events.count() == 1


def test_two_admins_demoting_each_other_leave_one_admin():
    from organisations.services import OrganisationError, membership_change_role

    first = MembershipFactory(role=Membership.Role.ADMIN)
    second = MembershipFactory(organisation=first.organisation, role=Membership.Role.ADMIN)
    results = run_together(
        lambda: membership_change_role(membership=first, by=second.user, role="editor"),
        lambda: membership_change_role(membership=second, by=first.user, role="editor"),
    )
    assert sum(isinstance(r, OrganisationError) for r in results) == 1, results
    assert first.organisation.memberships.filter(role="admin").count() == 1


def test_fifty_submissions_at_once_make_one_and_every_answer_is_the_kind_redirect(
    settings, tmp_path
):
    """As an operator measured it: one signed-in person's 50 submissions at the same moment,
    through gunicorn's checked-in config with production settings."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]  # the server's
    admin = MembershipFactory(role=Membership.Role.ADMIN)
    type(admin.user).objects.filter(pk=admin.user_id).update(password=make_password(PASSWORD))
    pledge = PledgeFactory(organisation=admin.organisation, is_authorised=True)
    CommitmentFactory(pledge=pledge)
    env = production_env(tmp_path / "static", WEB_CONCURRENCY="3")
    collectstatic(connection.settings_dict, env)
    with gunicorn(connection.settings_dict, config="config/gunicorn.py", extra_env=env) as base:
        person = Visitor(base).sign_in(admin.user.email, PASSWORD)
        path = f"/manage/{admin.organisation_id}/sign/check/"
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', person.get(path).text)[1]
        barrier = threading.Barrier(50)

        def submit(visitor):
            barrier.wait()
            answer = visitor.post(path, {"csrfmiddlewaretoken": token})
            return answer.status_code, answer.headers.get("Location")

        with ThreadPoolExecutor(50) as pool:
            answers = Counter(pool.map(submit, [person.copy() for _ in range(50)]))
    submitted = f"/manage/{admin.organisation_id}/sign/submitted/"
    assert answers == {(302, submitted): 50}
    assert PledgeEvent.objects.filter(pledge=pledge, action="submitted").count() == 1


def test_fifty_identical_stories_at_once_make_one_story_and_one_email(settings, tmp_path):
    """A resident's double, triple, fiftyfold click on "Send your story", at the same moment,
    through gunicorn with production settings: one story, one confirmation email queued, and
    every answer the same "check your email" page. (The limits are raised here so that every
    post reaches the duplicate rule; they have tests of their own.)"""
    from django_tasks_db.models import DBTaskResult

    from stories.models import Story

    env = production_env(
        tmp_path / "static", WEB_CONCURRENCY="3", STORY_LIMIT="100", STORY_EMAIL_LIMIT="100"
    )
    collectstatic(connection.settings_dict, env)
    with gunicorn(connection.settings_dict, config="config/gunicorn.py", extra_env=env) as base:
        resident = Visitor(base)
        path = "/kindness-seen/tell/"
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', resident.get(path).text)[1]
        barrier = threading.Barrier(50)
        story = {
            "csrfmiddlewaretoken": token,
            "body": "The pharmacist stayed open five minutes late for us.",
            "email": "resident@example.net",
            "consent": "on",
        }

        def send(visitor):
            barrier.wait()
            answer = visitor.post(path, story)
            return answer.status_code, answer.headers.get("Location")

        with ThreadPoolExecutor(50) as pool:
            answers = Counter(pool.map(send, [resident.copy() for _ in range(50)]))
    assert answers == {(302, "/kindness-seen/sent/"): 50}
    assert Story.objects.count() == 1
    assert DBTaskResult.objects.count() == 1  # the one confirmation email
