"""After a change, one thread draws a page or computes a figure while the others wait for it
or serve the page as it was; a safeguarding change lets no one serve the page as it was.

The same with two server processes: tests/test_two_processes.py."""

import threading
import time

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import caches
from django.db import connection, transaction
from django.http import HttpResponse
from django.test import RequestFactory

from core import public, redraw, single_flight
from core.public import (
    CachedPageMiddleware,
    _page_digest,
    _page_key,
    cached_public_page,
    remembered,
)
from core.versions import NETWORK_SCOPE, Versions, public_data_changed, read_versions, servable

SECOND = 1_000_000
NOW = 1_800_000_000 * SECOND


@pytest.mark.parametrize(
    ("drawn", "versions", "expected", "read_at"),
    [
        # The current page, whatever happened before it.
        ((5,), Versions((5,), (4,), (5,)), True, 0),
        # One addition behind, made 2 s ago (within 5 s), or 6 s ago.
        ((4 * SECOND,), Versions((NOW - 2 * SECOND,), (4 * SECOND,), (0,)), True, 0),
        ((4 * SECOND,), Versions((NOW - 6 * SECOND,), (4 * SECOND,), (0,)), False, 0),
        # Two changes behind: what it lacks was made after its own version, 3 s or 7 s ago.
        ((NOW - 3 * SECOND,), Versions((NOW,), (NOW - SECOND,), (0,)), True, 0),
        ((NOW - 7 * SECOND,), Versions((NOW,), (NOW - SECOND,), (0,)), False, 0),
        # A safeguarding change since, however recent.
        ((NOW - SECOND,), Versions((NOW,), (NOW - SECOND,), (NOW,)), False, 0),
        # Every key counts: the place's is current, the network's lacks a safeguarding change.
        ((7, NOW - SECOND), Versions((7, NOW), (6, NOW - SECOND), (0, NOW)), False, 0),
        # Two changes behind, its own version 7 s old, but drawn for versions read 3 s ago:
        # what it lacks committed since. Read 6 s ago, it may lack a change 6 s old.
        ((NOW - 7 * SECOND,), Versions((NOW,), (NOW - SECOND,), (0,)), True, NOW - 3 * SECOND),
        ((NOW - 7 * SECOND,), Versions((NOW,), (NOW - SECOND,), (0,)), False, NOW - 6 * SECOND),
        # When they were read changes nothing for a page one change behind, or a hide.
        ((4 * SECOND,), Versions((NOW - 6 * SECOND,), (4 * SECOND,), (0,)), False, NOW),
        ((NOW - SECOND,), Versions((NOW,), (NOW - SECOND,), (NOW,)), False, NOW),
    ],
)
def test_which_page_may_stand_in_for_the_current_one(settings, drawn, versions, expected, read_at):
    settings.PUBLIC_STALE_SECONDS = 5
    assert servable(drawn, versions, NOW, drawn_read_at=read_at) is expected


def _versions(*keys):
    """The keys' versions, without when they were read."""
    return read_versions(keys)._replace(read_at=0)


@pytest.mark.django_db(transaction=True)
def test_a_safeguarding_change_moves_its_version_with_its_own_transaction():
    before = _versions(-1, 2)
    with pytest.raises(RuntimeError), transaction.atomic():
        public_data_changed(1)
        raise RuntimeError("the change is rolled back")
    assert _versions(-1, 2) == before
    with transaction.atomic():
        public_data_changed(1)
        inside = _versions(-1, 2)
    after = _versions(-1, 2)
    assert inside == after  # moved before the commit, in the same transaction
    assert after.current > before.current and after.safe_from == after.current
    assert after.previous == before.current


@pytest.mark.django_db(transaction=True)
def test_an_addition_moves_its_version_at_commit_and_leaves_safe_from():
    public_data_changed(1)
    safe = _versions(-1, 2).safe_from
    with transaction.atomic():
        public_data_changed(1, addition=True)
        during = _versions(-1, 2)
    after = _versions(-1, 2)
    assert after.current > during.current
    assert after.safe_from == safe


@pytest.mark.django_db(transaction=True)
def test_the_shared_cache_gives_a_turn_to_one_taker_until_it_lapses():
    shared = caches["default"]
    assert shared.add("turn:test", 1, 60) is True
    assert shared.add("turn:test", 1, 60) is False
    shared.set("turn:test", 1, -1)  # lapsed
    assert shared.add("turn:test", 1, 60) is True
    shared.set("value:test", {"a": 1})
    assert shared.get("value:test") == {"a": 1}


