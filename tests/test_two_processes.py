"""Several processes, one truth: two gunicorn servers on one database agree at once.

Each test runs twice: with nothing shared but PostgreSQL (the default), and with a real Redis
server as the shared cache and throttle store (REDIS_URL), as a scaled-out deployment has."""

import hashlib
import re
import time
from contextlib import ExitStack, contextmanager

import pytest
import redis
import requests
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.db import connection
from django.test import Client

from core.public import _page_key
from core.versions import place_scope, read_versions
from organisations.models import Membership
from places.models import Place
from pledges import services
from stories.models import Story
from tests.factories import (
    MembershipFactory,
    ModeratorFactory,
    PledgeFactory,
    ProgressUpdateFactory,
)
from tests.redis_server import redis_server
from tests.servers import gunicorn, task_worker

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(params=["postgresql", "redis"])
def servers(request, seeded_agreement):
    yield from two_servers(request.param)


@pytest.fixture(params=["postgresql", "redis"])
def story_servers(request, seeded_agreement):
    """Two servers with small limits on residents' stories: four a connection, two an address."""
    yield from two_servers(request.param, STORY_LIMIT="4", STORY_EMAIL_LIMIT="2")


@pytest.fixture(params=["postgresql", "redis"])
def stale_servers(request, seeded_agreement):
    """Two servers that may serve a page as it was for two seconds after an addition, with
    the cache they share (PostgreSQL's table, or Redis)."""
    with started_servers(request.param, PUBLIC_STALE_SECONDS=str(STALE_SECONDS)) as started:
        first, second, env = started
        shared = RedisCache(env["REDIS_URL"], {}) if "REDIS_URL" in env else caches["default"]
        yield first, second, shared


def two_servers(store, **extra):
    with started_servers(store, **extra) as (first, second, _env):
        yield first, second


@contextmanager
def started_servers(store, **extra):
    settings_dict = connection.settings_dict
    with ExitStack() as stack:
        env = dict(extra)
        if store == "redis":
            env["REDIS_URL"] = stack.enter_context(redis_server())
            assert not redis.Redis.from_url(env["REDIS_URL"]).keys()
        first = stack.enter_context(gunicorn(settings_dict, extra_env=env))
        second = stack.enter_context(gunicorn(settings_dict, extra_env=env))
        yield first, second, env
        if store == "redis":  # the pages and throttles really were kept in Redis
            assert redis.Redis.from_url(env["REDIS_URL"]).keys()


def csrf_token(session, url):
    page = session.get(url, timeout=10)
    assert page.status_code == 200, page.text[:500]
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)


def test_an_update_removed_through_one_server_is_gone_from_the_other_at_once(servers):
    first, second = servers
    membership = MembershipFactory(role=Membership.Role.ADMIN)
    pledge = PledgeFactory(organisation=membership.organisation, published=True)
    update = ProgressUpdateFactory(pledge=pledge, title="Photo of a named child")
    for base in servers:  # both servers now hold the wall in their page caches
        for _ in range(3):
            assert "Photo of a named child" in requests.get(f"{base}/updates/", timeout=10).text

    client = Client()
    client.force_login(membership.user)  # a session in the shared database
    partner = requests.Session()
    partner.cookies.set("sessionid", client.cookies["sessionid"].value)
    remove = f"{first}/manage/{membership.organisation.pk}/updates/{update.pk}/remove/"
    token = csrf_token(partner, remove)
    response = partner.post(
        remove,
        {"csrfmiddlewaretoken": token, "reason": "It names a child."},
        headers={"Referer": remove},
        timeout=10,
    )
    assert response.status_code == 200 and "removed from public view" in response.text

    for _ in range(20):
        wall = requests.get(f"{second}/updates/", timeout=10).text
        assert "Photo of a named child" not in wall
    assert requests.get(f"{second}/updates/{update.pk}/", timeout=10).status_code == 404


def test_failed_sign_ins_are_counted_across_servers(servers):
    membership = MembershipFactory()
    email = membership.user.email
    browser = requests.Session()
    # Behind the proxy both instances answer to one public host, which allauth's key includes.
    browser.headers["Host"] = "localhost"
    outcomes = []
    for attempt in range(8):
        base = servers[attempt % 2]
        token = csrf_token(browser, f"{base}/accounts/login/")
        response = browser.post(
            f"{base}/accounts/login/",
            {"csrfmiddlewaretoken": token, "login": email, "password": "wrong-password-123"},
            headers={"Referer": f"{base}/accounts/login/"},
            timeout=10,
        )
        outcomes.append("Too many failed login attempts" in response.text)
    # 5 per account in 5 minutes (ACCOUNT_RATE_LIMITS): the sixth is refused, on either server.
    assert outcomes == [False] * 5 + [True] * 3


