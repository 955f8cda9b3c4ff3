"""After an addition, a page due to be drawn again is drawn by the task worker (core.redraw),
while readers are given it as it was: in its own place, under its own address, asked for once.

The same with two server processes and a real worker: tests/test_two_processes.py."""

import re

import pytest
from django.core.management import call_command
from django.test import RequestFactory, override_settings
from django_tasks_db.models import DBTaskResult

from core import public, redraw
from core.public import _page_digest
from organisations.models import Membership
from pledges import services
from tests.factories import MembershipFactory, PledgeFactory, north_ayrshire

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("seeded_agreement")]

REAL_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
SECOND = 1_000_000


@pytest.fixture
def wall(settings, monkeypatch):
    """North Ayrshire's wall, with one update, drawn once; and a function that posts another
    update there and moves the page cache's clock three seconds on, past the pause after an
    addition (two seconds) and within the seconds a page may be given as it was (five)."""
    settings.PUBLIC_REDRAW_SECONDS = 2
    settings.PUBLIC_STALE_SECONDS = 5
    monkeypatch.setattr(redraw, "_asked_here", {})
    place = north_ayrshire(live=True)
    membership = MembershipFactory(role=Membership.Role.ADMIN)
    pledge = PledgeFactory(
        organisation=membership.organisation, agreement=place.agreements.get(), published=True
    )

    def post(title):
        services.progress_update_publish(
            pledge=pledge,
            by=membership.user,
            title=title,
            body="Planted by the pupils.",
            priorities=list(pledge.agreement.priorities.all()[:1]),
        )

    post("Our first garden")
    path = "/north-ayrshire/updates/"

    def post_and_wait(title):
        read_at = public._drawing(_page_digest(RequestFactory().get(path)))[2]
        post(title)
        monkeypatch.setattr(public, "_now_us", lambda: read_at + 3 * SECOND)

    return path, post_and_wait


def _links(page: bytes) -> set[str]:
    return set(re.findall(r'href="(/[^"]*)"', page.decode()))


def _assert_drawn_in_its_place(page, drawn_by_a_reader):
    """Every link a reader's drawing has, and the new update's, in the wall's place."""
    new = _links(page.content) - _links(drawn_by_a_reader.content)
    assert _links(drawn_by_a_reader.content) < _links(page.content)
    assert all(re.fullmatch(r"/north-ayrshire/updates/\d+/", link) for link in new), new


@override_settings(TASKS=REAL_QUEUE)
def test_a_page_due_after_an_addition_is_drawn_by_the_task_worker_not_a_reader(client, wall):
    path, post_and_wait = wall
    drawn_by_a_reader = client.get(path)
    assert drawn_by_a_reader["X-Cache"] == "miss"

    post_and_wait("Our new garden")
    for _ in range(3):  # from the middleware and the long way alike
        answer = client.get(path)
        assert answer["X-Cache"] == "stale" and b"Our new garden" not in answer.content
    redraw._asked_here.clear()  # another process, which has not asked yet
    public._standing_in.clear()
    assert client.get(path)["X-Cache"] == "stale"
    asked = DBTaskResult.objects.filter(task_path="core.redraw.draw_page")
    assert asked.count() == 1  # asked for once in the deployment, however many readers
    assert asked.get().args_kwargs["kwargs"]["path"] == path

    call_command("db_worker", "--batch", "--interval", "0", "--no-startup-delay", verbosity=0)
    assert asked.get().status == "SUCCESSFUL"
    answer = client.get(path)
    assert answer["X-Cache"] == "hit" and b"Our new garden" in answer.content
    # Drawn in its place, under its address: every link as a reader's drawing has them.
    _assert_drawn_in_its_place(answer, drawn_by_a_reader)


def test_without_a_worker_of_its_own_the_drawing_is_done_at_once_in_its_place(client, wall):
    """The tests' immediate task backend runs the drawing inside the reader's request: it is
    drawn under its own address, not under the address of the request that asked for it."""
    path, post_and_wait = wall
    before = client.get(path)
    post_and_wait("Our new garden")
    answer = client.get(path)
    assert answer["X-Cache"] == "hit" and b"Our new garden" in answer.content
    _assert_drawn_in_its_place(answer, before)


def test_the_worker_draws_the_page_under_the_key_readers_look_for(settings):
    settings.ALLOWED_HOSTS = ["testserver", "example.org", "[::1]"]
    factory = RequestFactory()
    for asked in (
        factory.get("/north-ayrshire/signatories/", {"q": "café", "page": "2"}),
        factory.get("/organisations/caf\u00e9-de-paris/", HTTP_HOST="example.org:8000"),
        factory.get("/", secure=True, HTTP_HOST="[::1]:8443"),
    ):
        drawn = redraw._request(
            asked.scheme, asked.get_host(), asked.path, asked.META["QUERY_STRING"]
        )
        assert _page_digest(drawn) == _page_digest(asked)
        assert (drawn.scheme, drawn.get_host()) == (asked.scheme, asked.get_host())