@pytest.mark.django_db
@pytest.mark.parametrize(("cull_every", "left"), [(1, 0), (0, 1)])
def test_the_shared_cache_deletes_expired_rows_on_the_writes_it_culls_on(cull_every, left):
    from core.cache import PostgresCache

    shared = PostgresCache("core_cache", {"OPTIONS": {"CULL_EVERY": cull_every}})
    shared.set("old", 1, -1)  # expired
    shared.set("new", 2)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM core_cache WHERE cache_key LIKE %s", ["%:old"])
        assert cursor.fetchone()[0] == left
    assert shared.get("new") == 2


def _at_once(count, function):
    """Call `function` from `count` threads released together; their results."""
    start, results = threading.Barrier(count), []

    def run():
        start.wait()
        try:
            results.append(function())
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results


@pytest.mark.django_db(transaction=True)
def test_a_remembered_figure_is_computed_once_by_eight_threads_that_miss_together():
    calls = []

    @remembered
    def slow_figure():
        calls.append(1)
        time.sleep(0.3)
        return 42

    assert _at_once(8, slow_figure) == [42] * 8
    assert len(calls) == 1


@pytest.mark.django_db(transaction=True)
def test_a_figure_whose_computation_died_is_taken_over_when_its_turn_lapses(monkeypatch):
    monkeypatch.setattr(single_flight, "TURN_SECONDS", 1)
    caches["default"].add("turn:value:dead", 1, 1)  # a worker took the turn and died
    started = time.monotonic()
    assert single_flight.computed_once("value:dead", lambda: 7, 60) == 7
    assert 0.5 < time.monotonic() - started < 5


def _page_view(calls, text):
    @cached_public_page
    def view(request):
        calls.append(1)
        time.sleep(0.3)
        return HttpResponse(text[0])

    return view


def _request():
    request = RequestFactory().get("/a-page/")
    request.user = AnonymousUser()
    return request


def _get(view):
    return view(_request())


@pytest.mark.django_db(transaction=True)
def test_after_an_addition_one_thread_draws_the_page_and_the_others_serve_it_as_it_was():
    calls, text = [], ["before"]
    view = _get_and_warm(calls, text)
    with transaction.atomic():
        public_data_changed(addition=True)
    text[0] = "after"
    answers = _at_once(8, lambda: _get(view))
    assert len(calls) == 1  # one drawing for eight readers
    served = sorted((a["X-Cache"], a.content.decode()) for a in answers)
    assert served == [("miss", "after")] + [("stale", "before")] * 7
    assert _get(view).content == b"after"


@pytest.mark.django_db(transaction=True)
def test_after_a_safeguarding_change_the_others_wait_for_the_new_page():
    calls, text = [], ["names a child"]
    view = _get_and_warm(calls, text)
    with transaction.atomic():
        public_data_changed()  # a hide
    text[0] = "hidden"
    answers = _at_once(8, lambda: _get(view))
    assert len(calls) == 1
    assert {a.content.decode() for a in answers} == {"hidden"}
    assert sorted(a["X-Cache"] for a in answers) == ["hit"] * 7 + ["miss"]


@pytest.mark.django_db(transaction=True)
def test_an_addition_older_than_the_stated_seconds_is_waited_for(settings):
    settings.PUBLIC_STALE_SECONDS = 0
    calls, text = [], ["before"]
    view = _get_and_warm(calls, text)
    with transaction.atomic():
        public_data_changed(addition=True)
    time.sleep(0.01)
    text[0] = "after"
    answers = _at_once(4, lambda: _get(view))
    assert {a.content.decode() for a in answers} == {"after"} and len(calls) == 1


def _get_and_warm(calls, text):
    view = _page_view(calls, text)
    assert _get(view)["X-Cache"] == "miss"
    assert _get(view)["X-Cache"] == "hit"
    calls.clear()
    return view


@pytest.mark.django_db(transaction=True)
def test_a_page_drawn_by_another_page_takes_no_turn_of_its_own():
    """The registry's home page draws the network's page, both cached pages at one address:
    the inner one must neither wait for the outer's turn nor give it the page as it was."""
    calls, text = [], ["before"]
    inner = _page_view(calls, text)
    outer = cached_public_page(lambda request: inner(request))
    _get(outer)
    with transaction.atomic():
        public_data_changed(addition=True)
    text[0] = "after"
    started = time.monotonic()
    answer = _get(outer)
    assert (answer["X-Cache"], answer.content) == ("miss", b"after")
    assert time.monotonic() - started < 2