def test_limits_on_residents_stories_are_counted_across_servers(story_servers):
    """Each post alternates between the servers. The address's limit (two) refuses the third
    story from one email address; the connection's (four posts) refuses the fifth post."""
    PledgeFactory(published=True)
    browser = requests.Session()
    outcomes = []
    for attempt, email in enumerate(
        ["jo@example.net"] * 3 + ["kim@example.net", "lee@example.net"]
    ):
        base = story_servers[attempt % 2]
        token = csrf_token(browser, f"{base}/kindness-seen/tell/")
        response = browser.post(
            f"{base}/kindness-seen/tell/",
            {
                "csrfmiddlewaretoken": token,
                "body": f"A kind bus driver, story {attempt}.",
                "email": email,
                "consent": "on",
            },
            headers={"Referer": f"{base}/kindness-seen/tell/"},
            allow_redirects=False,
            timeout=10,
        )
        outcomes.append(response.status_code)
    assert outcomes == [302, 302, 429, 302, 429]
    assert Story.objects.count() == 3


STALE_SECONDS = 2


def _hold_the_turn(shared, path, seconds):
    """Take the turn to draw the page at `path` (its current version), as a worker busy
    drawing it would, for `seconds`; return when the change was seen."""
    digest = hashlib.sha256(f"localhost{path}".encode()).hexdigest()
    version = read_versions(place_scope(Place.objects.default().pk)).current
    assert shared.add(f"turn:{_page_key(version, digest)}", 1, seconds)
    return time.monotonic()


def _read(base, path):
    answer = requests.get(f"{base}{path}", headers={"Host": "localhost"}, timeout=30)
    assert answer.status_code == 200
    return answer.headers["X-Cache"], answer.text


def _post_an_update(pledge, user):
    """An addition: "Our new garden", posted by a partner through the service."""
    services.progress_update_publish(
        pledge=pledge,
        by=user,
        title="Our new garden",
        body="Planted by the pupils.",
        priorities=list(pledge.agreement.priorities.all()[:1]),
    )


def test_an_addition_may_be_served_as_it_was_for_seconds_and_a_hide_never(stale_servers):
    """While another worker draws the new wall (its turn held here), each server gives
    readers the wall as it was after an update is posted, for at most STALE_SECONDS; after a
    hide, it gives no one the wall as it was, and waits for the new one."""
    first, second, shared = stale_servers
    membership = MembershipFactory(role=Membership.Role.ADMIN)
    pledge = PledgeFactory(organisation=membership.organisation, published=True)
    named = ProgressUpdateFactory(pledge=pledge, title="Photo of a named child")
    for base in (first, second, first, second):  # both servers have drawn and kept the wall
        assert "Photo of a named child" in _read(base, "/updates/")[1]

    _post_an_update(pledge, membership.user)
    changed = _hold_the_turn(shared, "/updates/", STALE_SECONDS + 3)
    for base in (first, second):
        status, wall = _read(base, "/updates/")
        assert (status, "Our new garden" in wall) == ("stale", False)
    time.sleep(max(0.0, changed + STALE_SECONDS + 0.2 - time.monotonic()))
    for base in (second, first):  # past the seconds: the new wall, once the turn lapses
        status, wall = _read(base, "/updates/")
        assert status != "stale" and "Our new garden" in wall

    services.progress_update_hide(update=named, by=ModeratorFactory(), reason="It names a child.")
    _hold_the_turn(shared, "/updates/", 2)
    for base in (first, second, first, second):
        status, wall = _read(base, "/updates/")
        assert status != "stale" and "Photo of a named child" not in wall
        assert "Our new garden" in wall


@pytest.fixture(params=["postgresql", "redis"])
def paused_servers(request, seeded_agreement):
    """Two servers that pause for a second after an addition before a page is drawn again,
    and may serve a page as it was for five; and the environment they share."""
    with started_servers(
        request.param, PUBLIC_REDRAW_SECONDS="1", PUBLIC_STALE_SECONDS="5"
    ) as started:
        yield started


def test_after_an_addition_the_task_worker_draws_the_page_for_both_servers(paused_servers):
    """With the pause after an addition on, no reader's request draws the wall again: both
    servers give it as it was until the task worker has drawn the new one, then give that,
    within the stated seconds."""
    first, second, env = paused_servers
    membership = MembershipFactory(role=Membership.Role.ADMIN)
    pledge = PledgeFactory(organisation=membership.organisation, published=True)
    ProgressUpdateFactory(pledge=pledge, title="Our first garden")
    for base in (first, second, first, second):
        assert "Our first garden" in _read(base, "/updates/")[1]

    with task_worker(connection.settings_dict, extra_env=env):
        _post_an_update(pledge, membership.user)
        changed, seen, answers = time.monotonic(), set(), []
        while len(seen) < 2 and time.monotonic() < changed + 5:
            for base in (first, second):
                status, wall = _read(base, "/updates/")
                answers.append(status)
                if "Our new garden" in wall:
                    seen.add(base)
            time.sleep(0.05)
    assert seen == {first, second}  # within the five seconds
    assert "miss" not in answers and "stale" in answers
