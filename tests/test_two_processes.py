"""Several processes, one truth: two gunicorn servers on one database agree at once.

Each test runs twice: with nothing shared but PostgreSQL (the default), and with a real Redis
server as the shared cache and throttle store (REDIS_URL), as a scaled-out deployment has."""

import re
from contextlib import ExitStack

import pytest
import redis
import requests
from django.db import connection
from django.test import Client

from organisations.models import Membership
from stories.models import Story
from tests.factories import MembershipFactory, PledgeFactory, ProgressUpdateFactory
from tests.redis_server import redis_server
from tests.servers import gunicorn

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(params=["postgresql", "redis"])
def servers(request, seeded_agreement):
    yield from two_servers(request.param)


@pytest.fixture(params=["postgresql", "redis"])
def story_servers(request, seeded_agreement):
    """Two servers with small limits on residents' stories: four a connection, two an address."""
    yield from two_servers(request.param, STORY_LIMIT="4", STORY_EMAIL_LIMIT="2")


def two_servers(store, **extra):
    settings_dict = connection.settings_dict
    with ExitStack() as stack:
        env = dict(extra)
        if store == "redis":
            env["REDIS_URL"] = stack.enter_context(redis_server())
            assert not redis.Redis.from_url(env["REDIS_URL"]).keys()
        first = stack.enter_context(gunicorn(settings_dict, extra_env=env))
        second = stack.enter_context(gunicorn(settings_dict, extra_env=env))
        yield first, second
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
