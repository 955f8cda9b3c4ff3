import os

import pytest
from django.core.servers.basehttp import WSGIRequestHandler

from tests.factories import MembershipFactory, UserFactory

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# around it are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# The live server writes a response's headers and body separately; with Nagle's algorithm
# the body then waits for the client's delayed acknowledgement, about 40 ms a request.
WSGIRequestHandler.disable_nagle_algorithm = True


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private-media"


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def member(db):
    """An admin member of an organisation."""
    return MembershipFactory()


@pytest.fixture
def publisher(client):
    """An organisation admin, signed in, with a published pledge to post updates on."""
    from organisations.models import Membership
    from tests.factories import MembershipFactory, PledgeFactory

    membership = MembershipFactory(role=Membership.Role.ADMIN)
    pledge = PledgeFactory(organisation=membership.organisation, published=True)
    client.force_login(membership.user)
    return membership, pledge


@pytest.fixture(scope="session")
def browser():
    from tests.browser import chromium

    if chromium.skipping():
        pytest.skip("SKIP_BROWSER=1: browser and accessibility tests skipped on purpose")
    path = chromium.find()
    if not path:
        pytest.fail(chromium.INSTRUCTION, pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=path,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                # Each page and axe check runs its scripts for a few hundred milliseconds: V8's
                # optimising compilers and parallel collector spent more of the two cores than
                # they saved. Chromium's share of the browser tests fell by 13 %.
                "--js-flags=--no-opt --no-maglev --single-threaded-gc",
            ],
        )
        yield browser
        browser.close()


def _kept(browser, live_server, **options):
    """A page kept for all of this test process's tests, reset between them
    (tests/browser/pages.py)."""
    from tests.browser.pages import KeptPage

    kept = KeptPage(browser, live_server, **options)
    yield kept
    kept.close()


@pytest.fixture(scope="session")
def _desktop_page(browser, live_server):
    yield from _kept(browser, live_server, viewport={"width": 1280, "height": 900})


@pytest.fixture(scope="session")
def _phone_page(browser, live_server):
    yield from _kept(browser, live_server, viewport={"width": 375, "height": 812}, is_mobile=True)


@pytest.fixture
def page(_desktop_page):
    yield from _desktop_page.lend()


@pytest.fixture
def mobile_page(_phone_page):
    yield from _phone_page.lend()


@pytest.fixture
def dialogs(page):
    """What any dialog a script opens says, dismissed: tests that prove no script ran."""
    messages = []

    def dismiss(dialog):
        messages.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismiss)
    yield messages
    page.remove_listener("dialog", dismiss)


@pytest.fixture
def seeded_agreement(transactional_db):
    """Transactional tests flush the database; this puts the data migrations' place and
    agreement back."""
    from django.utils import timezone

    from places.models import Area, Place
    from places.seed import seed_default_place
    from pledges.models import Agreement, Priority
    from pledges.seed import seed_agreement

    place = seed_default_place(Place, Area)
    return seed_agreement(Agreement, Priority, timezone.now(), place=place)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rendered pages live in each process's memory; every test starts without them.

    The shared default cache is a database table, so each test's rollback or flush empties it.
    """
    from django.core.cache import caches

    caches["pages"].clear()
    yield
    caches["pages"].clear()


def pytest_sessionstart(session):
    """A fresh folder for this run's screenshots (tests/browser/test_every_page.py), emptied
    once by the controlling process, before any test process starts."""
    if not hasattr(session.config, "workerinput"):
        import shutil

        from tests.browser.screenshots import SCREENSHOTS

        shutil.rmtree(SCREENSHOTS, ignore_errors=True)


def pytest_terminal_summary(terminalreporter):
    from tests.browser import chromium
    from tests.browser.screenshots import SCREENSHOTS

    shots = sorted(SCREENSHOTS.glob("*.png")) if SCREENSHOTS.exists() else []
    if shots:
        terminalreporter.write_sep(
            "-", f"{len(shots)} screenshots of every page at 375 and 1280 px: {SCREENSHOTS}"
        )
    if chromium.skipping():
        terminalreporter.write_sep(
            "!", "BROWSER AND ACCESSIBILITY TESTS WERE SKIPPED (SKIP_BROWSER=1)", red=True
        )


# The longest tests, longest first. Run in collection order, they ended up together at the
# end of one test process while the others had finished: the suite used 1.2 of 2 cores.
SLOW_FIRST = (
    "tests/browser/test_hostile_corpus.py",
    "tests/browser/",
    "tests/test_outage.py",
    "tests/test_paper_import.py",
    "tests/test_two_processes.py",
    "tests/test_backups.py",
    "tests/test_serve.py",
    "tests/test_background_email.py",
)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    """Start the longest tests first, so that the short ones fill in around them (with
    `--maxschedchunk 1`, each process takes the next test when it is free). This runs before
    pytest-django's own ordering, which then puts tests that empty the database (browser
    tests, live servers) after the others, keeping this order within each group."""

    def rank(item):
        path = item.nodeid.split("::")[0]
        for index, prefix in enumerate(SLOW_FIRST):
            if path.startswith(prefix):
                return index
        return len(SLOW_FIRST)

    items.sort(key=rank)  # stable: the order within each group stays as written


def pytest_collection_finish(session):
    """Everything imported so far lives for the whole run. Frozen, the collector no longer
    walks it on each full collection: that halved the time a hostile-corpus chunk spent
    collecting (1.2 s to 0.6 s)."""
    import gc

    gc.collect()
    gc.freeze()