@pytest.mark.django_db(transaction=True)
def test_a_page_another_process_drew_can_stand_in_after_the_next_addition(settings):
    """A process that takes a page another drew keeps it as its latest, so that after the
    next addition it can serve that page as it was, one change behind."""
    settings.PUBLIC_STALE_SECONDS = 1
    calls, text = [], ["drawn here"]
    view = _get_and_warm(calls, text)
    time.sleep(1.2)  # the page drawn here is now older than the stated second
    with transaction.atomic():
        public_data_changed(addition=True)
    digest = _page_digest(_request())
    current = read_versions(NETWORK_SCOPE).current
    # Another process drew the new page and left it in the shared cache only.
    drawn = (b"drawn elsewhere", 200, {"Content-Type": "text/html"})
    single_flight.keep(_page_key(current, digest), drawn, 60)
    caches["pages"].delete(_page_key(current, digest))
    assert _get(view).content == b"drawn elsewhere"
    with transaction.atomic():
        public_data_changed(addition=True)
    newest = read_versions(NETWORK_SCOPE).current
    with single_flight.turn(_page_key(newest, digest)):  # another process is drawing it
        answer = _get(view)
    assert (answer["X-Cache"], answer.content) == ("stale", b"drawn elsewhere")
    assert calls == []


def _through_middleware(view, reached):
    """The view behind CachedPageMiddleware; `reached` counts requests that got past it."""

    def get_response(request):
        reached.append(1)
        request.user = AnonymousUser()
        return view(request)

    middleware = CachedPageMiddleware(get_response)
    return lambda: middleware(RequestFactory().get("/a-page/"))


@pytest.mark.django_db(transaction=True)
def test_a_page_given_as_it_was_is_given_again_before_the_view_until_it_is_rechecked(
    django_assert_num_queries,
):
    calls, text, reached = [], ["before"], []
    get = _through_middleware(_page_view(calls, text), reached)
    assert get()["X-Cache"] == "miss"
    with transaction.atomic():
        public_data_changed(addition=True)
    text[0] = "after"
    key = _page_key(read_versions(NETWORK_SCOPE).current, _page_digest(_request()))
    with single_flight.turn(key):  # another process is drawing the new page
        assert (get()["X-Cache"], len(reached)) == ("stale", 2)
        with django_assert_num_queries(1):  # the versions, and nothing of the long way
            answer = get()
        assert (answer["X-Cache"], answer.content, len(reached)) == ("stale", b"before", 2)
        time.sleep(public.RECHECK_SECONDS)
        assert (get()["X-Cache"], len(reached)) == ("stale", 3)  # asked the shared cache
    time.sleep(public.RECHECK_SECONDS)
    answer = get()
    assert (answer["X-Cache"], answer.content, len(calls)) == ("miss", b"after", 2)


@pytest.mark.django_db(transaction=True)
def test_a_page_given_as_it_was_is_never_given_again_after_a_safeguarding_change():
    calls, text, reached = [], ["names a child"], []
    get = _through_middleware(_page_view(calls, text), reached)
    get()
    with transaction.atomic():
        public_data_changed(addition=True)
    key = _page_key(read_versions(NETWORK_SCOPE).current, _page_digest(_request()))
    with single_flight.turn(key):
        assert get()["X-Cache"] == "stale"
    with transaction.atomic():
        public_data_changed()  # a hide, within the recheck
    text[0] = "hidden"
    answer = get()
    assert (answer["X-Cache"], answer.content) == ("miss", b"hidden")


def _asks(monkeypatch):
    """The drawings readers ask the task worker for (core.redraw), by page key, not queued."""
    asked = []
    monkeypatch.setattr(redraw, "ask", lambda request, page_key: asked.append(page_key) or True)
    return asked


def _drawn_by_the_worker(view):
    """What the task worker does with a drawing asked for: the same visit, drawn."""
    token = redraw._asked.set(True)
    try:
        return view(_request())
    finally:
        redraw._asked.reset(token)


def _later(monkeypatch, seconds):
    """Set the page cache's clock `seconds` after the versions of the page's latest drawing
    were read."""
    read_at = public._drawing(_page_digest(_request()))[2]
    monkeypatch.setattr(public, "_now_us", lambda: read_at + int(seconds * SECOND))


@pytest.mark.django_db(transaction=True)
def test_after_an_addition_a_page_drawn_lately_is_given_as_it_was_until_its_redraw_is_due(
    settings, monkeypatch, django_assert_num_queries
):
    settings.PUBLIC_REDRAW_SECONDS = 2
    calls, text, reached = [], ["before"], []
    view = _page_view(calls, text)
    get = _through_middleware(view, reached)
    get()
    with transaction.atomic():
        public_data_changed(addition=True)
    text[0] = "after"
    _later(monkeypatch, 0.5)
    with django_assert_num_queries(1):  # no turn taken, nothing asked of the shared cache
        answer = get()
    assert (answer["X-Cache"], answer.content, len(reached)) == ("stale", b"before", 1)
    _later(monkeypatch, 1.9)
    assert (get()["X-Cache"], len(calls)) == ("stale", 1)
    asked = _asks(monkeypatch)
    _later(monkeypatch, 2.1)  # due: the task worker is asked to draw it, readers are not
    answer = get()
    assert (answer["X-Cache"], answer.content, len(calls)) == ("stale", b"before", 1)
    assert asked == [_page_key(read_versions(NETWORK_SCOPE).current, _page_digest(_request()))]
    assert _drawn_by_the_worker(view)["X-Cache"] == "miss"
    assert (_drawn_by_the_worker(view).status_code, len(calls)) == (204, 2)  # drawn once
    answer = get()
    assert (answer["X-Cache"], answer.content, len(calls)) == ("hit", b"after", 2)


@pytest.mark.django_db(transaction=True)
def test_a_page_drawn_lately_is_never_given_as_it_was_after_a_safeguarding_change(settings):
    settings.PUBLIC_REDRAW_SECONDS = 2
    calls, text, reached = [], ["names a child"], []
    get = _through_middleware(_page_view(calls, text), reached)
    get()
    with transaction.atomic():
        public_data_changed()  # a hide, a moment after the drawing
    text[0] = "hidden"
    answer = get()
    assert (answer["X-Cache"], answer.content) == ("miss", b"hidden")


@pytest.mark.django_db(transaction=True)
def test_a_page_drawn_lately_is_not_given_as_it_was_past_the_stated_seconds(settings, monkeypatch):
    """The pause never stretches PUBLIC_STALE_SECONDS: a page drawn for versions read longer
    ago than that, two additions behind, is drawn again."""
    settings.PUBLIC_REDRAW_SECONDS = 10
    settings.PUBLIC_STALE_SECONDS = 1
    calls, text = [], ["before"]
    view = _get_and_warm(calls, text)
    for _ in range(2):
        with transaction.atomic():
            public_data_changed(addition=True)
    text[0] = "after"
    _later(monkeypatch, 0.5)
    assert _get(view)["X-Cache"] == "stale"
    _later(monkeypatch, 1.5)
    answer = _get(view)
    assert (answer["X-Cache"], answer.content) == ("miss", b"after")


@pytest.mark.django_db(transaction=True)
def test_a_page_another_process_drew_lately_is_given_as_it_was_here_too(settings, monkeypatch):
    """The pause after an addition runs on the deployment's latest drawing of the page, not on
    each process's: a process whose own drawing is due takes a newer one another process
    left in the shared cache, instead of drawing the page again."""
    settings.PUBLIC_REDRAW_SECONDS = 2
    calls, text = [], ["first"]
    view = _page_view(calls, text)
    _get(view)
    digest = _page_digest(_request())
    first = public._drawing(digest)
    with transaction.atomic():
        public_data_changed(addition=True)
    text[0] = "second"
    asked = _asks(monkeypatch)
    _later(monkeypatch, 3)
    assert (_get(view)["X-Cache"], len(asked)) == ("stale", 1)
    assert (_drawn_by_the_worker(view)["X-Cache"], len(calls)) == ("miss", 2)  # shared
    second = public._drawing(digest)
    # Another process: its own latest drawing is the first, five seconds older, and it does
    # not have the second page.
    key = public._drawing_key(digest)
    single_flight.keep(key, (first[0], first[1], first[2] - 5 * SECOND), 60, share=False)
    caches["pages"].delete(_page_key(second[0], digest))
    with transaction.atomic():
        public_data_changed(addition=True)
    text[0] = "third"
    monkeypatch.setattr(public, "_now_us", lambda: second[2] + SECOND // 2)
    answer = _get(view)
    assert (answer["X-Cache"], answer.content, len(calls)) == ("stale", b"second", 2)
    assert public._drawing(digest)[2] == second[2]  # kept here, for the middleware's readers


@pytest.mark.django_db(transaction=True)
def test_a_page_another_process_drew_is_given_before_the_view_from_the_second_visit(monkeypatch):
    """With Redis the page cache is the shared one, so a process may serve a page, and find
    its drawing, without ever drawing it: after one visit the long way, the middleware
    answers for it."""
    monkeypatch.setattr(public, "_known_pages", {})
    calls, text, reached = [], ["drawn here"], []
    get = _through_middleware(_page_view(calls, text), reached)
    digest = _page_digest(_request())
    versions = read_versions(NETWORK_SCOPE)
    drawn = (b"drawn elsewhere", 200, {"Content-Type": "text/html"})
    # What another process left in a page cache that every process shares.
    single_flight.keep(_page_key(versions.current, digest), drawn, 60, share=False)
    drawing = (versions.current, drawn, versions.read_at)
    single_flight.keep(public._drawing_key(digest), drawing, 60, share=False)
    answer = get()
    assert (answer["X-Cache"], answer.content, len(reached)) == ("hit", b"drawn elsewhere", 1)
    answer = get()
    assert (answer["X-Cache"], answer.content, len(reached)) == ("hit", b"drawn elsewhere", 1)
    assert calls == []
